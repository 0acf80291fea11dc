"""An editor creates an event with its shifts in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from activity import kinds
from activity.models import Activity
from cms.models import EventPage
from tests.factories import UserFactory

from .factories import neighborhood_page

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _form(*, shifts: list[dict], starts_at, ends_at) -> dict:
    return nested_form_data(
        {
            "title": "Harbor walk litter pick",
            "slug": "harbor-walk-litter-pick",
            "summary": "An hour on the harbor walk with bags and grabbers.",
            "starts_at": _local(starts_at),
            "ends_at": _local(ends_at),
            "location_name": "Harbor walk, by the ferry",
            "address": "",
            "latitude": "42.33",
            "longitude": "-71.05",
            "body": streamfield([]),
            "shifts": inline_formset(shifts, min=1),
            "action-publish": "publish",
        }
    )


def test_an_editor_publishes_an_event_with_a_shift_and_it_is_announced(client):
    parent = neighborhood_page()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    starts_at = timezone.now() + timedelta(days=5)
    ends_at = starts_at + timedelta(hours=2)
    url = reverse("wagtailadmin_pages:add", args=("cms", "eventpage", parent.pk))
    shift = {
        "title": "Litter pickers",
        "starts_at": _local(starts_at),
        "ends_at": _local(ends_at),
        "capacity": "12",
    }
    response = client.post(
        url, _form(shifts=[shift], starts_at=starts_at, ends_at=ends_at)
    )
    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="harbor-walk-litter-pick")
    assert event.live
    assert event.shifts.get().capacity == 12
    assert Activity.objects.filter(kind=kinds.EVENT_ANNOUNCED).count() == 1


def test_an_event_needs_a_shift_and_an_end_after_its_start(client):
    parent = neighborhood_page()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    starts_at = timezone.now() + timedelta(days=5)
    url = reverse("wagtailadmin_pages:add", args=("cms", "eventpage", parent.pk))
    response = client.post(
        url, _form(shifts=[], starts_at=starts_at, ends_at=starts_at)
    )
    assert response.status_code == 200
    assert not EventPage.objects.exists()
    html = response.content.decode()
    assert "The event must end after it starts." in html


def test_an_event_without_shifts_is_refused(client):
    parent = neighborhood_page()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    starts_at = timezone.now() + timedelta(days=5)
    url = reverse("wagtailadmin_pages:add", args=("cms", "eventpage", parent.pk))
    response = client.post(
        url,
        _form(shifts=[], starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)),
    )
    assert response.status_code == 200
    assert not EventPage.objects.exists()

"""Verified closure: "Is it fixed?" answered, disputed, or left unanswered."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activity.models import Activity
from engagement.models import FixConfirmation, ServiceRequest, Support
from engagement.services import workflow
from tests.engagement.images import jpeg_with_gps, not_an_image
from tests.engagement.staff_helpers import make_city
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city()


def close_fixed(city, now=None):
    workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="closed",
        closure_reason="fixed",
        photo=jpeg_with_gps(),
        now=now,
    )
    city.request.refresh_from_db()


def test_the_reporter_confirms_and_the_fix_is_verified(city):
    close_fixed(city)
    workflow.confirm_fix(user=city.request.reporter, request=city.request)
    fresh = ServiceRequest.objects.get(pk=city.request.pk)
    assert fresh.fix_status == "verified"
    assert fresh.status == "closed"
    assert Activity.objects.filter(kind="request.fix_verified", public=True).exists()


def test_a_second_answer_is_refused(city):
    close_fixed(city)
    workflow.confirm_fix(user=city.request.reporter, request=city.request)
    with pytest.raises(ValidationError):
        workflow.confirm_fix(user=city.request.reporter, request=city.request)
    with pytest.raises(ValidationError):
        workflow.dispute_fix(
            user=city.request.reporter, request=city.request, note="Hm"
        )
    assert FixConfirmation.objects.count() == 1
    assert ServiceRequest.objects.get(pk=city.request.pk).fix_status == "verified"


def test_a_request_not_closed_as_fixed_takes_no_answer(city):
    with pytest.raises(ValidationError):
        workflow.confirm_fix(user=city.request.reporter, request=city.request)
    workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="closed",
        closure_reason="not_city",
    )
    with pytest.raises(ValidationError):
        workflow.confirm_fix(user=city.request.reporter, request=city.request)


def test_a_dispute_reopens_the_request_flagged_in_the_queue(city, client):
    supporter = UserFactory()
    Support.objects.create(user=supporter, request=city.request)
    close_fixed(city)
    workflow.dispute_fix(
        user=supporter,
        request=city.request,
        note="The hole is back after the rain.",
        photo=jpeg_with_gps(),
    )
    fresh = ServiceRequest.objects.get(pk=city.request.pk)
    assert fresh.status == "open"
    assert fresh.detailed_status == "acknowledged"
    assert fresh.reopened is True
    assert fresh.fix_status == "disputed"
    assert fresh.closed_datetime is None
    assert Activity.objects.filter(kind="request.fix_disputed", public=True).exists()

    page = client.get(fresh.get_absolute_url()).content.decode()
    assert "The hole is back after the rain." in page
    assert "Photo sent with the dispute" in page

    client.login(email=city.worker.email, password=DEFAULT_PASSWORD)
    queue = client.get(reverse("engagement:staff_queue"), {"reopened": "1"})
    assert [sr.public_id for sr in queue.context["page_obj"]] == [fresh.public_id]


def test_a_dispute_of_an_assigned_request_goes_back_in_progress(city):
    workflow.assign_request(
        actor=city.worker, request=city.request, assignee=city.worker
    )
    close_fixed(city)
    workflow.dispute_fix(user=city.request.reporter, request=city.request, note="No")
    assert ServiceRequest.objects.get(pk=city.request.pk).detailed_status == (
        "in_progress"
    )


@pytest.mark.parametrize(
    ("note", "photo", "field"),
    [("", None, "note"), ("   ", None, "note"), ("Still broken", "bad", "photo")],
)
def test_a_dispute_with_bad_input_changes_nothing(city, note, photo, field):
    close_fixed(city)
    with pytest.raises(ValidationError) as exc:
        workflow.dispute_fix(
            user=city.request.reporter,
            request=city.request,
            note=note,
            photo=not_an_image() if photo else None,
        )
    assert field in exc.value.message_dict
    fresh = ServiceRequest.objects.get(pk=city.request.pk)
    assert (fresh.status, fresh.fix_status) == ("closed", "pending")
    assert not FixConfirmation.objects.exists()


def test_after_a_dispute_and_a_new_fix_people_are_asked_again(city):
    close_fixed(city)
    workflow.dispute_fix(user=city.request.reporter, request=city.request, note="No")
    city.request.refresh_from_db()
    close_fixed(city)
    workflow.confirm_fix(user=city.request.reporter, request=city.request)
    assert ServiceRequest.objects.get(pk=city.request.pk).fix_status == "verified"
    assert FixConfirmation.objects.count() == 2


def test_unanswered_fixes_become_unconfirmed_after_the_deadline(city, settings):
    settings.FIX_CONFIRMATION_DAYS = 14
    closed_at = timezone.now() - timedelta(days=20)
    close_fixed(city, now=closed_at)
    assert workflow.expire_unconfirmed_fixes(now=closed_at + timedelta(days=13)) == 0
    assert ServiceRequest.objects.get(pk=city.request.pk).fix_status == "pending"
    assert workflow.expire_unconfirmed_fixes(now=closed_at + timedelta(days=14)) == 1
    assert ServiceRequest.objects.get(pk=city.request.pk).fix_status == "unconfirmed"
    with pytest.raises(ValidationError):
        workflow.confirm_fix(user=city.request.reporter, request=city.request)


def test_pages_confirm_and_dispute(client, city):
    close_fixed(city)
    reporter = city.request.reporter
    client.login(email=reporter.email, password=DEFAULT_PASSWORD)
    page = client.get(city.request.get_absolute_url()).content.decode()
    assert "Yes, it is fixed" in page
    dispute_url = reverse("engagement:dispute_fix", args=[city.request.public_id])
    assert client.get(dispute_url).status_code == 200
    response = client.post(dispute_url, {"note": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = client.post(dispute_url, {"note": "Still a hole"}, follow=True)
    assert "the request is reopened" in response.content.decode()
    assert ServiceRequest.objects.get(pk=city.request.pk).reopened


def test_confirm_page_for_someone_else_is_forbidden(client, city):
    close_fixed(city)
    client.login(email=city.resident.email, password=DEFAULT_PASSWORD)
    response = client.post(
        reverse("engagement:confirm_fix", args=[city.request.public_id])
    )
    assert response.status_code == 403
    page = client.get(city.request.get_absolute_url()).content.decode()
    assert "Yes, it is fixed" not in page
    assert ServiceRequest.objects.get(pk=city.request.pk).fix_status == "pending"

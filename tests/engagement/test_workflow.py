"""The one function that changes a request's status, and what follows from it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from activity.models import Activity, Notification
from engagement.models import (
    Follow,
    RequestPhoto,
    RequestUpdate,
    ResponseTemplate,
    ServiceRequest,
    Support,
)
from engagement.services import workflow
from tests.engagement.factories import ServiceRequestFactory
from tests.engagement.images import jpeg_with_gps, not_an_image
from tests.engagement.staff_helpers import make_city
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city()


def test_acknowledge_sets_time_update_public_activity_and_notifies_followers(
    city, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    Follow.objects.create(user=follower, request=city.request)
    with django_capture_on_commit_callbacks(execute=True):
        update = workflow.change_request_status(
            actor=city.worker, request=city.request, to_status="acknowledged"
        )
    city.request.refresh_from_db()
    assert city.request.detailed_status == "acknowledged"
    assert city.request.status == "open"
    assert city.request.acknowledged_datetime is not None
    assert update.public_note == "The city has received this request."
    assert update.author == city.worker
    public = Activity.objects.get(kind="request.acknowledged")
    assert public.public and public.actor is None
    personal = Activity.objects.get(kind="request.changed")
    assert not personal.public
    assert Notification.objects.filter(user=follower, activity=personal).exists()
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "acknowledged" in mail.outbox[0].subject


def test_a_response_template_gives_the_note_service_first(city):
    ResponseTemplate.objects.create(
        detailed_status="in_progress", text="Any service: on it."
    )
    ResponseTemplate.objects.create(
        service=city.request.service,
        detailed_status="in_progress",
        text="A pothole crew is on its way.",
    )
    update = workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="in_progress"
    )
    assert update.public_note == "A pothole crew is on its way."
    city.request.refresh_from_db()
    assert city.request.status_notes == "A pothole crew is on its way."


def test_close_as_fixed_needs_an_after_photo_and_asks_is_it_fixed(
    city, django_capture_on_commit_callbacks
):
    supporter = UserFactory()
    Support.objects.create(user=supporter, request=city.request)
    with pytest.raises(ValidationError) as exc:
        workflow.change_request_status(
            actor=city.worker,
            request=city.request,
            to_status="closed",
            closure_reason="fixed",
        )
    assert "photo" in exc.value.message_dict
    assert ServiceRequest.objects.get(pk=city.request.pk).status == "open"

    city.request.expected_datetime = timezone.now() + timedelta(days=1)
    city.request.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_request_status(
            actor=city.worker,
            request=city.request,
            to_status="closed",
            closure_reason="fixed",
            note="Filled and sealed.",
            photo=jpeg_with_gps(),
        )
    city.request.refresh_from_db()
    assert city.request.status == "closed"
    assert city.request.fix_status == "pending"
    assert city.request.on_time is True
    assert city.request.closed_datetime is not None
    assert city.request.acknowledged_datetime is not None
    after = RequestPhoto.objects.get(request=city.request, kind="after")
    assert RequestUpdate.objects.get(photo=after).public_note == "Filled and sealed."
    assert Activity.objects.filter(kind="request.closed", public=True).exists()
    asked = Activity.objects.get(kind="request.changed", data__ask_fix=True)
    asked_users = set(
        Notification.objects.filter(activity=asked).values_list("user", flat=True)
    )
    assert asked_users == {city.request.reporter_id, supporter.pk}
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Is it fixed?" in bodies[supporter.email]
    assert "Is it fixed?" in bodies[city.request.reporter.email]


def test_closing_late_records_not_on_time(city):
    city.request.expected_datetime = timezone.now() - timedelta(days=1)
    city.request.save()
    workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="closed",
        closure_reason="no_action",
    )
    city.request.refresh_from_db()
    assert city.request.on_time is False
    assert city.request.fix_status == ""


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to_status": "closed"}, "closure_reason"),
        ({"to_status": "closed", "closure_reason": "bogus"}, "closure_reason"),
        ({"to_status": "closed", "closure_reason": "duplicate"}, "duplicate_of"),
        ({"to_status": "new"}, "to_status"),
        ({"to_status": "wat"}, "to_status"),
        ({"to_status": "acknowledged", "closure_reason": "fixed"}, "closure_reason"),
        (
            {"to_status": "in_progress", "photo": "not-an-image"},
            "photo",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(city, kwargs, field):
    if kwargs.get("photo") == "not-an-image":
        kwargs["photo"] = not_an_image()
    before = RequestUpdate.objects.count()
    with pytest.raises(ValidationError) as exc:
        workflow.change_request_status(
            actor=city.worker, request=city.request, **kwargs
        )
    assert field in exc.value.message_dict
    fresh = ServiceRequest.objects.get(pk=city.request.pk)
    assert fresh.detailed_status == "new" and fresh.status == "open"
    assert RequestUpdate.objects.count() == before
    assert not RequestPhoto.objects.exists()


def test_a_closed_request_cannot_be_changed_by_staff(city):
    workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="closed",
        closure_reason="not_city",
    )
    with pytest.raises(ValidationError):
        workflow.change_request_status(
            actor=city.worker, request=city.request, to_status="in_progress"
        )


def test_duplicate_of_itself_is_refused(city):
    with pytest.raises(ValidationError) as exc:
        workflow.change_request_status(
            actor=city.worker,
            request=city.request,
            to_status="closed",
            closure_reason="duplicate",
            duplicate_of=city.request,
        )
    assert "itself" in exc.value.message_dict["duplicate_of"][0]


def test_duplicate_of_a_closed_request_or_of_a_duplicate_is_refused(city):
    original = ServiceRequestFactory(service=city.request.service)
    middle = ServiceRequestFactory(service=city.request.service)
    workflow.change_request_status(
        actor=city.worker,
        request=middle,
        to_status="closed",
        closure_reason="duplicate",
        duplicate_of=original,
    )
    for target in (middle, ServiceRequestFactory(status="closed")):
        with pytest.raises(ValidationError):
            workflow.change_request_status(
                actor=city.worker,
                request=city.request,
                to_status="closed",
                closure_reason="duplicate",
                duplicate_of=target,
            )
    assert ServiceRequest.objects.get(pk=city.request.pk).status == "open"


def test_a_duplicate_hands_its_supporters_and_followers_to_the_original(city):
    original = ServiceRequestFactory(service=city.request.service)
    both = UserFactory()
    only_dup = UserFactory()
    follower = UserFactory()
    for user, request in [
        (both, original),
        (both, city.request),
        (only_dup, city.request),
    ]:
        Support.objects.create(user=user, request=request)
    original.support_count = 1
    original.save()
    Follow.objects.create(user=follower, request=city.request)
    workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="closed",
        closure_reason="duplicate",
        duplicate_of=original,
    )
    original.refresh_from_db()
    city.request.refresh_from_db()
    assert city.request.duplicate_of == original
    assert set(
        Support.objects.filter(request=original).values_list("user", flat=True)
    ) == {both.pk, only_dup.pk, city.request.reporter_id}
    assert original.support_count == 3
    assert city.request.support_count == 0
    assert Follow.objects.filter(user=follower, request=original).exists()
    assert "Closed as a duplicate of " + original.public_id in (
        city.request.status_notes
    )


def test_nothing_is_broadcast_when_the_transaction_rolls_back(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.change_request_status(
            actor=city.worker, request=city.request, to_status="acknowledged"
        )
    # The email task waits for commit: nothing left before it.
    assert mail.outbox == []
    assert callbacks


def test_a_status_change_keeps_support_counted_meanwhile(city):
    stale = ServiceRequest.objects.get(pk=city.request.pk)
    ServiceRequest.objects.filter(pk=stale.pk).update(support_count=4)
    workflow.change_request_status(
        actor=city.worker, request=stale, to_status="acknowledged"
    )
    assert ServiceRequest.objects.get(pk=stale.pk).support_count == 4


def test_a_change_made_by_someone_else_meanwhile_is_not_overwritten(city):
    stale = ServiceRequest.objects.get(pk=city.request.pk)
    workflow.change_request_status(
        actor=city.lead, request=city.request, to_status="in_progress"
    )
    with pytest.raises(ValidationError) as exc:
        workflow.change_request_status(
            actor=city.worker, request=stale, to_status="acknowledged"
        )
    assert "Someone else changed this request" in str(exc.value)
    assert ServiceRequest.objects.get(pk=stale.pk).detailed_status == "in_progress"


def test_bulk_acknowledge_skips_requests_already_past_new(city):
    from tests.engagement.factories import ServiceRequestFactory as Factory

    started = Factory(service=city.request.service, detailed_status="in_progress")
    assert (
        workflow.bulk_acknowledge(actor=city.worker, requests=[city.request, started])
        == 1
    )
    assert ServiceRequest.objects.get(pk=started.pk).detailed_status == "in_progress"

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.ratelimits import RateLimited
from activity.models import Activity
from engagement import geo
from engagement.models import Follow, RequestUpdate, ServiceRequest, Support
from engagement.services import requests as svc
from tests.engagement.factories import (
    BACK_BAY,
    ServiceAttributeFactory,
    ServiceFactory,
    ServiceRequestFactory,
)
from tests.engagement.images import gif, jpeg_with_gps, not_an_image
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CAMBRIDGE = (42.3736, -71.1097)


def file(**overrides):
    params = {
        "reporter": overrides.pop("reporter", None) or UserFactory(),
        "service": overrides.pop("service", None) or ServiceFactory(),
        "lat": BACK_BAY[0],
        "long": BACK_BAY[1],
        "description": "Deep pothole in the right lane",
        "address": "100 Boylston St",
    }
    params.update(overrides)
    return svc.create_service_request(**params)


def test_filing_saves_the_request_with_its_place_history_and_follow(
    boston, django_capture_on_commit_callbacks
):
    reporter = UserFactory()
    service = ServiceFactory(expected_days=2)
    with django_capture_on_commit_callbacks(execute=True):
        request = file(reporter=reporter, service=service)
    assert request.public_id.startswith("CP-")
    assert request.neighborhood.name == "Back Bay"
    assert (request.public_lat, request.public_long) == BACK_BAY
    assert (request.expected_datetime - request.requested_datetime).days == 2
    assert request.status == "open" and request.detailed_status == "new"
    assert RequestUpdate.objects.filter(request=request).count() == 1
    assert Follow.objects.filter(user=reporter, request=request).exists()
    activity = Activity.objects.get(kind="request.filed")
    assert activity.target_url == request.get_absolute_url()
    assert len(mail.outbox) == 1
    assert request.public_id in mail.outbox[0].subject
    assert mail.outbox[0].to == [reporter.email]


def test_receipt_is_queued_once_after_commit_and_never_sent_before(
    boston, django_capture_on_commit_callbacks, monkeypatch
):
    from engagement.tasks import send_report_receipt

    queued = []
    # The broker is the outside world: record what would reach a worker.
    monkeypatch.setattr(send_report_receipt, "delay", lambda *a: queued.append(a))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = file()
    assert queued == [] and mail.outbox == []
    for callback in callbacks:
        callback()
    assert queued == [(request.pk,)]
    assert mail.outbox == []  # a worker sends it, not the filing request


def test_a_reporter_known_to_be_verified_is_not_asked_again(boston):
    reporter, service = UserFactory(), ServiceFactory()
    with CaptureQueriesContext(connection) as captured:
        request = file(
            reporter=reporter, service=service, reporter_has_verified_email=True
        )
    asked = [q for q in captured.captured_queries if "emailaddress" in q["sql"]]
    assert asked == []
    assert ServiceRequest.objects.filter(pk=request.pk).exists()


def test_an_unverified_answer_from_the_caller_is_refused(boston):
    with pytest.raises(PermissionDenied):
        file(reporter=UserFactory(), reporter_has_verified_email=False)
    assert not ServiceRequest.objects.exists()


def test_anonymous_report_publishes_no_actor(
    boston, django_capture_on_commit_callbacks
):
    reporter = UserFactory(display_name="Visible Vera")
    with django_capture_on_commit_callbacks(execute=True):
        request = file(reporter=reporter, anonymous=True)
    assert request.public_reporter_name is None
    activity = Activity.objects.get(kind="request.filed")
    assert activity.actor_id is None
    assert "Visible Vera" not in str(activity.data) + activity.summary


def test_point_outside_the_city_is_refused_and_nothing_saved(boston):
    with pytest.raises(ValidationError) as exc:
        file(lat=CAMBRIDGE[0], long=CAMBRIDGE[1])
    assert "outside the city" in exc.value.message_dict["location"][0]
    assert not ServiceRequest.objects.exists()


def test_overlong_description_is_refused(boston):
    with pytest.raises(ValidationError) as exc:
        file(description="x" * 4001)
    assert "4000" in exc.value.message_dict["description"][0]
    assert not ServiceRequest.objects.exists()


def test_missing_required_attribute_is_named(boston):
    service = ServiceFactory()
    ServiceAttributeFactory(
        service=service,
        code="size",
        datatype="singlevaluelist",
        required=True,
        description="How big is it?",
        values=[{"key": "small", "name": "Small"}],
    )
    with pytest.raises(ValidationError) as exc:
        file(service=service, attributes={})
    assert exc.value.message_dict["attribute_size"] == ["Please answer: How big is it?"]
    request = file(service=service, attributes={"size": "small", "bogus": "x"})
    assert request.attributes == {"size": "small"}


def test_inactive_service_is_refused(boston):
    with pytest.raises(ValidationError) as exc:
        file(service=ServiceFactory(active=False))
    assert "service" in exc.value.message_dict


def test_unverified_reporter_cannot_file(boston):
    with pytest.raises(PermissionDenied):
        file(reporter=UserFactory(verified=False))


def test_reports_are_rate_limited_per_account(boston, settings):
    settings.REPORTS_PER_HOUR = 2
    reporter = UserFactory()
    file(reporter=reporter)
    file(reporter=reporter)
    with pytest.raises(RateLimited):
        file(reporter=reporter)
    assert ServiceRequest.objects.count() == 2
    file(reporter=UserFactory())  # someone else is not limited


def test_photos_are_stored_clean_with_server_names(boston):
    request = file(photos=[jpeg_with_gps("my house at 12 Elm.jpg")])
    photo = request.photos.get()
    assert "Elm" not in photo.image.name
    assert photo.image.name.startswith("requests/")
    from PIL import Image

    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert 0x8825 not in stored.getexif()
        assert 0x010F not in stored.getexif()


@pytest.mark.parametrize("upload", [not_an_image, gif])
def test_a_non_photo_is_refused_and_nothing_saved(boston, upload):
    with pytest.raises(ValidationError) as exc:
        file(photos=[upload()])
    assert "photos" in exc.value.message_dict
    assert not ServiceRequest.objects.exists()


def test_more_than_three_photos_are_refused(boston):
    with pytest.raises(ValidationError) as exc:
        file(photos=[jpeg_with_gps(f"{i}.jpg") for i in range(4)])
    assert "at most 3" in exc.value.message_dict["photos"][0]


def test_sensitive_service_stores_a_coarse_public_point(boston):
    request = file(service=ServiceFactory(sensitive=True))
    assert (request.public_lat, request.public_long) != (request.lat, request.long)
    assert (
        geo.distance_m(
            request.lat, request.long, request.public_lat, request.public_long
        )
        < 400
    )
    from neighborhoods.selectors import neighborhood_containing

    assert (
        neighborhood_containing(lat=request.public_lat, lon=request.public_long)
        == request.neighborhood
    )


def test_nothing_is_broadcast_when_the_caller_rolls_back(
    boston, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        file()
        raise RuntimeError("caller failed")
    assert callbacks == []
    assert not ServiceRequest.objects.exists()


def test_support_counts_once_and_follows(boston):
    request = ServiceRequestFactory()
    neighbor = UserFactory()
    support, created = svc.add_support(user=neighbor, request=request)
    assert created
    again, created_again = svc.add_support(user=neighbor, request=request)
    assert not created_again and again.pk == support.pk
    request.refresh_from_db()
    assert request.support_count == 1
    assert Follow.objects.filter(user=neighbor, request=request).exists()


def test_support_milestone_is_published(boston, django_capture_on_commit_callbacks):
    request = ServiceRequestFactory(support_count=4)
    with django_capture_on_commit_callbacks(execute=True):
        svc.add_support(user=UserFactory(), request=request)
    assert Activity.objects.filter(kind="request.support_milestone").count() == 1


def test_cannot_support_own_or_closed_request(boston):
    request = ServiceRequestFactory()
    with pytest.raises(ValidationError, match="your report already counts"):
        svc.add_support(user=request.reporter, request=request)
    closed = ServiceRequestFactory(status="closed")
    with pytest.raises(ValidationError, match="closed"):
        svc.add_support(user=UserFactory(), request=closed)
    assert not Support.objects.exists()


def test_follow_and_unfollow():
    request = ServiceRequestFactory()
    user = UserFactory()
    svc.follow_request(user=user, request=request)
    svc.follow_request(user=user, request=request)
    assert Follow.objects.filter(user=user).count() == 1
    svc.unfollow_request(user=user, request=request)
    assert not Follow.objects.filter(user=user).exists()


def test_only_the_reporter_may_edit_and_only_while_new():
    request = ServiceRequestFactory()
    with pytest.raises(PermissionDenied):
        svc.update_report_by_reporter(
            user=UserFactory(), request=request, description="hijacked", anonymous=True
        )
    svc.update_report_by_reporter(
        user=request.reporter, request=request, description="Clearer", anonymous=True
    )
    request.refresh_from_db()
    assert (request.description, request.anonymous) == ("Clearer", True)
    request.detailed_status = "acknowledged"
    request.save()
    with pytest.raises(PermissionDenied, match="being worked on"):
        svc.update_report_by_reporter(
            user=request.reporter, request=request, description="late", anonymous=False
        )


def test_control_characters_are_stripped_from_text(boston):
    request = file(
        description="Hole\x00 here\x07\nsecond line", address="1 Main\x00 St"
    )
    assert request.description == "Hole here\nsecond line"
    assert request.address == "1 Main St"

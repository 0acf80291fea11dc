import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.models import ServiceRequest
from tests.engagement.factories import (
    BACK_BAY,
    ServiceAttributeFactory,
    ServiceFactory,
    ServiceRequestFactory,
)
from tests.engagement.images import jpeg_with_gps, not_an_image
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT = "/report/"


@pytest.fixture
def resident(client):
    user = UserFactory(display_name="Dana D.")
    client.force_login(user)
    return user


@pytest.fixture
def pothole(db):
    service = ServiceFactory(
        service_code="REQPOTHL",
        name="Request for Pothole Repair",
        keywords="pothole, hole, road",
        group="Streets-Sidewalks",
    )
    ServiceAttributeFactory(
        service=service,
        code="size",
        datatype="singlevaluelist",
        required=True,
        description="How big is the pothole?",
        values=[{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    )
    return service


def post_report(client, service, **data):
    payload = {
        "service": service.service_code,
        "lat": BACK_BAY[0],
        "long": BACK_BAY[1],
        "address": "100 Boylston St",
        "description": "Deep hole",
        "attribute_size": "large",
    }
    payload.update(data)
    return client.post(REPORT, payload)


def test_reporting_needs_sign_in_but_not_for_browsing(client):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_category_chooser_lists_active_services_by_group(client, resident, pothole):
    ServiceFactory(name="Retired category", active=False)
    html = client.get(REPORT).content.decode()
    assert "Request for Pothole Repair" in html
    assert "Streets-Sidewalks" in html
    assert "Retired category" not in html
    assert 'data-search="request for pothole repair pothole, hole, road' in html


def test_unknown_category_is_a_clear_400(client, resident):
    response = client.get(REPORT, {"service": "NOPE"})
    assert response.status_code == 400
    assert b"We do not know that category" in response.content


def test_form_asks_the_services_questions(client, resident, pothole):
    html = client.get(REPORT, {"service": "REQPOTHL"}).content.decode()
    assert "How big is the pothole?" in html
    assert 'name="attribute_size"' in html
    assert "Hide my name publicly" in html


def test_report_is_filed_and_redirects_to_its_page(client, resident, pothole, boston):
    response = post_report(client, pothole, photos=[jpeg_with_gps()])
    created = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.reporter == resident
    assert created.attributes == {"size": "large"}
    assert created.photos.count() == 1
    page = client.get(created.get_absolute_url()).content.decode()
    assert "Thank you. Your report" in page
    assert "Large" in page  # the answer, by its name


def test_filing_asks_about_the_email_once_and_queues_the_receipt_after_commit(
    client, resident, pothole, boston, django_capture_on_commit_callbacks, monkeypatch
):
    from engagement.tasks import send_report_receipt

    queued = []
    # The broker is the outside world: record what would reach a worker.
    monkeypatch.setattr(send_report_receipt, "delay", lambda *a: queued.append(a))
    with (
        CaptureQueriesContext(connection) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_report(client, pothole)
    assert response.status_code == 302
    created = ServiceRequest.objects.get()
    asked = [
        q
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and "account_emailaddress" in q["sql"]
    ]
    assert len(asked) == 1
    assert queued == [(created.pk,)]
    assert mail.outbox == []


def test_missing_place_keeps_everything_typed(client, resident, pothole, boston):
    response = post_report(
        client, pothole, lat="", long="", address="", description="Keep me"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please tell us where" in html
    assert "Keep me" in html
    assert 'value="large" selected' in html
    assert not ServiceRequest.objects.exists()


def test_address_only_is_geocoded_from_known_addresses(
    client, resident, pothole, boston
):
    ServiceRequestFactory(address="24 Beacon St", lat=42.3580, long=-71.0636)
    response = post_report(client, pothole, lat="", long="", address="24 beacon")
    assert response.status_code == 302
    created = ServiceRequest.objects.latest("pk")
    assert (created.lat, created.long) == (42.3580, -71.0636)


def test_unknown_address_says_so(client, resident, pothole, boston):
    response = post_report(client, pothole, lat="", long="", address="1 Nowhere Lane")
    assert response.status_code == 400
    assert b"We could not find that address" in response.content


def test_point_outside_city_is_explained(client, resident, pothole, boston):
    response = post_report(client, pothole, lat="42.3736", long="-71.1097")
    assert response.status_code == 400
    assert b"outside the city" in response.content


def test_missing_required_answer_is_shown_by_the_question(
    client, resident, pothole, boston
):
    response = post_report(client, pothole, attribute_size="")
    assert response.status_code == 400
    assert b"Please answer: How big is the pothole?" in response.content


def test_bad_photo_is_refused_with_reason(client, resident, pothole, boston):
    response = post_report(client, pothole, photos=[not_an_image()])
    assert response.status_code == 400
    assert b"is not a photo we can read" in response.content
    assert not ServiceRequest.objects.exists()


def test_overlong_description_is_refused(client, resident, pothole, boston):
    response = post_report(client, pothole, description="x" * 4001)
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_rate_limit_answers_429_with_a_message(
    client, resident, pothole, boston, settings
):
    settings.REPORTS_PER_HOUR = 1
    assert post_report(client, pothole).status_code == 302
    response = post_report(client, pothole)
    assert response.status_code == 429
    assert b"limit of 1 per hour" in response.content


def test_html_in_text_is_shown_escaped(client, resident, pothole, boston):
    post_report(client, pothole, description="<script>alert(1)</script>")
    created = ServiceRequest.objects.get()
    html = client.get(created.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_js_path_shows_nearby_duplicates(client, resident, pothole, boston):
    existing = ServiceRequestFactory(
        service=pothole, lat=BACK_BAY[0] + 0.0001, long=BACK_BAY[1]
    )
    html = client.get(
        REPORT, {"service": "REQPOTHL", "lat": BACK_BAY[0], "long": BACK_BAY[1]}
    ).content.decode()
    assert "Is it one of these?" in html
    assert existing.public_id in html
    assert reverse("engagement:support", args=[existing.public_id]) in html


def test_unverified_account_is_asked_to_confirm(client, pothole):
    client.force_login(UserFactory(verified=False))
    response = client.get(REPORT)
    assert response.status_code == 403
    assert b"confirm your email" in response.content

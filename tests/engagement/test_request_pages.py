import pytest
from django.urls import reverse

from engagement.models import Follow, Support
from tests.engagement.factories import ServiceFactory, ServiceRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_request_page_shows_status_timeline_and_public_name_only(client):
    reporter = UserFactory(display_name="Pat P.", email="pat.private@example.org")
    request = ServiceRequestFactory(reporter=reporter, description="Broken lamp")
    request.updates.create(
        created=request.requested_datetime,
        status="open",
        detailed_status="new",
        public_note="Reported.",
    )
    html = client.get(request.get_absolute_url()).content.decode()
    assert request.public_id in html
    assert "Broken lamp" in html
    assert "by Pat P." in html
    assert "pat.private@example.org" not in html
    assert "Reported." in html


def test_anonymous_reporter_is_never_named(client):
    reporter = UserFactory(display_name="Hidden Hal")
    request = ServiceRequestFactory(reporter=reporter, anonymous=True)
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Hidden Hal" not in html
    assert reporter.email not in html


def test_sensitive_request_page_shows_only_the_area(client):
    request = ServiceRequestFactory(
        service=ServiceFactory(sensitive=True),
        lat=42.35031,
        long=-71.08101,
        public_lat=42.35,
        public_long=-71.08,
    )
    html = client.get(request.get_absolute_url()).content.decode()
    assert "42.35031" not in html and "-71.08101" not in html
    assert "only the area" in html


def test_unknown_request_is_404(client):
    assert client.get("/requests/CP-NOTHERE/").status_code == 404


def test_support_and_follow_buttons_work(client):
    request = ServiceRequestFactory()
    neighbor = UserFactory()
    client.force_login(neighbor)
    response = client.post(
        reverse("engagement:support", args=[request.public_id]), follow=True
    )
    assert b"your support is counted" in response.content
    assert Support.objects.filter(user=neighbor, request=request).exists()
    client.post(reverse("engagement:unfollow", args=[request.public_id]))
    assert not Follow.objects.filter(user=neighbor, request=request).exists()
    client.post(reverse("engagement:follow", args=[request.public_id]))
    assert Follow.objects.filter(user=neighbor, request=request).exists()


def test_support_needs_post_and_sign_in(client):
    request = ServiceRequestFactory()
    url = reverse("engagement:support", args=[request.public_id])
    assert client.post(url).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405


def test_resident_cannot_edit_another_residents_report(client):
    request = ServiceRequestFactory(description="Original")
    client.force_login(UserFactory())
    url = reverse("engagement:edit", args=[request.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"description": "Hijacked"}).status_code == 403
    request.refresh_from_db()
    assert request.description == "Original"


def test_reporter_can_edit_own_new_report(client):
    request = ServiceRequestFactory(description="Original")
    client.force_login(request.reporter)
    url = reverse("engagement:edit", args=[request.public_id])
    response = client.post(url, {"description": "Clearer", "anonymous": "on"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.description, request.anonymous) == ("Clearer", True)


def test_nearby_api_lists_open_duplicates_with_public_fields(client):
    service = ServiceFactory(duplicate_radius_m=50)
    near = ServiceRequestFactory(service=service)
    ServiceRequestFactory(
        service=service, lat=42.36, long=-71.06, public_lat=42.36, public_long=-71.06
    )  # far
    ServiceRequestFactory(service=service, status="closed")
    response = client.get(
        "/api/requests/nearby",
        {"service": service.service_code, "lat": near.lat, "lon": near.long},
    )
    results = response.json()["results"]
    assert [r["public_id"] for r in results] == [near.public_id]
    assert "reporter" not in results[0] and near.reporter.email not in response.text


@pytest.mark.parametrize(
    "params", [{"service": "NOPE", "lat": 1, "lon": 1}, {"lat": "x", "lon": 1}]
)
def test_nearby_api_bad_input_is_400(client, params):
    service = ServiceFactory()
    params.setdefault("service", service.service_code)
    response = client.get("/api/requests/nearby", params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_geocode_api(client):
    ServiceRequestFactory(address="24 Beacon St")
    assert client.get("/api/geocode", {"q": "ab"}).status_code == 400
    results = client.get("/api/geocode", {"q": "beacon"}).json()["results"]
    assert results[0]["address"] == "24 Beacon St"

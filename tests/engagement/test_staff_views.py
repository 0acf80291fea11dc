"""The staff queue and a request's staff view, as staff use them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import RequestPhoto, ServiceRequest
from tests.engagement.factories import ServiceRequestFactory
from tests.engagement.images import jpeg_with_gps
from tests.engagement.staff_helpers import make_city
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city()


def login(client, user):
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)


def queue_ids(response):
    return [sr.public_id for sr in response.context["page_obj"]]


def test_the_queue_shows_open_requests_of_my_departments_only(client, city):
    closed = ServiceRequestFactory(service=city.request.service, status="closed")
    login(client, city.worker)
    response = client.get(reverse("engagement:staff_queue"))
    ids = queue_ids(response)
    assert ids == [city.request.public_id]
    assert closed.public_id not in ids
    assert city.parks_request.public_id not in ids


def test_queue_sorts_and_filters(client, city):
    service = city.request.service
    now = timezone.now()
    old = ServiceRequestFactory(
        service=service, requested_datetime=now - timedelta(days=9)
    )
    popular = ServiceRequestFactory(service=service, support_count=7)
    urgent = ServiceRequestFactory(service=service, priority=3)
    late = ServiceRequestFactory(
        service=service, expected_datetime=now - timedelta(days=2)
    )
    reopened = ServiceRequestFactory(
        service=service, reopened=True, detailed_status="acknowledged"
    )
    login(client, city.lead)
    url = reverse("engagement:staff_queue")
    assert queue_ids(client.get(url))[0] == old.public_id
    assert queue_ids(client.get(url, {"sort": "support"}))[0] == popular.public_id
    assert queue_ids(client.get(url, {"sort": "priority"}))[0] == urgent.public_id
    assert queue_ids(client.get(url, {"sort": "overdue"}))[0] == late.public_id
    assert queue_ids(client.get(url, {"overdue": "1"})) == [late.public_id]
    response = client.get(url, {"reopened": "1"})
    assert queue_ids(response) == [reopened.public_id]
    assert "Reopened" in response.content.decode()
    assert queue_ids(client.get(url, {"status": "acknowledged"})) == [
        reopened.public_id
    ]
    assert queue_ids(client.get(url, {"service": "TREE"})) == []
    assert queue_ids(client.get(url, {"sort": "bogus"}))[0] == old.public_id


def test_queue_is_paginated(client, city):
    ServiceRequestFactory.create_batch(26, service=city.request.service)
    login(client, city.worker)
    url = reverse("engagement:staff_queue")
    first = client.get(url)
    assert len(queue_ids(first)) == 25
    assert len(queue_ids(client.get(url, {"page": 2}))) == 2
    assert "Page 1 of 2" in first.content.decode()


def test_bulk_acknowledge_and_claim(client, city):
    second = ServiceRequestFactory(service=city.request.service)
    login(client, city.worker)
    ids = [city.request.public_id, second.public_id]
    response = client.post(
        reverse("engagement:staff_bulk"), {"action": "acknowledge", "requests": ids}
    )
    assert response.status_code == 302
    assert set(
        ServiceRequest.objects.filter(public_id__in=ids).values_list(
            "detailed_status", flat=True
        )
    ) == {"acknowledged"}
    client.post(reverse("engagement:staff_bulk"), {"action": "claim", "requests": ids})
    assert set(
        ServiceRequest.objects.filter(public_id__in=ids).values_list(
            "assigned_to", flat=True
        )
    ) == {city.worker.pk}


def test_lead_bulk_assigns_but_not_to_someone_outside_the_department(client, city):
    login(client, city.lead)
    url = reverse("engagement:staff_bulk")
    ids = [city.request.public_id]
    client.post(
        url, {"action": "assign", "assignee": city.parks_lead.pk, "requests": ids}
    )
    assert ServiceRequest.objects.get(pk=city.request.pk).assigned_to is None
    response = client.post(
        url,
        {"action": "assign", "assignee": city.worker.pk, "requests": ids},
        follow=True,
    )
    assert ServiceRequest.objects.get(pk=city.request.pk).assigned_to == city.worker
    assert "1 request(s) assigned" in response.content.decode()


def test_assign_outside_the_department_shows_an_error(client, city):
    login(client, city.lead)
    response = client.post(
        reverse("engagement:staff_assign", args=[city.request.public_id]),
        {"assignee": UserFactory().pk},
        follow=True,
    )
    assert "does not work in this request" in response.content.decode()
    assert ServiceRequest.objects.get(pk=city.request.pk).assigned_to is None


def test_closing_without_a_reason_shows_the_error_and_changes_nothing(client, city):
    login(client, city.worker)
    response = client.post(
        reverse("engagement:staff_change_status", args=[city.request.public_id]),
        {"to_status": "closed"},
    )
    assert response.status_code == 400
    assert "Please say why the request is closed." in response.content.decode()
    assert ServiceRequest.objects.get(pk=city.request.pk).status == "open"


def test_duplicate_of_an_unknown_number_shows_the_error(client, city):
    login(client, city.worker)
    response = client.post(
        reverse("engagement:staff_change_status", args=[city.request.public_id]),
        {"to_status": "closed", "closure_reason": "duplicate", "duplicate_of": "X"},
    )
    assert response.status_code == 400
    assert "There is no request with that number." in response.content.decode()


def test_close_as_fixed_with_an_after_photo(client, city):
    login(client, city.worker)
    response = client.post(
        reverse("engagement:staff_change_status", args=[city.request.public_id]),
        {
            "to_status": "closed",
            "closure_reason": "fixed",
            "note": "Patched today.",
            "photo": jpeg_with_gps(),
        },
        follow=True,
    )
    assert response.status_code == 200
    fresh = ServiceRequest.objects.get(pk=city.request.pk)
    assert (fresh.status, fresh.fix_status) == ("closed", "pending")
    assert RequestPhoto.objects.filter(request=fresh, kind="after").count() == 1
    public = client.get(fresh.get_absolute_url()).content.decode()
    assert "Patched today." in public
    assert "Awaiting confirmation" in public


def test_public_page_links_staff_to_the_staff_view(client, city):
    login(client, city.worker)
    page = client.get(city.request.get_absolute_url()).content.decode()
    assert reverse("engagement:staff_request", args=[city.request.public_id]) in page
    client.logout()
    login(client, city.resident)
    page = client.get(city.request.get_absolute_url()).content.decode()
    assert "Open the staff view" not in page


def test_the_staff_queue_is_in_the_navigation_for_staff_only(client, city):
    queue_url = reverse("engagement:staff_queue")
    login(client, city.resident)
    assert f'href="{queue_url}"' not in client.get("/map/").content.decode()
    client.logout()
    login(client, city.worker)
    assert f'href="{queue_url}"' in client.get("/map/").content.decode()


def test_the_demo_staff_account_leads_public_works():
    from engagement.demo_staff import DEMO_STAFF_EMAIL, create_demo_staff_membership
    from engagement.models import StaffMembership

    assert create_demo_staff_membership() is None  # no demo accounts yet
    UserFactory(email=DEMO_STAFF_EMAIL)
    membership = create_demo_staff_membership()
    assert create_demo_staff_membership() == membership
    assert membership.role == "lead"
    assert membership.department.name == "Public Works"
    assert StaffMembership.objects.filter(user=membership.user).count() == 1


def test_a_lead_edits_a_response_template_used_by_the_next_change(client, city):
    from engagement.models import ResponseTemplate

    login(client, city.lead)
    url = reverse("engagement:staff_templates")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "service": city.request.service.pk,
            "detailed_status": "in_progress",
            "text": "Our pothole crew is on the way.",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("engagement:staff_change_status", args=[city.request.public_id]),
        {"to_status": "in_progress"},
    )
    fresh = ServiceRequest.objects.get(pk=city.request.pk)
    assert fresh.status_notes == "Our pothole crew is on the way."
    assert ResponseTemplate.objects.count() == 1


@pytest.mark.parametrize("role", ["worker", "parks_lead"])
def test_templates_of_a_department_are_edited_by_its_lead_only(client, city, role):
    from engagement.models import ResponseTemplate

    login(client, getattr(city, role))
    response = client.post(
        reverse("engagement:staff_templates"),
        {
            "service": city.request.service.pk,  # forged: not theirs to edit
            "detailed_status": "closed",
            "text": "Done.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    if role == "parks_lead":
        assert "Select a valid choice" in page
    else:
        assert "Only department leads edit templates." in page
    assert not ResponseTemplate.objects.exists()

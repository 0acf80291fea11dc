"""Who may do what to a request: roles by actions, through services and pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from engagement.models import ServiceRequest, Support
from engagement.services import workflow
from tests.engagement.images import jpeg_with_gps
from tests.engagement.staff_helpers import make_city
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["resident", "reporter", "worker", "lead", "other_department_lead"]


@pytest.fixture
def city():
    return make_city()


def person(city, role):
    return {
        "resident": city.resident,
        "reporter": city.request.reporter,
        "worker": city.worker,
        "lead": city.lead,
        "other_department_lead": city.parks_lead,
    }[role]


def acknowledge(city, user):
    workflow.change_request_status(
        actor=user, request=city.request, to_status="acknowledged"
    )


def claim(city, user):
    workflow.assign_request(actor=user, request=city.request, assignee=user)


def assign_other(city, user):
    workflow.assign_request(
        actor=user, request=city.request, assignee=city.other_worker
    )


def close_fixed(city, user):
    workflow.change_request_status(
        actor=user,
        request=city.request,
        to_status="closed",
        closure_reason="fixed",
        photo=jpeg_with_gps(),
    )


ALLOWED = {
    acknowledge: {"worker", "lead"},
    claim: {"worker", "lead"},
    assign_other: {"lead"},
    close_fixed: {"worker", "lead"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED), ids=lambda a: a.__name__)
def test_service_matrix(city, role, action):
    user = person(city, role)
    before = ServiceRequest.objects.values().get(pk=city.request.pk)
    if role in ALLOWED[action]:
        action(city, user)
        assert ServiceRequest.objects.values().get(pk=city.request.pk) != before
    else:
        with pytest.raises(PermissionDenied):
            action(city, user)
        assert ServiceRequest.objects.values().get(pk=city.request.pk) == before


def _fixed_request(city):
    close_fixed(city, city.worker)
    city.request.refresh_from_db()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("reporter", True),
        ("supporter", True),
        ("resident", False),
        ("worker", False),
    ],
)
@pytest.mark.parametrize("answer", ["confirm", "dispute"])
def test_only_the_reporter_and_supporters_answer_is_it_fixed(
    city, role, allowed, answer
):
    supporter = UserFactory()
    Support.objects.create(user=supporter, request=city.request)
    _fixed_request(city)
    user = supporter if role == "supporter" else person(city, role)

    def act():
        if answer == "confirm":
            workflow.confirm_fix(user=user, request=city.request)
        else:
            workflow.dispute_fix(user=user, request=city.request, note="Still there")

    if allowed:
        act()
    else:
        with pytest.raises(PermissionDenied):
            act()
        assert ServiceRequest.objects.get(pk=city.request.pk).fix_status == "pending"


# Pages: (role, url name, method, expected status code)
PAGE_CASES = [
    ("anonymous", "staff_queue", "get", 302),
    ("resident", "staff_queue", "get", 403),
    ("worker", "staff_queue", "get", 200),
    ("other_department_lead", "staff_queue", "get", 200),
    ("anonymous", "staff_request", "get", 302),
    ("resident", "staff_request", "get", 403),
    ("reporter", "staff_request", "get", 403),
    ("worker", "staff_request", "get", 200),
    ("lead", "staff_request", "get", 200),
    ("other_department_lead", "staff_request", "get", 403),
    ("resident", "staff_change_status", "post", 403),
    ("reporter", "staff_change_status", "post", 403),
    ("other_department_lead", "staff_change_status", "post", 403),
    ("worker", "staff_change_status", "post", 302),
    ("lead", "staff_change_status", "post", 302),
    ("resident", "staff_assign", "post", 403),
    ("other_department_lead", "staff_assign", "post", 403),
    ("worker", "staff_assign", "post", 302),
]


@pytest.mark.parametrize(("role", "name", "method", "expected"), PAGE_CASES)
def test_page_matrix(client, city, role, name, method, expected):
    if role != "anonymous":
        client.login(email=person(city, role).email, password=DEFAULT_PASSWORD)
    args = [] if name == "staff_queue" else [city.request.public_id]
    url = reverse(f"engagement:{name}", args=args)
    data = {"to_status": "acknowledged", "assignee": "me"}
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == expected
    fresh = ServiceRequest.objects.get(pk=city.request.pk)
    changed = fresh.detailed_status != "new" or fresh.assigned_to_id is not None
    assert changed == (method == "post" and expected == 302)


def test_a_forged_request_id_from_another_department_in_bulk_changes_nothing(
    client, city
):
    client.login(email=city.worker.email, password=DEFAULT_PASSWORD)
    response = client.post(
        reverse("engagement:staff_bulk"),
        {
            "action": "acknowledge",
            "requests": [city.request.public_id, city.parks_request.public_id],
        },
    )
    assert response.status_code == 403
    assert ServiceRequest.objects.get(pk=city.request.pk).detailed_status == "new"
    assert ServiceRequest.objects.get(pk=city.parks_request.pk).detailed_status == "new"


def test_a_worker_cannot_take_a_request_from_a_colleague(city):
    workflow.assign_request(
        actor=city.lead, request=city.request, assignee=city.other_worker
    )
    with pytest.raises(PermissionDenied):
        workflow.assign_request(
            actor=city.worker, request=city.request, assignee=city.worker
        )
    assert ServiceRequest.objects.get(pk=city.request.pk).assigned_to == (
        city.other_worker
    )

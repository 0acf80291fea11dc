"""FixMyStreet's servicerequestupdates, and issuing and revoking API keys."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from engagement.models import ApiKey, RequestPhoto, RequestUpdate
from engagement.models.api import hash_api_key
from engagement.open311.services import authenticate_api_key
from tests.engagement.factories import ServiceRequestFactory
from tests.engagement.images import png
from tests.factories import UserFactory

from .conftest import V2, parse_xml

pytestmark = pytest.mark.django_db


def _update(request, *, ago, note="", status="open", photo=None):
    return RequestUpdate.objects.create(
        request=request,
        author=request.reporter,
        created=timezone.now() - ago,
        status=status,
        detailed_status="closed" if status == "closed" else "acknowledged",
        public_note=note,
        photo=photo,
    )


def test_updates_json_in_window_oldest_first(client):
    request = ServiceRequestFactory()
    photo = RequestPhoto.objects.create(request=request, image=png(), kind="after")
    _update(request, ago=timedelta(days=200), note="Too old")
    first = _update(request, ago=timedelta(days=2), note="Crew assigned")
    last = _update(
        request, ago=timedelta(hours=1), note="Fixed", status="closed", photo=photo
    )
    response = client.get(f"{V2}/servicerequestupdates.json")
    assert response.status_code == 200
    data = response.json()
    assert [u["update_id"] for u in data] == [str(first.pk), str(last.pk)]
    assert data[1] == {
        "update_id": str(last.pk),
        "service_request_id": request.public_id,
        "status": "closed",
        "updated_datetime": timezone.localtime(last.created).isoformat(
            timespec="seconds"
        ),
        "description": "Fixed",
        "media_url": f"http://testserver{photo.image.url}",
    }
    assert data[0]["media_url"] is None
    assert request.reporter.email not in response.content.decode()


def test_updates_xml_and_dates(client):
    request = ServiceRequestFactory()
    _update(request, ago=timedelta(days=5), note="Seen")
    recent = _update(request, ago=timedelta(hours=2), note="Done")
    start = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get(f"{V2}/servicerequestupdates.xml?start_date={start}")
    root = parse_xml(response.content)
    assert root.tag == "service_requests_updates"
    (item,) = root.findall("request_update")
    assert item.find("update_id").text == str(recent.pk)
    assert item.find("service_request_id").text == request.public_id
    assert [c.tag for c in item] == [
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    ]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_updates_empty_and_bad_dates(client, fmt):
    response = client.get(f"{V2}/servicerequestupdates.{fmt}")
    assert response.status_code == 200
    bad = client.get(f"{V2}/servicerequestupdates.{fmt}?end_date=soon")
    assert bad.status_code == 400


def test_create_api_key_prints_the_key_on_its_last_line():
    out = StringIO()
    call_command("create_api_key", "BOS:311", "--trusted", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert key.name == "BOS:311" and key.trusted
    assert key.key_hash == hash_api_key(raw)
    assert raw not in (key.key_hash, key.prefix)
    assert authenticate_api_key(raw_key=raw) == key
    assert key.prefix == raw[:12]


def test_admin_issues_a_key_once_and_revokes_it(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.post(
        "/django-admin/engagement/apikey/add/",
        {"name": "FixMyStreet", "trusted": ""},
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw = next(word for m in shown for word in m.split() if word.startswith("cp311_"))
    assert hash_api_key(raw) == key.key_hash
    assert key.created_by == staff
    detail = client.get(f"/django-admin/engagement/apikey/{key.pk}/change/")
    assert raw not in detail.content.decode()
    client.post(
        "/django-admin/engagement/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None

"""GET requests and requests/<id>: filters, windows, paging, privacy, extensions."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagement.models import (
    RequestContact,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
)
from tests.engagement.factories import (
    ServiceAttributeFactory,
    ServiceFactory,
    ServiceRequestFactory,
)
from tests.engagement.images import png

from .conftest import V2, assert_matches_official_schema, parse_xml

pytestmark = pytest.mark.django_db


def get_json(client, query=""):
    response = client.get(f"{V2}/requests.json{query}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert_matches_official_schema(data, "requests.json")
    return data


def ids(data):
    return [r["service_request_id"] for r in data]


def test_zero_requests_is_an_empty_list_in_both_formats(client):
    assert get_json(client) == []
    root = parse_xml(client.get(f"{V2}/requests.xml").content)
    assert root.tag == "service_requests"
    assert list(root) == []


def test_one_request_has_the_spec_fields_as_strings_and_numbers(client):
    request = ServiceRequestFactory(
        service=ServiceFactory(service_code="001", name="Pothole"),
        status_notes="Crew assigned",
        agency_responsible="Public Works",
        expected_datetime=timezone.now() + timedelta(days=3),
    )
    (data,) = get_json(client)
    assert data["service_request_id"] == request.public_id
    assert data["service_code"] == "001"
    assert data["service_name"] == "Pothole"
    assert data["status"] == "open"
    assert data["status_notes"] == "Crew assigned"
    assert data["address"] == "100 Boylston St"
    assert data["lat"] == request.public_lat and data["long"] == request.public_long
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert data[field][-6] in "+-" and data[field][-3] == ":"
    root = parse_xml(client.get(f"{V2}/requests.xml").content)
    (item,) = root.findall("request")
    assert item.find("service_request_id").text == request.public_id
    assert item.find("lat").text == str(request.public_lat)
    assert item.find("address").text == "100 Boylston St"


def test_many_requests_newest_first(client):
    now = timezone.now()
    old = ServiceRequestFactory(requested_datetime=now - timedelta(days=2))
    new = ServiceRequestFactory(requested_datetime=now - timedelta(hours=1))
    assert ids(get_json(client)) == [new.public_id, old.public_id]


def test_default_window_is_the_last_90_days(client):
    now = timezone.now()
    recent = ServiceRequestFactory(requested_datetime=now - timedelta(days=89))
    ServiceRequestFactory(requested_datetime=now - timedelta(days=91))
    assert ids(get_json(client)) == [recent.public_id]


def test_service_request_id_list_overrides_every_other_filter(client):
    old = ServiceRequestFactory(
        requested_datetime=timezone.now() - timedelta(days=400),
        status=RequestStatus.CLOSED,
    )
    other = ServiceRequestFactory()
    query = f"?service_request_id={old.public_id},{other.public_id}&status=open"
    assert set(ids(get_json(client, query))) == {old.public_id, other.public_id}


def test_service_code_and_status_comma_lists(client):
    a, b, c = (ServiceFactory(service_code=code) for code in ("A", "B", "C"))
    ra = ServiceRequestFactory(service=a)
    rb = ServiceRequestFactory(service=b, status=RequestStatus.CLOSED)
    ServiceRequestFactory(service=c)
    assert set(ids(get_json(client, "?service_code=A,B"))) == {
        ra.public_id,
        rb.public_id,
    }
    assert ids(get_json(client, "?service_code=A,B&status=closed")) == [rb.public_id]
    assert len(get_json(client, "?status=open,closed")) == 3


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_status_is_a_400(client, fmt):
    response = client.get(f"{V2}/requests.{fmt}?status=pending")
    assert response.status_code == 400
    assert b"status" in response.content


@pytest.mark.parametrize(
    "start",
    [
        "2026-03-01T00:00:00Z",
        "2026-02-28T19:00:00-05:00",
        "2026-03-01T00:00:00.000Z",
        "2026-03-01T05:00:00.123456+05:00",
        "2026-03-01T05:00:00 05:00",  # a "+" that arrived as a space
    ],
)
def test_lenient_date_input(client, start):
    from datetime import UTC, datetime

    base = datetime(2026, 3, 1, tzinfo=UTC)
    inside = ServiceRequestFactory(requested_datetime=base + timedelta(hours=1))
    ServiceRequestFactory(requested_datetime=base - timedelta(hours=1))
    end = (base + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    query = f"?start_date={quote(start, safe=':')}&end_date={end}"
    if " " in start:
        query = f"?start_date={start.replace(' ', '%20')}&end_date={end}"
    assert ids(get_json(client, query)) == [inside.public_id]


def test_start_date_alone_covers_90_days_from_it(client):
    start = timezone.now() - timedelta(days=200)
    inside = ServiceRequestFactory(requested_datetime=start + timedelta(days=10))
    ServiceRequestFactory(requested_datetime=start + timedelta(days=100))
    query = f"?start_date={start.strftime('%Y-%m-%dT%H:%M:%SZ')}"
    assert ids(get_json(client, query)) == [inside.public_id]


@pytest.mark.parametrize(
    "query",
    [
        "?start_date=yesterday",
        "?end_date=2026-13-45T00:00:00Z",
        "?start_date=2026-01-01T00:00:00Z&end_date=2025-01-01T00:00:00Z",
        "?start_date=2025-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
        "?page=zero",
        "?end_date=0001-01-01T00:00:00Z",
        "?start_date=9999-12-31",
        "?page_size=0",
    ],
)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_bad_parameters_are_400s_in_the_requested_format(client, query, fmt):
    response = client.get(f"{V2}/requests.{fmt}{query}")
    assert response.status_code == 400
    if fmt == "json":
        (error,) = response.json()
        assert error["code"] == 400 and error["description"]
    else:
        root = parse_xml(response.content)
        assert root.tag == "errors"
        assert root.find("error/code").text == "400"


def test_at_most_1000_results(client):
    service = ServiceFactory()
    now = timezone.now()
    template = ServiceRequestFactory.build(service=service, reporter=None)
    ServiceRequest.objects.bulk_create(
        [
            ServiceRequest(
                service=service,
                public_id=f"CP-BULK{i:04d}",
                lat=template.lat,
                long=template.long,
                public_lat=template.lat,
                public_long=template.long,
                requested_datetime=now - timedelta(minutes=i),
                updated_datetime=now,
            )
            for i in range(1001)
        ]
    )
    data = client.get(f"{V2}/requests.json").json()
    assert len(data) == 1000
    assert data[0]["service_request_id"] == "CP-BULK0000"
    assert len(client.get(f"{V2}/requests.json?page_size=5000").json()) == 1000
    last = client.get(f"{V2}/requests.json?page=2").json()
    assert ids(last) == ["CP-BULK1000"]


def test_page_and_page_size(client):
    now = timezone.now()
    made = [
        ServiceRequestFactory(requested_datetime=now - timedelta(minutes=i))
        for i in range(5)
    ]
    expected = [r.public_id for r in made]
    assert ids(get_json(client, "?page_size=2")) == expected[:2]
    assert ids(get_json(client, "?page_size=2&page=2")) == expected[2:4]
    assert ids(get_json(client, "?page_size=2&page=3")) == expected[4:]
    assert get_json(client, "?page_size=2&page=4") == []


def test_sensitive_services_show_only_the_public_point_and_no_street(client):
    service = ServiceFactory(sensitive=True)
    request = ServiceRequestFactory(
        service=service, public_lat=42.351, public_long=-71.08
    )
    (data,) = get_json(client)
    assert (data["lat"], data["long"]) == (42.351, -71.08)
    assert (data["lat"], data["long"]) != (request.lat, request.long)
    assert data["address"] != "100 Boylston St"


def test_reporter_and_contact_details_never_appear(client):
    request = ServiceRequestFactory()
    RequestContact.objects.create(
        request=request,
        email="private@example.org",
        first_name="Pat",
        last_name="Secretson",
        phone="617-555-0100",
    )
    reporter = request.reporter
    for fmt in ("xml", "json"):
        for path in ("requests", f"requests/{request.public_id}"):
            body = client.get(f"{V2}/{path}.{fmt}?extensions=true").content.decode()
            for secret in (
                "private@example.org",
                "Secretson",
                "617-555-0100",
                reporter.email,
                reporter.display_name,
            ):
                assert secret not in body


def test_single_request_in_both_formats_and_404(client):
    request = ServiceRequestFactory()
    response = client.get(f"{V2}/requests/{request.public_id}.json")
    data = response.json()
    assert_matches_official_schema(data, "requests.json")
    assert ids(data) == [request.public_id]
    root = parse_xml(client.get(f"{V2}/requests/{request.public_id}.xml").content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == request.public_id
    for fmt in ("xml", "json"):
        missing = client.get(f"{V2}/requests/CP-NOPE.{fmt}")
        assert missing.status_code == 404
        assert b"CP-NOPE" in missing.content


def test_extensions_add_attributes_detailed_status_photos_and_notes(client):
    service = ServiceFactory(service_code="POT")
    ServiceAttributeFactory(
        service=service,
        code="size",
        datatype="multivaluelist",
        description="How big?",
        values=[{"key": "s", "name": "Small"}, {"key": "l", "name": "Large"}],
    )
    request = ServiceRequestFactory(service=service, attributes={"size": ["s", "l"]})
    photo = RequestPhoto.objects.create(request=request, image=png())
    RequestUpdate.objects.create(
        request=request,
        created=timezone.now(),
        status="open",
        detailed_status="acknowledged",
        public_note="A crew is on the way.",
    )
    plain = get_json(client)[0]
    assert "attributes" not in plain and "notes" not in plain
    assert plain["media_url"] == f"http://testserver{photo.image.url}"
    (data,) = get_json(client, "?extensions=true")
    assert data["detailed_status"] == "new"
    assert data["attributes"] == [{"code": "size", "label": "How big?", "value": "s,l"}]
    assert data["media_urls"] == [f"http://testserver{photo.image.url}"]
    assert data["notes"][0]["description"] == "A crew is on the way."
    assert data["notes"][0]["type"] == "acknowledged"
    root = parse_xml(client.get(f"{V2}/requests.xml?extensions=true").content)
    item = root.find("request")
    assert item.find("attributes/attribute/value").text == "s,l"
    assert item.find("notes/note/description").text == "A crew is on the way."
    assert item.find("media_urls/media_url").text.endswith(photo.image.url)


def test_control_characters_do_not_break_the_xml(client):
    # (NUL never reaches the database: filing strips it, and PostgreSQL
    # refuses it outright.)
    request = ServiceRequestFactory(description="bell\x07 and escape\x1b gone")
    root = parse_xml(client.get(f"{V2}/requests/{request.public_id}.xml").content)
    assert root.find("request/description").text == "bell and escape gone"


def test_xml_and_json_carry_the_same_fields(client):
    request = ServiceRequestFactory()
    (as_json,) = get_json(client, "?extensions=true")
    root = parse_xml(client.get(f"{V2}/requests.xml?extensions=true").content)
    item = root.find("request")
    assert [child.tag for child in item] == list(as_json)
    for key, value in as_json.items():
        if isinstance(value, (list, dict)):
            continue
        text = item.find(key).text
        assert text == (None if value is None else str(value)), key
    assert as_json["service_request_id"] == request.public_id


def test_a_page_costs_the_same_queries_whatever_its_length(client):
    """Photos, notes and questions are read for the whole page at once."""
    service = ServiceFactory()
    ServiceAttributeFactory(service=service, code="size")

    def add(count):
        for _ in range(count):
            request = ServiceRequestFactory(service=service, attributes={"size": 1})
            RequestPhoto.objects.create(request=request, image=png())
            RequestUpdate.objects.create(
                request=request,
                created=timezone.now(),
                status="open",
                detailed_status="acknowledged",
                public_note="Seen.",
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            data = get_json(client, "?extensions=true")
        return len(captured.captured_queries), data

    add(1)
    one, _ = queries()
    add(9)
    ten, data = queries()
    assert len(data) == 10
    assert all(r["media_urls"] and r["notes"] and r["attributes"] for r in data)
    assert ten == one

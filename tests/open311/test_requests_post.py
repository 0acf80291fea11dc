"""POST requests: keys, locations, attributes, batch tokens, privacy, errors."""

import pytest
from django.test import override_settings

from engagement.models import RequestContact, ServiceRequest, Source
from engagement.open311.services import revoke_api_key
from tests.engagement.factories import (
    BACK_BAY,
    ServiceAttributeFactory,
    ServiceFactory,
    ServiceRequestFactory,
)
from tests.engagement.images import not_an_image, png
from tests.factories import UserFactory

from .conftest import V2, assert_matches_official_schema, parse_xml

pytestmark = pytest.mark.django_db

LAT, LONG = BACK_BAY


@pytest.fixture
def pothole(db):
    service = ServiceFactory(service_code="POT", name="Pothole")
    ServiceAttributeFactory(
        service=service,
        code="size",
        datatype="singlevaluelist",
        required=True,
        description="How big?",
        values=[{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    )
    ServiceAttributeFactory(
        service=service,
        code="hazards",
        datatype="multivaluelist",
        description="Hazards?",
        values=[
            {"key": "water", "name": "Water"},
            {"key": "traffic", "name": "Traffic"},
            {"key": "bikes", "name": "Bikes"},
        ],
    )
    return service


def form(key, /, **extra):
    data = {
        "api_key": key.raw,
        "service_code": "POT",
        "lat": str(LAT),
        "long": str(LONG),
        "description": "A deep pothole",
        "attribute[size]": "large",
        "email": "resident@example.org",
        "first_name": "Pat",
        "last_name": "Reporter",
        "phone": "617-555-0100",
        "device_id": "dev-1",
        "account_id": "acct-9",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post(client, fmt, data, query=""):
    return client.post(f"{V2}/requests.{fmt}{query}", data)


def test_post_json_creates_an_api_request_without_an_account(
    client, boston, pothole, api_key
):
    response = post(client, "json", form(api_key))
    assert response.status_code == 200, response.content
    (item,) = response.json()
    assert set(item) >= {"service_request_id"}
    assert "token" not in item
    request = ServiceRequest.objects.get(public_id=item["service_request_id"])
    assert request.source == Source.API
    assert request.reporter is None
    assert request.attributes == {"size": "large"}
    assert request.neighborhood is not None
    contact = request.api_contact
    assert contact.email == "resident@example.org"
    assert (contact.first_name, contact.last_name) == ("Pat", "Reporter")
    assert (contact.phone, contact.device_id, contact.account_id) == (
        "617-555-0100",
        "dev-1",
        "acct-9",
    )
    assert contact.api_key == api_key
    for secret in ("resident@example.org", "Reporter", "617-555-0100"):
        assert secret not in response.content.decode()


def test_xml_round_trip(client, boston, pothole, api_key):
    response = post(client, "xml", form(api_key, media_url="https://img.example/p.jpg"))
    assert response.status_code == 200, response.content
    root = parse_xml(response.content)
    assert root.tag == "service_requests"
    item = root.find("request")
    assert item.find("token") is None
    request_id = item.find("service_request_id").text
    back = parse_xml(client.get(f"{V2}/requests/{request_id}.xml").content)
    got = back.find("request")
    assert got.find("service_request_id").text == request_id
    assert got.find("service_code").text == "POT"
    assert got.find("service_name").text == "Pothole"
    assert got.find("description").text == "A deep pothole"
    assert got.find("status").text == "open"
    assert float(got.find("lat").text) == LAT
    assert float(got.find("long").text) == LONG
    assert got.find("media_url").text == "https://img.example/p.jpg"
    assert "resident@example.org" not in back.itertext()
    as_json = client.get(f"{V2}/requests/{request_id}.json").json()
    assert_matches_official_schema(as_json, "requests.json")


def test_fixmystreet_style_form_with_repeated_attributes(
    client, boston, pothole, api_key
):
    # FixMyStreet sends the key in the body and a multivaluelist as repeats.
    body = (
        f"api_key={api_key.raw}&service_code=POT&lat={LAT}&long={LONG}"
        "&attribute[size]=small&attribute[hazards]=water&attribute[hazards]=bikes"
        "&description=Hole+by+the+kerb&address_string=1+Main+St"
    )
    response = client.post(
        f"{V2}/requests.xml",
        body,
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert response.status_code == 200, response.content
    request = ServiceRequest.objects.get()
    assert request.attributes == {"size": "small", "hazards": ["water", "bikes"]}
    assert request.address == "1 Main St"


def test_multivaluelist_with_brackets(client, boston, pothole, api_key):
    data = form(api_key)
    data["attribute[hazards][]"] = ["traffic", "water"]
    assert post(client, "json", data).status_code == 200
    assert ServiceRequest.objects.get().attributes["hazards"] == ["traffic", "water"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_required_attribute_and_list_values_are_validated(
    client, boston, pothole, api_key, fmt
):
    response = post(client, fmt, form(api_key, **{"attribute[size]": None}))
    assert response.status_code == 400
    assert b"attribute[size]" in response.content
    response = post(client, fmt, form(api_key, **{"attribute[size]": "huge"}))
    assert response.status_code == 400
    data = form(api_key)
    data["attribute[hazards][]"] = ["water", "lava"]
    response = post(client, fmt, data)
    assert response.status_code == 400
    assert b"lava" in response.content
    assert not ServiceRequest.objects.exists()


def test_api_key_in_the_query_string(client, boston, pothole, api_key):
    data = form(api_key, api_key=None)
    response = post(client, "json", data, query=f"?api_key={api_key.raw}")
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_missing_wrong_or_revoked_key_is_403(client, boston, pothole, api_key, fmt):
    assert post(client, fmt, form(api_key, api_key=None)).status_code == 403
    assert post(client, fmt, form(api_key, api_key="cp311_guess")).status_code == 403
    revoke_api_key(api_key=api_key)
    response = post(client, fmt, form(api_key))
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_missing_service_code_is_400_unknown_is_404(
    client, boston, pothole, api_key, fmt
):
    assert post(client, fmt, form(api_key, service_code=None)).status_code == 400
    response = post(client, fmt, form(api_key, service_code="NOPE"))
    assert response.status_code == 404
    assert b"NOPE" in response.content


@pytest.mark.parametrize(
    "extra",
    [
        {"lat": None, "long": None},
        {"long": None},
        {"lat": "north"},
        {"lat": "0", "long": "0"},  # outside the city
        {"description": "x" * 4001},
        {"media_url": "javascript:alert(1)"},
        {"email": "not-an-email"},
    ],
)
def test_bad_input_is_a_400_and_saves_nothing(client, boston, pothole, api_key, extra):
    response = post(client, "json", form(api_key, **extra))
    assert response.status_code == 400, response.content
    (error,) = response.json()[:1]
    assert error["code"] == 400
    assert not ServiceRequest.objects.exists()


def test_wrong_jurisdiction_in_the_body_is_404(client, boston, pothole, api_key):
    response = post(client, "json", form(api_key, jurisdiction_id="sfgov.org"))
    assert response.status_code == 404


def test_address_string_alone_is_geocoded(client, boston, pothole, api_key):
    ServiceRequestFactory(address="77 Known Way")  # the default geocoder's source
    data = form(api_key, lat=None, long=None, address_string="77 Known Way")
    response = post(client, "json", data)
    assert response.status_code == 200, response.content
    request = ServiceRequest.objects.get(
        public_id=response.json()[0]["service_request_id"]
    )
    assert (request.lat, request.long) == (LAT, LONG)
    assert request.address == "77 Known Way"
    data = form(api_key, lat=None, long=None, address_string="Nowhere Lane 999")
    assert post(client, "json", data).status_code == 400


def test_batch_service_returns_a_token_that_resolves(client, boston, api_key):
    ServiceFactory(service_code="BATCH", type="batch")
    response = post(client, "json", form(api_key, service_code="BATCH"))
    (item,) = response.json()
    assert "service_request_id" not in item
    token = item["token"]
    resolved = client.get(f"{V2}/tokens/{token}.json").json()
    request = ServiceRequest.objects.get()
    assert resolved == [{"service_request_id": request.public_id, "token": token}]
    root = parse_xml(client.get(f"{V2}/tokens/{token}.xml").content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == request.public_id
    assert root.find("request/token").text == token
    for fmt in ("xml", "json"):
        assert client.get(f"{V2}/tokens/nope.{fmt}").status_code == 404


def test_xml_batch_token_and_no_id(client, boston, api_key):
    ServiceFactory(service_code="BATCH", type="batch")
    root = parse_xml(post(client, "xml", form(api_key, service_code="BATCH")).content)
    assert root.find("request/token").text
    assert root.find("request/service_request_id") is None


def test_blackbox_service_returns_neither_id_nor_token(client, boston, api_key):
    ServiceFactory(service_code="BB", type="blackbox")
    (item,) = post(client, "json", form(api_key, service_code="BB")).json()
    assert "service_request_id" not in item and "token" not in item
    assert ServiceRequest.objects.count() == 1


def test_trusted_client_ties_the_request_to_the_verified_account(
    client, boston, pothole, trusted_key
):
    resident = UserFactory(email="resident@example.org")
    response = post(client, "json", form(trusted_key))
    assert response.status_code == 200, response.content
    request = ServiceRequest.objects.get()
    assert request.reporter == resident
    assert request.anonymous is True


def test_trusted_client_with_an_unknown_email_files_without_an_account(
    client, boston, pothole, trusted_key
):
    UserFactory(email="resident@example.org", verified=False)
    assert post(client, "json", form(trusted_key)).status_code == 200
    assert ServiceRequest.objects.get().reporter is None


def test_untrusted_client_never_ties_to_an_account(client, boston, pothole, api_key):
    UserFactory(email="resident@example.org")
    post(client, "json", form(api_key))
    assert ServiceRequest.objects.get().reporter is None


def test_multipart_photo_upload(client, boston, pothole, api_key):
    response = post(client, "json", form(api_key, media=png()))
    assert response.status_code == 200, response.content
    request = ServiceRequest.objects.get()
    assert request.photos.count() == 1
    (data,) = client.get(f"{V2}/requests/{request.public_id}.json").json()
    assert data["media_url"].startswith("http://testserver/")


def test_a_file_that_is_not_a_photo_is_refused(client, boston, pothole, api_key):
    response = post(client, "xml", form(api_key, media=not_an_image()))
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


@override_settings(OPEN311_POSTS_PER_HOUR=2)
def test_writes_are_rate_limited_per_key(client, boston, pothole, api_key):
    for _ in range(2):
        assert post(client, "json", form(api_key)).status_code == 200
    response = post(client, "json", form(api_key))
    assert response.status_code == 403
    assert int(response["Retry-After"]) > 0
    assert ServiceRequest.objects.count() == 2


def test_post_needs_no_csrf_token(boston, pothole, api_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, "json", form(api_key)).status_code == 200


def test_contact_details_are_stored_once_per_request(client, boston, pothole, api_key):
    post(client, "json", form(api_key))
    assert RequestContact.objects.count() == 1


def test_address_id_alone_is_looked_up_like_an_address(
    client, boston, pothole, api_key
):
    ServiceRequestFactory(address="12 Registry Rd")
    data = form(api_key, lat=None, long=None, address_id="12 Registry Rd")
    assert post(client, "xml", data).status_code == 200
    assert ServiceRequest.objects.filter(source=Source.API).get().lat == LAT


def test_a_4000_character_description_is_accepted(client, boston, pothole, api_key):
    response = post(client, "json", form(api_key, description="x" * 4000))
    assert response.status_code == 200
    assert len(ServiceRequest.objects.get().description) == 4000

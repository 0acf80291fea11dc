"""Discovery, formats, jurisdiction and the error contract, in XML and JSON."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from engagement.models import CatalogueChangeset
from tests.engagement.factories import ServiceAttributeFactory, ServiceFactory

from .conftest import V2, parse_xml

pytestmark = pytest.mark.django_db


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return parse_xml(response.content)


def test_discovery_json_lists_both_formats_contact_and_key_service(client):
    response = client.get(f"{V2}/discovery.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    assert data["contact"] and data["key_service"]
    assert "key" in data["key_service"]
    datetime.fromisoformat(data["changeset"])
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] in ("production", "test")


def test_discovery_xml_has_the_spec_elements(client):
    root = xml(client.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_changeset_moves_when_the_catalogue_changes(client):
    service = ServiceFactory(service_code="POT")
    first = client.get(f"{V2}/discovery.json").json()["changeset"]
    CatalogueChangeset.objects.update(changed=timezone.now() - timedelta(days=30))
    stale = client.get(f"{V2}/discovery.json").json()["changeset"]
    assert stale < first  # unchanged catalogue: the stored time stands
    service.name = "Pothole (renamed)"
    service.save()
    renamed = client.get(f"{V2}/discovery.json").json()["changeset"]
    assert datetime.fromisoformat(renamed) > datetime.fromisoformat(stale)
    CatalogueChangeset.objects.update(changed=timezone.now() - timedelta(days=30))
    ServiceAttributeFactory(service=service, code="depth")
    root = parse_xml(client.get(f"{V2}/discovery.xml").content)
    assert datetime.fromisoformat(root.find("changeset").text) > datetime.fromisoformat(
        stale
    )


@pytest.mark.parametrize("suffix", ["yaml", "html", "XMLX"])
def test_unknown_format_is_a_404_in_xml(client, suffix):
    response = client.get(f"{V2}/services.{suffix}")
    assert response.status_code == 404
    root = xml(response)
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"
    assert "xml or json" in root.find("error/description").text


@pytest.mark.parametrize(
    "path", ["requests", "nothing.json", "services/", "requests/a/b.json"]
)
def test_anything_else_under_the_api_is_an_open311_404_not_html(client, path):
    response = client.get(f"{V2}/{path}")
    assert response.status_code == 404
    assert xml(response).tag == "errors"


def test_double_slash_from_a_base_url_with_a_trailing_slash_works(client):
    ServiceFactory(service_code="POT")
    response = client.get(f"{V2}//services.json")
    assert response.status_code == 200
    assert response.json()[0]["service_code"] == "POT"
    assert client.get(f"{V2}//requests.xml").status_code == 200


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_empty_jurisdiction_counts_as_absent_and_our_own_is_accepted(
    client, fmt, settings
):
    ServiceFactory(service_code="POT")
    assert client.get(f"{V2}/services.{fmt}?jurisdiction_id=").status_code == 200
    own = settings.OPEN311_JURISDICTION_ID
    assert client.get(f"{V2}/services.{fmt}?jurisdiction_id={own}").status_code == 200


def test_unknown_jurisdiction_is_a_404_in_each_format(client):
    response = client.get(f"{V2}/services.json?jurisdiction_id=sfgov.org")
    assert response.status_code == 404
    (error,) = response.json()
    assert error["code"] == 404
    assert "sfgov.org" in error["description"]
    response = client.get(f"{V2}/requests.xml?jurisdiction_id=sfgov.org")
    assert response.status_code == 404
    assert xml(response).find("error/code").text == "404"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_wrong_method_is_an_open311_error(client, fmt):
    response = client.post(f"{V2}/services.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    if fmt == "json":
        assert json.loads(response.content)[0]["code"] == 405
    else:
        assert xml(response).tag == "errors"


def test_openapi_document_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert f"{V2}/requests.json" in doc["paths"]
    assert "/api/requests.geojson" in doc["paths"]

"""GET services and service definitions, validated against the official schemas."""

import pytest

from tests.engagement.factories import ServiceAttributeFactory, ServiceFactory

from .conftest import V2, assert_matches_official_schema, parse_xml

pytestmark = pytest.mark.django_db


def test_no_services_is_an_empty_list_in_both_formats(client):
    response = client.get(f"{V2}/services.json")
    assert response.status_code == 200
    assert response.json() == []
    root = parse_xml(client.get(f"{V2}/services.xml").content)
    assert root.tag == "services"
    assert list(root) == []


def test_one_service_is_still_an_array(client):
    ServiceFactory(service_code="001", name="Pothole", description="A hole")
    data = client.get(f"{V2}/services.json").json()
    assert_matches_official_schema(data, "services.json")
    assert data == [
        {
            "service_code": "001",
            "service_name": "Pothole",
            "description": "A hole",
            "metadata": False,
            "type": "realtime",
            "keywords": "street, sidewalk",
            "group": "Streets-Sidewalks",
        }
    ]


def test_many_services_with_metadata_and_types(client):
    with_questions = ServiceFactory(service_code="A")
    ServiceAttributeFactory(service=with_questions, code="size")
    ServiceFactory(service_code="B", type="batch")
    ServiceFactory(service_code="OLD", active=False)
    data = client.get(f"{V2}/services.json").json()
    assert_matches_official_schema(data, "services.json")
    by_code = {s["service_code"]: s for s in data}
    assert set(by_code) == {"A", "B"}
    assert by_code["A"]["metadata"] is True
    assert by_code["B"]["type"] == "batch"
    root = parse_xml(client.get(f"{V2}/services.xml").content)
    services = root.findall("service")
    assert len(services) == 2
    assert {s.find("metadata").text for s in services} == {"true", "false"}
    assert [c.tag for c in services[0]] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]


def _service_with_questions():
    service = ServiceFactory(service_code="DMV66")
    ServiceAttributeFactory(
        service=service,
        code="WHISHETN",
        datatype="singlevaluelist",
        required=True,
        order=1,
        description="What make?",
        values=[{"key": 123, "name": "Ford"}, {"key": "124", "name": "Chrysler"}],
    )
    ServiceAttributeFactory(
        service=service, code="NOTE", datatype="text", order=2, variable=False
    )
    return service


def test_service_definition_json(client):
    _service_with_questions()
    response = client.get(f"{V2}/services/DMV66.json")
    assert response.status_code == 200
    data = response.json()
    assert_matches_official_schema(data, "service-definition.json")
    first = data["attributes"][0]
    assert first == {
        "variable": True,
        "code": "WHISHETN",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 1,
        "description": "What make?",
        "values": [{"key": "123", "name": "Ford"}, {"key": "124", "name": "Chrysler"}],
    }
    assert data["attributes"][1]["variable"] is False


def test_service_definition_xml(client):
    _service_with_questions()
    root = parse_xml(client.get(f"{V2}/services/DMV66.xml").content)
    assert root.tag == "service_definition"
    assert root.find("service_code").text == "DMV66"
    attribute = root.find("attributes/attribute")
    assert attribute.find("required").text == "true"
    assert [v.find("key").text for v in attribute.findall("values/value")] == [
        "123",
        "124",
    ]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_or_retired_service_definition_is_a_404(client, fmt):
    ServiceFactory(service_code="OLD", active=False)
    for code in ("NOPE", "OLD"):
        response = client.get(f"{V2}/services/{code}.{fmt}")
        assert response.status_code == 404
        assert code.encode() in response.content


def test_service_code_with_a_dot_is_found(client):
    ServiceFactory(service_code="streets.pothole")
    response = client.get(f"{V2}/services/streets.pothole.json")
    assert response.json()["service_code"] == "streets.pothole"

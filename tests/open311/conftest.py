import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from engagement.open311.services import issue_api_key
from tests.engagement.conftest import boston  # noqa: F401 (a shared fixture)

SCHEMA_DIR = Path(__file__).parent / "schemas"
V2 = "/open311/v2"


def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def assert_matches_official_schema(data, schema_name: str) -> None:
    """Validate ``data`` against one of the official GeoReport v2 schemas."""
    schema = json.loads((SCHEMA_DIR / schema_name).read_text())
    validator = Draft202012Validator(
        schema, registry=REGISTRY, format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, [e.message for e in errors]


@pytest.fixture
def api_key(db):
    key, raw = issue_api_key(name="Test client")
    key.raw = raw
    return key


@pytest.fixture
def trusted_key(db):
    key, raw = issue_api_key(name="Trusted client", trusted=True)
    key.raw = raw
    return key


def parse_xml(content: bytes):
    """Parse our own server's XML in a test (the API itself parses no XML)."""
    import xml.etree.ElementTree as ET

    return ET.fromstring(content)  # noqa: S314 (trusted: our own output)

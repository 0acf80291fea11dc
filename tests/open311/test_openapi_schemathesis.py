"""The OpenAPI document at /api/schema/ is kept true by schemathesis.

Each JSON operation gets a bounded number of generated requests; none may
cause a server error, and every status code, content type and body must be
the ones the document declares.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.engagement.factories import (
    ServiceAttributeFactory,
    ServiceFactory,
    ServiceRequestFactory,
)

# Loaded at import through the WSGI app: the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def catalogue(boston, api_key):
    """Something for the generated requests to find, and a working key so
    that generated POSTs reach the filing code, not only the key check."""
    service = ServiceFactory(service_code="POT")
    ServiceAttributeFactory(
        service=service,
        datatype="singlevaluelist",
        values=[{"key": "a", "name": "A"}],
    )
    ServiceRequestFactory(service=service)
    # As Django's test client does: a finished request must not close the
    # test's database connection, which holds the test transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield api_key.raw
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_openapi_document(case, catalogue):
    if isinstance(case.body, dict) and case.body.get("api_key") != "":
        case.body["api_key"] = catalogue
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )

"""The OpenAPI description of the JSON API, served at ``/api/schema/``.

Kept true by a schemathesis run in the test suite.
"""

from .document import openapi_document, openapi_schema

__all__ = ["openapi_document", "openapi_schema"]

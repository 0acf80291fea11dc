"""The OpenAPI 3.1 document of the JSON API: Open311 and the map's GeoJSON."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .components import SCHEMAS

V2 = "/open311/v2"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(name: str) -> dict:
    return {"type": "array", "items": _ref(name)}


def _json(schema: dict, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _errors(*codes: int) -> dict:
    return {str(code): _json(_ref("Errors"), "Open311 errors") for code in codes}


_JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "required": False,
    "schema": {"type": "string"},
    "description": "Optional; this endpoint serves one jurisdiction.",
}
_EXTENSIONS = {
    "name": "extensions",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["true", "false"]},
}


def _query(name: str, description: str = "") -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": description,
    }


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


_POST_FORM = {
    "type": "object",
    "required": ["api_key", "service_code"],
    "properties": {
        name: {"type": "string"}
        for name in (
            "api_key",
            "jurisdiction_id",
            "service_code",
            "lat",
            "long",
            "address_string",
            "address_id",
            "email",
            "device_id",
            "account_id",
            "first_name",
            "last_name",
            "phone",
            "description",
            "media_url",
        )
    },
}


def openapi_document() -> dict:
    """The OpenAPI 3.1 document, as a dict."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CivicPulse API",
            "version": "2",
            "description": "Open311 GeoReport v2 (JSON) and the public map's "
            "GeoJSON. XML is offered at the same paths with .xml.",
        },
        "paths": {
            f"{V2}/discovery.json": {
                "get": {
                    "operationId": "discovery",
                    "responses": {"200": _json(_ref("Discovery"), "Discovery")},
                }
            },
            f"{V2}/services.json": {
                "get": {
                    "operationId": "listServices",
                    "parameters": [_JURISDICTION],
                    "responses": {
                        "200": _json(_array("Service"), "Services"),
                        **_errors(404),
                    },
                }
            },
            f"{V2}/services/{{service_code}}.json": {
                "get": {
                    "operationId": "serviceDefinition",
                    "parameters": [_path("service_code"), _JURISDICTION],
                    "responses": {
                        "200": _json(_ref("ServiceDefinition"), "Definition"),
                        **_errors(404),
                    },
                }
            },
            f"{V2}/requests.json": {
                "get": {
                    "operationId": "listRequests",
                    "parameters": [
                        _JURISDICTION,
                        _query("service_request_id", "Comma list; overrides all"),
                        _query("service_code", "Comma list"),
                        _query("status", "Comma list of open, closed"),
                        _query("start_date", "ISO 8601 datetime"),
                        _query("end_date", "ISO 8601 datetime"),
                        _query("page"),
                        _query("page_size"),
                        _EXTENSIONS,
                    ],
                    "responses": {
                        "200": _json(_array("ServiceRequest"), "Requests"),
                        **_errors(400, 404),
                    },
                },
                "post": {
                    "operationId": "createRequest",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": _POST_FORM}
                        },
                    },
                    "responses": {
                        "200": _json(_array("CreatedRequest"), "Created"),
                        **_errors(400, 403, 404),
                    },
                },
            },
            f"{V2}/requests/{{service_request_id}}.json": {
                "get": {
                    "operationId": "getRequest",
                    "parameters": [
                        _path("service_request_id"),
                        _JURISDICTION,
                        _EXTENSIONS,
                    ],
                    "responses": {
                        "200": _json(_array("ServiceRequest"), "One request"),
                        **_errors(404),
                    },
                }
            },
            f"{V2}/tokens/{{token}}.json": {
                "get": {
                    "operationId": "getToken",
                    "parameters": [_path("token"), _JURISDICTION],
                    "responses": {
                        "200": _json(_array("TokenRequest"), "Token"),
                        **_errors(404),
                    },
                }
            },
            f"{V2}/servicerequestupdates.json": {
                "get": {
                    "operationId": "listRequestUpdates",
                    "parameters": [
                        _JURISDICTION,
                        _query("start_date"),
                        _query("end_date"),
                    ],
                    "responses": {
                        "200": _json(_array("RequestUpdate"), "Updates"),
                        **_errors(400, 404),
                    },
                }
            },
            "/api/requests.geojson": {
                "get": {
                    "operationId": "mapRequests",
                    "parameters": [
                        {
                            "name": "bbox",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "minlon,minlat,maxlon,maxlat",
                        },
                        {
                            "name": "zoom",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        _query("service_group"),
                        _query("service_code"),
                        _query("status"),
                        _query("neighborhood"),
                        _query("start"),
                        _query("end"),
                    ],
                    "responses": {
                        "200": {
                            "description": "GeoJSON",
                            "content": {
                                "application/geo+json": {
                                    "schema": _ref("FeatureCollection")
                                }
                            },
                        },
                        "400": _json(_ref("MapError"), "Bad parameter"),
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }


@require_GET
def openapi_schema(request: HttpRequest) -> JsonResponse:
    """``GET /api/schema/``: the OpenAPI document."""
    return JsonResponse(openapi_document())

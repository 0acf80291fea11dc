"""Component schemas of the OpenAPI document: the Open311 shapes mirror the
official GeoReport v2 JSON Schemas (open311/schema-validation)."""

_NULLABLE_STRING = {"type": ["string", "null"]}
_DATETIME = {"type": "string", "format": "date-time"}
_NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {
            "code": {"type": "integer"},
            "description": {"type": "string"},
        },
    },
    "Errors": {
        "type": "array",
        "minItems": 1,
        "items": {"$ref": "#/components/schemas/Error"},
    },
    "Discovery": {
        "type": "object",
        "required": ["changeset", "contact", "key_service", "endpoints"],
        "properties": {
            "changeset": _DATETIME,
            "contact": {"type": "string"},
            "key_service": {"type": "string"},
            "endpoints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "specification",
                        "url",
                        "changeset",
                        "type",
                        "formats",
                    ],
                    "properties": {
                        "specification": {"type": "string"},
                        "url": {"type": "string"},
                        "changeset": _DATETIME,
                        "type": {"enum": ["production", "test"]},
                        "formats": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
    "Service": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": _NULLABLE_STRING,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": _NULLABLE_STRING,
            "group": _NULLABLE_STRING,
        },
    },
    "ServiceDefinition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {
            "service_code": {"type": "string"},
            "attributes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["variable", "code", "datatype", "required"],
                    "properties": {
                        "variable": {"type": "boolean"},
                        "code": {"type": "string"},
                        "datatype": {
                            "enum": [
                                "string",
                                "number",
                                "datetime",
                                "text",
                                "singlevaluelist",
                                "multivaluelist",
                            ]
                        },
                        "required": {"type": "boolean"},
                        "datatype_description": _NULLABLE_STRING,
                        "order": {"type": ["integer", "null"]},
                        "description": _NULLABLE_STRING,
                        "values": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["key", "name"],
                                "properties": {
                                    "key": {"type": "string"},
                                    "name": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "ServiceRequest": {
        "type": "object",
        "required": [
            "service_request_id",
            "status",
            "service_code",
            "requested_datetime",
        ],
        "properties": {
            "service_request_id": {"type": "string"},
            "status": {"enum": ["open", "closed"]},
            "status_notes": _NULLABLE_STRING,
            "service_name": _NULLABLE_STRING,
            "service_code": {"type": "string"},
            "description": {"type": ["string", "null"], "maxLength": 4000},
            "agency_responsible": _NULLABLE_STRING,
            "service_notice": _NULLABLE_STRING,
            "requested_datetime": _DATETIME,
            "updated_datetime": _NULLABLE_DATETIME,
            "expected_datetime": _NULLABLE_DATETIME,
            "address": _NULLABLE_STRING,
            "address_id": _NULLABLE_STRING,
            "zipcode": _NULLABLE_STRING,
            "lat": {"type": ["number", "null"]},
            "long": {"type": ["number", "null"]},
            "media_url": {"type": ["string", "null"], "format": "uri"},
            "detailed_status": {"type": "string"},
            "attributes": {"type": "array", "items": {"type": "object"}},
            "media_urls": {"type": "array", "items": {"type": "string"}},
            "notes": {"type": "array", "items": {"type": "object"}},
        },
    },
    "CreatedRequest": {
        "type": "object",
        "properties": {
            "service_request_id": {"type": "string"},
            "token": {"type": "string"},
            "service_notice": _NULLABLE_STRING,
            "account_id": _NULLABLE_STRING,
        },
        "not": {"required": ["service_request_id", "token"]},
    },
    "TokenRequest": {
        "type": "object",
        "required": ["token", "service_request_id"],
        "properties": {
            "token": {"type": "string"},
            "service_request_id": _NULLABLE_STRING,
        },
    },
    "RequestUpdate": {
        "type": "object",
        "required": [
            "update_id",
            "service_request_id",
            "status",
            "updated_datetime",
        ],
        "properties": {
            "update_id": {"type": "string"},
            "service_request_id": {"type": "string"},
            "status": {"enum": ["open", "closed"]},
            "updated_datetime": _DATETIME,
            "description": _NULLABLE_STRING,
            "media_url": {"type": ["string", "null"], "format": "uri"},
        },
    },
    "FeatureCollection": {
        "type": "object",
        "required": ["type", "features", "clustered", "truncated", "total"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "clustered": {"type": "boolean"},
            "truncated": {"type": "boolean"},
            "total": {"type": "integer"},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"const": "Feature"},
                        "geometry": {
                            "type": "object",
                            "required": ["type", "coordinates"],
                            "properties": {
                                "type": {"const": "Point"},
                                "coordinates": {
                                    "type": "array",
                                    "items": {"type": "number"},
                                    "minItems": 2,
                                    "maxItems": 2,
                                },
                            },
                        },
                        "properties": {"type": "object"},
                    },
                },
            },
        },
    },
    "MapError": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}},
    },
}

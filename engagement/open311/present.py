"""Open311 shapes of services, requests and updates, as plain data.

Only public fields are read: the public point, never the exact one; no
reporter, email, phone or name. Datetimes are ISO 8601 with the city's offset,
ids and codes are strings, as the spec's JSON Schemas require.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from ..models import RequestPhoto, RequestUpdate, Service, ServiceRequest

AbsoluteUrl = Callable[[str], str]


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def service_data(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.service_code,
        "service_name": service.name,
        "description": service.description or None,
        "metadata": bool(getattr(service, "metadata", service.has_metadata)),
        "type": service.type,
        "keywords": service.keywords or None,
        "group": service.group or None,
    }


def service_definition_data(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.service_code,
        "attributes": [
            {
                "variable": attr.variable,
                "code": attr.code,
                "datatype": attr.datatype,
                "required": attr.required,
                "datatype_description": attr.datatype_description or None,
                "order": attr.order,
                "description": attr.description,
                "values": [
                    {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
                    for v in attr.values or []
                ],
            }
            for attr in service.attributes.all()
        ],
    }


def request_data(
    request: ServiceRequest, *, absolute: AbsoluteUrl, extensions: bool = False
) -> dict[str, Any]:
    """One request as GET requests returns it; ``extensions`` adds the
    attribute answers, detailed status, photo URLs and public notes."""
    service = request.service
    photos = list(request.photos.all())
    before = [p for p in photos if p.kind == RequestPhoto.Kind.BEFORE]
    media_url = absolute(before[0].image.url) if before else _contact_media(request)
    data: dict[str, Any] = {
        "service_request_id": request.public_id,
        "status": request.status,
        "status_notes": request.status_notes or None,
        "service_name": service.name,
        "service_code": service.service_code,
        "description": request.description or None,
        "agency_responsible": request.agency_responsible or None,
        "service_notice": None,
        "requested_datetime": iso(request.requested_datetime),
        "updated_datetime": iso(request.updated_datetime),
        "expected_datetime": iso(request.expected_datetime),
        "address": _public_address(request),
        "address_id": None,
        "zipcode": None,
        "lat": request.public_lat,
        "long": request.public_long,
        "media_url": media_url,
    }
    if extensions:
        data["detailed_status"] = request.detailed_status
        data["attributes"] = _answers(request)
        data["media_urls"] = [absolute(p.image.url) for p in photos]
        data["notes"] = [
            {
                "datetime": iso(update.created),
                "type": update.detailed_status,
                "description": update.public_note,
            }
            for update in request.updates.all()
        ]
    return data


def update_data(update: RequestUpdate, *, absolute: AbsoluteUrl) -> dict[str, Any]:
    """One public status change, as FixMyStreet's servicerequestupdates."""
    return {
        "update_id": str(update.pk),
        "service_request_id": update.request.public_id,
        "status": update.status,
        "updated_datetime": iso(update.created),
        "description": update.public_note or None,
        "media_url": absolute(update.photo.image.url) if update.photo else None,
    }


def _public_address(request: ServiceRequest) -> str | None:
    # A sensitive report's street address would undo the coarsened point;
    # its neighborhood is as precise as the public map is.
    if request.service.sensitive:
        return request.neighborhood.name if request.neighborhood else None
    return request.address or None


def _contact_media(request: ServiceRequest) -> str | None:
    try:
        contact = request.api_contact
    except ServiceRequest.api_contact.RelatedObjectDoesNotExist:
        return None
    return contact.media_url or None


def _answers(request: ServiceRequest) -> list[dict[str, Any]]:
    answers = request.attributes or {}
    out = []
    for attr in request.service.attributes.all():
        if attr.code not in answers:
            continue
        value = answers[attr.code]
        out.append(
            {
                "code": attr.code,
                "label": attr.description,
                "value": ",".join(map(str, value))
                if isinstance(value, list)
                else str(value),
            }
        )
    return out

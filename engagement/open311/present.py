"""Open311 shapes of services, requests and updates, as plain data.

Only public fields are read: the public point, never the exact one; no
reporter, email, phone or name. Datetimes are ISO 8601 with the city's offset,
ids and codes are strings, as the spec's JSON Schemas require.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from django.utils import timezone

from ..models import RequestPhoto, RequestUpdate, Service

AbsoluteUrl = Callable[[str], str]
_BEFORE = RequestPhoto.Kind.BEFORE.value


def iso(value: datetime | None, *, tz: tzinfo | None = None) -> str | None:
    """``value`` in the city's time (or ``tz``), to the second.

    A page of requests formats thousands of datetimes; passing the zone looked
    up once per page (``tz``) spares a context-local lookup per value.
    """
    if value is None:
        return None
    return value.astimezone(tz or timezone.get_current_timezone()).isoformat(
        timespec="seconds"
    )


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


def requests_data(
    rows: Iterable[Mapping[str, Any]],
    *,
    absolute: AbsoluteUrl,
    extensions: bool = False,
) -> list[dict[str, Any]]:
    """Requests as GET requests returns them, from rows of
    ``selectors.find_requests``; ``extensions`` adds the attribute answers,
    detailed status, photo URLs and public notes."""
    tz = timezone.get_current_timezone()
    return [
        request_data(row, absolute=absolute, extensions=extensions, tz=tz)
        for row in rows
    ]


def request_data(
    row: Mapping[str, Any],
    *,
    absolute: AbsoluteUrl,
    extensions: bool = False,
    tz: tzinfo | None = None,
) -> dict[str, Any]:
    """One request (see ``requests_data``)."""
    tz = tz or timezone.get_current_timezone()
    photos = row["photos"]
    before = next((name for kind, name in photos if kind == _BEFORE), None)
    if before is not None:
        media_url = absolute(_photo_url(before))
    else:
        media_url = row["api_contact__media_url"] or None
    data: dict[str, Any] = {
        "service_request_id": row["public_id"],
        "status": row["status"],
        "status_notes": row["status_notes"] or None,
        "service_name": row["service__name"],
        "service_code": row["service__service_code"],
        "description": row["description"] or None,
        "agency_responsible": row["agency_responsible"] or None,
        "service_notice": None,
        "requested_datetime": iso(row["requested_datetime"], tz=tz),
        "updated_datetime": iso(row["updated_datetime"], tz=tz),
        "expected_datetime": iso(row["expected_datetime"], tz=tz),
        "address": _public_address(row),
        "address_id": None,
        "zipcode": None,
        "lat": row["public_lat"],
        "long": row["public_long"],
        "media_url": media_url,
    }
    if extensions:
        data["detailed_status"] = row["detailed_status"]
        data["attributes"] = _answers(row)
        data["media_urls"] = [absolute(_photo_url(name)) for _, name in photos]
        data["notes"] = [
            {
                "datetime": iso(note["created"], tz=tz),
                "type": note["detailed_status"],
                "description": note["public_note"],
            }
            for note in row["notes"]
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


def _public_address(row: Mapping[str, Any]) -> str | None:
    # A sensitive report's street address would undo the coarsened point;
    # its neighborhood is as precise as the public map is.
    if row["service__sensitive"]:
        return row["neighborhood__name"]
    return row["address"] or None


def _photo_url(name: str) -> str:
    # What ``photo.image.url`` answers, without building the photo.
    if not name:
        raise ValueError("The photo has no file associated with it.")
    return RequestPhoto._meta.get_field("image").storage.url(name)


def _answers(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    answers = row["answers"]
    out = []
    for attr in row["questions"]:
        code = attr["code"]
        if code not in answers:
            continue
        value = answers[code]
        out.append(
            {
                "code": code,
                "label": attr["description"],
                "value": ",".join(map(str, value))
                if isinstance(value, list)
                else str(value),
            }
        )
    return out

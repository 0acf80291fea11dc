"""Reads behind the Open311 endpoints: the catalogue, requests and updates.

Requests are read with their public point only (``public_lat``/``public_long``)
and never with the reporter or the API contact details, so no response can
leak who reported or the exact place of a sensitive report.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ..models import (
    CatalogueChangeset,
    RequestPhoto,
    RequestToken,
    RequestUpdate,
    Service,
    ServiceAttribute,
    ServiceRequest,
)

DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000


@dataclass(frozen=True)
class RequestQuery:
    """GET requests' filters, already parsed; ``ids`` overrides the rest."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = MAX_RESULTS


def published_services() -> QuerySet[Service]:
    """Services clients may report, with ``metadata`` (has questions)."""
    return (
        Service.objects.filter(active=True)
        .annotate(
            metadata=Exists(ServiceAttribute.objects.filter(service=OuterRef("pk")))
        )
        .order_by("group", "name", "service_code")
    )


def published_service(*, service_code: str) -> Service | None:
    """One reportable service with its questions, or None."""
    return (
        Service.objects.filter(active=True, service_code=service_code)
        .prefetch_related("attributes")
        .first()
    )


def catalogue_changeset() -> datetime:
    """When the published catalogue last changed, for discovery's changeset.

    Services change through the admin, the loader command and bulk updates, so
    rather than hook every path, a digest of what clients see is compared with
    the stored one; a new digest records the time it was first seen.
    """
    services = list(
        published_services().values_list(
            "service_code", "name", "description", "group", "keywords", "type"
        )
    )
    attributes = list(
        ServiceAttribute.objects.filter(service__active=True)
        .order_by("service__service_code", "order", "code")
        .values_list(
            "service__service_code",
            "code",
            "datatype",
            "required",
            "variable",
            "order",
            "description",
            "datatype_description",
            "values",
        )
    )
    digest = hashlib.sha256(
        json.dumps([services, attributes], default=str).encode()
    ).hexdigest()
    with transaction.atomic():
        row = CatalogueChangeset.objects.select_for_update().filter(pk=1).first()
        if row is None:
            row = CatalogueChangeset.objects.create(
                pk=1, digest=digest, changed=timezone.now()
            )
        elif row.digest != digest:
            row.digest = digest
            row.changed = timezone.now()
            row.save(update_fields=["digest", "changed"])
    return row.changed


# The columns a public request row carries. Reporter, exact point and API
# contact details other than a media URL are never read, so no response can
# leak them.
_PUBLIC_COLUMNS = (
    "pk",
    "public_id",
    "status",
    "detailed_status",
    "status_notes",
    "description",
    "public_lat",
    "public_long",
    "address",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "service_id",
    "service__service_code",
    "service__name",
    "service__sensitive",
    "neighborhood__name",
    "api_contact__media_url",
)


def find_requests(
    *, query: RequestQuery, extensions: bool = False, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Requests matching ``query``, newest first, at most ``MAX_RESULTS``, as
    plain rows of public columns.

    Rows rather than model instances: a full page is a thousand requests, and
    building three instances per request (request, service, neighborhood) cost
    more than the query. Each row carries ``photos``, its photos' (kind, file
    name) oldest first, read for the whole page in one query; with
    ``extensions`` also ``answers`` (the attribute answers), ``notes`` (public
    notes, oldest first) and ``questions`` (its service's attributes).

    Without dates the window is the last 90 days (the spec's default); with
    one date the window is 90 days from it. Listing ids overrides every other
    filter, as the spec says.
    """
    qs = ServiceRequest.objects.all()
    if query.ids:
        qs = qs.filter(public_id__in=query.ids)
    else:
        start, end = request_window(start=query.start, end=query.end, now=now)
        qs = qs.filter(requested_datetime__gte=start, requested_datetime__lte=end)
        if query.service_codes:
            qs = qs.filter(service__service_code__in=query.service_codes)
        if query.statuses:
            qs = qs.filter(status__in=query.statuses)
    size = min(query.page_size, MAX_RESULTS)
    offset = (query.page - 1) * size
    columns = (*_PUBLIC_COLUMNS, "attributes") if extensions else _PUBLIC_COLUMNS
    rows = list(
        qs.order_by("-requested_datetime", "-pk").values(*columns)[
            offset : offset + size
        ]
    )
    if not rows:
        return rows
    by_pk = {row["pk"]: row for row in rows}
    for row in rows:
        row["photos"] = []
    photos = (
        RequestPhoto.objects.filter(request_id__in=by_pk)
        .order_by("created", "pk")
        .values_list("request_id", "kind", "image")
    )
    for request_id, kind, image in photos:
        by_pk[request_id]["photos"].append((kind, image))
    if extensions:
        _add_extensions(rows, by_pk)
    return rows


def _add_extensions(rows: list[dict[str, Any]], by_pk: dict[int, dict]) -> None:
    """Attach answers, public notes and questions to a page of rows, with one
    query each for the whole page rather than one per request."""
    questions: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        row["answers"] = row.pop("attributes") or {}
        row["notes"] = []
        row["questions"] = questions.setdefault(row["service_id"], [])
    notes = (
        RequestUpdate.objects.filter(request_id__in=by_pk)
        .exclude(public_note="")
        .order_by("created", "pk")
        .values_list("request_id", "created", "detailed_status", "public_note")
    )
    for request_id, created, detailed_status, public_note in notes:
        by_pk[request_id]["notes"].append(
            {
                "created": created,
                "detailed_status": detailed_status,
                "public_note": public_note,
            }
        )
    attributes = (
        ServiceAttribute.objects.filter(service_id__in=questions)
        .order_by("service", "order", "code")
        .values("service_id", "code", "description")
    )
    for attribute in attributes:
        questions[attribute["service_id"]].append(attribute)


def request_window(
    *, start: datetime | None, end: datetime | None, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """The requested_datetime range a query covers (see ``find_requests``)."""
    if start is None and end is None:
        end = now or timezone.now()
    if start is None:
        start = end - DEFAULT_WINDOW
    if end is None:
        end = start + DEFAULT_WINDOW
    return start, end


def find_request(
    *, service_request_id: str, extensions: bool = False
) -> dict[str, Any] | None:
    """One request's row (see ``find_requests``) by its public id, or None."""
    found = find_requests(
        query=RequestQuery(ids=(service_request_id,)), extensions=extensions
    )
    return found[0] if found else None


def token_request_id(*, token: str) -> tuple[bool, str | None]:
    """(token exists, the public id of its request once there is one)."""
    row = (
        RequestToken.objects.filter(token=token)
        .select_related("request")
        .only("token", "request__public_id")
        .first()
    )
    if row is None:
        return False, None
    return True, row.request.public_id if row.request else None


def find_updates(
    *, start: datetime | None, end: datetime | None, now: datetime | None = None
) -> list[RequestUpdate]:
    """Public status changes in the window (FixMyStreet's extension), oldest
    first so a client can replay them, at most ``MAX_RESULTS``."""
    start, end = request_window(start=start, end=end, now=now)
    return list(
        RequestUpdate.objects.filter(created__gte=start, created__lte=end)
        .select_related("request", "photo")
        .only(
            "pk",
            "created",
            "status",
            "public_note",
            "request__public_id",
            "photo__image",
        )
        .order_by("created", "pk")[:MAX_RESULTS]
    )

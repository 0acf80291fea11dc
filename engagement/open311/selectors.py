"""Reads behind the Open311 endpoints: the catalogue, requests and updates.

Requests are read with their public point only (``public_lat``/``public_long``)
and never with the reporter or the API contact details, so no response can
leak who reported or the exact place of a sensitive report.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from ..models import (
    CatalogueChangeset,
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


def _public_requests() -> QuerySet[ServiceRequest]:
    return (
        ServiceRequest.objects.select_related("service", "neighborhood")
        .select_related("api_contact")
        .only(
            "public_id",
            "status",
            "detailed_status",
            "status_notes",
            "description",
            "public_lat",
            "public_long",
            "address",
            "attributes",
            "agency_responsible",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "service__service_code",
            "service__name",
            "service__sensitive",
            "neighborhood__name",
            "api_contact__media_url",
        )
        .prefetch_related("photos")
    )


def find_requests(
    *, query: RequestQuery, extensions: bool = False, now: datetime | None = None
) -> list[ServiceRequest]:
    """Requests matching ``query``, newest first, at most ``MAX_RESULTS``.

    Without dates the window is the last 90 days (the spec's default); with
    one date the window is 90 days from it. Listing ids overrides every other
    filter, as the spec says.
    """
    qs = _public_requests()
    if extensions:
        qs = qs.prefetch_related(
            Prefetch(
                "updates",
                queryset=RequestUpdate.objects.exclude(public_note="").order_by(
                    "created", "pk"
                ),
            ),
            "service__attributes",
        )
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
    return list(qs.order_by("-requested_datetime", "-pk")[offset : offset + size])


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


def find_request(*, service_request_id: str, extensions: bool = False):
    """One request by its public id, or None."""
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

"""Reads about single requests and their neighbours."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accounts.models import User

from .. import geo
from ..models import (
    Follow,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    Service,
    ServiceRequest,
    Support,
)


@dataclass(frozen=True)
class Nearby:
    request: ServiceRequest
    distance_m: float


def nearby_open_requests(
    *, service: Service, lat: float, lon: float, limit: int = 5
) -> list[Nearby]:
    """Open requests of the same service within its duplicate radius, nearest first.

    A bounding box on the indexed public point narrows the rows, then the
    exact distance decides. Sensitive services are matched on their public
    (coarsened) point, so the answer reveals nothing the map does not.
    """
    radius = service.duplicate_radius_m
    box = geo.bbox_around(lat, lon, radius + 300 if service.sensitive else radius)
    candidates = (
        ServiceRequest.objects.filter(
            service=service,
            status=RequestStatus.OPEN,
            public_lat__gte=box.min_lat,
            public_lat__lte=box.max_lat,
            public_long__gte=box.min_lon,
            public_long__lte=box.max_lon,
        )
        .select_related("service", "neighborhood")
        .order_by("-requested_datetime")[:200]
    )
    found = []
    for candidate in candidates:
        distance = geo.distance_m(lat, lon, candidate.public_lat, candidate.public_long)
        limit_m = radius + (300 if service.sensitive else 0)
        if distance <= limit_m:
            found.append(Nearby(candidate, distance))
    found.sort(key=lambda n: n.distance_m)
    return found[:limit]


def request_for_page(*, public_id: str) -> ServiceRequest | None:
    """A request with what its page shows, in a fixed number of queries."""
    return (
        ServiceRequest.objects.select_related(
            "service", "service__department", "neighborhood", "reporter"
        )
        .prefetch_related(
            "service__attributes",
            Prefetch("photos", queryset=RequestPhoto.objects.order_by("created", "pk")),
            Prefetch(
                "updates",
                queryset=RequestUpdate.objects.select_related("author", "photo"),
            ),
        )
        .filter(public_id=public_id)
        .first()
    )


def relationship(*, user: User, request: ServiceRequest) -> dict[str, bool]:
    """Whether ``user`` follows or supports ``request``, and reported it."""
    if not user.is_authenticated:
        return {"following": False, "supporting": False, "is_reporter": False}
    return {
        "following": Follow.objects.filter(user=user, request=request).exists(),
        "supporting": Support.objects.filter(user=user, request=request).exists(),
        "is_reporter": request.reporter_id == user.pk,
    }


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).order_by("group", "name")


def services_by_group() -> list[tuple[str, list[Service]]]:
    """Active services grouped for the category chooser, groups in name order."""
    groups: dict[str, list[Service]] = {}
    for service in active_services():
        groups.setdefault(service.group or "Other", []).append(service)
    return sorted(groups.items())


def get_active_service(*, code: str) -> Service | None:
    return (
        Service.objects.filter(service_code=code, active=True)
        .select_related("department")
        .prefetch_related("attributes")
        .first()
    )


def answered_attributes(*, request: ServiceRequest) -> list[tuple[str, str]]:
    """(question, answer) pairs for display, list keys shown by their names."""
    rows = []
    for attr in request.service.attributes.all():
        value = request.attributes.get(attr.code)
        if value in (None, "", []):
            continue
        names = {str(v["key"]): v.get("name", v["key"]) for v in attr.values}
        values = value if isinstance(value, list) else [value]
        rows.append(
            (attr.description, ", ".join(str(names.get(str(v), v)) for v in values))
        )
    return rows

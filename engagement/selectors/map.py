"""Reads for the public map and its list: requests by place, filters and zoom.

Only the public point (``public_lat``/``public_long``) is ever read here: for
sensitive services it is already coarsened, so nothing on the map or in the
list can lead back to the exact place. Reporters, emails and exact points are
never selected.
"""

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Exists, F, Max, OuterRef, QuerySet
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import Neighborhood
from neighborhoods.selectors import list_neighborhoods

from ..geo import BBox
from ..models import RequestStatus, Service, ServiceRequest

logger = logging.getLogger(__name__)

# Below this zoom the map gets one feature per grid cell (count and centre),
# so a city-wide view costs one GROUP BY however many requests there are; at
# street level it gets the requests themselves.
CLUSTER_BELOW_ZOOM = 16
# Street-level views are small, but a burst of reports in one block must not
# produce a megabyte response: the newest are sent, with ``truncated`` set.
MAX_POINTS = 2000
# A cluster cell is about this many screen pixels wide at its zoom.
CLUSTER_CELL_PIXELS = 64
LIST_PAGE_SIZE = 25
# As long as browsers may keep the API's answer (its Cache-Control).
CLUSTER_CACHE_SECONDS = 30
MAX_ZOOM = 22

# Web Mercator stretches north-south; cells this much shorter in latitude look
# square on the city's map. A fixed latitude keeps the grid still while panning.
_CELL_LAT_FACTOR = math.cos(
    math.radians(settings.LEAFLET_CONFIG.get("DEFAULT_CENTER", (0.0, 0.0))[0])
)


@dataclass(frozen=True)
class RequestFilters:
    """What a visitor narrowed the map and list to; empty means "any"."""

    service_group: str = ""
    service_code: str = ""
    status: str = ""
    neighborhood: str = ""  # a neighborhood's slug
    start: date | None = None
    end: date | None = None  # inclusive: the whole day counts


@dataclass(frozen=True)
class RequestListItem:
    """One row of the list: public facts only, ready for a template."""

    public_id: str
    url: str
    service_name: str
    status: str
    status_label: str
    requested_datetime: datetime
    place: str  # the address, or "" for sensitive services
    neighborhood_name: str
    sensitive: bool


@dataclass(frozen=True)
class FilterChoices:
    groups: list[str]
    services: list[tuple[str, list[tuple[str, str]]]]  # (group, [(code, name)])
    neighborhoods: list[Neighborhood]


def filtered_requests(*, filters: RequestFilters) -> QuerySet[ServiceRequest]:
    """Requests matching the filters; dates are whole local days, so "until
    May 3" includes the evening of May 3."""
    qs = ServiceRequest.objects.all()
    if filters.service_group:
        qs = qs.filter(service__group=filters.service_group)
    if filters.service_code:
        qs = qs.filter(service__service_code=filters.service_code)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.neighborhood:
        qs = qs.filter(neighborhood__slug=filters.neighborhood)
    if filters.start:
        qs = qs.filter(requested_datetime__gte=_local_midnight(filters.start))
    if filters.end:
        end = _local_midnight(filters.end + timedelta(days=1))
        qs = qs.filter(requested_datetime__lt=end)
    return qs


def cluster_cell_size(*, zoom: int) -> tuple[float, float]:
    """Longitude and latitude size in degrees of a cluster cell at ``zoom``."""
    lon = 360.0 / (2**zoom) * CLUSTER_CELL_PIXELS / 256
    return lon, lon * _CELL_LAT_FACTOR


def map_features(*, bbox: BBox, zoom: int, filters: RequestFilters) -> dict:
    """A GeoJSON FeatureCollection of the requests in ``bbox`` for the map.

    Below ``CLUSTER_BELOW_ZOOM`` each feature is a grid cell holding requests
    (``count``, the cell's ``bbox``, placed at the mean of its points), grouped
    in SQL. The box is widened to whole cells, so a cell's count does not
    change as the map pans. At street level each feature is one request, the
    newest ``MAX_POINTS`` of them.
    """
    qs = filtered_requests(filters=filters)
    if zoom < CLUSTER_BELOW_ZOOM:
        return _clusters(qs, bbox, zoom, filters)
    return _points(qs, bbox)


def _clusters(qs: QuerySet, bbox: BBox, zoom: int, filters: RequestFilters) -> dict:
    cell_lon, cell_lat = cluster_cell_size(zoom=zoom)
    cells = (
        math.floor(bbox.min_lon / cell_lon),
        math.floor(bbox.min_lat / cell_lat),
        math.ceil(bbox.max_lon / cell_lon),
        math.ceil(bbox.max_lat / cell_lat),
    )
    # Everyone opening the map sees the same city-wide view first: one GROUP
    # BY over all requests then serves them all for a while. The newest id (an
    # index lookup) is part of the key, so a new report shows at once; a
    # change of status may take CLUSTER_CACHE_SECONDS, as in browsers' caches.
    newest = ServiceRequest.objects.aggregate(newest=Max("pk"))["newest"]
    digest = hashlib.sha256(repr((zoom, cells, filters, newest)).encode()).hexdigest()
    key = f"map:clusters:{digest}"
    cached = _cache_get(key)
    if cached is not None:
        return cached
    rows = (
        _within(
            qs,
            BBox(
                min_lon=cells[0] * cell_lon,
                min_lat=cells[1] * cell_lat,
                max_lon=cells[2] * cell_lon,
                max_lat=cells[3] * cell_lat,
            ),
        )
        .annotate(
            cell_row=Floor(F("public_lat") / cell_lat),
            cell_col=Floor(F("public_long") / cell_lon),
        )
        .values("cell_row", "cell_col")
        .annotate(count=Count("pk"), lat=Avg("public_lat"), lon=Avg("public_long"))
        .order_by()
    )
    features = []
    for row in rows:
        r, c = int(row["cell_row"]), int(row["cell_col"])
        features.append(
            {
                "type": "Feature",
                "geometry": _point(row["lon"], row["lat"]),
                "properties": {
                    "cluster": True,
                    "count": row["count"],
                    "bbox": [
                        round(c * cell_lon, 6),
                        round(r * cell_lat, 6),
                        round((c + 1) * cell_lon, 6),
                        round((r + 1) * cell_lat, 6),
                    ],
                },
            }
        )
    # Biggest last, so they are drawn on top.
    features.sort(key=lambda f: f["properties"]["count"])
    data = {
        "type": "FeatureCollection",
        "clustered": True,
        "truncated": False,
        "total": sum(f["properties"]["count"] for f in features),
        "features": features,
    }
    _cache_set(key, data)
    return data


def _points(qs: QuerySet, bbox: BBox) -> dict:
    rows = list(
        _within(qs, bbox)
        .order_by("-requested_datetime", "-pk")
        .values_list(
            "public_id",
            "service__name",
            "status",
            "requested_datetime",
            "public_lat",
            "public_long",
        )[: MAX_POINTS + 1]
    )
    truncated = len(rows) > MAX_POINTS
    url = _request_url_maker()
    features = [
        {
            "type": "Feature",
            "geometry": _point(lon, lat),
            "properties": {
                "public_id": public_id,
                "service": service_name,
                "status": status,
                "requested_datetime": timezone.localtime(requested).isoformat(),
                "url": url(public_id),
            },
        }
        for public_id, service_name, status, requested, lat, lon in rows[:MAX_POINTS]
    ]
    return {
        "type": "FeatureCollection",
        "clustered": False,
        "truncated": truncated,
        "total": len(features),
        "features": features,
    }


def request_list_page(*, filters: RequestFilters, page_number: object) -> Page:
    """One page of matching requests, newest first, as ``RequestListItem``s.

    A page number that is not a number or is past the end gives the first or
    the last page (as a shared link to an old page should still work). The
    items are built here, so the template runs no query.
    """
    qs = (
        filtered_requests(filters=filters)
        .select_related("service", "neighborhood")
        .only(
            "public_id",
            "status",
            "requested_datetime",
            "address",
            "service__name",
            "service__sensitive",
            "neighborhood__name",
        )
        .order_by("-requested_datetime", "-pk")
    )
    page = Paginator(qs, LIST_PAGE_SIZE).get_page(page_number)
    statuses = dict(RequestStatus.choices)
    page.object_list = [
        RequestListItem(
            public_id=r.public_id,
            url=r.get_absolute_url(),
            service_name=r.service.name,
            status=r.status,
            status_label=statuses.get(r.status, r.status),
            requested_datetime=r.requested_datetime,
            place="" if r.service.sensitive else r.address,
            neighborhood_name=r.neighborhood.name if r.neighborhood else "",
            sensitive=r.service.sensitive,
        )
        for r in page.object_list
    ]
    return page


def map_filter_choices() -> FilterChoices:
    """What the filter form offers: the groups and services that have requests
    or can be reported (retired services keep their history on the map), and
    every neighborhood."""
    services = Service.objects.filter(
        Exists(ServiceRequest.objects.filter(service=OuterRef("pk")))
    ) | Service.objects.filter(active=True)
    by_group: dict[str, list[tuple[str, str]]] = {}
    for code, name, group in services.order_by("group", "name").values_list(
        "service_code", "name", "group"
    ):
        by_group.setdefault(group or "Other", []).append((code, name))
    return FilterChoices(
        groups=sorted(g for g in by_group if g != "Other"),
        services=sorted(by_group.items()),
        neighborhoods=list_neighborhoods(),
    )


def _within(qs: QuerySet, bbox: BBox) -> QuerySet:
    return qs.filter(
        public_lat__gte=bbox.min_lat,
        public_lat__lt=bbox.max_lat,
        public_long__gte=bbox.min_lon,
        public_long__lt=bbox.max_lon,
    )


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def _request_url_maker():
    # One reverse() for up to MAX_POINTS links, instead of one per request.
    marker = "__public_id__"
    template = reverse("engagement:request_detail", args=[marker])
    return lambda public_id: template.replace(marker, quote(public_id, safe=""))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _cache_get(key: str) -> dict | None:
    # A broken cache makes the map slower; it must not break it.
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Cache read failed for %s", key)
        return None


def _cache_set(key: str, value: dict) -> None:
    try:
        cache.set(key, value, timeout=CLUSTER_CACHE_SECONDS)
    except Exception:
        logger.exception("Cache write failed for %s", key)

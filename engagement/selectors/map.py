"""Reads for the public map and its list: requests by place, filters and zoom.

Only the public point (``public_lat``/``public_long``) is ever read here: for
sensitive services it is already coarsened, so nothing on the map or in the
list can lead back to the exact place. Reporters, emails and exact points are
never selected.
"""

import hashlib
import logging
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import Neighborhood
from neighborhoods.selectors import list_neighborhoods

from ..geo import BBox
from ..models import MapCell, RequestStatus, Service, ServiceRequest

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
# The finest clustered zoom: ``MapCell`` counts requests per cell of this grid,
# and a cell at any coarser zoom is a block of 2^(MAP_CELL_ZOOM - zoom) x
# 2^(MAP_CELL_ZOOM - zoom) of them, because cell sizes halve per zoom.
MAP_CELL_ZOOM = CLUSTER_BELOW_ZOOM - 1
# The live query selects by a box a hair wider than its cells, then keeps the
# points whose computed cell is inside: a point within a rounding error of a
# cell edge then lands in the same cell as in ``MapCell``.
_EDGE_SLACK = 1e-9

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


def _by_service_and_status(qs: QuerySet, filters: RequestFilters) -> QuerySet:
    """The filters requests and their map cells share: both carry a service
    and a status."""
    if filters.service_group:
        qs = qs.filter(service__group=filters.service_group)
    if filters.service_code:
        qs = qs.filter(service__service_code=filters.service_code)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def filtered_requests(*, filters: RequestFilters) -> QuerySet[ServiceRequest]:
    """Requests matching the filters; dates are whole local days, so "until
    May 3" includes the evening of May 3."""
    qs = _by_service_and_status(ServiceRequest.objects.all(), filters)
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
    (``count``, the cell's ``bbox``, placed at the mean of its points), added
    up from ``MapCell`` or, with a date filter, grouped from the requests. The
    box is widened to whole cells, so a cell's count does not change as the
    map pans. At street level each feature is one request, the newest
    ``MAX_POINTS`` of them.
    """
    qs = filtered_requests(filters=filters)
    if zoom < CLUSTER_BELOW_ZOOM:
        return _clusters(qs, bbox, zoom, filters)
    return _points(qs, bbox)


def map_cell_of(*, lat: float, lon: float) -> tuple[int, int]:
    """The (row, column) of the ``MAP_CELL_ZOOM`` cell holding a public point.

    The same floating-point division and floor as the SQL that groups
    requests, so Python and the database always agree on a point's cell.
    """
    cell_lon, cell_lat = cluster_cell_size(zoom=MAP_CELL_ZOOM)
    return math.floor(lat / cell_lat), math.floor(lon / cell_lon)


def _clusters(qs: QuerySet, bbox: BBox, zoom: int, filters: RequestFilters) -> dict:
    cell_lon, cell_lat = cluster_cell_size(zoom=zoom)
    cells = (
        math.floor(bbox.min_lon / cell_lon),
        math.floor(bbox.min_lat / cell_lat),
        math.ceil(bbox.max_lon / cell_lon),
        math.ceil(bbox.max_lat / cell_lat),
    )
    # Everyone opening the map sees the same city-wide view first, so it is
    # cached for a while. The newest id (an index lookup) is part of the key,
    # so a new report shows at once; a change of status may take
    # CLUSTER_CACHE_SECONDS, as in browsers' caches.
    newest = ServiceRequest.objects.aggregate(newest=Max("pk"))["newest"]
    digest = hashlib.sha256(repr((zoom, cells, filters, newest)).encode()).hexdigest()
    key = f"map:clusters:{digest}"
    cached = _cache_get(key)
    if cached is not None:
        return cached
    if filters.start or filters.end:
        rows = _cells_from_requests(qs, cells, cell_lon, cell_lat)
    else:
        # Without dates every filter is a column of MapCell: add up its fine
        # cells (a few thousand rows for a city) instead of every request.
        rows = _cells_from_map_cells(filters, cells, zoom)
    features = []
    for r, c, count, lat_total, lon_total in rows:
        features.append(
            {
                "type": "Feature",
                "geometry": _point(lon_total / count, lat_total / count),
                "properties": {
                    "cluster": True,
                    "count": count,
                    "bbox": [
                        round(c * cell_lon, 6),
                        round(r * cell_lat, 6),
                        round((c + 1) * cell_lon, 6),
                        round((r + 1) * cell_lat, 6),
                    ],
                },
            }
        )
    # Biggest last, so they are drawn on top; ties in a fixed order, so the
    # same data always gives the same answer.
    features.sort(key=lambda f: (f["properties"]["count"], f["properties"]["bbox"]))
    data = {
        "type": "FeatureCollection",
        "clustered": True,
        "truncated": False,
        "total": sum(f["properties"]["count"] for f in features),
        "features": features,
    }
    _cache_set(key, data)
    return data


Cells = tuple[int, int, int, int]  # min col, min row, end col, end row (exclusive)
CellRow = tuple[int, int, int, float, float]  # row, col, count, lat sum, lon sum


def _cells_from_requests(
    qs: QuerySet, cells: Cells, cell_lon: float, cell_lat: float
) -> list[CellRow]:
    rows = (
        _within(
            qs,
            BBox(
                min_lon=cells[0] * cell_lon - _EDGE_SLACK,
                min_lat=cells[1] * cell_lat - _EDGE_SLACK,
                max_lon=cells[2] * cell_lon + _EDGE_SLACK,
                max_lat=cells[3] * cell_lat + _EDGE_SLACK,
            ),
        )
        .annotate(
            cell_row=Floor(F("public_lat") / cell_lat),
            cell_col=Floor(F("public_long") / cell_lon),
        )
        .filter(
            cell_row__gte=cells[1],
            cell_row__lt=cells[3],
            cell_col__gte=cells[0],
            cell_col__lt=cells[2],
        )
        .values("cell_row", "cell_col")
        .annotate(
            n=Count("pk"), lat_total=Sum("public_lat"), lon_total=Sum("public_long")
        )
        .values_list("cell_row", "cell_col", "n", "lat_total", "lon_total")
        .order_by()
    )
    return [(int(r), int(c), n, lat, lon) for r, c, n, lat, lon in rows]


def _cells_from_map_cells(
    filters: RequestFilters, cells: Cells, zoom: int
) -> list[CellRow]:
    # A coarse cell is the fine cells whose row and column shifted right by
    # ``shift`` bits give it: an arithmetic shift is a floor division by
    # 2^shift on both databases, negative columns (west longitudes) included.
    shift = MAP_CELL_ZOOM - zoom
    qs = MapCell.objects.filter(
        cell_row__gte=cells[1] << shift,
        cell_row__lt=cells[3] << shift,
        cell_col__gte=cells[0] << shift,
        cell_col__lt=cells[2] << shift,
    )
    qs = _by_service_and_status(qs, filters)
    if filters.neighborhood:
        qs = qs.filter(
            neighborhood_key__in=Subquery(
                Neighborhood.objects.filter(slug=filters.neighborhood).values("pk")
            )
        )
    rows = (
        qs.annotate(
            coarse_row=F("cell_row").bitrightshift(shift),
            coarse_col=F("cell_col").bitrightshift(shift),
        )
        .values("coarse_row", "coarse_col")
        .annotate(n=Sum("count"), lat_total=Sum("lat_sum"), lon_total=Sum("long_sum"))
        .values_list("coarse_row", "coarse_col", "n", "lat_total", "lon_total")
        .order_by()
    )
    return list(rows)


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
    if truncated:
        del rows[MAX_POINTS:]
    # Up to MAX_POINTS features per answer, so each is built with as little
    # work as possible: one reverse() for all links, the active zone looked up
    # once, and no helper call per row.
    prefix, suffix = _request_url_parts()
    zone = timezone.get_current_timezone()
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(lon, 6), round(lat, 6)],
            },
            "properties": {
                "public_id": public_id,
                "service": service_name,
                "status": status,
                "requested_datetime": requested.astimezone(zone).isoformat(),
                "url": prefix + _url_safe(public_id) + suffix,
            },
        }
        for public_id, service_name, status, requested, lat, lon in rows
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


# Characters a URL path segment keeps as they are: generated public ids are
# made of these only, so quoting is needed just for unusual imported ones.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def _url_safe(public_id: str) -> str:
    return public_id if _UNRESERVED(public_id) else quote(public_id, safe="")


def _request_url_parts() -> tuple[str, str]:
    # A request's link is the same text around its public id: reversed once
    # and split, instead of one reverse() per request.
    marker = "__public_id__"
    prefix, suffix = reverse("engagement:request_detail", args=[marker]).split(
        marker, 1
    )
    return prefix, suffix


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

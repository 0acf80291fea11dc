"""``GET /api/requests.geojson``: the map's data, clustered below street level."""

import math

import orjson
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ..geo import BBox
from ..selectors.map import CLUSTER_CACHE_SECONDS, MAX_ZOOM, map_features
from .map import RequestFilterForm

# Maps ask again on every pan; a short shared cache absorbs the repeats
# without showing a new report late by more than half a minute.
CACHE_SECONDS = CLUSTER_CACHE_SECONDS


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message says why."""


@require_GET
def requests_geojson(request: HttpRequest) -> HttpResponse:
    """A GeoJSON FeatureCollection of the requests in ``bbox`` matching the
    filters: clusters below ``CLUSTER_BELOW_ZOOM``, requests above it. Only
    public points and public fields are returned."""
    try:
        bbox = parse_bbox(request.GET.get("bbox"))
        zoom = parse_zoom(request.GET.get("zoom"))
    except BadParameter as exc:
        return _bad(str(exc))
    form = RequestFilterForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return _bad(errors[0] if field == "__all__" else f"{field}: {errors[0]}")
    data = map_features(bbox=bbox, zoom=zoom, filters=form.filters())
    # A street-level answer holds up to MAX_POINTS features; orjson encodes
    # them several times faster than the standard library's encoder.
    response = HttpResponse(orjson.dumps(data), content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def parse_bbox(value: str | None) -> BBox:
    """``minlon,minlat,maxlon,maxlat`` in degrees, as a BBox."""
    if not value:
        raise BadParameter("bbox is required, as minlon,minlat,maxlon,maxlat.")
    parts = value.split(",")
    if len(parts) != 4:
        raise BadParameter(
            f"bbox must be 4 numbers (minlon,minlat,maxlon,maxlat), got {len(parts)}."
        )
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise BadParameter("bbox must be 4 numbers separated by commas.") from None
    if not all(math.isfinite(n) for n in (min_lon, min_lat, max_lon, max_lat)):
        raise BadParameter("bbox must be 4 finite numbers.")
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise BadParameter("bbox longitudes must be between -180 and 180.")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise BadParameter("bbox latitudes must be between -90 and 90.")
    if min_lon > max_lon or min_lat > max_lat:
        raise BadParameter("bbox minimums must not be greater than its maximums.")
    return BBox(min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat)


def parse_zoom(value: str | None) -> int:
    """A whole map zoom level from 0 to ``MAX_ZOOM``."""
    if value is None or value == "":
        raise BadParameter(f"zoom is required, a whole number from 0 to {MAX_ZOOM}.")
    try:
        zoom = int(value)
    except ValueError:
        raise BadParameter(
            f"zoom must be a whole number from 0 to {MAX_ZOOM}."
        ) from None
    if not 0 <= zoom <= MAX_ZOOM:
        raise BadParameter(f"zoom must be a whole number from 0 to {MAX_ZOOM}.")
    return zoom


def _bad(reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=400)

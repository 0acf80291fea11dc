"""Pure GeoJSON geometry helpers: no database, no Django.

Boundaries are stored as plain GeoJSON (WGS84 longitude/latitude) so that no
GDAL is needed; shapely does the geometry in memory.
"""

import itertools
import json
import math
from typing import Any

from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.validation import make_valid

POLYGONAL_TYPES = ("Polygon", "MultiPolygon")

# WGS84 semi-major axis, as used by turf.js and Mapbox's geojson-area.
EARTH_RADIUS_M = 6_378_137.0
SQUARE_METERS_PER_SQUARE_MILE = 2_589_988.110336
SQUARE_METERS_PER_ACRE = 4_046.8564224


class GeometryError(ValueError):
    """A GeoJSON geometry that cannot be used as a neighborhood boundary."""


def to_shape(geometry: Any) -> BaseGeometry:
    """Parse a GeoJSON geometry object, turning every malformed-input failure
    (shapely raises half a dozen exception types) into one ``GeometryError``."""
    if not isinstance(geometry, dict):
        raise GeometryError("the geometry is not a GeoJSON object")
    try:
        return shape(geometry)
    except (GEOSException, ValueError, TypeError, IndexError, KeyError) as exc:
        raise GeometryError(f"malformed coordinates ({exc})") from exc
    except AttributeError as exc:
        raise GeometryError("malformed coordinates") from exc


def polygonal_part(geom: BaseGeometry) -> Polygon | MultiPolygon | None:
    """The area-bearing part of ``geom``: ``make_valid`` may return a
    GeometryCollection mixing polygons with stray lines or points, and only the
    polygons describe where a neighborhood is."""
    if geom.is_empty:
        return None
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [
        g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)
    ]
    if not parts:
        return None
    merged = unary_union(parts)
    return merged if isinstance(merged, Polygon | MultiPolygon) else None


def repair(geom: BaseGeometry) -> Polygon | MultiPolygon | None:
    """Repair a self-intersecting polygon, or ``None`` when nothing with an area
    is left (a ring collapsed to a line, say). Real city files do contain such
    rings: Boston's Hyde Park polygon self-intersects at one vertex."""
    for fix in (make_valid, lambda g: g.buffer(0)):
        part = polygonal_part(fix(geom))
        if part is not None and part.is_valid and part.area > 0:
            return part
    return None


def is_lon_lat(geom: BaseGeometry) -> bool:
    """Whether the coordinates can be longitude/latitude at all: projected
    files (state plane feet, UTM metres) fail this loudly instead of producing
    neighborhoods in the middle of nowhere."""
    min_x, min_y, max_x, max_y = geom.bounds
    return -180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90


def to_geojson(geom: BaseGeometry) -> dict:
    """GeoJSON for ``geom`` in exactly the form a JSONField gives back, so a
    stored boundary and a freshly parsed one compare equal."""
    return normalize_geojson(mapping(geom))


def normalize_geojson(geometry: dict) -> dict:
    """Only ``type`` and ``coordinates``, with lists instead of tuples: the
    shape a JSON round trip produces, so equality means "same boundary"."""
    return json.loads(
        json.dumps({"type": geometry["type"], "coordinates": geometry["coordinates"]})
    )


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a GeoJSON geometry."""
    return to_shape(geometry).bounds


def _ring_area(ring: list) -> float:
    # Chamberlain & Duquette, "Some algorithms for polygons on a sphere"
    # (JPL, 2007), as in turf.js: accurate to well under 1% at city scale,
    # without a projection library.
    total = 0.0
    for (lon1, lat1, *_), (lon2, lat2, *_) in itertools.pairwise(ring):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total * EARTH_RADIUS_M * EARTH_RADIUS_M / 2)


def _polygon_area(rings: list) -> float:
    if not rings:
        return 0.0
    outer, *holes = rings
    return max(_ring_area(outer) - sum(_ring_area(h) for h in holes), 0.0)


def geodesic_area_m2(geometry: dict) -> float:
    """Area on the ground, in square metres, of a Polygon or MultiPolygon given
    in longitude/latitude degrees (a planar area in degrees means nothing)."""
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        return _polygon_area(coordinates)
    if geometry.get("type") == "MultiPolygon":
        return sum(_polygon_area(polygon) for polygon in coordinates)
    return 0.0


def simplified_geojson(geometry: dict, *, tolerance: float, digits: int) -> dict:
    """A lighter copy of ``geometry`` for drawing on a map: Boston's 26
    boundaries weigh 1.4 MB as published and about 70 kB simplified to a few
    metres, which no one can tell apart at city zoom."""
    geom = to_shape(geometry).simplify(tolerance, preserve_topology=True)
    return {
        "type": geom.geom_type,
        "coordinates": _rounded(mapping(geom)["coordinates"], digits),
    }


def _rounded(coordinates: Any, digits: int) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(value, digits) for value in coordinates[:2]]
    return [_rounded(part, digits) for part in coordinates]

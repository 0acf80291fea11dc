"""Small geographic helpers on plain latitude/longitude (no GDAL needed)."""

import math
from dataclasses import dataclass

from neighborhoods.selectors import neighborhood_containing

EARTH_RADIUS_M = 6_371_008.8
# About 250 m north-south; east-west cells are widened by 1/cos(latitude).
COARSE_CELL_DEGREES = 0.00225


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine): exact enough for a city."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bbox_around(lat: float, lon: float, radius_m: float) -> BBox:
    """The box that holds every point within ``radius_m``: an index prefilter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return BBox(lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def coarsen_point(*, lat: float, lon: float) -> tuple[float, float]:
    """A public stand-in for a sensitive location: the centre of its ~250 m cell.

    The same place always maps to the same point, so many reports cannot be
    averaged back to the exact spot. The stand-in stays in the same
    neighborhood as the real point: if the cell centre falls elsewhere, the
    nearest neighbouring cell centre inside it is used, and failing that a
    point rounded to about 100 m.
    """
    home = neighborhood_containing(lat=lat, lon=lon)
    cell_lat = COARSE_CELL_DEGREES
    row = math.floor(lat / cell_lat)
    centre_lat = (row + 0.5) * cell_lat
    cell_lon = COARSE_CELL_DEGREES / math.cos(math.radians(centre_lat))
    col = math.floor(lon / cell_lon)
    candidates = [
        ((row + dr + 0.5) * cell_lat, (col + dc + 0.5) * cell_lon)
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
    ]
    candidates.sort(key=lambda p: distance_m(lat, lon, p[0], p[1]))
    for c_lat, c_lon in candidates:
        if _same_neighborhood(home, c_lat, c_lon):
            return round(c_lat, 6), round(c_lon, 6)
    rounded = (round(lat, 3), round(lon, 3))
    if _same_neighborhood(home, *rounded):
        return rounded
    return round(lat, 4), round(lon, 4)


def _same_neighborhood(home, lat: float, lon: float) -> bool:
    other = neighborhood_containing(lat=lat, lon=lon)
    return (other.pk if other else None) == (home.pk if home else None)

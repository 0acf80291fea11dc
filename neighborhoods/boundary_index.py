"""The in-memory index behind ``neighborhood_containing``.

Every new service request asks which neighborhood its point is in, so the
boundaries are parsed and prepared once per process rather than per call.
Staying correct when boundaries change takes two signals:

- in this process, saving or deleting a ``Neighborhood`` drops the index at
  once (``boundaries_changed``), so the next lookup sees the change, even inside
  the same transaction;
- for changes made by any other process (another ASGI worker, a management
  command, a Celery worker), each process compares a signature of the table
  (row count, highest id, latest ``updated``) with the one its index was built
  from, at most every ``VERSION_CHECK_SECONDS``: one small aggregate query,
  so lookups in between cost nothing. The signature lives in the database
  itself, so this works without a shared cache (the embedded default) and
  never hands out a neighborhood whose row is gone for longer than that.
"""

import copy
import logging
import threading
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from shapely import prepared
from shapely.geometry import Point
from shapely.prepared import PreparedGeometry

from . import geometry
from .models import Neighborhood

logger = logging.getLogger(__name__)

VERSION_CHECK_SECONDS = 1.0

# Looked up at call time so tests can move the clock instead of sleeping.
_clock = time.monotonic


@dataclass(frozen=True)
class _Entry:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    shape: PreparedGeometry
    neighborhood: Neighborhood


@dataclass(frozen=True)
class _Index:
    version: str
    entries: tuple[_Entry, ...]


_lock = threading.Lock()
_index: _Index | None = None
_next_check = 0.0


def find(*, lat: float, lon: float) -> Neighborhood | None:
    """See ``selectors.neighborhood_containing``."""
    point = Point(lon, lat)
    for entry in _current_index().entries:
        if not (
            entry.min_lon <= lon <= entry.max_lon
            and entry.min_lat <= lat <= entry.max_lat
        ):
            continue
        if entry.shape.covers(point):
            # A copy, so no caller can change the instance other callers get.
            return copy.copy(entry.neighborhood)
    return None


def boundaries_changed(*, using: str = "default") -> None:
    """Forget the index now, and again once the change commits: another
    thread may rebuild from the old rows in between."""
    _forget()
    transaction.on_commit(_forget, using=using)


def reset() -> None:
    """Drop all local state; for tests, whose rolled-back rows leave no signal."""
    global _next_check
    with _lock:
        _forget()
        _next_check = 0.0


def _forget() -> None:
    global _index
    _index = None


def _database_signature() -> str:
    """Changes whenever a neighborhood is added, deleted or saved."""
    row = Neighborhood.objects.aggregate(
        n=Count("pk"), last_id=Max("pk"), last_change=Max("updated")
    )
    last_change = row["last_change"].isoformat() if row["last_change"] else ""
    return f"{row['n']}:{row['last_id']}:{last_change}"


def _current_index() -> _Index:
    global _index, _next_check
    with _lock:
        now = _clock()
        if _index is not None and now < _next_check:
            return _index
        version = _database_signature()
        if _index is None or version != _index.version:
            # The signature is read before the rows: if a change lands in
            # between, the index is tagged older than its data and is merely
            # rebuilt once more, never kept stale.
            _index = _build(version)
        _next_check = now + VERSION_CHECK_SECONDS
        return _index


def _build(version: str) -> _Index:
    # The instances handed back to callers carry no boundary: it is megabytes
    # of JSON that the prepared shapes already stand for.
    light = {n.pk: n for n in Neighborhood.objects.defer("boundary")}
    entries = []
    for pk, boundary in Neighborhood.objects.values_list("pk", "boundary"):
        neighborhood = light.get(pk)
        if neighborhood is None:  # created between the two queries
            continue
        try:
            shape = geometry.to_shape(boundary)
        except geometry.GeometryError:
            logger.warning("Neighborhood %s has an unreadable boundary", pk)
            continue
        if not shape.is_valid:
            shape = geometry.repair(shape) or shape
        min_lon, min_lat, max_lon, max_lat = shape.bounds
        entries.append(
            _Entry(
                min_lon=min_lon,
                min_lat=min_lat,
                max_lon=max_lon,
                max_lat=max_lat,
                shape=prepared.prep(shape),
                neighborhood=neighborhood,
            )
        )
    # Name order decides a point exactly on a shared edge, so the answer for
    # the same point never changes from one call to the next.
    entries.sort(key=lambda e: (e.neighborhood.name, e.neighborhood.pk))
    return _Index(version=version, entries=tuple(entries))

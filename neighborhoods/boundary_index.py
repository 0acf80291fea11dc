"""The in-memory index behind ``neighborhood_containing``.

Every new service request asks which neighborhood its point is in, so the
boundaries are parsed and prepared once per process rather than per call.
Staying correct when boundaries change takes two signals:

- in this process, saving or deleting a ``Neighborhood`` drops the index at
  once (``boundaries_changed``), so the next lookup sees the change, even inside
  the same transaction;
- for every other process (other ASGI workers, Celery workers), the change
  stores a new version token in Django's cache once the transaction commits.
  Each process compares its token with the cache at most every
  ``VERSION_CHECK_SECONDS``, so a lookup costs no cache round trip; the price is
  that other processes may answer from the old boundaries for that long.

With the default local-memory cache the token is per process, which is right
for the single-process default; with Redis it is shared.
"""

import copy
import logging
import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from shapely import prepared
from shapely.geometry import Point
from shapely.prepared import PreparedGeometry

from . import geometry
from .models import Neighborhood

logger = logging.getLogger(__name__)

VERSION_CACHE_KEY = "neighborhoods:boundaries-version"
VERSION_CHECK_SECONDS = 5.0

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
    """Forget the index now, and tell other processes once the change commits
    (telling them earlier would let them rebuild from the old rows)."""
    _forget()
    transaction.on_commit(_publish_new_version, using=using)


def reset() -> None:
    """Drop all local state; for tests, whose rolled-back rows leave no signal."""
    global _next_check
    with _lock:
        _forget()
        _next_check = 0.0


def _forget() -> None:
    global _index
    _index = None


def _publish_new_version() -> None:
    # Also forget locally: another thread may have rebuilt from the old rows
    # between the save and the commit.
    _forget()
    try:
        cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # A broken cache must not undo a committed change; other processes
        # catch up when the cache is back and the next change is published.
        logger.exception("Could not publish the new neighborhood boundaries version")


def _shared_version() -> str | None:
    try:
        version = cache.get(VERSION_CACHE_KEY)
        if version is None:
            cache.add(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_CACHE_KEY)
    except Exception:
        logger.exception("Could not read the neighborhood boundaries version")
        return None
    return version


def _current_index() -> _Index:
    global _index, _next_check
    with _lock:
        now = _clock()
        if _index is not None and now < _next_check:
            return _index
        version = _shared_version()
        if _index is None or (version is not None and version != _index.version):
            # The version is read before the rows: if a change lands in
            # between, the index is tagged older than its data and is merely
            # rebuilt once more, never kept stale.
            _index = _build(version or "")
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

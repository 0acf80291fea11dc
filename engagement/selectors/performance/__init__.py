"""Public performance figures: how fast the city closes what residents report,
per department, per service and per neighborhood, over a chosen period.

Every figure is an SQL aggregate (COUNT/GROUP BY); medians and 90th
percentiles are picked out with window functions (ROW_NUMBER and COUNT over a
partition, supported by SQLite >= 3.25 and PostgreSQL), so at most two rows per
group leave the database, however many requests there are. The whole report is
cached under the period and a data version, so a change to any request shows
at once while repeated visits cost one cheap query.

The definitions here are the ones the methodology section of the page states;
change one only with the other.
"""

import hashlib
import logging
from bisect import bisect_left
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from ...models import ServiceRequest
from .aggregates import build_report
from .figures import (
    NEIGHBORHOOD_SORTS,
    GroupFigures,
    PerformancePeriod,
    PerformanceReport,
    TimeBucket,
)

__all__ = [
    "NEIGHBORHOOD_SORTS",
    "GroupFigures",
    "PerformancePeriod",
    "PerformanceReport",
    "TimeBucket",
    "choropleth_classes",
    "default_performance_period",
    "performance_report",
    "sort_neighborhoods",
]

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60 * 60
DEFAULT_PERIOD_DAYS = 365


def default_performance_period() -> PerformancePeriod:
    """The twelve months up to the newest close (or report, if none closed).

    Ending at the city's latest recorded work rather than today keeps the
    default useful where data arrives late or is an old export (the demo's
    Boston data ends in 2025, while its demo reports are filed today):
    twelve months with no closes would show no times to close at all. In a
    working city the newest close is today or yesterday anyway.
    """
    row = ServiceRequest.objects.aggregate(
        closed=Max("closed_datetime"), reported=Max("requested_datetime")
    )
    newest = row["closed"] or row["reported"]
    end = timezone.localdate(newest) if newest else timezone.localdate()
    return PerformancePeriod(
        start=end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end=end
    )


def performance_report(*, period: PerformancePeriod) -> PerformanceReport:
    """Every figure of the performance page for requests reported in ``period``.

    Cached under the period and a data version (the newest update, the number
    of requests and the largest id), so an edit, a new report or a deletion
    changes the key and the page is never staler than the data.
    """
    version = ServiceRequest.objects.aggregate(
        updated=Max("updated_datetime"), count=Count("pk"), top=Max("pk")
    )
    digest = hashlib.sha256(repr((period, version)).encode()).hexdigest()
    key = f"performance:report:{digest}"
    cached = _cache_get(key)
    if cached is not None:
        return cached
    report = build_report(period=period)
    _cache_set(key, report)
    return report


def sort_neighborhoods(
    *, rows: list[GroupFigures], sort: str, descending: bool
) -> list[GroupFigures]:
    """The neighborhood table in the order a visitor asked for; rows without
    a value (no population, nothing closed) always go last, so sorting never
    puts "unknown" at the top as if it were the best or the worst."""
    if sort not in NEIGHBORHOOD_SORTS:
        sort = "name"
    if sort == "name":
        return sorted(rows, key=lambda r: r.name.lower(), reverse=descending)
    known = [r for r in rows if getattr(r, sort) is not None]
    unknown = [r for r in rows if getattr(r, sort) is None]
    known.sort(key=lambda r: (getattr(r, sort), r.name.lower()), reverse=descending)
    return known + sorted(unknown, key=lambda r: r.name.lower())


def choropleth_classes(
    *, rows: list[GroupFigures], metric: str, classes: int = 5
) -> dict[str, int]:
    """The shade (0 to ``classes`` - 1) of each neighborhood with a value, by
    equal-count (quantile) classes, so a few extreme areas do not wash every
    other one into the same colour. Keys are neighborhood slugs."""
    values = sorted(getattr(r, metric) for r in rows if getattr(r, metric) is not None)
    result = {}
    for row in rows:
        value = getattr(row, metric)
        if value is not None:
            # Equal values share a class: the class of their first rank.
            result[row.key] = bisect_left(values, value) * classes // len(values)
    return result


def _cache_get(key: str) -> PerformanceReport | None:
    # A broken cache makes the page slower; it must not break it.
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Cache read failed for %s", key)
        return None


def _cache_set(key: str, value: PerformanceReport) -> None:
    try:
        cache.set(key, value, timeout=CACHE_SECONDS)
    except Exception:
        logger.exception("Cache write failed for %s", key)

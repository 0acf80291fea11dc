"""The few numbers a neighborhood's page leads with: what is open, what got
fixed, and how long a fix usually takes there."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from neighborhoods.models import Neighborhood

from ..models import RequestStatus, ServiceRequest

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class NeighborhoodFigures:
    open_requests: int
    closed_requests: int
    median_days_to_close: float | None  # None until something has closed

    @property
    def total_requests(self) -> int:
        return self.open_requests + self.closed_requests


def _closed_q() -> Q:
    # As on the performance page: a close time before the report is a data
    # error and would give a negative time to close.
    return Q(
        status=RequestStatus.CLOSED,
        closed_datetime__isnull=False,
        closed_datetime__gte=F("requested_datetime"),
    )


def neighborhood_figures(*, neighborhood: Neighborhood) -> NeighborhoodFigures:
    """Open and closed requests of all time, and the median time to close.

    Three queries whatever the neighborhood's size: one count, and the median
    read from the one or two middle rows of the closed requests ordered by
    their time to close (never loading the rest).
    """
    requests = ServiceRequest.objects.filter(neighborhood=neighborhood)
    counts = requests.aggregate(
        open=Count("pk", filter=Q(status=RequestStatus.OPEN)),
        closed=Count("pk", filter=Q(status=RequestStatus.CLOSED)),
        measurable=Count("pk", filter=_closed_q()),
    )
    median = None
    measurable = counts["measurable"]
    if measurable:
        duration = ExpressionWrapper(
            F("closed_datetime") - F("requested_datetime"),
            output_field=DurationField(),
        )
        ordered = (
            requests.filter(_closed_q())
            .annotate(duration=duration)
            .order_by("duration", "pk")
            .values_list("duration", flat=True)
        )
        first = (measurable - 1) // 2
        middle = [_as_timedelta(v) for v in ordered[first : measurable // 2 + 1]]
        median = round(
            (sum(middle, timedelta()) / len(middle)).total_seconds() / SECONDS_PER_DAY,
            1,
        )
    return NeighborhoodFigures(
        open_requests=counts["open"],
        closed_requests=counts["closed"],
        median_days_to_close=median,
    )


def _as_timedelta(value: object) -> timedelta:
    # SQLite returns the difference as microseconds on some paths.
    if isinstance(value, timedelta):
        return value
    return timedelta(microseconds=int(value))

"""The SQL behind the performance figures: one GROUP BY per level for the
counts, two window-function queries per level for the quantiles, two for the
weekly series. Nothing here loops over requests in Python."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber, TruncMonth, TruncWeek
from django.utils import timezone

from neighborhoods.models import Neighborhood

from ...models import (
    Department,
    FixStatus,
    RequestStatus,
    Service,
    ServiceRequest,
)
from .figures import GroupFigures, PerformancePeriod, PerformanceReport, TimeBucket

# Beyond about two years a weekly chart has too many bars to read: months then.
WEEKLY_UP_TO_DAYS = 731
SECONDS_PER_DAY = 86400

# A fix the reporter (or supporters) answered for; "pending" is still waiting
# for an answer, so it is not counted either way.
_ANSWERED_FIX = (FixStatus.VERIFIED, FixStatus.DISPUTED, FixStatus.UNCONFIRMED)


def build_report(*, period: PerformancePeriod) -> PerformanceReport:
    """Every figure for requests reported in ``period``, uncached (callers
    use ``performance_report``, which caches). Every neighborhood gets a row,
    even with no requests, so the map and table show where nothing was
    reported instead of leaving it out."""
    start = _local_midnight(period.start)
    end = _local_midnight(period.end + timedelta(days=1))
    bucket = "week" if period.days <= WEEKLY_UP_TO_DAYS else "month"

    city = _group_figures(start, end, None)
    departments = _group_figures(start, end, "service__department_id")
    services = _group_figures(start, end, "service_id")
    neighborhoods = _group_figures(start, end, "neighborhood_id")

    city_figures = city.get(0) or GroupFigures(key="city", name="Whole city")
    city_figures.key, city_figures.name = "city", "Whole city"

    dept_names = {
        pk: (code, name)
        for pk, code, name in Department.objects.values_list("pk", "code", "name")
    }
    for pk, row in departments.items():
        row.key, row.name = dept_names.get(pk, ("", "No department"))

    service_rows = Service.objects.filter(
        pk__in=[k for k in services if k]
    ).values_list("pk", "service_code", "name", "department__name")
    for pk, code, name, department in service_rows:
        row = services[pk]
        row.key, row.name, row.department = code, name, department or "No department"

    hoods = {
        n.pk: n for n in Neighborhood.objects.only("pk", "slug", "name", "population")
    }
    hood_rows = []
    for pk, hood in hoods.items():
        row = neighborhoods.get(pk) or GroupFigures(key="", name="")
        row.key, row.name, row.population = hood.slug, hood.name, hood.population
        hood_rows.append(row)

    return PerformanceReport(
        period=period,
        bucket=bucket,
        city=city_figures,
        departments=sorted(departments.values(), key=lambda r: r.name.lower()),
        services=sorted(
            (r for k, r in services.items() if k is not None),
            key=lambda r: (r.department.lower(), r.name.lower()),
        ),
        neighborhoods=sorted(hood_rows, key=lambda r: r.name.lower()),
        series=_series(period, start, end, bucket),
    )


def _closed_q() -> Q:
    # Closed with a close time no earlier than the report: a close time before
    # the report is a data error and would give a negative time to close.
    return Q(
        status=RequestStatus.CLOSED,
        closed_datetime__isnull=False,
        closed_datetime__gte=F("requested_datetime"),
    )


def _group_figures(
    start: datetime, end: datetime, group: str | None
) -> dict[object, GroupFigures]:
    """Counts and quantiles per value of ``group`` (one row when None)."""
    reported = Q(requested_datetime__gte=start)
    closed = reported & _closed_q()
    qs = ServiceRequest.objects.filter(requested_datetime__lt=end)
    counts = {
        "requests": Count("pk", filter=reported),
        "closed": Count("pk", filter=closed),
        # Reported by the end of the period and not closed by then.
        "open_backlog": Count(
            "pk",
            filter=Q(status=RequestStatus.OPEN) | Q(closed_datetime__gte=end),
        ),
        "on_time": Count("pk", filter=closed & Q(on_time=True)),
        "on_time_known": Count("pk", filter=closed & Q(on_time__isnull=False)),
        "reopened_or_disputed": Count(
            "pk",
            filter=closed & (Q(reopened=True) | Q(fix_status=FixStatus.DISPUTED)),
        ),
        "fix_answered": Count("pk", filter=closed & Q(fix_status__in=_ANSWERED_FIX)),
        "verified": Count("pk", filter=closed & Q(fix_status=FixStatus.VERIFIED)),
    }
    # Prefixed: an aggregate may not share a name with a field it filters on.
    counts = {f"n_{name}": aggregate for name, aggregate in counts.items()}
    if group is None:
        rows = [{"g": 0, **qs.aggregate(**counts)}]
    else:
        rows = qs.values(g=F(group)).annotate(**counts).order_by()
    figures = {}
    for row in rows:
        g = row.pop("g")
        figures[g] = GroupFigures(
            key="", name="", **{name[2:]: value for name, value in row.items()}
        )
    for g, (median, p90) in _close_time_quantiles(start, end, group).items():
        if g in figures:
            figures[g].median_days = median
            figures[g].p90_days = p90
    return figures


def _close_time_quantiles(
    start: datetime, end: datetime, group: str | None
) -> dict[object, tuple[float | None, float | None]]:
    """Median and 90th percentile of the time to close, in days, per group.

    Each closed request gets its rank by time to close within its group and
    the group's size (window functions); the database then returns only the
    one or two middle rows and the nearest-rank 90th-percentile row.
    """
    duration = ExpressionWrapper(
        F("closed_datetime") - F("requested_datetime"), output_field=DurationField()
    )
    partition = [F(group)] if group else None
    ranked = (
        ServiceRequest.objects.filter(
            _closed_q(), requested_datetime__gte=start, requested_datetime__lt=end
        )
        .annotate(
            g=F(group) if group else Value(0),
            duration=duration,
            rank=Window(
                RowNumber(),
                partition_by=partition,
                order_by=[duration.asc(), F("pk").asc()],
            ),
            size=Window(Count("pk"), partition_by=partition),
        )
        .order_by()
    )
    # Middle rows: 2 * rank in [size, size + 2] is rank (size+1)/2 when size is
    # odd, and ranks size/2 and size/2 + 1 when it is even.
    middle = ranked.filter(size__lte=F("rank") * 2, size__gte=F("rank") * 2 - 2)
    # Nearest rank: the smallest rank with rank >= 0.9 * size.
    ninetieth = ranked.filter(size__lte=F("rank") * 10 / 9.0).filter(
        size__gt=(F("rank") - 1) * 10 / 9.0
    )
    medians: dict[object, list[timedelta]] = {}
    for g, value in middle.values_list("g", "duration"):
        medians.setdefault(g, []).append(_as_timedelta(value))
    result: dict[object, tuple[float | None, float | None]] = {
        g: (_days(sum(values, timedelta()) / len(values)), None)
        for g, values in medians.items()
    }
    for g, value in ninetieth.values_list("g", "duration"):
        result[g] = (result.get(g, (None, None))[0], _days(_as_timedelta(value)))
    return result


def _series(
    period: PerformancePeriod, start: datetime, end: datetime, bucket: str
) -> list[TimeBucket]:
    """Opened (by report time) and closed (by close time) per week or month."""
    trunc = TruncWeek if bucket == "week" else TruncMonth
    opened = (
        ServiceRequest.objects.filter(
            requested_datetime__gte=start, requested_datetime__lt=end
        )
        .annotate(b=trunc("requested_datetime"))
        .values("b")
        .annotate(n=Count("pk"))
        .order_by()
    )
    closed = (
        ServiceRequest.objects.filter(
            status=RequestStatus.CLOSED,
            closed_datetime__gte=start,
            closed_datetime__lt=end,
        )
        .annotate(b=trunc("closed_datetime"))
        .values("b")
        .annotate(n=Count("pk"))
        .order_by()
    )
    buckets: dict[date, TimeBucket] = {}
    day = _bucket_start(period.start, bucket)
    while day <= period.end:
        buckets[day] = TimeBucket(start=day)
        day = _next_bucket(day, bucket)
    for row in opened:
        buckets.setdefault(
            _as_date(row["b"]), TimeBucket(_as_date(row["b"]))
        ).opened = row["n"]
    for row in closed:
        buckets.setdefault(
            _as_date(row["b"]), TimeBucket(_as_date(row["b"]))
        ).closed = row["n"]
    return [buckets[d] for d in sorted(buckets)]


def _bucket_start(day: date, bucket: str) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_bucket(day: date, bucket: str) -> date:
    if bucket == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).date()
            if timezone.is_aware(value)
            else value.date()
        )
    return value


def _as_timedelta(value: object) -> timedelta:
    # SQLite returns the difference as microseconds on some paths.
    if isinstance(value, timedelta):
        return value
    return timedelta(microseconds=int(value))


def _days(value: timedelta) -> float:
    return round(value.total_seconds() / SECONDS_PER_DAY, 2)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))

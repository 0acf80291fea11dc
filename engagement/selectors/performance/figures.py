"""The shapes of the performance figures: plain data, cacheable and easy to
write out as CSV or JSON."""

from dataclasses import asdict, dataclass, field
from datetime import date

NEIGHBORHOOD_SORTS = ("name", "requests", "per_1000", "median_days", "closed")


@dataclass(frozen=True)
class PerformancePeriod:
    """Requests reported from ``start`` to ``end``, both whole local days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class GroupFigures:
    """The figures of one department, service, neighborhood or the city."""

    key: str
    name: str
    requests: int = 0
    closed: int = 0
    open_backlog: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    on_time: int = 0
    on_time_known: int = 0
    reopened_or_disputed: int = 0
    fix_answered: int = 0
    verified: int = 0
    population: int | None = None
    department: str = ""  # services only: their department's name

    @property
    def on_time_share(self) -> float | None:
        return _share(self.on_time, self.on_time_known)

    @property
    def reopened_or_disputed_share(self) -> float | None:
        return _share(self.reopened_or_disputed, self.closed)

    @property
    def verified_share(self) -> float | None:
        return _share(self.verified, self.fix_answered)

    @property
    def per_1000(self) -> float | None:
        if not self.population:
            return None
        return round(self.requests * 1000 / self.population, 2)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            on_time_share=self.on_time_share,
            reopened_or_disputed_share=self.reopened_or_disputed_share,
            verified_share=self.verified_share,
            per_1000=self.per_1000,
        )
        return data


@dataclass
class TimeBucket:
    start: date
    opened: int = 0
    closed: int = 0


@dataclass
class PerformanceReport:
    period: PerformancePeriod
    bucket: str  # "week" or "month"
    city: GroupFigures
    departments: list[GroupFigures] = field(default_factory=list)
    services: list[GroupFigures] = field(default_factory=list)
    neighborhoods: list[GroupFigures] = field(default_factory=list)
    series: list[TimeBucket] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.city.requests == 0 and self.city.open_backlog == 0


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None

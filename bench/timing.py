"""Timing: run a callable a few times, keep every sample, summarise honestly.

Percentiles use the nearest-rank method on the samples themselves: with 20
runs, p95 is the 19th fastest, not an interpolation between two runs.
"""

import gc
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Timing:
    """One measured thing: every sample in milliseconds, and its summary."""

    name: str
    samples_ms: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def p99(self) -> float:
        return percentile(self.samples_ms, 99)

    def summary(self) -> dict:
        return {
            "name": self.name,
            "runs": len(self.samples_ms),
            "median_ms": round(self.median, 3),
            "p95_ms": round(self.p95, 3),
            "p99_ms": round(self.p99, 3),
            "min_ms": round(min(self.samples_ms), 3) if self.samples_ms else None,
            "note": self.note,
        }

    def as_dict(self) -> dict:
        return {**asdict(self), **self.summary()}


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def measure(
    name: str,
    fn: Callable[[], object],
    *,
    repeat: int,
    warmup: int = 1,
    before_each: Callable[[], object] | None = None,
    note: str = "",
) -> Timing:
    """Time ``fn`` ``repeat`` times after ``warmup`` untimed runs.

    ``before_each`` (untimed) resets state between runs, e.g. clears a cache
    to measure the cold path. The garbage collector runs between samples, not
    during them, so one sample does not pay for another's garbage.
    """
    for _ in range(warmup):
        if before_each:
            before_each()
        fn()
    timing = Timing(name=name, note=note)
    for _ in range(repeat):
        if before_each:
            before_each()
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            fn()
            timing.samples_ms.append((time.perf_counter() - started) * 1000)
        finally:
            gc.enable()
    return timing


def ratio(subject: Timing, baseline: Timing) -> float:
    """How many times the baseline's median the subject's median is."""
    if not baseline.samples_ms or baseline.median == 0:
        return math.nan
    return subject.median / baseline.median

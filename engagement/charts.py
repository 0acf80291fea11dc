"""Geometry for charts drawn as SVG by templates, with no JavaScript library.

These helpers only place shapes: the numbers come from selectors and the
templates draw them, each chart beside a table with the same numbers for
screen readers and for anyone who prefers to read figures.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str  # a CSS modifier: "opened", "closed", "value"
    title: str  # a tooltip, for pointer users


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    labels: list[Tick] = field(default_factory=list)  # category labels (rows)


def nice_maximum(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at least ``value``, so the
    axis ends on a round number."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def tick_steps(top: float) -> int:
    """How many equal steps split an axis from 0 to ``top`` (a nice maximum)
    into round numbers: 2 in 4 steps of 0.5, 1 and 5 in 5 steps."""
    leading = round(top / 10 ** math.floor(math.log10(top)))
    return 4 if leading == 2 else 5


def _format(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def opened_closed_chart(
    *, buckets: Sequence[tuple[date, int, int]], bucket: str
) -> Chart:
    """Paired columns of requests opened and closed per week (or month).

    ``buckets`` are (first day, opened, closed). About eight dates label the
    time axis whatever the number of bars, so labels never overlap.
    """
    chart = Chart(
        width=760, height=260, plot_left=48, plot_top=12, plot_right=748,
        plot_bottom=220,
    )  # fmt: skip
    if not buckets:
        return chart
    top = nice_maximum(max(max(o, c) for _, o, c in buckets))
    plot_height = chart.plot_bottom - chart.plot_top
    slot = (chart.plot_right - chart.plot_left) / len(buckets)
    bar_width = max(slot * 0.4, 0.5)
    unit = "Week of" if bucket == "week" else "Month of"
    for index, (day, opened, closed) in enumerate(buckets):
        left = chart.plot_left + index * slot + slot * 0.1
        for offset, series, count in ((0, "opened", opened), (1, "closed", closed)):
            height = plot_height * count / top
            chart.bars.append(
                Bar(
                    x=round(left + offset * bar_width, 2),
                    y=round(chart.plot_bottom - height, 2),
                    width=round(bar_width, 2),
                    height=round(height, 2),
                    series=series,
                    title=f"{unit} {day:%d %b %Y}: {count:,} {series}",
                )
            )
    steps = tick_steps(top)
    for step in range(steps + 1):
        value = top * step / steps
        y = chart.plot_bottom - plot_height * step / steps
        chart.y_ticks.append(Tick(position=round(y, 2), label=_format(value)))
    every = max(1, math.ceil(len(buckets) / 8))
    date_format = "%d %b %Y" if bucket == "week" else "%b %Y"
    for index in range(0, len(buckets), every):
        x = chart.plot_left + (index + 0.5) * slot
        chart.x_ticks.append(
            Tick(position=round(x, 2), label=buckets[index][0].strftime(date_format))
        )
    return chart


def horizontal_bar_chart(
    *, items: Sequence[tuple[str, float]], unit: str, row_height: int = 26
) -> Chart:
    """One bar per labelled value (e.g. median days to close per department),
    longest scale at the right; labels sit left of the bars."""
    chart = Chart(
        width=760, height=max(len(items), 1) * row_height + 40, plot_left=260,
        plot_top=8, plot_right=700, plot_bottom=max(len(items), 1) * row_height + 8,
    )  # fmt: skip
    if not items:
        return chart
    top = nice_maximum(max(value for _, value in items))
    plot_width = chart.plot_right - chart.plot_left
    for index, (label, value) in enumerate(items):
        y = chart.plot_top + index * row_height
        chart.bars.append(
            Bar(
                x=chart.plot_left,
                y=y + 4,
                width=round(plot_width * value / top, 2),
                height=row_height - 8,
                series="value",
                title=f"{label}: {value:,.1f} {unit}",
            )
        )
        # Long names are cut for the drawing only; the table has them whole.
        short = label if len(label) <= 34 else label[:33] + "…"
        chart.labels.append(Tick(position=y + row_height / 2, label=short))
    steps = tick_steps(top)
    for step in range(steps + 1):
        value = top * step / steps
        x = chart.plot_left + plot_width * step / steps
        chart.x_ticks.append(Tick(position=round(x, 2), label=_format(value)))
    return chart

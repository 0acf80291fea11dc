"""``python -m bench.report``: the newest results as a Markdown table, and an
SVG plot of latency against data size, for docs/performance.md.

With ``--write`` the table replaces the text between the
``<!-- bench:table -->`` and ``<!-- /bench:table -->`` markers in
docs/performance.md, and the plot is written next to it. Plain Python: no
plotting library is needed.
"""

import argparse
import json
import sys
from pathlib import Path

from .run import BASE_DIR, RESULTS_DIR
from .sizes import parse_size

DOC = BASE_DIR / "docs" / "performance.md"
PLOT = BASE_DIR / "docs" / "performance-latency.svg"
START, END = "<!-- bench:table -->", "<!-- /bench:table -->"
PLOTTED = ("map_city", "map_street", "open311", "leaderboards")
COLOURS = {
    "map_city": "#1b6ac9",
    "map_street": "#2a9d4b",
    "open311": "#c9501b",
    "leaderboards": "#8a3ab9",
}


def load(results_dir: Path = RESULTS_DIR) -> list[dict]:
    runs = []
    for path in sorted(results_dir.glob("*.json")):
        try:
            run = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        run["_file"] = path.name
        runs.append(run)
    return runs


def newest(runs: list[dict]) -> dict[tuple[str, str, bool], dict]:
    """The newest run of each (database, size, quick)."""
    chosen: dict[tuple[str, str, bool], dict] = {}
    for run in sorted(runs, key=lambda r: r["started"]):
        chosen[(run["db"], run["size"], bool(run.get("quick")))] = run
    return chosen


def headline(result: dict) -> str:
    """The figure a target is about: median/p95 in ms, or a rate."""
    if "error" in result:
        return "failed"
    if "not_run" in result:
        return "not run (no Redis)"
    name = result["scenario"]
    if name == "submission":
        return f"{result['per_second']:.0f}/s ({result['subject']['median_ms']:.1f} ms)"
    if name == "feed":
        return ", ".join(
            f"{n}: p99 {v:.0f} ms" for n, v in result["p99_ms_by_clients"].items()
        )
    if name == "import":
        return f"{result['rows_per_second']:,.0f} rows/s ({result['file']})"
    s = result["subject"]
    return f"{s['median_ms']:.1f} / {s['p95_ms']:.1f} ms"


def baseline_text(result: dict) -> str:
    if "error" in result or "not_run" in result or not result.get("baselines"):
        return ""
    return "; ".join(
        f"x{b['ratio']:g} of {b['name']} ({b['median_ms']:.1f} ms)"
        for b in result["baselines"]
    )


def rows_of(run: dict) -> list[tuple[str, str]]:
    """(row label, cell) for each scenario and each extra timing it made."""
    rows = []
    for result in run["scenarios"]:
        rows.append((result["scenario"], headline(result)))
        for extra in result.get("extra_timings", []):
            rows.append(
                (
                    f"{result['scenario']}: {extra['name']}",
                    f"{extra['median_ms']:.1f} / {extra['p95_ms']:.1f} ms",
                )
            )
    return rows


def table(chosen: dict[tuple[str, str, bool], dict]) -> str:
    keys = sorted(chosen, key=lambda k: (k[2] is False, k[0], parse_size(k[1])))
    header = [f"{db} {size}{' quick' if quick else ''}" for db, size, quick in keys]
    cells_by_row: dict[str, dict[tuple, str]] = {}
    for key in keys:
        for label, text in rows_of(chosen[key]):
            cells_by_row.setdefault(label, {})[key] = text
    lines = [
        "| scenario (median / p95) | " + " | ".join(header) + " |",
        "|---|" + "---|" * len(header),
    ]
    for label, cells in cells_by_row.items():
        lines.append(
            f"| {label} | "
            + " | ".join(cells.get(key, "not measured") for key in keys)
            + " |"
        )
    lines.append("")
    lines.append("Ratios against the baselines measured in the same run:")
    lines.append("")
    for key in keys:
        run = chosen[key]
        lines.append(
            f"- **{key[0]} {key[1]}{' quick' if key[2] else ''}** "
            f"(`bench/results/{run['_file']}`, {run['seconds']} s, "
            f"load {run['machine']['loadavg'][0]:.1f}):"
        )
        for result in run["scenarios"]:
            text = baseline_text(result)
            if text:
                lines.append(f"  - {result['scenario']}: {text}")
    return "\n".join(lines) + "\n"


def svg_plot(chosen: dict[tuple[str, str, bool], dict]) -> str | None:
    """Median latency against size, log-log, one line per scenario and
    database; None with fewer than two sizes."""
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for (db, size, quick), run in chosen.items():
        if quick:
            continue
        for result in run["scenarios"]:
            if result["scenario"] in PLOTTED and "subject" in result:
                series.setdefault((result["scenario"], db), []).append(
                    (parse_size(size), result["subject"]["median_ms"])
                )
    sizes = sorted({n for points in series.values() for n, _ in points})
    if len(sizes) < 2:
        return None
    import math

    width, height, left, right, top, bottom = 720, 420, 70, 200, 30, 50
    values = [v for points in series.values() for _, v in points]
    y_lo = 10 ** math.floor(math.log10(max(min(values), 0.1)))
    y_hi = 10 ** math.ceil(math.log10(max(values)))
    x_lo, x_hi = math.log10(sizes[0]), math.log10(sizes[-1])

    def x(n: int) -> float:
        return left + (math.log10(n) - x_lo) / (x_hi - x_lo) * (width - left - right)

    def y(v: float) -> float:
        frac = (math.log10(max(v, y_lo)) - math.log10(y_lo)) / (
            math.log10(y_hi) - math.log10(y_lo)
        )
        return height - bottom - frac * (height - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="18">Median latency (ms, log) against service '
        f"requests (log)</text>",
    ]
    decade = y_lo
    while decade <= y_hi:
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(decade):.1f}" '
            f'y2="{y(decade):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 8}" y="{y(decade) + 4:.1f}" text-anchor="end">'
            f"{decade:g}</text>"
        )
        decade *= 10
    for n in sizes:
        label = f"{n // 1000}k" if n < 10**6 else f"{n / 10**6:g}M"
        out.append(
            f'<text x="{x(n):.1f}" y="{height - bottom + 18}" text-anchor="middle">'
            f"{label}</text>"
        )
    for row, ((name, db), points) in enumerate(sorted(series.items())):
        points.sort()
        dash = "" if db == "postgres" else ' stroke-dasharray="6 4"'
        path = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in points)
        colour = COLOURS[name]
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
        )
        for n, v in points:
            out.append(
                f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
            )
        ly = top + 10 + row * 18
        out.append(
            f'<line x1="{width - right + 10}" x2="{width - right + 40}" y1="{ly}" '
            f'y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{width - right + 46}" y="{ly + 4}">{name} ({db})</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--write", action="store_true", help="update docs/performance.md and the plot"
    )
    args = parser.parse_args(argv)
    chosen = newest(load(args.results))
    if not chosen:
        print("No results yet: run `make bench-quick` first.")
        return 1
    text = table(chosen)
    plot = svg_plot(chosen)
    if not args.write:
        sys.stdout.write(text)
        return 0
    doc = DOC.read_text()
    if START not in doc or END not in doc:
        print(f"{DOC} has no {START} ... {END} markers")
        return 1
    before, rest = doc.split(START, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(f"{before}{START}\n{text}{END}{after}")
    if plot:
        PLOT.write_text(plot)
    print(f"updated {DOC.relative_to(BASE_DIR)}" + (" and the plot" if plot else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

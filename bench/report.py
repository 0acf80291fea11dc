"""``python -m bench.report``: the newest results as a Markdown table, and a
PNG plot of latency against data size, for docs/performance.md.

With ``--write`` the table replaces the text between the
``<!-- bench:table -->`` and ``<!-- /bench:table -->`` markers in
docs/performance.md, and the plot (matplotlib) is written next to it.
"""

import argparse
import json
import sys
from pathlib import Path

from .run import BASE_DIR, RESULTS_DIR
from .sizes import parse_size
from .targets import TARGETS

DOC = BASE_DIR / "docs" / "performance.md"
PLOT = BASE_DIR / "docs" / "performance-latency.png"
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
        if "scenarios" not in run:  # a load test's file: see load_runs()
            continue
        run["_file"] = path.name
        runs.append(run)
    return runs


def newest(runs: list[dict]) -> dict[tuple[str, str, bool], dict]:
    """For each (database, size, quick): the newest result of every scenario.

    A run of a few scenarios (``--scenarios``, e.g. to measure a fix again)
    replaces only those; the others keep their newest full measurement. The
    run named is the newest one, and ``_files`` lists every file used."""
    chosen: dict[tuple[str, str, bool], dict] = {}
    for run in sorted(runs, key=lambda r: r["started"]):
        key = (run["db"], run["size"], bool(run.get("quick")))
        previous = chosen.get(key)
        merged = dict(run)
        results = {} if previous is None else dict(previous["_by_scenario"])
        files = {} if previous is None else dict(previous["_by_file"])
        for result in run["scenarios"]:
            results[result["scenario"]] = result
            files[result["scenario"]] = run.get("_file", "")
        merged["_by_scenario"] = results
        merged["_by_file"] = files
        merged["scenarios"] = list(results.values())
        merged["_files"] = sorted(set(files.values()))
        chosen[key] = merged
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
        files = ", ".join(f"`bench/results/{name}`" for name in run["_files"])
        lines.append(
            f"- **{key[0]} {key[1]}{' quick' if key[2] else ''}** ({files}; "
            f"newest: {run['seconds']} s, load {run['machine']['loadavg'][0]:.1f}):"
        )
        for result in run["scenarios"]:
            text = baseline_text(result)
            if text and len(run["_files"]) > 1:
                text += f" (`{run['_by_file'][result['scenario']]}`)"
            if text:
                lines.append(f"  - {result['scenario']}: {text}")
    return "\n".join(lines) + "\n"


def target_value(result: dict) -> float | None:
    """The figure a target is stated in, from one scenario's result."""
    if "error" in result or "not_run" in result:
        return None
    metric = TARGETS[result["scenario"]][0]
    if metric == "median_ms":
        return result["subject"]["median_ms"]
    if metric == "p99_ms":
        by_clients = result.get("p99_ms_by_clients") or {}
        return max(by_clients.values()) if by_clients else None
    return result.get(metric)


def targets_table(chosen: dict[tuple[str, str, bool], dict]) -> str:
    """Each target against the largest full run of each database: met or
    missed, with the figure and the size it was measured at."""
    largest: dict[str, dict] = {}
    for (db, size, quick), run in chosen.items():
        if quick:
            continue
        if db not in largest or parse_size(size) > parse_size(largest[db]["size"]):
            largest[db] = run
    dbs = sorted(largest)
    if not dbs:
        return ""
    lines = [
        "| target | " + " | ".join(f"{db} {largest[db]['size']}" for db in dbs) + " |",
        "|---|" + "---|" * len(dbs),
    ]
    for name, (metric, op, value, where) in TARGETS.items():
        cells = []
        for db in dbs:
            result = next(
                (r for r in largest[db]["scenarios"] if r["scenario"] == name), None
            )
            figure = None if result is None else target_value(result)
            if figure is None:
                cells.append("not measured")
                continue
            met = figure <= value if op == "<=" else figure >= value
            unit = " ms" if metric.endswith("_ms") else "/s"
            cells.append(f"{figure:,.1f}{unit}: {'met' if met else '**missed**'}")
        unit = " ms" if metric.endswith("_ms") else "/s"
        label = f"{name} {metric.replace('_ms', '')} {op} {value:,}{unit} ({where})"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def load_runs(results_dir: Path = RESULTS_DIR) -> list[dict]:
    """The load tests' files (``*-load.json``), oldest first."""
    runs = []
    for path in sorted(results_dir.glob("*-load.json")):
        try:
            run = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if run.get("kind") == "load" and "aggregate" in run:
            run["_file"] = path.name
            runs.append(run)
    return runs


def load_table(runs: list[dict]) -> str:
    """The newest load test of each database, size, user count and pacing."""
    chosen: dict[tuple, dict] = {}
    for run in sorted(runs, key=lambda r: r["started"]):
        key = (run["db"], run["size"], run["users"], run.get("think_seconds", "1,3"))
        chosen[key] = run
    if not chosen:
        return ""
    lines = [
        "Load tests (locust against one daphne process on loopback):",
        "",
        "| run | requests | req/s | median | p95 | p99 | errors | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (db, size, users, think), run in sorted(chosen.items()):
        total = run["aggregate"]
        verdict = "pass" if run["passed"] else "**fail**: " + "; ".join(run["reasons"])
        lines.append(
            f"| {db} {size}, {users} users, {think} s between pages, "
            f"{run['run_time']} (`{run['_file']}`) | {total['requests']:,} | "
            f"{total['per_second']:.1f} | {total['median_ms']:.0f} ms | "
            f"{total['p95_ms']:.0f} ms | {total['p99_ms']:.0f} ms | "
            f"{run['error_rate']:.1%} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def latency_series(
    chosen: dict[tuple[str, str, bool], dict],
) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """(scenario, database) -> [(requests, median ms)], full runs only."""
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for (db, size, quick), run in chosen.items():
        if quick:
            continue
        for result in run["scenarios"]:
            if result["scenario"] in PLOTTED and "subject" in result:
                series.setdefault((result["scenario"], db), []).append(
                    (parse_size(size), result["subject"]["median_ms"])
                )
    for points in series.values():
        points.sort()
    return series


def png_plot(chosen: dict[tuple[str, str, bool], dict], path: Path) -> bool:
    """Median latency against size, log-log, one panel per database, one line
    per scenario with its target dotted in the same colour. False (and no
    file) with fewer than two sizes."""
    series = latency_series(chosen)
    sizes = sorted({n for points in series.values() for n, _ in points})
    if len(sizes) < 2:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dbs = sorted({db for _, db in series})
    fig, axes = plt.subplots(
        1, len(dbs), figsize=(6 * len(dbs), 4.5), sharey=True, squeeze=False
    )
    for ax, db in zip(axes[0], dbs, strict=True):
        for name in PLOTTED:
            points = series.get((name, db))
            if not points:
                continue
            colour = COLOURS[name]
            ax.plot(
                [n for n, _ in points],
                [v for _, v in points],
                marker="o",
                color=colour,
                label=name,
            )
            metric, _op, value, _ = TARGETS.get(name, (None, None, None, None))
            if metric == "median_ms":
                ax.axhline(value, color=colour, linestyle=":", linewidth=1)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes, [_size_label(n) for n in sizes])
        ax.minorticks_off()
        ax.set_title({"postgres": "PostgreSQL", "sqlite": "SQLite"}.get(db, db))
        ax.set_xlabel("service requests in the database")
        ax.grid(True, which="major", color="#ddd")
    axes[0][0].set_ylabel("median latency, ms (dotted: target)")
    axes[0][-1].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _size_label(n: int) -> str:
    return f"{n // 1000}k" if n < 10**6 else f"{n / 10**6:g}M"


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
    text = targets_table(chosen) + "\n" + table(chosen)
    loads = load_table(load_runs(args.results))
    if loads:
        text += "\n" + loads
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
    plot = png_plot(chosen, PLOT)
    print(f"updated {DOC.relative_to(BASE_DIR)}" + (" and the plot" if plot else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

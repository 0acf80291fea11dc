"""The report turns result files into the tables and the plot of
docs/performance.md: what it says about a target must follow the figures."""

import json
from pathlib import Path

from bench.report import load, newest, png_plot, table, targets_table


def _run(db: str, size: str, *, map_ms: float, import_rate: float) -> dict:
    return {
        "started": f"20261127T{size.rjust(6, '0')}Z-{db}",
        "db": db,
        "size": size,
        "quick": False,
        "seconds": 1.0,
        "machine": {"loadavg": [0.5, 0.5, 0.5]},
        "scenarios": [
            {
                "scenario": "map_city",
                "subject": {"median_ms": map_ms, "p95_ms": map_ms * 1.2},
                "baselines": [
                    {"name": "raw SQL", "median_ms": map_ms / 2, "ratio": 2.0}
                ],
            },
            {
                "scenario": "import",
                "rows_per_second": import_rate,
                "file": "boston.csv",
                "subject": {"median_ms": 1.0, "p95_ms": 1.0},
                "baselines": [],
            },
            {"scenario": "feed", "not_run": "no Redis"},
        ],
    }


def _write(folder: Path, runs: list[dict]) -> None:
    for n, run in enumerate(runs):
        (folder / f"{n:02d}-{run['db']}-{run['size']}.json").write_text(json.dumps(run))
    # A load test's file has no scenarios: the tables must skip it.
    (folder / "99-postgres-100k-load.json").write_text(json.dumps({"kind": "load"}))


def test_targets_are_judged_at_the_largest_size_of_each_database(tmp_path):
    _write(
        tmp_path,
        [
            _run("postgres", "100k", map_ms=20, import_rate=12_000),
            _run("postgres", "1M", map_ms=140, import_rate=11_000),
            _run("sqlite", "100k", map_ms=60, import_rate=9_000),
        ],
    )
    chosen = newest(load(tmp_path))
    assert len(chosen) == 3
    text = targets_table(chosen)
    map_row = next(line for line in text.splitlines() if line.startswith("| map_city"))
    assert "postgres 1M" in text and "sqlite 100k" in text
    assert "140.0 ms: **missed**" in map_row and "60.0 ms: met" in map_row
    import_row = next(line for line in text.splitlines() if line.startswith("| import"))
    assert "11,000.0/s: met" in import_row and "9,000.0/s: **missed**" in import_row
    feed_row = next(line for line in text.splitlines() if line.startswith("| feed"))
    assert feed_row.count("not measured") == 2
    full = table(chosen)
    assert "x2 of raw SQL (70.0 ms)" in full


def test_the_plot_needs_two_sizes_and_is_a_png(tmp_path):
    plot = tmp_path / "plot.png"
    one_size = newest([_run("sqlite", "100k", map_ms=60, import_rate=9_000)])
    assert png_plot(one_size, plot) is False
    assert not plot.exists()
    two_sizes = newest(
        [
            _run("sqlite", "100k", map_ms=60, import_rate=9_000),
            _run("sqlite", "300k", map_ms=90, import_rate=9_000),
            _run("postgres", "100k", map_ms=20, import_rate=9_000),
            _run("postgres", "300k", map_ms=40, import_rate=9_000),
        ]
    )
    assert png_plot(two_sizes, plot) is True
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_load_tests_are_listed_with_their_verdict(tmp_path):
    from bench.report import load_runs, load_table

    run = {
        "started": "20261127T220000Z",
        "kind": "load",
        "db": "postgres",
        "size": "100k",
        "users": 50,
        "think_seconds": "3,10",
        "run_time": "2m",
        "error_rate": 0.002,
        "passed": False,
        "reasons": ["p95 900 ms is over 800 ms"],
        "aggregate": {
            "requests": 1200,
            "per_second": 10.0,
            "median_ms": 80.0,
            "p95_ms": 900.0,
            "p99_ms": 1500.0,
        },
    }
    (tmp_path / "20261127T220000Z-postgres-100k-load.json").write_text(json.dumps(run))
    text = load_table(load_runs(tmp_path))
    assert "postgres 100k, 50 users, 3,10 s between pages" in text
    assert "| 1,200 | 10.0 | 80 ms | 900 ms | 1500 ms | 0.2% |" in text
    assert "**fail**: p95 900 ms is over 800 ms" in text


def test_a_later_partial_run_replaces_only_the_scenarios_it_measured():
    full = _run("postgres", "1M", map_ms=140, import_rate=9_000)
    again = {
        **_run("postgres", "1M", map_ms=0, import_rate=12_000),
        "started": "20261128T000000Z",
    }
    again["scenarios"] = [s for s in again["scenarios"] if s["scenario"] == "import"]
    chosen = newest([full, again])
    run = chosen[("postgres", "1M", False)]
    by_name = {s["scenario"]: s for s in run["scenarios"]}
    assert by_name["map_city"]["subject"]["median_ms"] == 140
    assert by_name["import"]["rows_per_second"] == 12_000

"""``python -m bench``: pick a database, build (or reuse) a dataset, time the
scenarios, write ``bench/results/<timestamp>-<db>-<size>.json``.

The benchmark has its own database, never the dev or test one: a SQLite file
``var/bench-<size>-s<seed>.sqlite3`` or the PostgreSQL database
``civicpulse_bench_<size>`` (on ``BENCH_POSTGRES_URL``, default
``postgres://postgres@127.0.0.1:5432``). A dataset is reused while its key
(generator version, sizes, seed, years, migrations on disk) is unchanged.
"""

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
QUICK_SIZE = "50k"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
META_TABLE = "bench_dataset"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="CivicPulse city-scale benchmarks."
    )
    parser.add_argument("--size", help="service requests: 50k, 100k, 300k, 1M")
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default=os.environ.get("BENCH_DB", "sqlite"),
        help="default: $BENCH_DB or sqlite",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"fewer repetitions; size {QUICK_SIZE} unless --size is given",
    )
    parser.add_argument("--scenarios", help="comma-separated; default: all")
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, help="timed runs per measurement")
    parser.add_argument(
        "--import-file",
        type=Path,
        help="Boston CSV for the import scenario (default: the 2015 file in "
        "bench/data; --quick: the 4,995-row sample in demo/data)",
    )
    parser.add_argument(
        "--feed-clients",
        default="100,500,1000",
        help="websocket clients per feed measurement (default 100,500,1000)",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="rebuild the dataset even if cached"
    )
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="generate (or migrate) the dataset, measure nothing",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    return parser.parse_args(argv)


def database_url(db: str, label: str, seed: int) -> str:
    if db == "sqlite":
        (BASE_DIR / "var").mkdir(exist_ok=True)
        return f"sqlite:///{BASE_DIR / 'var' / f'bench-{label}-s{seed}.sqlite3'}"
    base = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES).rstrip("/")
    return f"{base}/civicpulse_bench_{label.lower()}_s{seed}"


def _postgres_admin(url: str):
    import psycopg

    base, _, _name = url.rpartition("/")
    return psycopg.connect(f"{base}/postgres", autocommit=True)


def reset_database(url: str) -> None:
    """An empty database at ``url``: a SQLite file removed, or a PostgreSQL
    database dropped and created again."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = url.rpartition("/")[2]
    with _postgres_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        return
    name = url.rpartition("/")[2]
    with _postgres_admin(url) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def stored_key() -> str | None:
    from django.db import connection

    if META_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT dataset_key FROM {META_TABLE}")
        row = cursor.fetchone()
    return row[0] if row else None


def store_key(key: str, info: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} "
            f"(dataset_key VARCHAR(200), info TEXT)"
        )
        cursor.execute(f"DELETE FROM {META_TABLE}")
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES (%s, %s)", [key, json.dumps(info)]
        )


def stored_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT info FROM {META_TABLE}")
        return json.loads(cursor.fetchone()[0])


def default_import_file(*, quick: bool) -> Path:
    """The real 2015 file (121,145 rows, kept in bench/data), or in a quick
    run the 4,995-row sample of closed cases in demo/data."""
    if quick:
        return BASE_DIR / "demo" / "data" / "boston_311_sample_2015_2024_closed.csv"
    return BASE_DIR / "bench" / "data" / "boston_311_2015_requests.csv.gz"


def prepare_dataset(args, url: str, sizes) -> tuple[dict, bool]:
    """Migrate and generate unless the database already holds this dataset."""
    from django.core.management import call_command
    from django.db import connection

    from .generate import dataset_key, default_now, generate

    key = dataset_key(sizes=sizes, seed=args.seed, years=args.years)
    if not args.fresh and stored_key() == key:
        # New migrations (and their backfills) apply to the kept rows.
        call_command("migrate", verbosity=0, interactive=False)
        return stored_info(), True
    connection.close()
    reset_database(url)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.monotonic() - started
    now = default_now()
    result = generate(sizes=sizes, seed=args.seed, now=now, years=args.years)
    # Fresh statistics and (on PostgreSQL) a visibility map, as a live,
    # autovacuumed database would have: planners and index-only scans use them.
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )
    info = {
        "key": key,
        "now": now.isoformat(),
        "migrate_seconds": round(migrate_seconds, 1),
        "generate_seconds": round(result.seconds, 1),
        "generate_rows_per_second": round(result.rows_per_second),
        "open_share": round(result.open_share, 4),
        "sizes": {
            "requests": sizes.requests,
            "users": sizes.users,
            "points": sizes.points,
        },
    }
    store_key(key, info)
    return info, False


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(BASE_DIR))
    from .sizes import Sizes, log_scale_label, parse_size

    requests = parse_size(args.size or (QUICK_SIZE if args.quick else "100k"))
    label = log_scale_label(requests)
    sizes = Sizes.for_requests(requests)
    url = database_url(args.db, label, args.seed)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    ensure_database(url)

    import django

    # WhiteNoise notes the missing collectstatic folder: not what is measured.
    warnings.filterwarnings("ignore", message="No directory at")

    django.setup()
    # The demo loaders log every page they create;
    # the timings are the output.
    logging.disable(logging.INFO)
    from django.db import connection

    from .scenarios import SCENARIOS, Context

    names = args.scenarios.split(",") if args.scenarios else list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        print(
            f"Unknown scenario(s): {', '.join(unknown)}; known: {', '.join(SCENARIOS)}"
        )
        return 2

    started = time.monotonic()
    print(f"bench: {label} requests on {args.db} ({url.rpartition('/')[2]})")
    dataset, cached = prepare_dataset(args, url, sizes)
    print(
        f"dataset {'reused' if cached else 'generated'}: {dataset['sizes']}, "
        f"open share {dataset['open_share']:.1%}"
        + (
            ""
            if cached
            else f", migrate {dataset['migrate_seconds']} s, generate "
            f"{dataset['generate_seconds']} s "
            f"({dataset['generate_rows_per_second']:,} rows/s)"
        )
    )
    if args.prepare_only:
        print(f"prepared in {time.monotonic() - started:.1f} s")
        return 0
    ctx = Context(
        now=datetime.fromisoformat(dataset["now"]),
        repeat=args.repeat or (10 if args.quick else 30),
        # The naive baselines cost seconds per sample; one is enough at scale.
        naive_repeat=2 if args.quick else (3 if requests <= 100_000 else 1),
        submissions=50 if args.quick else 200,
        import_file=args.import_file or default_import_file(quick=args.quick),
        feed_clients=tuple(int(n) for n in args.feed_clients.split(",")),
        feed_events=5 if args.quick else 10,
    )
    results, failures = [], []
    for name in names:
        t0 = time.monotonic()
        try:
            result = SCENARIOS[name](ctx)
        except Exception as exc:  # one broken scenario must not hide the others
            failures.append(name)
            result = {"scenario": name, "error": f"{type(exc).__name__}: {exc}"}
            print(f"  {name}: FAILED {result['error']}")
        else:
            if "not_run" in result:
                print(f"  {name}: not run, {result['not_run']}")
            else:
                print(format_line(result))
        result["wall_seconds"] = round(time.monotonic() - t0, 1)
        results.append(result)

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "started": stamp,
        "db": args.db,
        "db_version": connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else connection.cursor().connection.info.server_version,
        "size": label,
        "quick": args.quick,
        "seed": args.seed,
        "years": args.years,
        "dataset": {**dataset, "cached": cached},
        "git": git_commit(),
        "machine": machine(),
        "seconds": round(time.monotonic() - started, 1),
        "scenarios": results,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{stamp}-{args.db}-{label}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(
        f"wrote {path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path}"
    )
    print(f"total {report['seconds']} s")
    return 1 if failures else 0


def format_line(result: dict) -> str:
    s = result["subject"]
    parts = [
        f"  {result['scenario']:<13} median {s['median_ms']:>9.2f} ms  "
        f"p95 {s['p95_ms']:>9.2f} ms"
    ]
    for b in result["baselines"]:
        parts.append(f"x{b['ratio']} vs {b['name']} ({b['median_ms']:.2f} ms)")
    for key in ("per_second", "rows_per_second", "results", "features"):
        if key in result:
            parts.append(f"{key}={result[key]}")
    return "  ".join(parts)

"""``python -m bench.load``: fifty simulated people against one daphne process.

Uses a benchmark dataset (the same databases as ``python -m bench``, generated
if missing), signs up ``--residents`` verified residents, serves the site with
daphne on a free loopback port (``config.settings.bench``), and runs locust
headless against it (``bench/locustfile.py``: mostly reading, some residents
reporting and supporting). Writes ``bench/results/<time>-<db>-<size>-load.json``,
prints median, p95 and error rate, and exits non-zero when more than 1 % of
requests failed or p95 is over 800 ms.

Locust runs in its own process: it brings gevent, which monkey-patches the
standard library, and must never share a process with Django.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
MAX_ERROR_RATE = 0.01
MAX_P95_MS = 800.0
RESIDENT_DOMAIN = "load.bench.example.org"
RESIDENT_PASSWORD = "load-test-resident"  # noqa: S105 (bench-only accounts)
REQUEST_SAMPLE = 500


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description="CivicPulse load test (locust)."
    )
    parser.add_argument("--size", default="100k", help="dataset size (default 100k)")
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default=os.environ.get("BENCH_DB", "sqlite"),
        help="default: $BENCH_DB or sqlite",
    )
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default="2m", help="run time (locust -t)")
    parser.add_argument(
        "--think",
        default="3,10",
        help="seconds each user waits between pages, MIN,MAX (default 3,10: "
        "people read a page before the next; 1,3 is a stress pacing)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a 30 s run instead of --time"
    )
    parser.add_argument(
        "--residents", type=int, default=20, help="verified resident accounts"
    )
    parser.add_argument("--max-error-rate", type=float, default=MAX_ERROR_RATE)
    parser.add_argument("--max-p95-ms", type=float, default=MAX_P95_MS)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    return parser.parse_args(argv)


def verdict(
    *,
    requests: int,
    failures: int,
    p95_ms: float,
    max_error_rate: float = MAX_ERROR_RATE,
    max_p95_ms: float = MAX_P95_MS,
) -> list[str]:
    """Why the run fails, one reason a line; empty when it passes.

    A run without a single request fails too: it measured nothing.
    """
    reasons = []
    if requests == 0:
        return ["no requests were made"]
    rate = failures / requests
    if rate > max_error_rate:
        reasons.append(f"error rate {rate:.2%} is over {max_error_rate:.2%}")
    if p95_ms > max_p95_ms:
        reasons.append(f"p95 {p95_ms:.0f} ms is over {max_p95_ms:.0f} ms")
    return reasons


def read_stats(csv_path: Path) -> dict:
    """Locust's ``<prefix>_stats.csv``: every endpoint and the aggregate."""
    endpoints, aggregate = [], None
    with csv_path.open(newline="") as f:
        for row in csv.DictReader(f):
            entry = {
                "method": row["Type"],
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": _number(row["Median Response Time"]),
                "average_ms": _number(row["Average Response Time"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "max_ms": _number(row["Max Response Time"]),
                "per_second": _number(row["Requests/s"]),
            }
            if row["Name"] == "Aggregated":
                aggregate = entry
            else:
                endpoints.append(entry)
    if aggregate is None:
        raise ValueError(f"{csv_path} has no Aggregated row")
    return {"aggregate": aggregate, "endpoints": endpoints}


def _number(text: str) -> float | None:
    if text in ("", "N/A"):
        return None
    return round(float(text), 2)


def prepare_fixture(*, residents: int, now: datetime) -> dict:
    """Residents who may sign in and report, and what the users will ask for."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from engagement.models import ServiceRequest

    from .scenarios import (
        OPEN311_WINDOW,
        STREET_BBOX,
        _bbox_param,
        _submission_form,
        city_bbox,
    )

    password = make_password(RESIDENT_PASSWORD)
    accounts = []
    for number in range(residents):
        email = f"resident{number}@{RESIDENT_DOMAIN}"
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"display_name": f"Load resident {number}", "password": password},
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        accounts.append({"email": email, "password": RESIDENT_PASSWORD})
    form, places = _submission_form()
    request_ids = list(
        ServiceRequest.objects.order_by("-pk").values_list("public_id", flat=True)[
            :REQUEST_SAMPLE
        ]
    )
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "residents": accounts,
        "service": form["service"],
        "places": places,
        "request_ids": request_ids,
        "city_bbox": _bbox_param(city_bbox()),
        "street_bbox": _bbox_param(STREET_BBOX),
        "open311_query": (
            f"start_date={(now - OPEN311_WINDOW).strftime(fmt)}"
            f"&end_date={now.strftime(fmt)}"
        ),
    }


def cleanup(*, newest: dict[str, int]) -> None:
    """Leave the dataset as generated: remove what the run wrote (the residents
    are kept, to be reused by the next run)."""
    from activity.models import Activity
    from engagement.models import ServiceRequest, Support

    ServiceRequest.objects.filter(pk__gt=newest["request"]).delete()
    Support.objects.filter(pk__gt=newest["support"]).delete()
    Activity.objects.filter(pk__gt=newest["activity"]).delete()


def newest_rows() -> dict[str, int]:
    from django.db.models import Max

    from activity.models import Activity
    from engagement.models import ServiceRequest, Support

    return {
        name: model.objects.aggregate(m=Max("pk"))["m"] or 0
        for name, model in (
            ("request", ServiceRequest),
            ("support", Support),
            ("activity", Activity),
        )
    }


def run_locust(*, args, port: int, fixture_path: Path, prefix: Path) -> int:
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(BASE_DIR / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        "30s" if args.quick else args.time,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
    ]
    env = {
        **os.environ,
        "LOAD_FIXTURE": str(fixture_path),
        "LOAD_THINK": args.think,
    }
    return subprocess.run(command, cwd=BASE_DIR, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(BASE_DIR))
    from .feed import raise_open_files_limit, running_daphne
    from .run import database_url, ensure_database, git_commit, machine, prepare_dataset
    from .sizes import Sizes, log_scale_label, parse_size

    requests = parse_size(args.size)
    label = log_scale_label(requests)
    url = database_url(args.db, label, args.seed)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    ensure_database(url)

    import django

    django.setup()
    from django.db import connection

    dataset, _cached = prepare_dataset(
        SimpleNamespace(seed=args.seed, years=args.years, fresh=False),
        url,
        Sizes.for_requests(requests),
    )
    now = datetime.fromisoformat(dataset["now"])
    fixture = prepare_fixture(residents=args.residents, now=now)
    newest = newest_rows()
    connection.close()  # daphne and locust run now; this process only waits
    raise_open_files_limit(wanted=4096)

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="civicpulse-load-") as tmp:
        fixture_path = Path(tmp) / "fixture.json"
        fixture_path.write_text(json.dumps(fixture))
        prefix = Path(tmp) / "locust"
        env = {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        }
        try:
            with running_daphne(env=env) as port:
                print(
                    f"load: {args.users} users on {args.db} {label}, daphne on "
                    f"127.0.0.1:{port}, {'30s' if args.quick else args.time}"
                )
                locust_code = run_locust(
                    args=args, port=port, fixture_path=fixture_path, prefix=prefix
                )
            stats = read_stats(Path(f"{prefix}_stats.csv"))
            failures_csv = Path(f"{prefix}_failures.csv")
            failures = (
                list(csv.DictReader(failures_csv.open(newline="")))
                if failures_csv.exists()
                else []
            )
        finally:
            cleanup(newest=newest)

    total = stats["aggregate"]
    reasons = verdict(
        requests=total["requests"],
        failures=total["failures"],
        p95_ms=total["p95_ms"] or 0.0,
        max_error_rate=args.max_error_rate,
        max_p95_ms=args.max_p95_ms,
    )
    error_rate = total["failures"] / total["requests"] if total["requests"] else 0.0
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "started": stamp,
        "kind": "load",
        "db": args.db,
        "size": label,
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "think_seconds": args.think,
        "run_time": "30s" if args.quick else args.time,
        "residents": args.residents,
        "git": git_commit(),
        "machine": machine(),
        "seconds": round(time.monotonic() - started, 1),
        "error_rate": round(error_rate, 5),
        "thresholds": {
            "max_error_rate": args.max_error_rate,
            "max_p95_ms": args.max_p95_ms,
        },
        "passed": not reasons,
        "reasons": reasons,
        "locust_exit_code": locust_code,
        **stats,
        "failures": failures,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{stamp}-{args.db}-{label}-load.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    for entry in stats["endpoints"]:
        print(
            f"  {entry['method']:<5} {entry['name']:<40} {entry['requests']:>6} req "
            f"median {entry['median_ms']} ms  p95 {entry['p95_ms']} ms  "
            f"failures {entry['failures']}"
        )
    print(
        f"load: {total['requests']} requests, {total['per_second']} req/s, "
        f"median {total['median_ms']} ms, p95 {total['p95_ms']} ms, "
        f"errors {error_rate:.2%}"
    )
    print(f"wrote {path}")
    if reasons:
        print("FAILED: " + "; ".join(reasons))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

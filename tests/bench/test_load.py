"""The load test: its locustfile loads in locust's own process, and its runner
fails a run on errors or slowness.

Locust (and gevent, which monkey-patches the standard library) never enters
this process: the locustfile is imported in a subprocess.
"""

import os
import subprocess
import sys
import textwrap

from django.conf import settings

from bench.load import read_stats, verdict

# Without LOAD_FIXTURE the locustfile loads with an empty fixture.
CHECK_CODE = (
    "import inspect, bench.locustfile as f; from locust import HttpUser;"
    "print(*sorted(n for n, c in vars(f).items() if inspect.isclass(c)"
    " and issubclass(c, HttpUser) and c is not HttpUser))"
)


def test_locustfile_imports_and_defines_its_users():
    out = subprocess.run(
        [sys.executable, "-c", CHECK_CODE],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if k != "LOAD_FIXTURE"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert out == ["Resident", "Visitor"]


def test_users_pause_between_pages_as_load_think_says():
    code = (
        "import bench.locustfile as f; w = f.Visitor.wait_time;"
        "print(f.THINK, min(w(None) for _ in range(200)) >= 2,"
        " max(w(None) for _ in range(200)) <= 4)"
    )
    env = {k: v for k, v in os.environ.items() if k != "LOAD_FIXTURE"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "LOAD_THINK": "2,4"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert out == ["(2.0,", "4.0)", "True", "True"]


def test_a_clean_fast_run_passes():
    assert verdict(requests=1000, failures=10, p95_ms=800) == []


def test_more_than_one_percent_errors_fails():
    assert verdict(requests=1000, failures=11, p95_ms=100) == [
        "error rate 1.10% is over 1.00%"
    ]


def test_slow_p95_fails():
    assert verdict(requests=1000, failures=0, p95_ms=801) == [
        "p95 801 ms is over 800 ms"
    ]


def test_both_reasons_are_given():
    assert len(verdict(requests=100, failures=50, p95_ms=5000)) == 2


def test_a_run_without_requests_fails():
    assert verdict(requests=0, failures=0, p95_ms=0) == ["no requests were made"]


def test_reads_the_aggregate_and_each_endpoint(tmp_path):
    path = tmp_path / "locust_stats.csv"
    header = (
        "Type,Name,Request Count,Failure Count,Median Response Time,"
        "Average Response Time,Min Response Time,Max Response Time,"
        "Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,"
        "99%,99.9%,99.99%,100%"
    )
    path.write_text(
        textwrap.dedent(
            f"""\
            {header}
            GET,/,10,1,40,45.5,10,90,1000,2.5,0.1,40,41,42,43,60,80,85,90,90,90,90
            ,Aggregated,10,1,40,45.5,10,90,1000,2.5,0.1,40,41,42,43,60,80,85,90,90,90,90
            """
        )
    )
    stats = read_stats(path)
    assert stats["aggregate"]["requests"] == 10
    assert stats["aggregate"]["p95_ms"] == 80.0
    assert [(e["name"], e["failures"]) for e in stats["endpoints"]] == [("/", 1)]

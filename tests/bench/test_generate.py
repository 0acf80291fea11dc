"""The benchmark's own parts: a generated city that is the same every time and
looks like Boston, and scenarios that all run on a tiny one."""

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import transaction

from bench.generate import (
    BENCH_EMAIL_DOMAIN,
    ensure_reference_data,
    generate,
    real_profile,
)
from bench.scenarios import SCENARIOS, Context
from bench.sizes import Sizes, log_scale_label, parse_size
from bench.timing import Timing, measure, percentile, ratio
from engagement.models import RequestStatus, ServiceRequest
from points.models import PointsEntry

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DATA = Path(__file__).resolve().parent.parent / "engagement" / "data"


def _fingerprint() -> tuple[list, list]:
    requests = list(
        ServiceRequest.objects.order_by("public_id").values_list(
            "public_id",
            "service__name",
            "status",
            "public_lat",
            "public_long",
            "requested_datetime",
            "closed_datetime",
            "neighborhood__slug",
            "reporter__email",
        )
    )
    points = list(
        PointsEntry.objects.order_by("source_id").values_list(
            "source_id", "user__email", "amount", "reason", "created"
        )
    )
    return requests, points


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_city_and_another_seed_another():
    ensure_reference_data()
    sizes = Sizes(requests=150, users=20, points=300)
    prints = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            generate(sizes=sizes, seed=seed, now=NOW)
            prints.append(_fingerprint())
            transaction.set_rollback(True)
    assert len(prints[0][0]) == 150
    assert len(prints[0][1]) == 300
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


@pytest.mark.django_db
def test_the_generated_city_has_bostons_mix_of_services_places_and_closures():
    result = generate(sizes=Sizes(requests=3000, users=200, points=6000), now=NOW)
    rows = list(
        ServiceRequest.objects.values_list(
            "service__name", "status", "requested_datetime", "neighborhood_id"
        )
    )
    assert len(rows) == 3000
    # Every request is somewhere in the city, over ten years up to "now".
    assert all(hood is not None for *_, hood in rows)
    times = [requested for _, _, requested, _ in rows]
    assert max(times) <= NOW
    assert min(times) >= NOW - timedelta(days=3653)
    # The top service types are as common as in the real sample.
    real = real_profile().type_counts
    real_total = sum(real.values())
    made = Counter(name for name, *_ in rows)
    for name, count in real.most_common(3):
        assert abs(made[name] / 3000 - count / real_total) < 0.04, name
    # Recent cases are mostly open, old ones mostly closed; about one in six
    # is never closed, as in Boston's 2015 file.
    recent = [s for _, s, t, _ in rows if t > NOW - timedelta(days=30)]
    old = [s for _, s, t, _ in rows if t < NOW - timedelta(days=365)]
    old_open = old.count(RequestStatus.OPEN) / len(old)
    assert old_open < 0.25
    assert recent.count(RequestStatus.OPEN) / len(recent) > old_open
    assert 0.10 < result.open_share < 0.30
    # A few people earn most points, as on any leaderboard.
    per_user = sorted(
        Counter(
            PointsEntry.objects.filter(
                user__email__endswith=BENCH_EMAIL_DOMAIN
            ).values_list("user_id", flat=True)
        ).values(),
        reverse=True,
    )
    assert sum(per_user[:20]) / sum(per_user) > 0.4


@pytest.mark.django_db
def test_every_scenario_runs_on_a_tiny_city(settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.REPORTS_PER_HOUR = 10**6
    generate(sizes=Sizes(requests=300, users=30, points=600), now=NOW)
    before = ServiceRequest.objects.count()
    ctx = Context(
        now=NOW,
        repeat=2,
        naive_repeat=1,
        submissions=3,
        import_file=DATA / "boston_311_2015_style.csv",
    )
    started = time.monotonic()
    # The feed needs Redis and a thousand clients: not for the normal suite.
    results = {name: run(ctx) for name, run in SCENARIOS.items() if name != "feed"}
    assert time.monotonic() - started < 20
    for name, result in results.items():
        assert result["subject"]["runs"] >= 1, name
        assert result["subject"]["median_ms"] > 0, name
        for baseline in result["baselines"]:
            assert baseline["ratio"] > 0, (name, baseline["name"])
    assert results["map_city"]["features"] > 0
    assert results["open311"]["results"] > 0
    assert results["submission"]["per_second"] > 0
    assert results["import"]["imported"] > 0
    # Submissions and the import leave the generated city as it was.
    assert ServiceRequest.objects.count() == before


def test_percentiles_are_nearest_rank_and_ratios_compare_medians():
    samples = [float(n) for n in range(1, 21)]
    assert percentile(samples, 50) == 10
    assert percentile(samples, 95) == 19
    assert percentile(samples, 99) == 20
    fast = Timing(name="fast", samples_ms=[1.0, 2.0, 3.0])
    slow = Timing(name="slow", samples_ms=[4.0, 6.0, 8.0])
    assert ratio(slow, fast) == 3.0
    counted = []
    timing = measure("t", lambda: counted.append(1), repeat=5, warmup=2)
    assert len(timing.samples_ms) == 5
    assert len(counted) == 7


def test_sizes_read_and_print_like_people_write_them():
    assert parse_size("100k") == 100_000
    assert parse_size("1M") == 1_000_000
    assert log_scale_label(300_000) == "300k"
    assert Sizes.for_requests(1_000_000) == Sizes(
        requests=1_000_000, users=100_000, points=5_000_000
    )

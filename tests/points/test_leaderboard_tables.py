"""The boards read tables kept in step with the ledger; they must rank exactly
as the ledger would, and rebuild and reconcile must bring them back to it."""

import importlib
import io
import random
from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils import timezone

from points import services
from points.leaderboard_tables import drifted_rows
from points.models import (
    PointsBalance,
    PointsDaily,
    PointsEntry,
    PointsNeighborhoodTotal,
)
from points.selectors import (
    PERIODS,
    city_leaderboard,
    leaderboard_for_neighborhood,
    ledger_neighborhoods,
    neighborhood_team_board,
    period_start,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROX = {"neighborhood_slug": "roxbury", "neighborhood_name": "Roxbury"}
PLACES = [
    {"neighborhood_slug": None, "neighborhood_name": ""},
    ROX,
    {"neighborhood_slug": "dorchester", "neighborhood_name": "Dorchester"},
    # One place known by two names: the boards show the greatest.
    {"neighborhood_slug": "dorchester", "neighborhood_name": "Dorchester Center"},
]
# Wednesday noon, local time: the week started two days ago.
NOW = timezone.make_aware(datetime(2026, 11, 25, 12, 0))


def local(day_offset: float, hour: int = 12) -> datetime:
    base = datetime.combine(NOW.date() + timedelta(days=day_offset), time(hour))
    return timezone.make_aware(base)


def ledger_person_board(*, period, slug=None):
    """The boards as the ledger alone ranks them (the old, slow way)."""
    entries = PointsEntry.objects.filter(
        user__show_on_leaderboards=True,
        user__is_active=True,
        user__deleted_at__isnull=True,
    )
    if slug is not None:
        entries = entries.filter(neighborhood_slug=slug)
    since = period_start(period, now=NOW)
    if since is not None:
        entries = entries.filter(created__gte=since)
    rows = (
        entries.values("user_id", "user__display_name")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
        .order_by("-total", "user_id")[:20]
    )
    return [(r["user__display_name"] or "a resident", r["total"]) for r in rows]


def ledger_team_board(*, period):
    entries = PointsEntry.objects.filter(
        neighborhood_slug__isnull=False,
        user__is_active=True,
        user__deleted_at__isnull=True,
    )
    since = period_start(period, now=NOW)
    if since is not None:
        entries = entries.filter(created__gte=since)
    rows = (
        entries.values("neighborhood_slug")
        .annotate(
            total=Sum("amount"),
            residents=Count("user", distinct=True),
            name=Max("neighborhood_name"),
        )
        .filter(total__gt=0)
    )
    return sorted(
        (
            (
                round(r["total"] / r["residents"], 1),
                r["name"],
                r["total"],
                r["residents"],
            )
            for r in rows
        ),
        key=lambda row: (-row[0], row[1]),
    )


def boards():
    """Every board the page can show, as plain tuples."""
    result = {}
    for period in PERIODS:
        result[("city", period)] = [
            (r.name, r.points) for r in city_leaderboard(period=period, now=NOW)
        ]
        for slug in ("roxbury", "dorchester"):
            result[(slug, period)] = [
                (r.name, r.points)
                for r in leaderboard_for_neighborhood(slug=slug, period=period, now=NOW)
            ]
        result[("teams", period)] = [
            (r.points_per_resident, r.name, r.points, r.active_residents)
            for r in neighborhood_team_board(period=period, now=NOW)
        ]
    return result


def ledger_boards():
    result = {}
    for period in PERIODS:
        result[("city", period)] = ledger_person_board(period=period)
        for slug in ("roxbury", "dorchester"):
            result[(slug, period)] = ledger_person_board(period=period, slug=slug)
        result[("teams", period)] = ledger_team_board(period=period)
    return result


@pytest.fixture
def city():
    """Residents of every kind with entries over two months, in and out of
    places, with corrections (one bringing a person's week to zero)."""
    rng = random.Random(8)
    people = [
        UserFactory(show_on_leaderboards=True, display_name=f"Shown {n}")
        for n in range(8)
    ]
    people += [
        UserFactory(show_on_leaderboards=True, display_name=""),  # "a resident"
        UserFactory(show_on_leaderboards=False),
        UserFactory(show_on_leaderboards=True, is_active=False),
        UserFactory(show_on_leaderboards=True, deleted_at=NOW),
    ]
    for n in range(160):
        user = rng.choice(people)
        PointsEntry.objects.create(
            user=user,
            amount=rng.choice([1, 2, 5, 10, 15]),
            reason="support_given",
            source_type="test.thing",
            source_id=str(n),
            created=local(-rng.uniform(0, 60), hour=rng.randrange(24)),
            **rng.choice(PLACES),
        )
    PointsEntry.objects.create(
        user=people[8], amount=1000, reason="legacy", source_type="t", source_id="y"
    )
    # A correction of a week's only award: that person took part, for nothing.
    late = people[3]
    PointsEntry.objects.create(
        user=late,
        amount=10,
        reason="report_accepted",
        source_type="t",
        source_id="x",
        created=local(-1),
        **ROX,
    )
    PointsEntry.objects.create(
        user=late,
        amount=-10,
        reason="report_accepted:reversed",
        source_type="t",
        source_id="x",
        created=local(-1, hour=13),
        **ROX,
    )
    return people


def test_every_board_ranks_as_the_ledger_does(city):
    expected = ledger_boards()
    assert boards() == expected
    assert expected[("city", "week")] and expected[("teams", "month")]
    name, points = expected[("city", "all")][0]
    assert name == "a resident" and points >= 1000


def test_the_tables_hold_the_ledgers_sums(city):
    assert drifted_rows() == {"points per day": 0, "points neighborhood totals": 0}
    sums = dict(
        PointsEntry.objects.values("user_id")
        .annotate(t=Sum("amount"))
        .values_list("user_id", "t")
    )
    assert dict(PointsBalance.objects.values_list("user_id", "total")) == sums
    # Dorchester's rows show the greater of its two names, as the ledger's Max.
    names = set(
        PointsNeighborhoodTotal.objects.filter(
            neighborhood_slug="dorchester"
        ).values_list("neighborhood_name", flat=True)
    )
    assert "Dorchester Center" in names
    assert [(n.slug, n.name) for n in ledger_neighborhoods()] == [
        ("dorchester", "Dorchester Center"),
        ("roxbury", "Roxbury"),
    ]


def test_a_days_rows_follow_the_local_calendar():
    person = UserFactory(display_name="Night Owl", show_on_leaderboards=True)
    monday = period_start("week", now=NOW)
    for n, moment in enumerate(
        [monday - timedelta(minutes=10), monday + timedelta(minutes=10)]
    ):
        PointsEntry.objects.create(
            user=person,
            amount=1 + n,
            reason="support_given",
            source_type="t",
            source_id=str(n),
            created=moment,
        )
    days = dict(PointsDaily.objects.values_list("day", "total"))
    assert days == {monday.date() - timedelta(days=1): 1, monday.date(): 2}
    [row] = city_leaderboard(period="week", now=NOW)
    assert (row.name, row.points) == ("Night Owl", 2)


def test_an_award_and_its_correction_move_every_table(resident, source):
    services.award_points(user=resident, reason="report_accepted", source=source, **ROX)
    services.reverse_points(
        user=resident, reason="report_accepted", source=source, why="duplicate"
    )
    day = PointsDaily.objects.get(user=resident)
    place = PointsNeighborhoodTotal.objects.get(user=resident)
    assert (day.neighborhood_slug, day.total) == ("roxbury", 0)
    assert (place.neighborhood_name, place.total) == ("Roxbury", 0)
    assert PointsBalance.objects.get(user=resident).total == 0
    # Still counted as taking part, with nothing to show for it.
    assert neighborhood_team_board(period="all") == []
    assert leaderboard_for_neighborhood(slug="roxbury", period="all") == []


def test_a_failed_entry_leaves_the_tables_alone(resident, source):
    services.award_points(user=resident, reason="report_accepted", source=source)
    services.award_points(user=resident, reason="report_accepted", source=source)
    assert PointsDaily.objects.get(user=resident).total == 10
    assert PointsBalance.objects.get(user=resident).total == 10


def bulk_load(people, count=40):
    """Entries written around ``save`` (as COPY does): no table moves."""
    rng = random.Random(3)
    PointsEntry.objects.bulk_create(
        PointsEntry(
            user=rng.choice(people),
            amount=rng.choice([1, 5, 10]),
            reason="report_accepted",
            source_type="bulk",
            source_id=str(n),
            created=local(-rng.uniform(0, 40)),
            **rng.choice(PLACES),
        )
        for n in range(count)
    )


def test_rebuilding_brings_bulk_loaded_entries_onto_the_boards(city):
    bulk_load(city)
    assert drifted_rows()["points per day"] > 0
    assert boards() != ledger_boards()

    services.rebuild_leaderboard_tables()

    assert drifted_rows() == {"points per day": 0, "points neighborhood totals": 0}
    assert boards() == ledger_boards()
    assert services.reconcile_balances(repair=False).drifted == 0


def test_reconcile_repairs_drifted_leaderboard_tables(city):
    first = PointsDaily.objects.order_by("id").first()
    PointsDaily.objects.filter(pk=first.pk).update(total=first.total + 500)
    PointsNeighborhoodTotal.objects.filter(neighborhood_slug="roxbury").first().delete()
    PointsNeighborhoodTotal.objects.create(
        user=city[0],
        neighborhood_slug="atlantis",
        neighborhood_name="Atlantis",
        total=9,
    )
    assert boards() != ledger_boards()

    out = io.StringIO()
    call_command("reconcile_points", "--check", stdout=out)
    assert "Leaderboard tables: 3 row(s) drifted" in out.getvalue()
    assert "not rebuilt" in out.getvalue()
    assert "atlantis" in [n.slug for n in ledger_neighborhoods()]

    out = io.StringIO()
    call_command("reconcile_points", stdout=out)
    assert "0 drifted, 0 repaired" in out.getvalue()  # the balances were fine
    assert "rebuilt from the ledger" in out.getvalue()
    assert boards() == ledger_boards()
    again = services.reconcile_balances()
    assert sum(again.table_drift.values()) == 0 and not again.repaired_tables


def test_the_migration_backfills_every_table_from_the_ledger(city):
    bulk_load(city)
    PointsBalance.objects.all().delete()
    migration = importlib.import_module("points.migrations.0006_leaderboard_tables")

    migration.backfill(apps, SimpleNamespace(connection=connection))

    assert drifted_rows() == {"points per day": 0, "points neighborhood totals": 0}
    assert services.reconcile_balances(repair=False).drifted == 0
    assert boards() == ledger_boards()

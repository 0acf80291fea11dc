"""The cached balance follows the ledger; reconcile finds and repairs drift."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from points import services
from points.models import PointsBalance, PointsEntry
from points.selectors import total_points
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def balance(user):
    return PointsBalance.objects.get(user=user).total


def test_awards_and_corrections_move_the_cached_balance(resident, source):
    services.award_points(user=resident, reason="report_accepted", source=source)
    services.award_points(user=resident, reason="report_accepted", source=source)
    assert balance(resident) == 10
    services.reverse_points(
        user=resident, reason="report_accepted", source=source, why="duplicate"
    )
    services.reverse_points(
        user=resident, reason="report_accepted", source=source, why="duplicate"
    )
    assert balance(resident) == 0 == total_points(user=resident)


def test_a_missing_row_starts_from_the_ledger(resident, source):
    # An entry written before the cache existed.
    PointsEntry.objects.create(
        user=resident, amount=7, reason="legacy", source_type="x", source_id="1"
    )
    services.award_points(user=resident, reason="report_accepted", source=source)
    assert balance(resident) == 17


def test_reconcile_repairs_drift_and_a_second_run_finds_none():
    alice, bob, carol = UserFactory.create_batch(3)
    for user in (alice, bob):
        services.award_points(user=user, reason="report_accepted", source=UserFactory())
    PointsBalance.objects.filter(user=alice).update(total=999)  # drift
    PointsBalance.objects.filter(user=bob).delete()  # a lost row
    PointsBalance.objects.create(user=carol, total=5)  # points from nowhere

    out = io.StringIO()
    call_command("reconcile_points", "--check", stdout=out)
    assert "3 drifted, 0 repaired" in out.getvalue()
    assert balance(alice) == 999

    out = io.StringIO()
    call_command("reconcile_points", stdout=out)
    assert "3 drifted, 3 repaired" in out.getvalue()
    assert (balance(alice), balance(bob), balance(carol)) == (10, 10, 0)

    again = services.reconcile_balances()
    assert (again.drifted, again.repaired) == (0, 0)


def test_reconcile_runs_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["reconcile-points-balances"]
    assert entry["task"] == "points.tasks.reconcile_points_balances"
    from points.tasks import reconcile_points_balances

    assert reconcile_points_balances() == 0

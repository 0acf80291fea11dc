"""Racing awards create one entry per thing and lose no points (a real
database's job)."""

import os
import threading

import pytest
from django.db import connection

from points import services
from points.models import (
    PointsBalance,
    PointsDaily,
    PointsEntry,
    PointsNeighborhoodTotal,
)
from points.selectors import leaderboard_for_neighborhood
from tests.factories import UserFactory

THREADS = 10


@pytest.mark.django_db(transaction=True)
def test_ten_threads_awarding_the_same_thing_create_one_entry():
    if (
        connection.vendor == "sqlite"
        and os.environ.get("CIVIC_EXPECT_DATABASE") != "postgresql"
    ):
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing races")
    person = UserFactory()
    source = UserFactory()
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def award() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(
                services.award_points(
                    user=person, reason="report_accepted", source=source
                )
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=award) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert PointsEntry.objects.filter(user=person).count() == 1
    assert len({r.entry.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1


@pytest.mark.django_db(transaction=True)
def test_racing_awards_for_different_things_all_reach_the_boards():
    """Ten first awards of the day in one place at once: each must land in
    the balance, the day's row and the neighborhood total, none lost and none
    failing on a row another award created."""
    if (
        connection.vendor == "sqlite"
        and os.environ.get("CIVIC_EXPECT_DATABASE") != "postgresql"
    ):
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing races")
    person = UserFactory(display_name="Busy Bea", show_on_leaderboards=True)
    sources = UserFactory.create_batch(THREADS)
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def award(source) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(
                services.award_points(
                    user=person,
                    reason="support_given",
                    source=source,
                    neighborhood_slug="roxbury",
                    neighborhood_name="Roxbury",
                )
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(s,)) for s in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sum(r.created for r in results) == THREADS
    assert PointsBalance.objects.get(user=person).total == THREADS
    assert PointsDaily.objects.get(user=person).total == THREADS
    assert PointsNeighborhoodTotal.objects.get(user=person).total == THREADS
    [row] = leaderboard_for_neighborhood(slug="roxbury", period="week")
    assert (row.name, row.points) == ("Busy Bea", THREADS)

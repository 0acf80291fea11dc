"""Racing awards of the same thing create one entry (a real database's job)."""

import os
import threading

import pytest
from django.db import connection

from points import services
from points.models import PointsEntry
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

"""People racing for the last seat: exactly one gets it (a real database's job)."""

import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cms.events import services
from cms.models import EventSignup, SignupStatus
from tests.conftest import skip_or_fail
from tests.factories import UserFactory

from .factories import make_event

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_people_racing_for_the_last_seat_one_gets_it():
    if connection.vendor == "sqlite":
        if os.environ.get("CIVIC_EXPECT_DATABASE") == "postgresql":
            skip_or_fail("needs PostgreSQL: set DATABASE_URL")
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing races")
    event = make_event(shifts=[{"title": "Crew", "capacity": 3}])
    shift = event.shifts.get()
    for person in UserFactory.create_batch(2):
        services.sign_up(shift=shift, user=person)
    racers = UserFactory.create_batch(THREADS)
    barrier = threading.Barrier(THREADS)
    won, refused, errors = [], [], []

    def race(person) -> None:
        try:
            barrier.wait(timeout=10)
            won.append(services.sign_up(shift=shift, user=person))
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(p,)) for p in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(won) == 1
    assert len(refused) == THREADS - 1
    assert all("full" in " ".join(exc.messages) for exc in refused)
    live = EventSignup.objects.filter(shift=shift, status=SignupStatus.SIGNED_UP)
    assert live.count() == 3

"""Reports filed at once in one block all reach the map's cell counts (a real
database's job: SQLite serialises writers, so nothing races there)."""

import os
import threading

import pytest
from django.db import connection, transaction

from engagement.models import MapCell, ServiceRequest
from engagement.services.map_cells import rebuild_map_cells

from .factories import ServiceFactory, ServiceRequestFactory

THREADS = 8
BEACON_HILL = (42.3574, -71.0648)


@pytest.mark.django_db(transaction=True)
def test_racing_reports_in_one_cell_are_all_counted():
    if (
        connection.vendor == "sqlite"
        and os.environ.get("CIVIC_EXPECT_DATABASE") != "postgresql"
    ):
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing races")
    service = ServiceFactory()
    existing = ServiceRequestFactory(service=service, reporter=None)
    barrier = threading.Barrier(THREADS)
    errors = []

    def file_and_move(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                ServiceRequestFactory(
                    service=service,
                    reporter=None,
                    public_lat=BEACON_HILL[0] + n * 1e-6,
                    public_long=BEACON_HILL[1],
                )
                if n == 0:  # one writer also moves an older report into the cell
                    existing.public_lat, existing.public_long = BEACON_HILL
                    existing.save()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=file_and_move, args=(n,)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    counted = sorted(MapCell.objects.values_list("cell_row", "cell_col", "count"))
    assert sum(row[2] for row in counted) == ServiceRequest.objects.count()
    rebuild_map_cells()
    assert counted == sorted(
        MapCell.objects.values_list("cell_row", "cell_col", "count")
    )

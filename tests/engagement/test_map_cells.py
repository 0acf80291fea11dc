"""Per-cell counts behind the city-wide map: the grid they rest on, that the
map read from them shows what a count of the requests shows, and that they
stay exact as requests are filed, changed, moved and deleted."""

import importlib
import math
import random
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.db import connection

from engagement.geo import BBox
from engagement.models import MapCell, RequestStatus, ServiceRequest
from engagement.selectors.map import (
    MAP_CELL_ZOOM,
    RequestFilters,
    cluster_cell_size,
    map_cell_of,
    map_features,
)
from engagement.services.map_cells import (
    add_points_to_map_cells,
    rebuild_map_cells,
    refresh_map_cells,
)
from neighborhoods.models import Neighborhood
from neighborhoods.selectors import neighborhood_containing

from .factories import ServiceFactory, ServiceRequestFactory

CITY = BBox(min_lon=-71.20, min_lat=42.22, max_lon=-70.98, max_lat=42.40)
BEACON_HILL = (42.3574, -71.0648)
JAMAICA_PLAIN = (42.3097, -71.1151)
# A date filter sends the map to the live GROUP BY over the requests; one
# this early matches every request, so it must agree with the cell rollup.
EVERYTHING_SINCE = date(2000, 1, 1)


def stored_cells() -> list[tuple]:
    """MapCell as comparable values (sums rounded past float noise)."""
    return sorted(
        (r, c, s, st, n, count, round(lat, 7), round(lon, 7))
        for r, c, s, st, n, count, lat, lon in MapCell.objects.values_list(
            "cell_row",
            "cell_col",
            "service_id",
            "status",
            "neighborhood_key",
            "count",
            "lat_sum",
            "long_sum",
        )
    )


def assert_cells_exact():
    """What the rows are must be what a rebuild from the requests makes."""
    kept = stored_cells()
    rebuild_map_cells()
    assert kept == stored_cells()
    return kept


def at(lat: float, lon: float, **kwargs) -> ServiceRequest:
    kwargs.setdefault("neighborhood", neighborhood_containing(lat=lat, lon=lon))
    return ServiceRequestFactory(
        lat=lat, long=lon, public_lat=lat, public_long=lon, reporter=None, **kwargs
    )


def clusters(zoom: int, bbox: BBox = CITY, **filters) -> dict:
    data = map_features(bbox=bbox, zoom=zoom, filters=RequestFilters(**filters))
    return {
        tuple(f["properties"]["bbox"]): (
            f["properties"]["count"],
            f["geometry"]["coordinates"],
        )
        for f in data["features"]
    }


def assert_same_clusters(rollup: dict, live: dict) -> None:
    assert rollup.keys() == live.keys()
    for cell, (count, (lon, lat)) in rollup.items():
        live_count, (live_lon, live_lat) = live[cell]
        assert count == live_count, cell
        # Sums added in another order may differ in the last bits.
        assert lon == pytest.approx(live_lon, abs=2e-6)
        assert lat == pytest.approx(live_lat, abs=2e-6)


# --- The grid ----------------------------------------------------------------


def test_each_zoom_cell_is_a_whole_block_of_fine_cells():
    fine_lon, fine_lat = cluster_cell_size(zoom=MAP_CELL_ZOOM)
    rng = random.Random(11)
    points = [(rng.uniform(42.2, 42.4), rng.uniform(-71.2, -70.9)) for _ in range(2000)]
    # Points on fine cell edges (and a rounding error either side), where a
    # float division is most likely to disagree with a floor of a floor.
    for row in range(20780, 20790):
        for col in range(-25900, -25890):
            for lat in (row * fine_lat, math.nextafter(row * fine_lat, 0)):
                for lon in (col * fine_lon, math.nextafter(col * fine_lon, 0)):
                    points.append((lat, lon))

    for zoom in range(MAP_CELL_ZOOM + 1):
        cell_lon, cell_lat = cluster_cell_size(zoom=zoom)
        blocks = 2 ** (MAP_CELL_ZOOM - zoom)
        # Sizes double exactly per zoom, the latitude factor included.
        assert (cell_lon, cell_lat) == (fine_lon * blocks, fine_lat * blocks)
        for lat, lon in points:
            row, col = map_cell_of(lat=lat, lon=lon)
            assert (
                math.floor(lat / cell_lat)
                == row // blocks
                == row >> (MAP_CELL_ZOOM - zoom)
            )
            assert math.floor(lon / cell_lon) == col // blocks


# --- Read: the rollup shows what the requests show ---------------------------


@pytest.fixture
def varied_city(boston):
    """Requests of several services, groups, statuses and neighborhoods (and
    none), scattered and stacked on cell edges at several zooms."""
    services = [
        ServiceFactory(service_code="LIGHT", group="Street Lights"),
        ServiceFactory(service_code="LAMP", group="Street Lights"),
        ServiceFactory(service_code="TREE", group="Trees"),
    ]
    rng = random.Random(5)
    made = []
    for _ in range(120):
        lat, lon = rng.uniform(42.25, 42.38), rng.uniform(-71.16, -71.02)
        made.append(
            at(
                lat,
                lon,
                service=rng.choice(services),
                status=rng.choice([RequestStatus.OPEN, RequestStatus.CLOSED]),
            )
        )
    fine_lon, fine_lat = cluster_cell_size(zoom=MAP_CELL_ZOOM)
    for zoom in (10, 12, 13, 15):
        blocks = 2 ** (MAP_CELL_ZOOM - zoom)
        row = math.floor(BEACON_HILL[0] / fine_lat / blocks) * blocks
        col = math.floor(BEACON_HILL[1] / fine_lon / blocks) * blocks
        for lat in (row * fine_lat, math.nextafter(row * fine_lat, 0)):
            for lon in (col * fine_lon, math.nextafter(col * fine_lon, 0)):
                made.append(at(lat, lon, service=services[zoom % 3]))
    made.append(at(42.36, -71.0, neighborhood=None, service=services[0]))
    return made


FILTERS = [
    {},
    {"status": "open"},
    {"status": "closed"},
    {"service_group": "Street Lights"},
    {"service_code": "TREE"},
    {"neighborhood": "beacon-hill"},
    {"neighborhood": "jamaica-plain", "status": "open"},
    {"service_group": "Trees", "status": "closed"},
]


def test_rollup_clusters_match_a_count_of_the_requests(varied_city):
    for zoom in (0, 8, 10, 12, 13, 14, MAP_CELL_ZOOM):
        for filters in FILTERS:
            rollup = clusters(zoom, **filters)
            live = clusters(zoom, start=EVERYTHING_SINCE, **filters)

            assert rollup, (zoom, filters)  # every filter here matches something
            assert_same_clusters(rollup, live)


def test_a_box_edge_on_a_cell_edge_counts_the_same_both_ways(varied_city):
    fine_lon, fine_lat = cluster_cell_size(zoom=MAP_CELL_ZOOM)
    row, col = map_cell_of(lat=BEACON_HILL[0], lon=BEACON_HILL[1])
    box = BBox(
        min_lon=(col - 40) * fine_lon,
        min_lat=row * fine_lat,
        max_lon=col * fine_lon,
        max_lat=(row + 40) * fine_lat,
    )

    for zoom in (13, 14, MAP_CELL_ZOOM):
        rollup = clusters(zoom, bbox=box)
        assert_same_clusters(rollup, clusters(zoom, bbox=box, start=EVERYTHING_SINCE))


def test_city_view_reads_the_cells_not_the_requests(
    varied_city, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2) as captured:
        map_features(bbox=CITY, zoom=12, filters=RequestFilters())

    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert MapCell._meta.db_table in sql
    assert "GROUP BY" in sql.upper()


# --- Write: kept exact ---------------------------------------------------------


def test_filing_a_report_counts_it_in_its_cell(boston):
    request = at(*BEACON_HILL)

    row, col = map_cell_of(lat=BEACON_HILL[0], lon=BEACON_HILL[1])
    cell = MapCell.objects.get()
    assert (cell.cell_row, cell.cell_col, cell.count) == (row, col, 1)
    assert (cell.service_id, cell.status) == (request.service_id, "open")
    assert cell.neighborhood_key == request.neighborhood_id
    assert (cell.lat_sum, cell.long_sum) == BEACON_HILL


def test_moving_and_changing_a_request_moves_its_count(boston):
    neighbors = [at(*BEACON_HILL) for _ in range(3)]
    moved = neighbors[0]
    other_service = ServiceFactory()

    moved.public_lat, moved.public_long = JAMAICA_PLAIN
    moved.neighborhood = neighborhood_containing(
        lat=JAMAICA_PLAIN[0], lon=JAMAICA_PLAIN[1]
    )
    moved.save()
    neighbors[1].status = RequestStatus.CLOSED
    neighbors[1].save(update_fields=["status"])
    neighbors[2].service = other_service
    neighbors[2].save()

    cells = assert_cells_exact()
    assert sum(c[5] for c in cells) == 3
    assert {c[3] for c in cells} == {"open", "closed"}
    jp = map_cell_of(lat=JAMAICA_PLAIN[0], lon=JAMAICA_PLAIN[1])
    assert [c[5] for c in cells if (c[0], c[1]) == jp] == [1]


def test_a_save_that_leaves_the_map_alone_changes_no_cell(
    boston, django_assert_num_queries
):
    request = at(*BEACON_HILL)
    before = stored_cells()

    request.description = "Now with more detail."
    with django_assert_num_queries(2):  # the stored row, then the UPDATE
        request.save()
    with django_assert_num_queries(1):
        request.save(update_fields=["description"])

    assert stored_cells() == before


def test_saving_a_partly_loaded_request_keeps_cells_exact(boston):
    request = at(*BEACON_HILL)
    partial = ServiceRequest.objects.only("pk", "status").get(pk=request.pk)

    partial.status = RequestStatus.CLOSED
    partial.save()

    assert [c[3] for c in assert_cells_exact()] == ["closed"]


def test_deleting_requests_takes_them_off_the_map(boston):
    kept = at(*BEACON_HILL)
    at(*BEACON_HILL).delete()
    at(*JAMAICA_PLAIN)
    at(*JAMAICA_PLAIN)

    ServiceRequest.objects.filter(public_lat=JAMAICA_PLAIN[0]).only("pk").delete()

    cells = assert_cells_exact()
    assert [(c[0], c[1], c[5]) for c in cells] == [
        (*map_cell_of(lat=kept.public_lat, lon=kept.public_long), 1)
    ]


def test_deleting_a_neighborhood_recounts_its_requests_under_none(boston):
    request = at(*BEACON_HILL)
    at(*JAMAICA_PLAIN)

    Neighborhood.objects.filter(pk=request.neighborhood_id).delete()

    cells = assert_cells_exact()
    assert sorted(c[4] for c in cells)[0] == 0
    assert request.neighborhood_id not in {c[4] for c in cells}


def test_refresh_after_a_queryset_update_of_positions(boston):
    service = ServiceFactory()
    requests = [at(*BEACON_HILL, service=service) for _ in range(2)]
    old_cell = map_cell_of(lat=BEACON_HILL[0], lon=BEACON_HILL[1])

    ServiceRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        public_lat=JAMAICA_PLAIN[0], public_long=JAMAICA_PLAIN[1]
    )
    refresh_map_cells(request_ids=[r.pk for r in requests], cells=[old_cell])

    cells = assert_cells_exact()
    assert [(c[0], c[1], c[5]) for c in cells] == [
        (*map_cell_of(lat=JAMAICA_PLAIN[0], lon=JAMAICA_PLAIN[1]), 2)
    ]


def test_bulk_inserted_requests_are_added_to_their_cells(boston):
    at(*BEACON_HILL)
    service = ServiceFactory()
    rng = random.Random(2)
    built = [
        ServiceRequestFactory.build(
            service=service,
            reporter=None,
            external_id=f"EXT-{n}",
            public_lat=rng.uniform(42.34, 42.36),
            public_long=rng.uniform(-71.08, -71.06),
            status=rng.choice([RequestStatus.OPEN, RequestStatus.CLOSED]),
        )
        for n in range(60)
    ]
    created = ServiceRequest.objects.bulk_create(built)  # sends no signal

    add_points_to_map_cells(
        points=[
            (r.public_lat, r.public_long, r.service_id, r.status, r.neighborhood_id)
            for r in created
        ]
    )

    assert sum(c[5] for c in assert_cells_exact()) == 61


def test_rebuild_counts_every_request_once(boston):
    for n in range(5):
        at(BEACON_HILL[0] + n * 0.01, BEACON_HILL[1])
    MapCell.objects.all().delete()

    written = rebuild_map_cells()

    assert written == MapCell.objects.count() == 5
    assert sum(MapCell.objects.values_list("count", flat=True)) == 5


def test_the_migration_backfills_what_a_rebuild_makes(varied_city):
    expected = assert_cells_exact()
    MapCell.objects.all().delete()
    migration = importlib.import_module("engagement.migrations.0006_map_cells")

    def execute(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    migration.backfill_map_cells(
        global_apps, SimpleNamespace(connection=connection, execute=execute)
    )

    assert stored_cells() == expected

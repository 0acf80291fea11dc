"""The importer's set-based writes: batches of any size give the same rows,
columns it does not fill get the model's defaults, re-imports skip what is
stored, and the batch-wide neighborhood lookup agrees with the per-point one."""

import csv
import html
import random
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.db import connection

from engagement.models import RequestStatus, ServiceRequest, Source
from engagement.services.importing import (
    SKIP_ALREADY_IMPORTED,
    SKIP_OUTSIDE,
    SKIP_PLACEHOLDER,
    SKIP_REPEATED,
    import_requests,
    rows,
)
from engagement.services.importing.formats import clean_text
from engagement.services.importing.locating import NeighborhoodLocator
from engagement.text import clean_text as strip_controls
from neighborhoods.models import Neighborhood
from neighborhoods.selectors import neighborhood_containing

from .factories import ServiceRequestFactory

BOSTON_2015 = Path(__file__).parent / "data" / "boston_311_2015_style.csv"
REJECTED = "rejected by the database (duplicate id)"


def _boston_file(count: int, *, first_id: int = 900_000_000_000) -> StringIO:
    """``count`` rows in the 2015 style, cycling through the sample file's
    eight importable rows (eight places in five neighborhoods) with new case
    numbers and open times one minute apart."""
    with BOSTON_2015.open(newline="") as f:
        header, *lines = list(csv.reader(f))
    columns = {name: k for k, name in enumerate(header)}
    usable = [
        line
        for line in lines
        if line[columns["CASE_ENQUIRY_ID"]] not in {"101001240754", "101001314874"}
    ]
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for k in range(count):
        line = list(usable[k % len(usable)])
        line[columns["CASE_ENQUIRY_ID"]] = str(first_id + k)
        hour, minute = divmod(k, 60)
        line[columns["OPEN_DT"]] = f"03/02/2015 {hour % 12 + 1:02d}:{minute:02d}:00 PM"
        writer.writerow(line)
    out.seek(0)
    out.name = "generated.csv"
    return out


def test_rows_of_every_batch_are_written_whole(boston):
    result = import_requests(source=_boston_file(25), batch_size=10)

    assert result.imported == 25
    assert result.skipped_count == 0
    assert result.failed_count == 0
    assert ServiceRequest.objects.count() == 25
    # The last row of the first batch, the first of the second, the last one.
    for case in (900_000_000_009, 900_000_000_010, 900_000_000_024):
        sr = ServiceRequest.objects.get(external_id=str(case))
        assert sr.public_id == str(case)
        assert sr.source == Source.IMPORT
        assert sr.neighborhood_id is not None
        assert (sr.public_lat, sr.public_long) == (sr.lat, sr.long)
    # The 24th row is the file's eighth usable one: 730 Adams St, open,
    # opened at 01:23 PM EST.
    last = ServiceRequest.objects.select_related("neighborhood", "service").get(
        external_id="900000000023"
    )
    assert last.neighborhood.name == "Dorchester"
    assert last.service.name == "Animal Found"
    assert last.service.active is False
    assert last.status == RequestStatus.OPEN
    assert last.requested_datetime == datetime(2015, 3, 2, 18, 23, tzinfo=UTC)
    assert last.updated_datetime == last.requested_datetime
    assert last.closed_datetime is None
    assert last.on_time is None
    assert last.address == "730 Adams St, Dorchester, MA 02122"


def test_columns_the_importer_does_not_fill_get_the_model_defaults(boston):
    import_requests(source=_boston_file(3), batch_size=2)

    sr = ServiceRequest.objects.get(external_id="900000000001")
    made = ServiceRequest()
    for name in (
        "attributes",
        "reporter_id",
        "anonymous",
        "support_count",
        "acknowledged_datetime",
        "closure_reason",
        "duplicate_of_id",
        "assigned_to_id",
        "priority",
        "reopened",
        "fix_status",
        "overdue_notified_datetime",
    ):
        assert getattr(sr, name) == getattr(made, name), name
    # Closed the next morning: kept with its on-time state.
    assert sr.status == RequestStatus.CLOSED
    assert sr.on_time is True
    assert sr.closed_datetime == datetime(2015, 1, 2, 21, 17, 43, tzinfo=UTC)


def test_a_newer_export_imports_only_its_new_rows(boston):
    first = import_requests(source=_boston_file(12), batch_size=5)
    before = {
        sr.external_id: (sr.pk, sr.public_id, sr.status, sr.updated_datetime)
        for sr in ServiceRequest.objects.all()
    }

    # The newer export repeats the twelve rows and adds eight.
    second = import_requests(source=_boston_file(20), batch_size=5)

    assert first.imported == 12
    assert second.imported == 8
    assert second.skipped == {SKIP_ALREADY_IMPORTED: 12}
    assert second.services_created == []
    assert ServiceRequest.objects.count() == 20
    after = {
        sr.external_id: (sr.pk, sr.public_id, sr.status, sr.updated_datetime)
        for sr in ServiceRequest.objects.filter(external_id__in=before)
    }
    assert after == before  # rows imported before are left as they were


@pytest.mark.parametrize(
    ("batch_size", "reason"),
    [
        (10, SKIP_REPEATED),
        # By the later batch the first copies are stored.
        (4, SKIP_ALREADY_IMPORTED),
    ],
)
def test_a_row_repeated_in_the_file_is_imported_once(boston, batch_size, reason):
    lines = _boston_file(6).getvalue().splitlines()
    doubled = StringIO("\n".join([*lines, lines[1], lines[3]]) + "\n")
    doubled.name = "doubled.csv"

    result = import_requests(source=doubled, batch_size=batch_size)

    assert result.imported == 6
    assert result.skipped == {reason: 2}
    assert ServiceRequest.objects.count() == 6


def test_a_rejected_row_in_a_later_batch_costs_only_itself(boston):
    ServiceRequestFactory(
        public_id="900000000007", external_id="OTHER-1", reporter=None
    )

    result = import_requests(source=_boston_file(12), batch_size=5)

    assert result.imported == 11
    assert result.failed == {REJECTED: 1}
    assert result.failed_examples[REJECTED] == [9]  # the header is row 1
    assert not ServiceRequest.objects.filter(external_id="900000000007").exists()
    assert ServiceRequest.objects.filter(external_id="900000000008").exists()


def test_each_written_batch_is_announced_once_with_its_rows(boston, monkeypatch):
    batches: list[list[str]] = []
    monkeypatch.setattr(
        rows,
        "_after_batch_written",
        lambda *, external_ids, rows: batches.append(external_ids),
    )
    ServiceRequestFactory(
        public_id="900000000002", external_id="OTHER-1", reporter=None
    )

    import_requests(source=_boston_file(7), batch_size=3)

    assert batches == [
        ["900000000000", "900000000001"],
        ["900000000003", "900000000004", "900000000005"],
        ["900000000006"],
    ]


def test_placeholder_and_outside_rows_are_skipped_in_any_batch(boston):
    result = import_requests(source=BOSTON_2015, batch_size=1)

    assert result.imported == 8
    assert result.skipped == {SKIP_PLACEHOLDER: 1, SKIP_OUTSIDE: 1}


def test_batch_lookup_agrees_with_the_per_point_lookup(boston):
    # Boundary vertices (on the edge: inside; on a shared edge: the first by
    # name), points around the city and far outside it.
    points = []
    for boundary in Neighborhood.objects.values_list("boundary", flat=True):
        polygons = boundary["coordinates"]
        if boundary["type"] == "Polygon":
            polygons = [polygons]
        ring = polygons[0][0]
        points += [(lat, lon) for lon, lat in ring[:: max(1, len(ring) // 15)]]
    randomness = random.Random(8)
    points += [
        (randomness.uniform(42.22, 42.40), randomness.uniform(-71.20, -70.98))
        for _ in range(400)
    ]
    points += [(40.7128, -74.0060), (0.5, 0.5)]

    found = NeighborhoodLocator().locate(points)

    expected = []
    for lat, lon in points:
        neighborhood = neighborhood_containing(lat=lat, lon=lon)
        expected.append(neighborhood.pk if neighborhood else None)
    assert found == expected
    assert None in found
    assert len(set(found) - {None}) >= 20


def test_batch_lookup_of_no_points_is_empty(boston):
    assert NeighborhoodLocator().locate([]) == []


@pytest.mark.parametrize(
    "text",
    [
        "  Street Light Outages ",
        "PWDx_Street Light Outages",
        "a\x00b\x07c",
        "tab\tinside\nand newline\r",
        "\tleading tab",
        "Fish &amp; Chips &lt;b&gt;",
        "&nbsp;spaced&nbsp;",
        "caf\u00e9 \u2013 \u00a0non-breaking\u00a0",
        "",
    ],
)
def test_clean_text_matches_unescape_then_strip_controls(text):
    stripped = text.strip()
    expected = strip_controls(html.unescape(stripped) if "&" in stripped else stripped)

    assert clean_text(text) == expected


def test_sqlite_page_cache_is_put_back_after_an_import(boston):
    if connection.vendor != "sqlite":
        pytest.skip("the page cache is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]

        import_requests(source=_boston_file(3))

        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before


def _map_cells() -> list[tuple]:
    from engagement.models import MapCell

    return sorted(
        MapCell.objects.values_list(
            "cell_row", "cell_col", "service_id", "status", "neighborhood_key", "count"
        )
    )


def test_imported_rows_reach_the_map_counts_as_a_rebuild_would(boston):
    from engagement.services.map_cells import rebuild_map_cells

    ServiceRequestFactory(external_id="OTHER-1", reporter=None)

    result = import_requests(source=_boston_file(11), batch_size=4)

    assert result.imported == 11
    counted = _map_cells()
    assert sum(row[-1] for row in counted) == ServiceRequest.objects.count()
    sums = _map_sums()
    rebuild_map_cells()
    assert _map_cells() == counted
    rebuilt = _map_sums()
    assert rebuilt.keys() == sums.keys()
    for key, (lat_sum, long_sum) in rebuilt.items():
        assert sums[key][0] == pytest.approx(lat_sum, abs=1e-9)
        assert sums[key][1] == pytest.approx(long_sum, abs=1e-9)


def _map_sums() -> dict[tuple, tuple[float, float]]:
    from engagement.models import MapCell

    return {
        row[:5]: row[5:]
        for row in MapCell.objects.values_list(
            "cell_row",
            "cell_col",
            "service_id",
            "status",
            "neighborhood_key",
            "lat_sum",
            "long_sum",
        )
    }

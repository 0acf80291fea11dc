"""Importing real 311 exports: Boston's three CSV header styles, Open311 JSON and
another city's CSV through a column mapping."""

import gzip
import shutil
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from engagement import geo
from engagement.demo_requests import DEMO_REQUEST_FILES, import_demo_requests
from engagement.models import (
    Department,
    DetailedStatus,
    RequestStatus,
    Service,
    ServiceRequest,
    Source,
)
from engagement.services.importing import (
    SKIP_ALREADY_IMPORTED,
    SKIP_NO_LOCATION,
    SKIP_OUTSIDE,
    SKIP_PLACEHOLDER,
    SKIP_REPEATED,
    RequestImportError,
    import_requests,
    parse_mapping,
)
from neighborhoods.models import Neighborhood

from .factories import ServiceFactory, ServiceRequestFactory

DATA = Path(__file__).parent / "data"
BOSTON_2015 = DATA / "boston_311_2015_style.csv"
BOSTON_LEGACY = DATA / "boston_311_legacy_lowercase.csv"
OPEN311 = DATA / "open311_requests.json"
OTHER_CITY = DATA / "other_city_311.csv"
OPEN_2025, CLOSED_SAMPLE = DEMO_REQUEST_FILES[1], DEMO_REQUEST_FILES[0]
OTHER_CITY_MAPPING = (
    "external_id=Unique Key,service_name=Complaint Type,status=Status,"
    "lat=Latitude,long=Longitude,address=Incident Address,"
    "requested_datetime=Created Date,closed_datetime=Closed Date,"
    "expected_datetime=Due Date,status_notes=Resolution Description"
)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_boston_2025_export_is_imported_as_local_time(boston):
    result = import_requests(source=OPEN_2025)

    assert result.imported == 2419
    assert result.skipped == {SKIP_NO_LOCATION: 2, SKIP_OUTSIDE: 3}
    assert result.failed_count == 0
    assert "2025 style" in result.notes[0]
    sr = ServiceRequest.objects.select_related(
        "service__department", "neighborhood"
    ).get(external_id="101005870246")
    assert sr.public_id == "101005870246"
    assert sr.source == Source.IMPORT
    assert (sr.status, sr.detailed_status) == (RequestStatus.OPEN, DetailedStatus.NEW)
    assert sr.service.name == "Street Light Outages"
    assert sr.service.active is False  # history only, not offered to residents
    assert sr.service.group == "Street Lights"
    assert sr.service.department.code == "PWDx"
    assert sr.service.department.name == "Public Works Department"
    assert sr.neighborhood.name == "East Boston"
    assert sr.address == "9-15 Orleans St, East Boston, MA 02128"
    # 03:24:56 in Boston in January is 08:24:56 UTC.
    assert sr.requested_datetime == utc(2025, 1, 24, 8, 24, 56)
    assert sr.expected_datetime == utc(2025, 2, 7, 8, 30)
    assert sr.closed_datetime is None
    assert (sr.public_lat, sr.public_long) == (sr.lat, sr.long)
    assert ServiceRequest.objects.get(external_id="101005838416").address == (
        "INTERSECTION of City Sq & Harvard St, Charlestown, MA"
    )


def test_boston_closed_sample_keeps_closing_time_and_notes(boston):
    result = import_requests(source=CLOSED_SAMPLE, format="boston-csv")

    assert result.imported == 4962
    assert result.skipped == {SKIP_NO_LOCATION: 32, SKIP_OUTSIDE: 1}
    assert "Socrata upper-case" in result.notes[0]
    sr = ServiceRequest.objects.get(external_id="101004128563")
    assert (sr.status, sr.detailed_status) == ("closed", "closed")
    # The closure note says "Closed date : 2022-01-18 15:08:24.983" (UTC).
    assert sr.closed_datetime == utc(2022, 1, 18, 15, 8, 24)
    assert sr.updated_datetime == sr.closed_datetime
    assert sr.status_notes.startswith("Case Closed.")
    assert sr.description == "PRINTED : Street Light  Knockdown//N.M."
    assert ServiceRequest.objects.filter(status="open").count() == 0


def test_demo_import_is_idempotent(boston):
    first = import_demo_requests()
    count = ServiceRequest.objects.count()
    services = Service.objects.count()

    second = import_demo_requests()

    assert [r.imported for r in first] == [4962, 2419]
    assert [r.imported for r in second] == [0, 0]
    assert second[0].skipped[SKIP_ALREADY_IMPORTED] == 4962
    assert second[1].skipped[SKIP_ALREADY_IMPORTED] == 2419
    assert ServiceRequest.objects.count() == count
    assert Service.objects.count() == services
    assert second[0].services_created == []


def test_2015_style_rows_skip_the_placeholder_and_outside_points(boston):
    result = import_requests(source=BOSTON_2015)

    assert result.imported == 8
    assert result.skipped == {SKIP_PLACEHOLDER: 1, SKIP_OUTSIDE: 1}
    assert not ServiceRequest.objects.filter(
        external_id__in=["101001240754", "101001314874"]
    ).exists()
    sr = ServiceRequest.objects.get(external_id="101001240734")
    # "01/01/2015 12:20:09 AM" is twenty past midnight, Boston time.
    assert sr.requested_datetime == utc(2015, 1, 1, 5, 20, 9)
    assert sr.closed_datetime == utc(2015, 1, 2, 14, 8, 42)
    assert sr.address == "33 Beacon St, Boston, MA 02108"
    summer = ServiceRequest.objects.get(external_id="101001240736")
    assert summer.closed_datetime == utc(2015, 4, 28, 12, 49, 50)  # EDT: 4 hours


def test_2015_style_gz_file_reads_the_same(boston, tmp_path):
    packed = tmp_path / "boston_2015.csv.gz"
    with BOSTON_2015.open("rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)

    result = import_requests(source=packed)

    assert result.imported == 8


def test_small_batches_import_the_same_rows(boston):
    result = import_requests(source=BOSTON_2015, batch_size=3)

    assert result.imported == 8
    assert ServiceRequest.objects.count() == 8


def test_legacy_lowercase_header_is_read(boston):
    result = import_requests(source=BOSTON_LEGACY)

    assert result.imported == 5
    assert result.skipped == {SKIP_NO_LOCATION: 1}
    assert "legacy lower-case" in result.notes[0]
    sr = ServiceRequest.objects.get(external_id="101004263976")
    assert sr.service.name == "Rodent Activity"
    assert sr.neighborhood.name == "Back Bay"


def test_open311_json_finds_services_by_code_then_name(boston):
    trash = ServiceFactory(service_code="MTRECYDBI", name="Trash not collected")
    lights = ServiceFactory(service_code="STRLGHT", name="Street Light Outages")

    result = import_requests(source=OPEN311)

    assert result.imported == 3
    assert result.skipped == {SKIP_NO_LOCATION: 1}
    assert ServiceRequest.objects.get(external_id="200012223").service == trash
    assert ServiceRequest.objects.get(external_id="101005870246").service == lights
    created = Service.objects.get(service_code="SDWRPMKSF")
    assert created.name == "Sidewalk Repair (Make Safe)"
    assert created.active is False
    assert result.services_created == ["Sidewalk Repair (Make Safe)"]
    boston_app = ServiceRequest.objects.get(external_id="200012223")
    assert boston_app.requested_datetime == utc(2018, 9, 6, 19, 51, 48)
    closed = ServiceRequest.objects.get(external_id="101005838299")
    assert closed.status == "closed"
    assert closed.status_notes == "Case Resolved. Sidewalk made safe."
    assert closed.closed_datetime == utc(2025, 1, 2, 14, 30)


def test_other_city_csv_loads_with_a_mapping(boston):
    out = StringIO()
    call_command(
        "import_requests", str(OTHER_CITY), map=[OTHER_CITY_MAPPING], stdout=out
    )

    in_progress = ServiceRequest.objects.get(external_id="NYC-1001")
    assert in_progress.status == "open"
    assert in_progress.detailed_status == DetailedStatus.IN_PROGRESS
    assert in_progress.service.name == "Street Light Condition"
    assert in_progress.service.service_code == "IMPORT-STREET-LIGHT-CONDITION"
    assert in_progress.requested_datetime == utc(2025, 1, 24, 8, 24, 56)
    assert in_progress.expected_datetime == utc(2025, 2, 7, 8, 30)
    closed = ServiceRequest.objects.get(external_id="NYC-1002")
    assert closed.status == "closed"
    assert closed.status_notes == "The sidewalk was made safe."
    iso = ServiceRequest.objects.get(external_id="NYC-1003")
    assert iso.requested_datetime == utc(2025, 1, 1, 12, 33)
    text = out.getvalue()
    assert "Imported: 3" in text
    assert "1 unreadable requested date (e.g. row 5)" in text
    assert "1 no service code or name (e.g. row 6)" in text


def test_sensitive_service_gets_only_a_coarse_public_point(boston):
    ServiceFactory(service_code="SENS", name="Street Light Outages", sensitive=True)

    import_requests(source=OPEN_2025)

    sr = ServiceRequest.objects.get(external_id="101005870246")
    assert (sr.public_lat, sr.public_long) == geo.coarsen_point(lat=sr.lat, lon=sr.long)
    assert (sr.public_lat, sr.public_long) != (sr.lat, sr.long)


def test_rows_repeated_in_a_file_are_imported_once(boston, tmp_path):
    lines = BOSTON_2015.read_text().splitlines()
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("\n".join([*lines, lines[1], lines[2]]) + "\n")

    result = import_requests(source=doubled)

    assert result.imported == 8
    assert result.skipped[SKIP_REPEATED] == 2


def test_a_row_the_database_rejects_does_not_cost_its_batch(boston):
    # A request elsewhere already uses a Boston case number as its public id.
    ServiceRequestFactory(
        public_id="101001240735", external_id="OTHER-1", reporter=None
    )

    result = import_requests(source=BOSTON_2015)

    assert result.imported == 7
    assert result.failed == {"rejected by the database (duplicate id)": 1}
    assert result.failed_examples["rejected by the database (duplicate id)"] == [3]


def test_departments_are_reused_by_code(boston):
    Department.objects.create(code="PWDx", name="Public Works")

    import_requests(source=BOSTON_2015)

    assert Department.objects.filter(code="PWDx").count() == 1
    lights = Service.objects.get(name="Street Light Outages")
    assert lights.department.name == "Public Works"


def test_command_prints_counts_by_reason(boston):
    out = StringIO()

    call_command("import_requests", str(BOSTON_2015), stdout=out)
    call_command("import_requests", str(BOSTON_2015), stdout=out)

    first, second = out.getvalue().split("Read as", 2)[1:]
    assert "Imported: 8" in first
    assert "Skipped: 2" in first
    assert f"1 {SKIP_PLACEHOLDER}" in first
    assert f"1 {SKIP_OUTSIDE}" in first
    assert "Failed: 0" in first
    assert "Created 4 inactive services" in first
    assert "Imported: 0" in second
    assert f"8 {SKIP_ALREADY_IMPORTED}" in second


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        ((str(OTHER_CITY),), {}, "not a Boston 311 CSV"),
        ((str(OTHER_CITY),), {"map": ["lat=Latitude"]}, "needs a mapping for"),
        ((str(OTHER_CITY),), {"map": ["colour=Status"]}, "Unknown field 'colour'"),
        ((str(OTHER_CITY),), {"map": ["lat=Lat"]}, "Column 'Lat' (for lat)"),
        (("no-such-file.csv",), {}, "No such file"),
    ],
)
def test_command_explains_what_cannot_be_imported(boston, args, options, message):
    with pytest.raises(
        CommandError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        call_command("import_requests", *args, **options)


def test_nothing_is_imported_before_neighborhoods_exist(db):
    Neighborhood.objects.all().delete()  # a fresh install

    with pytest.raises(RequestImportError, match="No neighborhoods are loaded"):
        import_requests(source=BOSTON_2015)


def test_parse_mapping_reads_field_column_pairs():
    assert parse_mapping("external_id=Unique Key, lat = Latitude") == {
        "external_id": "Unique Key",
        "lat": "Latitude",
    }
    with pytest.raises(RequestImportError, match="not field=column"):
        parse_mapping("external_id")

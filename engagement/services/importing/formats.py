"""Reading the files: which format, which column holds which field, and
turning the text of a cell into a value."""

import csv
import gzip
import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from math import isfinite
from pathlib import Path
from typing import IO, Any

from ...text import clean_text as strip_controls

BOSTON_CSV = "boston-csv"
OPEN311_JSON = "open311-json"
MAPPED_CSV = "csv"
FORMATS = (BOSTON_CSV, OPEN311_JSON, MAPPED_CSV)
FIELDS = (
    "external_id",
    "service_code",
    "service_name",
    "service_group",
    "department",
    "department_name",
    "agency_responsible",
    "status",
    "status_notes",
    "description",
    "lat",
    "long",
    "address",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "closed_datetime",
)

# Boston's columns, lower-cased; the first name present wins. The three header
# styles differ in case and in a few names (target_dt / sla_target_dt).
_BOSTON_COLUMNS = {
    "external_id": ("case_enquiry_id",),
    "requested_datetime": ("open_dt",),
    "expected_datetime": ("sla_target_dt", "target_dt"),
    "closed_datetime": ("closed_dt",),
    "on_time": ("ontime_status", "ontime", "on_time"),
    "status": ("case_status",),
    "status_notes": ("closure_reason",),
    "description": ("case_title",),
    "service_name": ("type",),
    "service_group": ("reason",),
    "department": ("department",),
    "department_name": ("subject",),
    "agency_responsible": ("subject",),
    "address": ("location",),
    "lat": ("latitude",),
    "long": ("longitude",),
    "point": ("geocoded_location",),
}
_BOSTON_REQUIRED = ("case_enquiry_id", "open_dt", "type")
_OPEN311_KEYS = {name: name for name in FIELDS} | {"external_id": "service_request_id"}
_SEPARATOR = re.compile(r"\s{2,}")
_US_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S")
_US_FORMATS += ("%m/%d/%Y %H:%M", "%m/%d/%Y")


class RequestImportError(ValueError):
    """The input cannot be imported at all (unknown format, missing columns)."""


def parse_mapping(text: str) -> dict[str, str]:
    """``"external_id=Unique Key,lat=Latitude"`` as a dict, checked against
    ``FIELDS`` so a typo is caught before a long file is read."""
    mapping: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        name, sep, column = pair.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not name or not column:
            raise RequestImportError(f"Mapping {pair!r} is not field=column.")
        if name not in FIELDS:
            raise RequestImportError(
                f"Unknown field {name!r} in the mapping; fields: {', '.join(FIELDS)}."
            )
        mapping[name] = column
    return mapping


@contextmanager
def open_text(source: str | Path | IO[str]) -> Iterator[IO[str]]:
    if hasattr(source, "read"):
        yield source
        return
    path = Path(source)
    if not path.is_file():
        raise RequestImportError(f"No such file: {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    # utf-8-sig: exports saved by spreadsheets often start with a BOM; a stray
    # byte in one row must not stop a file of a hundred thousand.
    with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as f:
        yield f


def detect_format(name: str, stream: IO[str], mapping: dict | None) -> str:
    if name.removesuffix(".gz").lower().endswith(".json"):
        return OPEN311_JSON
    if mapping:
        return MAPPED_CSV
    return BOSTON_CSV  # checked against the header, with a clear message


def csv_records(
    stream: IO[str], fmt: str, mapping: dict[str, str], notes: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Numbered records (the header is row 1) of a CSV; says in ``notes``
    which Boston header style it read."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if not header:
        raise RequestImportError("The file is empty: it has no header row.")
    header = [h.strip() for h in header]
    if fmt == BOSTON_CSV:
        columns = _boston_columns(header, notes) | _mapped_columns(mapping, header)
    else:
        columns = _mapped_columns(mapping, header)
        _require(columns, fmt)
    names, indices = list(columns), list(columns.values())
    for number, row in enumerate(reader, start=2):
        if not row:
            continue
        n = len(row)
        yield (
            number,
            {k: row[i] if i < n else "" for k, i in zip(names, indices, strict=True)},
        )


def _boston_columns(header: list[str], notes: list[str]) -> dict[str, int]:
    lower = {h.lower(): i for i, h in enumerate(header)}
    missing = [c for c in _BOSTON_REQUIRED if c not in lower]
    if missing or not ({"latitude", "geocoded_location"} & lower.keys()):
        raise RequestImportError(
            "This is not a Boston 311 CSV (missing columns: "
            f"{', '.join(missing) or 'latitude/longitude'}). For another city's "
            "export use --format csv with --map field=column,..."
        )
    if "sla_target_dt" in lower or "geom_4326" in lower:
        style = "2025 style"
    elif header[lower["case_enquiry_id"]].isupper():
        style = "Socrata upper-case style"
    else:
        style = "legacy lower-case style"
    notes.append(f"Read as a Boston 311 CSV ({style} header).")
    columns = {}
    for name, candidates in _BOSTON_COLUMNS.items():
        found = next((lower[c] for c in candidates if c in lower), None)
        if found is not None:
            columns[name] = found
    return columns


def _mapped_columns(mapping: dict[str, str], header: list[str]) -> dict[str, int]:
    exact = {h: i for i, h in enumerate(header)}
    lower = {h.lower(): i for i, h in enumerate(header)}
    columns = {}
    for name, column in mapping.items():
        if name not in FIELDS:
            raise RequestImportError(f"Unknown field {name!r} in the mapping.")
        index = exact.get(column, lower.get(column.lower()))
        if index is None:
            raise RequestImportError(
                f"Column {column!r} (for {name}) is not in the file; its columns "
                f"are: {', '.join(header)}."
            )
        columns[name] = index
    return columns


def _require(columns: dict, fmt: str) -> None:
    needed = ["external_id", "lat", "long", "requested_datetime"]
    missing = [n for n in needed if n not in columns]
    if not ({"service_code", "service_name"} & columns.keys()):
        missing.append("service_code or service_name")
    if missing:
        raise RequestImportError(
            f"The {fmt} format needs a mapping for: {', '.join(missing)} "
            "(--map field=column,...)."
        )


def open311_records(
    stream: IO[str], mapping: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = json.load(stream)
    except json.JSONDecodeError as exc:
        raise RequestImportError(
            f"Not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from exc
    if isinstance(data, dict):
        data = data.get("service_requests", data.get("requests"))
    if not isinstance(data, list):
        raise RequestImportError(
            "Expected an Open311 requests list: a JSON array of service requests."
        )
    keys = _OPEN311_KEYS | mapping
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            yield number, {name: item.get(key) for name, key in keys.items()}
        else:
            yield number, {}


def clean_text(value: Any) -> str:
    """A cell's text: HTML entities decoded, control characters dropped."""
    if value is None:
        return ""
    value = str(value).strip()
    if "&" in value:
        return strip_controls(html.unescape(value))
    # Most cells hold no control character at all (nor tab or newline, which
    # isprintable() also rejects): they are already clean and trimmed.
    return value if value.isprintable() else strip_controls(value)


def record_point(record: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = clean_text(record.get("lat")), clean_text(record.get("long"))
    if (not lat or not lon) and record.get("point"):
        # Boston's "(42.3574, -71.0648)"
        lat, _, lon = clean_text(record["point"]).strip("()").partition(",")
    try:
        lat_f, lon_f = float(lat), float(lon)
    except ValueError:
        return None
    if not (isfinite(lat_f) and isfinite(lon_f)) or (lat_f == 0 and lon_f == 0):
        return None
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        return None
    return lat_f, lon_f


def tidy_address(text: str) -> str:
    """Boston separates parts with double spaces: "33 Beacon St  Boston  MA  02108"
    reads as "33 Beacon St, Boston, MA 02108"."""
    if "  " not in text:
        return text
    parts = _SEPARATOR.split(text.strip())
    if len(parts) >= 2 and parts[-1].isdigit() and len(parts[-2]) == 2:
        parts[-2:] = [f"{parts[-2]} {parts[-1]}"]
    return ", ".join(parts)


def parse_datetime(text: str) -> datetime:
    """ISO 8601 (with or without an offset), Boston's "2025-01-24 03:24:56" and
    the US "01/01/2015 12:20:09 AM"; raises ValueError for anything else."""
    if len(text) == 22 and text[2] == "/" and text[19] == " " and text[21] in "Mm":
        # The 2015 files' format, a third of the time strptime takes.
        hour = int(text[11:13]) % 12 + (12 if text[20] in "Pp" else 0)
        return datetime(
            int(text[6:10]),
            int(text[0:2]),
            int(text[3:5]),
            hour,
            int(text[14:16]),
            int(text[17:19]),
        )
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _US_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(text)

"""Importing service requests from other systems: Boston's 311 CSV exports (all
three header styles), Open311 GeoReport v2 ``requests.json``, and any CSV whose
columns are named with a mapping, so another city's export loads too.

Rows are read as text (``formats``) and checked one by one (``rows``); each
batch's new points are placed in neighborhoods together (``locating``), and the
batch is written set-based (``writer``: COPY on PostgreSQL, multi-row INSERTs
on SQLite). That keeps a 100,000-row file to seconds, not minutes.
"""

import time
from pathlib import Path
from typing import IO

from neighborhoods.models import Neighborhood

from .formats import (
    BOSTON_CSV,
    FIELDS,
    FORMATS,
    MAPPED_CSV,
    OPEN311_JSON,
    RequestImportError,
    csv_records,
    detect_format,
    open311_records,
    open_text,
    parse_mapping,
)
from .rows import (
    PLACEHOLDER_POINTS,
    SKIP_ALREADY_IMPORTED,
    SKIP_NO_LOCATION,
    SKIP_OUTSIDE,
    SKIP_PLACEHOLDER,
    SKIP_REPEATED,
    Importer,
    ImportResult,
)

__all__ = [
    "BATCH_SIZE",
    "BOSTON_CSV",
    "FIELDS",
    "FORMATS",
    "MAPPED_CSV",
    "OPEN311_JSON",
    "PLACEHOLDER_POINTS",
    "SKIP_ALREADY_IMPORTED",
    "SKIP_NO_LOCATION",
    "SKIP_OUTSIDE",
    "SKIP_PLACEHOLDER",
    "SKIP_REPEATED",
    "ImportResult",
    "RequestImportError",
    "import_requests",
    "parse_mapping",
]

# Rows per transaction: large enough that commits cost little, small enough
# that other writers (residents filing reports) wait a fraction of a second.
BATCH_SIZE = 2000


def import_requests(
    *,
    source: str | Path | IO[str],
    format: str | None = None,
    mapping: dict[str, str] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import service requests from a file (``.gz`` too) or an open text stream.

    ``format`` is one of ``FORMATS``; when omitted it is told from the file
    (``.json`` is Open311, a CSV with Boston's headers is Boston's, anything
    else needs ``mapping``). ``mapping`` names the column (or JSON key) of each
    field in ``FIELDS``; for Boston and Open311 it overrides the built-in names.

    Idempotent on the external id: rows imported before are skipped, so a file
    can be loaded again after an interruption or a newer export with old rows.
    Services are found by code, then by name (ignoring case); an unknown one is
    created inactive, kept for history but not offered to residents. Rows
    without a usable location, at Boston's placeholder point or outside every
    neighborhood are skipped; unreadable rows fail; both are counted by reason
    and the rest is imported. Each batch is its own transaction, so other
    writers are never locked out for the length of a big file; what derives
    from requests follows each batch in that transaction
    (``rows._after_batch_written``).
    """
    if format is not None and format not in FORMATS:
        raise RequestImportError(
            f"Unknown format {format!r}; use one of {', '.join(FORMATS)}."
        )
    if not Neighborhood.objects.exists():
        raise RequestImportError(
            "No neighborhoods are loaded, so no row could be placed: load them "
            "first (manage.py load_neighborhoods FILE.geojson)."
        )
    started = time.monotonic()
    name = str(getattr(source, "name", source))
    with open_text(source) as stream:
        fmt = format or detect_format(name, stream, mapping)
        importer = Importer(
            ImportResult(source=name, format=fmt), batch_size=batch_size
        )
        if fmt == OPEN311_JSON:
            records = open311_records(stream, mapping or {})
        else:
            records = csv_records(stream, fmt, mapping or {}, importer.result.notes)
        importer.run(records)
    importer.result.seconds = time.monotonic() - started
    return importer.result

"""Turning read records into request rows: the skip rules, the service and
department lookups, and the counts by reason."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from hashlib import sha1
from operator import itemgetter
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from ... import geo
from ...models import Department, DetailedStatus, RequestStatus, Service
from ...models import Source as RequestSource
from ...models.requests import MAX_DESCRIPTION_LENGTH, new_public_id
from ..map_cells import add_points_to_map_cells
from .formats import clean_text, parse_datetime, record_point, tidy_address
from .locating import NeighborhoodLocator
from .writer import Writer

# Boston files ungeocoded cases at City Hall; thousands of them on one spot
# would be a lie on the map. Compared at 4 decimals (about 10 m).
PLACEHOLDER_POINTS = frozenset({(42.3594, -71.0587)})

SKIP_ALREADY_IMPORTED = "already imported"
SKIP_REPEATED = "repeated in the file"
SKIP_NO_LOCATION = "no usable location"
SKIP_PLACEHOLDER = (
    "placeholder location (Boston's City Hall point for ungeocoded cases)"
)
SKIP_OUTSIDE = "outside every neighborhood"

_CLOSED_WORDS = {"closed", "resolved", "completed", "complete", "done", "fixed"}
_DETAILED = {
    "in progress": DetailedStatus.IN_PROGRESS,
    "in_progress": DetailedStatus.IN_PROGRESS,
    "started": DetailedStatus.IN_PROGRESS,
    "assigned": DetailedStatus.ACKNOWLEDGED,
    "acknowledged": DetailedStatus.ACKNOWLEDGED,
}
_ON_TIME = {"ONTIME": True, "OVERDUE": False}
_PUBLIC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_LOCATED_MEMORY = 200_000  # places remembered per run; bounds memory use


@dataclass
class ImportResult:
    """What an import did, with every skipped or failed row counted by reason."""

    source: str = ""
    format: str = ""
    imported: int = 0
    skipped: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    # Up to three row numbers per failure reason, so a person can look them up.
    failed_examples: dict[str, list[int]] = field(default_factory=dict)
    services_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())

    @property
    def failed_count(self) -> int:
        return sum(self.failed.values())

    @property
    def rows(self) -> int:
        return self.imported + self.skipped_count + self.failed_count

    def summary(self) -> str:
        rate = f", {self.rows / self.seconds:,.0f} rows/s" if self.seconds else ""
        return (
            f"{self.rows:,} rows: {self.imported:,} imported, "
            f"{self.skipped_count:,} skipped, {self.failed_count:,} failed "
            f"({self.seconds:.1f} s{rate})"
        )


class RowError(Exception):
    """A row that cannot be imported; the message is the reason it is counted by."""


# The columns the importer fills, in the order ``_build`` gives their values.
COLUMNS = (
    "public_id",
    "external_id",
    "service_id",
    "status",
    "detailed_status",
    "status_notes",
    "description",
    "lat",
    "long",
    "public_lat",
    "public_long",
    "address",
    "neighborhood_id",
    "source",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "closed_datetime",
    "on_time",
)


# Where a row's map values sit in ``COLUMNS``.
_MAP_COLUMNS = tuple(
    COLUMNS.index(name)
    for name in ("public_lat", "public_long", "service_id", "status", "neighborhood_id")
)


def _after_batch_written(*, external_ids: list[str], rows: list[tuple]) -> None:
    """Runs inside each batch's transaction, right after its rows are written
    (``external_ids`` are theirs): where data derived from requests is brought
    up to date, so a batch and what follows from it commit together.

    The importer only inserts, so the map's cell counts only ever grow here,
    from the values just written (``rows``, in ``COLUMNS`` order)."""
    add_points_to_map_cells(points=(itemgetter(*_MAP_COLUMNS)(row) for row in rows))


class Importer:
    """One import run: records in, rows written batch by batch, ``result``
    counting what happened to each."""

    def __init__(self, result: ImportResult, *, batch_size: int):
        self.result = result
        self.batch_size = batch_size
        self.zone: tzinfo = timezone.get_default_timezone()
        self.seen: set[str] = set()
        # (lat, lon) -> neighborhood id or None, filled a batch at a time.
        self.neighborhood_at: dict[tuple[float, float], int | None] = {}
        self.coarse: dict[tuple[float, float], tuple[float, float]] = {}
        self.locator = NeighborhoodLocator()
        self.services_by_code: dict[str, Service] = {}
        self.services_by_name: dict[str, Service] = {}
        # Inactive first, so an active service wins a name they share.
        for service in Service.objects.order_by("active", "pk"):
            self.services_by_code[service.service_code] = service
            self.services_by_name[service.name.lower()] = service
        self.departments = {d.code: d for d in Department.objects.all()}
        self.writer = Writer(names=COLUMNS)

    def run(self, records: Iterable[tuple[int, dict[str, Any]]]) -> None:
        chunk: list[tuple[int, dict[str, Any]]] = []
        with self.writer.session():
            for item in records:
                chunk.append(item)
                if len(chunk) >= self.batch_size:
                    self._import_chunk(chunk)
                    chunk = []
            if chunk:
                self._import_chunk(chunk)

    def _import_chunk(self, chunk: list[tuple[int, dict[str, Any]]]) -> None:
        ids = [clean_text(record.get("external_id")) for _, record in chunk]
        existing = self.writer.existing(set(ids) - {""})
        todo = [
            (number, record, external_id)
            for (number, record), external_id in zip(chunk, ids, strict=True)
            if external_id not in existing
        ]
        if len(todo) < len(chunk):
            self.result.skipped[SKIP_ALREADY_IMPORTED] += len(chunk) - len(todo)
        points = [record_point(record) for _, record, _ in todo]
        self._locate_batch(points)
        pending = []
        for (number, record, external_id), point in zip(todo, points, strict=True):
            try:
                request = self._build(external_id, record, point)
            except RowError as exc:
                self._fail(str(exc), number)
                continue
            if isinstance(request, str):
                self.result.skipped[request] += 1
            else:
                pending.append((number, request))
        self._save(pending)

    def _locate_batch(self, points: list[tuple[float, float] | None]) -> None:
        """Place the batch's new points in one go (``_build`` then only looks
        them up). 311 exports repeat points a lot (the 2015 file has a third as
        many places as cases), so answers are remembered for the run, up to a
        bound on memory."""
        if len(self.neighborhood_at) >= _LOCATED_MEMORY:
            self.neighborhood_at.clear()
            self.coarse.clear()
        known = self.neighborhood_at
        new = list({p: None for p in points if p is not None and p not in known})
        known.update(zip(new, self.locator.locate(new), strict=True))

    def _fail(self, reason: str, number: int) -> None:
        self.result.failed[reason] += 1
        examples = self.result.failed_examples.setdefault(reason, [])
        if len(examples) < 3:
            examples.append(number)

    def _build(
        self,
        external_id: str,
        record: dict[str, Any],
        located_at: tuple[float, float] | None,
    ) -> tuple[Any, ...] | str:
        """The values of a row's request in ``COLUMNS`` order, or the reason
        to skip it."""
        if not external_id:
            raise RowError("no external id")
        if len(external_id) > 64:
            raise RowError("external id longer than 64 characters")
        if external_id in self.seen:
            return SKIP_REPEATED
        self.seen.add(external_id)
        if located_at is None:
            return SKIP_NO_LOCATION
        lat, lon = located_at
        if (round(lat, 4), round(lon, 4)) in PLACEHOLDER_POINTS:
            return SKIP_PLACEHOLDER
        requested = self._datetime(record.get("requested_datetime"), "requested")
        if requested is None:
            raise RowError("no requested date")
        service = self._find_service(record)
        neighborhood_id = self.neighborhood_at[located_at]
        if neighborhood_id is None:
            return SKIP_OUTSIDE
        if service is None:
            # A service this import creates is not sensitive.
            service = self._create_service(record)
        public_lat, public_long = (
            self._coarse(located_at) if service.sensitive else located_at
        )
        closed = self._datetime(record.get("closed_datetime"), "closed")
        status_text = clean_text(record.get("status")).lower()
        is_closed = status_text in _CLOSED_WORDS or (not status_text and bool(closed))
        updated = self._datetime(record.get("updated_datetime"), "updated")
        description = clean_text(record.get("description"))
        if description.lower() == service.name.lower():
            description = ""  # Boston's case title often just repeats the type
        return (
            external_id if _PUBLIC_ID.fullmatch(external_id) else new_public_id(),
            external_id,
            service.pk,
            RequestStatus.CLOSED if is_closed else RequestStatus.OPEN,
            DetailedStatus.CLOSED
            if is_closed
            else _DETAILED.get(status_text, DetailedStatus.NEW),
            clean_text(record.get("status_notes")),
            description[:MAX_DESCRIPTION_LENGTH],
            lat,
            lon,
            public_lat,
            public_long,
            tidy_address(clean_text(record.get("address")))[:300],
            neighborhood_id,
            RequestSource.IMPORT,
            clean_text(record.get("agency_responsible"))[:200],
            requested,
            updated or closed or requested,
            self._datetime(record.get("expected_datetime"), "expected"),
            # Open311 has no close time; a closed request was last updated
            # when it was closed.
            (closed or updated) if is_closed else None,
            # Boston says ONTIME or OVERDUE; for an open case that is only its
            # state at export time, so it is kept for closed cases alone.
            _ON_TIME.get(clean_text(record.get("on_time")).upper())
            if is_closed
            else None,
        )

    def _coarse(self, point: tuple[float, float]) -> tuple[float, float]:
        """The public stand-in of a sensitive service's point (see
        ``geo.coarsen_point``), remembered for the run like the neighborhood."""
        found = self.coarse.get(point)
        if found is None:
            found = self.coarse[point] = geo.coarsen_point(lat=point[0], lon=point[1])
        return found

    def _datetime(self, value: Any, label: str) -> datetime | None:
        text = clean_text(value)
        if not text:
            return None
        try:
            parsed = parse_datetime(text)
        except ValueError:
            raise RowError(f"unreadable {label} date") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=self.zone)

    def _find_service(self, record: dict[str, Any]) -> Service | None:
        """The row's service by code, else by name; None if it is new."""
        code, name = _service_code_and_name(record)
        if not code and not name:
            raise RowError("no service code or name")
        found = self.services_by_code.get(code) if code else None
        if found is None and name:
            found = self.services_by_name.get(name.lower())
        return found

    def _create_service(self, record: dict[str, Any]) -> Service:
        """A service for history only: inactive, so residents are not offered it."""
        code, name = _service_code_and_name(record)
        service = Service.objects.create(
            service_code=code or self._generated_code(name),
            name=name or code,
            group=clean_text(record.get("service_group"))[:100],
            department=self._department(record),
            active=False,
        )
        self.services_by_code[service.service_code] = service
        self.services_by_name[service.name.lower()] = service
        self.result.services_created.append(service.name)
        return service

    def _generated_code(self, name: str) -> str:
        code = "IMPORT-" + slugify(name).upper()[:50]
        if code in self.services_by_code:
            code = f"{code}-{sha1(name.encode()).hexdigest()[:6].upper()}"  # noqa: S324
        return code

    def _department(self, record: dict[str, Any]) -> Department | None:
        code = clean_text(record.get("department"))[:64]
        if not code:
            return None
        if code not in self.departments:
            name = clean_text(record.get("department_name")) or code
            self.departments[code], _ = Department.objects.get_or_create(
                code=code, defaults={"name": name[:200]}
            )
        return self.departments[code]

    def _save(self, pending: list[tuple[int, tuple[Any, ...]]]) -> None:
        """Write a batch in one transaction; a row the database refuses is
        counted as failed without costing the rest of its batch."""
        if not pending:
            return
        rows = [values for _, values in pending]
        with transaction.atomic():
            try:
                with transaction.atomic():
                    self.writer.insert(rows)
            except IntegrityError:
                # One bad row (say, an id another import already took as a
                # public id): write the batch row by row to find it.
                rows = []
                for number, values in pending:
                    try:
                        with transaction.atomic():
                            self.writer.insert([values])
                        rows.append(values)
                    except IntegrityError:
                        self._fail("rejected by the database (duplicate id)", number)
            self.result.imported += len(rows)
            if rows:
                _after_batch_written(
                    external_ids=[values[1] for values in rows], rows=rows
                )


def _service_code_and_name(record: dict[str, Any]) -> tuple[str, str]:
    code = clean_text(record.get("service_code"))[:64]
    return code, " ".join(clean_text(record.get("service_name")).split())[:200]

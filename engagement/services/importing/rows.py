"""Turning read records into request rows: the skip rules, the service and
department lookups, and the counts by reason."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from hashlib import sha1
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from ...models import Department, DetailedStatus, RequestStatus, Service
from ...models import Source as RequestSource
from ...models.requests import MAX_DESCRIPTION_LENGTH, new_public_id
from ..requests import locate
from .formats import clean_text, parse_datetime, record_point, tidy_address
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
_NEW_SERVICE = Service(sensitive=False)
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


class Importer:
    """One import run: records in, rows written batch by batch, ``result``
    counting what happened to each."""

    def __init__(self, result: ImportResult, *, batch_size: int):
        self.result = result
        self.batch_size = batch_size
        self.zone: tzinfo = timezone.get_default_timezone()
        self.seen: set[str] = set()
        self.located: dict[tuple, tuple[int, float, float] | None] = {}
        self.services_by_code: dict[str, Service] = {}
        self.services_by_name: dict[str, Service] = {}
        # Inactive first, so an active service wins a name they share.
        for service in Service.objects.order_by("active", "pk"):
            self.services_by_code[service.service_code] = service
            self.services_by_name[service.name.lower()] = service
        self.departments = {d.code: d for d in Department.objects.all()}
        self.writer = Writer()

    def run(self, records: Iterable[tuple[int, dict[str, Any]]]) -> None:
        chunk: list[tuple[int, dict[str, Any]]] = []
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
        pending = []
        for (number, record), external_id in zip(chunk, ids, strict=True):
            if external_id in existing:
                self.result.skipped[SKIP_ALREADY_IMPORTED] += 1
                continue
            try:
                request = self._build(external_id, record)
            except RowError as exc:
                self._fail(str(exc), number)
                continue
            if isinstance(request, str):
                self.result.skipped[request] += 1
            else:
                pending.append((number, request))
        self._save(pending)

    def _fail(self, reason: str, number: int) -> None:
        self.result.failed[reason] += 1
        examples = self.result.failed_examples.setdefault(reason, [])
        if len(examples) < 3:
            examples.append(number)

    def _build(self, external_id: str, record: dict[str, Any]) -> dict[str, Any] | str:
        """The column values of a row's request, or the reason to skip it."""
        if not external_id:
            raise RowError("no external id")
        if len(external_id) > 64:
            raise RowError("external id longer than 64 characters")
        if external_id in self.seen:
            return SKIP_REPEATED
        self.seen.add(external_id)
        located_at = record_point(record)
        if located_at is None:
            return SKIP_NO_LOCATION
        lat, lon = located_at
        if (round(lat, 4), round(lon, 4)) in PLACEHOLDER_POINTS:
            return SKIP_PLACEHOLDER
        requested = self._datetime(record.get("requested_datetime"), "requested")
        if requested is None:
            raise RowError("no requested date")
        service = self._find_service(record)
        # A service this import would create is not sensitive.
        located = self._locate(lat, lon, service or _NEW_SERVICE)
        if located is None:
            return SKIP_OUTSIDE
        neighborhood_id, public_lat, public_long = located
        if service is None:
            service = self._create_service(record)
        closed = self._datetime(record.get("closed_datetime"), "closed")
        status_text = clean_text(record.get("status")).lower()
        is_closed = status_text in _CLOSED_WORDS or (not status_text and bool(closed))
        updated = self._datetime(record.get("updated_datetime"), "updated")
        description = clean_text(record.get("description"))
        if description.lower() == service.name.lower():
            description = ""  # Boston's case title often just repeats the type
        return {
            "public_id": external_id
            if _PUBLIC_ID.fullmatch(external_id)
            else new_public_id(),
            "external_id": external_id,
            "service_id": service.pk,
            "status": RequestStatus.CLOSED if is_closed else RequestStatus.OPEN,
            "detailed_status": DetailedStatus.CLOSED
            if is_closed
            else _DETAILED.get(status_text, DetailedStatus.NEW),
            "status_notes": clean_text(record.get("status_notes")),
            "description": description[:MAX_DESCRIPTION_LENGTH],
            "lat": lat,
            "long": lon,
            "public_lat": public_lat,
            "public_long": public_long,
            "address": tidy_address(clean_text(record.get("address")))[:300],
            "neighborhood_id": neighborhood_id,
            "source": RequestSource.IMPORT,
            "agency_responsible": clean_text(record.get("agency_responsible"))[:200],
            "requested_datetime": requested,
            "updated_datetime": updated or closed or requested,
            "expected_datetime": self._datetime(
                record.get("expected_datetime"), "expected"
            ),
            # Open311 has no close time; a closed request was last updated
            # when it was closed.
            "closed_datetime": (closed or updated) if is_closed else None,
            # Boston says ONTIME or OVERDUE; for an open case that is only its
            # state at export time, so it is kept for closed cases alone.
            "on_time": _ON_TIME.get(clean_text(record.get("on_time")).upper())
            if is_closed
            else None,
        }

    def _locate(
        self, lat: float, lon: float, service: Service
    ) -> tuple[int, float, float] | None:
        """The neighborhood id and public point, or None outside the city.

        311 exports repeat points a lot (the 2015 file has a third as many
        places as cases), so answers are remembered for the run.
        """
        key = (lat, lon, service.sensitive)
        if key in self.located:
            return self.located[key]
        try:
            neighborhood, public_lat, public_long = locate(
                lat=lat, long=lon, service=service
            )
            found = (neighborhood.pk, public_lat, public_long)
        except ValidationError:
            found = None
        if len(self.located) >= _LOCATED_MEMORY:
            self.located.clear()
        self.located[key] = found
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

    def _save(self, pending: list[tuple[int, dict[str, Any]]]) -> None:
        if not pending:
            return
        try:
            with transaction.atomic():
                self.writer.insert([values for _, values in pending])
            self.result.imported += len(pending)
            return
        except IntegrityError:
            pass
        # One bad row (say, an id another import already took as a public id)
        # must not cost the other rows of its batch.
        for number, values in pending:
            try:
                with transaction.atomic():
                    self.writer.insert([values])
                self.result.imported += 1
            except IntegrityError:
                self._fail("rejected by the database (duplicate id)", number)


def _service_code_and_name(record: dict[str, Any]) -> tuple[str, str]:
    code = clean_text(record.get("service_code"))[:64]
    return code, " ".join(clean_text(record.get("service_name")).split())[:200]

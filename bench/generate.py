"""A deterministic city: service requests, users and points drawn from Boston.

Every generated request starts from a real Boston 311 case kept in
``demo/data`` (the 2015-2024 closed sample and the 2025 open sample, 7,400
rows): its type and its place (jittered by a few metres), so the mix of
services, the neighborhoods and their joint distribution are Boston's. The
request time is spread evenly over ``years`` ending at ``now``; the time to
close is drawn from the real closed cases' open-to-close times, and a share of
cases is never closed, as measured on Boston's full 2015 file (19,873 of
121,145 cases still open when exported). A case whose drawn close time is
after ``now`` is open, so recent cases are mostly open, old ones mostly
closed, as in the city's data.

The same ``seed`` and ``now`` give the same rows, ids included. Rows are
written with ``bulk_create`` in chunks: generation is not what is measured.
"""

import csv
import random
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.utils.text import slugify

from accounts.models import User
from engagement.models import (
    DetailedStatus,
    RequestStatus,
    Service,
    ServiceRequest,
    Source,
)
from engagement.services.map_cells import rebuild_map_cells
from neighborhoods.models import Neighborhood
from neighborhoods.selectors import neighborhood_containing
from points import rules
from points.models import PointsEntry
from points.services import rebuild_leaderboard_tables

from .sizes import Sizes

DEMO_DATA = Path(settings.BASE_DIR) / "demo" / "data"
SAMPLES = (
    DEMO_DATA / "boston_311_sample_2015_2024_closed.csv",
    DEMO_DATA / "boston_311_2025_open_sidewalk_streetlight.csv",
)
# Bump when the generated rows change shape, so cached datasets are rebuilt.
GENERATOR_VERSION = 1
# Boston's 2015 file, as exported years later: 19,873 of 121,145 cases open.
NEVER_CLOSED_SHARE = 19_873 / 121_145
# The City Hall placeholder the 311 system uses for "no location".
PLACEHOLDER = (42.3594, -71.0587)
# About 25 m of jitter: the same corner, not the same point.
JITTER_DEGREES = 0.00025
# Share of requests filed on the site (with a reporter); the rest are imports.
WEB_SHARE = 0.3
LEADERBOARD_OPT_IN = 0.6
CHUNK = 2000
POINTS_REASONS = (
    (rules.REPORT_ACCEPTED, 10, 0.5),
    (rules.SUPPORT_GIVEN, 1, 0.3),
    (rules.FIX_CONFIRMED, 5, 0.1),
    (rules.COMMENT_POSTED, 2, 0.1),
)
BENCH_EMAIL_DOMAIN = "bench.example.org"
SUBMITTER_EMAIL = f"submitter@{BENCH_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class RealCase:
    type: str
    lat: float
    lon: float
    seconds_into_day: int


@dataclass
class Profile:
    """What the generator draws from, measured from the real samples."""

    cases: list[RealCase]
    close_hours: list[float]  # sorted open-to-close times of closed cases
    type_counts: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class GenerateResult:
    sizes: Sizes
    seed: int
    now: datetime
    seconds: float
    open_share: float
    rows_per_second: float


def _parse(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%m/%d/%Y %I:%M:%S %p"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


@cache
def real_profile() -> Profile:
    """The real cases with a usable place, and the real times to close."""
    cases: list[RealCase] = []
    close_hours: list[float] = []
    for path in SAMPLES:
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                row = {k.lower(): v for k, v in row.items() if k}
                try:
                    lat, lon = float(row["latitude"]), float(row["longitude"])
                except (TypeError, ValueError):
                    continue
                if (round(lat, 4), round(lon, 4)) == PLACEHOLDER:
                    continue
                opened = _parse(row.get("open_dt", ""))
                if opened is None or not row.get("type", "").strip():
                    continue
                closed = _parse(row.get("closed_dt", ""))
                if closed is not None and closed >= opened:
                    close_hours.append((closed - opened).total_seconds() / 3600)
                cases.append(
                    RealCase(
                        type=" ".join(row["type"].split())[:200],
                        lat=lat,
                        lon=lon,
                        seconds_into_day=opened.hour * 3600
                        + opened.minute * 60
                        + opened.second,
                    )
                )
    close_hours.sort()
    return Profile(
        cases=cases,
        close_hours=close_hours,
        type_counts=Counter(c.type for c in cases),
    )


def ensure_reference_data() -> None:
    """Boston's neighborhoods and service catalogue, as the demo loads them."""
    from engagement.demo_catalogue import load_demo_catalogue
    from neighborhoods.demo import load_demo_neighborhoods

    if not Neighborhood.objects.exists():
        load_demo_neighborhoods()
    if not Service.objects.filter(active=True).exists():
        load_demo_catalogue()


def _services_by_type(types: list[str]) -> dict[str, Service]:
    """Each real type's service: the catalogue's by name, else one created
    inactive with the code the importer would give it (so a later import of
    the real file finds it)."""
    by_name = {s.name.lower(): s for s in Service.objects.all()}
    found = {}
    for name in sorted(types):
        service = by_name.get(name.lower())
        if service is None:
            service, _ = Service.objects.get_or_create(
                service_code="IMPORT-" + slugify(name).upper()[:50],
                defaults={"name": name, "active": False},
            )
            by_name[name.lower()] = service
        found[name] = service
    return found


def _placed_cases(profile: Profile) -> list[tuple[RealCase, int]]:
    """Real cases inside a neighborhood, with its id (looked up once each)."""
    placed = []
    for case in profile.cases:
        hood = neighborhood_containing(lat=case.lat, lon=case.lon)
        if hood is not None:
            placed.append((case, hood.pk))
    return placed


def generate(
    *, sizes: Sizes, seed: int = 311, now: datetime, years: float = 10.0
) -> GenerateResult:
    """Write ``sizes`` of users, requests and points entries to the current
    database. Expects an empty one (ids are derived from row numbers)."""
    import time

    rng = random.Random(seed)
    ensure_reference_data()
    profile = real_profile()
    placed = _placed_cases(profile)
    services = _services_by_type(sorted({c.type for c, _ in placed}))
    hoods = dict(Neighborhood.objects.values_list("pk", "slug"))
    hood_names = dict(Neighborhood.objects.values_list("pk", "name"))
    # Timed from here: the bulk rows, not the one-off reference data.
    started = time.monotonic()
    user_ids = _make_users(rng, sizes.users)
    open_count = _make_requests(
        rng, sizes.requests, now, years, placed, services, profile, user_ids
    )
    _make_points(rng, sizes.points, now, years, user_ids, placed, hoods, hood_names)
    # COPY bypasses the models, so the tables derived from the rows are built
    # once at the end, as the migrations that introduced them do.
    rebuild_leaderboard_tables()
    rebuild_map_cells()
    seconds = time.monotonic() - started
    total = sizes.users + sizes.requests + sizes.points
    return GenerateResult(
        sizes=sizes,
        seed=seed,
        now=now,
        seconds=seconds,
        open_share=open_count / max(1, sizes.requests),
        rows_per_second=total / seconds if seconds else 0.0,
    )


def _make_users(rng: random.Random, count: int) -> list[int]:
    users = [
        User(
            email=f"resident{i}@{BENCH_EMAIL_DOMAIN}",
            display_name=f"Resident {i}",
            password="!",  # unusable: nobody signs in as them
            show_on_leaderboards=rng.random() < LEADERBOARD_OPT_IN,
        )
        for i in range(count)
    ]
    for start in range(0, count, CHUNK):
        User.objects.bulk_create(users[start : start + CHUNK])
    submitter = User.objects.create(email=SUBMITTER_EMAIL, display_name="Submitter")
    EmailAddress.objects.create(
        user=submitter, email=SUBMITTER_EMAIL, verified=True, primary=True
    )
    return list(
        User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}")
        .exclude(pk=submitter.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _make_requests(
    rng: random.Random,
    count: int,
    now: datetime,
    years: float,
    placed: list[tuple[RealCase, int]],
    services: dict[str, Service],
    profile: Profile,
    user_ids: list[int],
) -> int:
    span = years * 365.25 * 86400
    close_hours = profile.close_hours
    open_count = 0
    batch: list[tuple] = []
    for i in range(count):
        case, hood_id = placed[rng.randrange(len(placed))]
        lat = case.lat + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
        lon = case.lon + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
        day = now - timedelta(seconds=rng.uniform(0, span))
        requested = day.replace(hour=0, minute=0, second=0, microsecond=0) + (
            timedelta(seconds=case.seconds_into_day)
        )
        if requested > now:
            requested -= timedelta(days=1)
        never = rng.random() < NEVER_CLOSED_SHARE
        hours = close_hours[rng.randrange(len(close_hours))]
        closed = None if never else requested + timedelta(hours=hours)
        if closed is not None and closed > now:
            closed = None
        service = services[case.type]
        web = rng.random() < WEB_SHARE
        if closed is None:
            open_count += 1
        batch.append(
            (
                f"BN-{i:09d}",
                service.pk,
                RequestStatus.CLOSED if closed else RequestStatus.OPEN,
                DetailedStatus.CLOSED if closed else DetailedStatus.NEW,
                f"{case.type} (generated {i})",
                lat,
                lon,
                lat,
                lon,
                hood_id,
                user_ids[rng.randrange(len(user_ids))] if web else None,
                Source.WEB if web else Source.IMPORT,
                requested,
                closed or requested,
                closed,
            )
        )
        if len(batch) >= CHUNK:
            insert_rows(ServiceRequest, REQUEST_COLUMNS, batch)
            batch = []
    if batch:
        insert_rows(ServiceRequest, REQUEST_COLUMNS, batch)
    return open_count


def _zipf_index(rng: random.Random, n: int) -> int:
    """An index in ``range(n)`` where a few people earn most points, as on
    every real leaderboard (a power law, exponent about 1)."""
    return min(n - 1, int(n ** rng.random()) - 1)


def _make_points(
    rng: random.Random,
    count: int,
    now: datetime,
    years: float,
    user_ids: list[int],
    placed: list[tuple[RealCase, int]],
    hoods: dict[int, str],
    hood_names: dict[int, str],
) -> None:
    span = years * 365.25 * 86400
    weights = [w for _, _, w in POINTS_REASONS]
    cumulative = [sum(weights[: k + 1]) for k in range(len(weights))]
    batch: list[tuple] = []
    for i in range(count):
        reason, amount, _ = POINTS_REASONS[
            bisect_left(cumulative, rng.random() * cumulative[-1])
        ]
        _, hood_id = placed[rng.randrange(len(placed))]
        batch.append(
            (
                user_ids[_zipf_index(rng, len(user_ids))],
                amount,
                reason,
                "bench",
                str(i),
                hoods[hood_id],
                hood_names[hood_id],
                now - timedelta(seconds=span * rng.random() ** 2),
            )
        )
        if len(batch) >= CHUNK:
            insert_rows(PointsEntry, POINTS_COLUMNS, batch)
            batch = []
    if batch:
        insert_rows(PointsEntry, POINTS_COLUMNS, batch)


REQUEST_COLUMNS = (
    "public_id",
    "service",
    "status",
    "detailed_status",
    "description",
    "lat",
    "long",
    "public_lat",
    "public_long",
    "neighborhood",
    "reporter",
    "source",
    "requested_datetime",
    "updated_datetime",
    "closed_datetime",
)
POINTS_COLUMNS = (
    "user",
    "amount",
    "reason",
    "source_type",
    "source_id",
    "neighborhood_slug",
    "neighborhood_name",
    "created",
)


def insert_rows(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """One multi-row INSERT per chunk, bypassing model instances.

    ``bulk_create`` builds and prepares a model per row, which made generating
    300,000 rows take most of a minute; here every other column gets its
    default, prepared once, and datetimes are adapted as Django would.
    """
    fields = [model._meta.get_field(name) for name in names]
    others = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in names
    ]
    constants = [f.get_db_prep_save(f.get_default(), connection) for f in others]
    columns = [f.column for f in fields] + [f.column for f in others]
    datetimes = [
        k for k, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"
    ]
    adapt = connection.ops.adapt_datetimefield_value
    prepared = []
    for row in rows:
        row = list(row)
        for k in datetimes:
            if row[k] is not None:
                row[k] = adapt(row[k])
        prepared.append((*row, *constants))
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES "
    )
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Several hundred rows per statement: one round trip, one parse, well
    # under SQLite's and PostgreSQL's limits on parameters per statement.
    per_statement = max(1, 15_000 // len(columns))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: no SQL to parse per row, the fastest way in.
            with cursor.cursor.copy(
                f"COPY {quote(model._meta.db_table)} "
                f"({', '.join(quote(c) for c in columns)}) FROM STDIN"
            ) as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        for start in range(0, len(prepared), per_statement):
            part = prepared[start : start + per_statement]
            cursor.execute(
                head + ", ".join([one] * len(part)),
                [value for row in part for value in row],
            )


def dataset_key(*, sizes: Sizes, seed: int, years: float) -> str:
    """Names a generated dataset: the same key means the same rows, so a cached
    database can be reused. The schema is not part of it: the runner migrates
    a reused dataset, and migrations that add derived tables backfill them, as
    they would on a city's live database."""
    return (
        f"v{GENERATOR_VERSION}-r{sizes.requests}-u{sizes.users}-p{sizes.points}"
        f"-s{seed}-y{years:g}"
    )


def default_now() -> datetime:
    """Today at midnight UTC: one dataset per day at most if ever regenerated."""
    today = datetime.now(UTC).date()
    return datetime(today.year, today.month, today.day, tzinfo=UTC)

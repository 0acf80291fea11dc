"""The tables the leaderboards read instead of the ledger.

``PointsBalance`` (a person's total), ``PointsDaily`` (a person's points per
neighborhood and local day) and ``PointsNeighborhoodTotal`` (a person's
all-time points per neighborhood) are sums of ledger entries. Each entry moves
them in its own transaction (``add_entry_to_tables``, called by
``PointsEntry.save``), so a board costs the rows of its period or its
neighborhood, not the whole ledger. Rows written around the ORM (COPY, a
restore) are followed by ``rebuild_tables``, which recomputes all three from
the ledger with set-based SQL; ``drifted_rows`` counts what differs.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from itertools import pairwise

from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    connections,
    models,
    transaction,
)
from django.db.models import F, Max, Min, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .models import (
    NO_NEIGHBORHOOD,
    PointsBalance,
    PointsDaily,
    PointsEntry,
    PointsNeighborhoodTotal,
)

# The SQL below is built from model table and column names, quoted by the
# backend; every value travels as a parameter.


def local_day(moment: datetime) -> date:
    """The day ``moment`` falls on in the site's time zone: the day periods
    start on (``selectors.period_start``), so a day's row is wholly inside or
    outside a week or a month."""
    if timezone.is_naive(moment):
        return moment.date()
    return timezone.localdate(moment, timezone.get_default_timezone())


def add_entry_to_tables(*, entry: PointsEntry, using: str = DEFAULT_DB_ALIAS) -> None:
    """Add a new entry's amount to every table derived from the ledger.

    Runs inside the transaction that wrote the entry, so both commit or
    neither does. The rollups use one atomic upsert each (INSERT ... ON
    CONFLICT DO UPDATE with ``total = total + amount``), so concurrent awards
    neither lose each other's points nor fail on a row created by the other.
    """
    _add_to_balance(user_id=entry.user_id, amount=entry.amount, using=using)
    slug = entry.neighborhood_slug or NO_NEIGHBORHOOD
    name = entry.neighborhood_name
    connection = connections[using]
    _upsert_increment(
        model=PointsDaily,
        keys={
            "user_id": entry.user_id,
            "neighborhood_slug": slug,
            "day": connection.ops.adapt_datefield_value(local_day(entry.created)),
        },
        name=name,
        amount=entry.amount,
        using=using,
    )
    if slug:
        _upsert_increment(
            model=PointsNeighborhoodTotal,
            keys={"user_id": entry.user_id, "neighborhood_slug": slug},
            name=name,
            amount=entry.amount,
            using=using,
        )


def _upsert_increment(
    *,
    model: type[models.Model],
    keys: dict[str, object],
    name: str,
    amount: int,
    using: str,
) -> None:
    """Add ``amount`` to the row with ``keys``, creating it if missing, and
    keep the greatest neighborhood name (the boards show ``Max(name)``).

    SQLite (3.24+) and PostgreSQL share this syntax; the ORM has no
    increment-on-conflict.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    total, label = qn("total"), qn("neighborhood_name")
    columns = [*keys, "neighborhood_name", "total"]
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(qn(c) for c in keys)}) DO UPDATE SET "
        f"{total} = {table}.{total} + excluded.{total}, "
        f"{label} = CASE WHEN excluded.{label} > {table}.{label} "
        f"THEN excluded.{label} ELSE {table}.{label} END"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys.values(), name, amount])


def _add_to_balance(*, user_id: int, amount: int, using: str) -> None:
    """Move the cached balance with the entry just written.

    An F() update keeps concurrent awards from losing each other's points; a
    missing row starts from the ledger sum, which already holds the entry
    (entries older than the balance table count that way).
    """
    now = timezone.now()
    balances = PointsBalance.objects.using(using).filter(user_id=user_id)
    if balances.update(total=F("total") + amount, updated=now):
        return
    ledger = PointsEntry.objects.using(using).filter(user_id=user_id)
    try:
        with transaction.atomic(using=using):
            PointsBalance.objects.using(using).create(
                user_id=user_id,
                total=ledger.aggregate(t=Sum("amount"))["t"] or 0,
                updated=now,
            )
    except IntegrityError:  # a concurrent award created it first
        balances.update(total=F("total") + amount, updated=now)


@dataclass(frozen=True)
class _Derivation:
    """A derived table and the ledger query that recomputes it, whose columns
    come out in the order of ``columns``: the group keys, then the sums."""

    model: type[models.Model]
    columns: list[str]
    keys: list[str]
    select: str
    params: list


def _utc_offset_changes(tz: tzinfo, first: datetime, last: datetime):
    """``tz``'s UTC offset (in seconds) at ``first``, then each change up to
    ``last`` as (the UTC second it starts, the new offset)."""

    def offset(second: int) -> int:
        return int(datetime.fromtimestamp(second, tz).utcoffset().total_seconds())

    start, end = int(first.timestamp()), int(last.timestamp()) + 1
    changes = [(start, offset(start))]
    for day in range(start, end, 86400):
        low, high = day, min(day + 86400, end)
        if offset(high) == offset(low):
            continue
        while high - low > 1:  # the exact second the clocks change
            middle = (low + high) // 2
            if offset(middle) == offset(low):
                low = middle
            else:
                high = middle
        changes.append((high, offset(high)))
    return changes


def _local_day_of_created(connection, entries: models.QuerySet) -> models.Expression:
    """Each entry's local day, as SQL the database runs without calling back
    into Python.

    PostgreSQL converts time zones itself. On SQLite, Django's ``TruncDate``
    calls a Python function per row (minutes at millions of entries), so the
    site zone's offsets over the ledger's span are written into the query as
    a CASE on the UTC time, with SQLite's own ``date()`` doing the rest.
    """
    tz = timezone.get_default_timezone()
    span = entries.aggregate(first=Min("created"), last=Max("created"))
    if connection.vendor != "sqlite" or span["first"] is None:
        return TruncDate("created", tzinfo=tz)
    changes = _utc_offset_changes(tz, span["first"], span["last"])
    column = f"{connection.ops.quote_name(entries.model._meta.db_table)}.created"
    cases, params = [], []
    for (_, offset), (until, _) in pairwise(changes):
        cases.append(f"WHEN {column} < %s THEN %s")
        params += [datetime.fromtimestamp(until, UTC).strftime("%Y-%m-%d %H:%M:%S")]
        params.append(f"{offset:+d} seconds")
    params.append(f"{changes[-1][1]:+d} seconds")
    modifier = f"CASE {' '.join(cases)} ELSE %s END" if cases else "%s"
    return RawSQL(  # noqa: S611 (a quoted column; values are parameters)
        # Whole seconds: date() rounds to the millisecond, and 23:59:59.9996
        # must stay on its day.
        f"date(substr({column}, 1, 19), {modifier})",
        params,
        output_field=models.DateField(),
    )


def _derivations(using: str) -> list[_Derivation]:
    entries = PointsEntry.objects.using(using).order_by()
    balances = (
        entries.values("user_id")
        .annotate(points=Sum("amount"))
        .values_list("user_id", "points")
    )
    daily = (
        entries.annotate(
            place=Coalesce("neighborhood_slug", Value(NO_NEIGHBORHOOD)),
            local_day=_local_day_of_created(connections[using], entries),
        )
        .values("user_id", "place", "local_day")
        .annotate(label=Max("neighborhood_name"), points=Sum("amount"))
        .values_list("user_id", "place", "local_day", "label", "points")
    )
    places = (
        entries.filter(neighborhood_slug__isnull=False)
        .values("user_id", "neighborhood_slug")
        .annotate(label=Max("neighborhood_name"), points=Sum("amount"))
        .values_list("user_id", "neighborhood_slug", "label", "points")
    )
    result = []
    for model, keys, queryset in (
        (PointsBalance, ["user_id"], balances),
        (PointsDaily, ["user_id", "neighborhood_slug", "day"], daily),
        (PointsNeighborhoodTotal, ["user_id", "neighborhood_slug"], places),
    ):
        sums = ["total"] if model is PointsBalance else ["neighborhood_name", "total"]
        sql, params = queryset.query.sql_with_params()
        result.append(_Derivation(model, [*keys, *sums], keys, sql, list(params)))
    return result


def rebuild_tables(*, balances: bool = True, using: str = DEFAULT_DB_ALIAS) -> None:
    """Recompute every derived table (the rollups alone without ``balances``)
    from the ledger: one DELETE and one INSERT ... SELECT ... GROUP BY per
    table, in one transaction.

    On PostgreSQL the ledger is locked against new entries meanwhile (they
    wait, they do not fail), so no award lands between a table's DELETE and
    its INSERT; SQLite already lets one writer in at a time.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {qn(PointsEntry._meta.db_table)} IN SHARE MODE")
        for derived in _derivations(using):
            if derived.model is PointsBalance and not balances:
                continue
            table = qn(derived.model._meta.db_table)
            listed = ", ".join(qn(c) for c in derived.columns)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            if derived.model is PointsBalance:
                cursor.execute(
                    f"INSERT INTO {table} ({listed}, {qn('updated')}) "  # noqa: S608
                    f"SELECT s.*, %s FROM ({derived.select}) s",
                    [*derived.params, now],
                )
            else:
                cursor.execute(
                    f"INSERT INTO {table} ({listed}) {derived.select}",
                    derived.params,
                )


def drifted_rows(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """How many rows of each rollup differ from the ledger (a wrong total or
    name, a missing or an extra row), counted in SQL with EXCEPT both ways.
    The balance is left to ``services.reconcile_balances``, which reports it
    person by person."""
    connection = connections[using]
    qn = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for derived in _derivations(using):
            if derived.model is PointsBalance:
                continue
            table = qn(derived.model._meta.db_table)
            listed = ", ".join(qn(c) for c in derived.columns)
            keys = ", ".join(qn(c) for c in derived.keys)
            stored = f"SELECT {listed} FROM {table}"  # noqa: S608
            ledger = f"SELECT * FROM ({derived.select}) d"  # noqa: S608
            # The stored rows come first, so the union's columns bear their names.
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT {keys} FROM ("  # noqa: S608
                f"SELECT * FROM ({stored} EXCEPT {ledger}) s "
                f"UNION ALL SELECT * FROM ({ledger} EXCEPT {stored}) l"
                f") x GROUP BY {keys}) k",
                [*derived.params, *derived.params],
            )
            counts[derived.model._meta.verbose_name_plural] = cursor.fetchone()[0]
    return counts

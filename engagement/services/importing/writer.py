"""Writing request rows in bulk, and finding the ones written before."""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, router

from ...models import ServiceRequest

# SQLite's own limit on parameters per statement when the library does not
# say (3.32 and later allow 32,766).
_SQLITE_DEFAULT_VARIABLES = 999
# Parameters per multi-row INSERT on SQLite: a few hundred rows, one parse.
_SQLITE_VARIABLES_PER_STATEMENT = 15_000
# SQLite's page cache while importing, in KiB (negative in the PRAGMA). The
# default 2 MB is far smaller than the pages a batch touches across the
# table's indexes, so pages would be written out and read back mid-batch.
_SQLITE_IMPORT_CACHE_KIB = 65_536


class Writer:
    """Set-based writes of ``ServiceRequest`` rows: COPY on PostgreSQL, a
    multi-row INSERT on SQLite (and on any other database).

    One statement per row spends most of an import on round trips and on
    parsing the same SQL again; ``bulk_create`` spends it preparing each value
    of each row through its field. The importer's values are already clean,
    so only datetimes need adapting, and only where the driver cannot take them
    as they are. The columns come from the model: every column the importer
    does not fill gets the field's default, prepared once, so a column added
    later is filled as the ORM would fill it.
    """

    def __init__(self, *, names: Sequence[str]):
        self.connection = connections[router.db_for_write(ServiceRequest)]
        ops = self.connection.ops
        fields = {
            f.attname: f
            for f in ServiceRequest._meta.concrete_fields
            if not f.primary_key
        }
        given = [fields[name] for name in names]
        rest = [f for name, f in fields.items() if name not in set(names)]
        # Appended to every row: the defaults of the columns not imported.
        self.tail = tuple(
            f.get_db_prep_save(f.get_default(), self.connection) for f in rest
        )
        self.datetimes = [
            k for k, f in enumerate(given) if f.get_internal_type() == "DateTimeField"
        ]
        self.vendor = self.connection.vendor
        # Identifiers come from the model's own metadata; values are parameters.
        table = ops.quote_name(ServiceRequest._meta.db_table)
        self.columns = [f.column for f in [*given, *rest]]
        self.column_types: list[int] | None = None
        columns = ", ".join(ops.quote_name(column) for column in self.columns)
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
        self.row_sql = "(" + ", ".join(["%s"] * (len(given) + len(rest))) + ")"
        self.adapt_datetime = ops.adapt_datetimefield_value
        if self.vendor == "sqlite":
            # What Django's SQLite adapter does for the aware datetimes the
            # importer always makes, without its checks: twice as fast.
            zone = self.connection.timezone
            self.adapt_datetime = lambda value: str(
                value.astimezone(zone).replace(tzinfo=None)
            )
        column = ops.quote_name(ServiceRequest._meta.get_field("external_id").column)
        self.existing_sql = f"SELECT {column} FROM {table} WHERE {column} "  # noqa: S608

    @contextmanager
    def session(self) -> Iterator[None]:
        """Settings for the length of an import, put back afterwards: on
        SQLite, a page cache large enough for a batch (a third faster on the
        2015 file)."""
        if self.vendor != "sqlite":
            yield
            return
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    def existing(self, external_ids: set[str]) -> set[str]:
        """Which of these external ids are already stored, in one query (the
        ORM spends longer building an IN of 2,000 values than the database
        does answering it)."""
        if not external_ids:
            return set()
        ids = list(external_ids)
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # One array parameter instead of thousands of placeholders.
                cursor.execute(self.existing_sql + "= ANY(%s)", [ids])
            else:
                placeholders = "(" + ", ".join(["%s"] * len(ids)) + ")"
                cursor.execute(self.existing_sql + "IN " + placeholders, ids)
            return {row[0] for row in cursor.fetchall()}

    def insert(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Write ``rows`` (values in the order of ``names``). Raises Django's
        ``IntegrityError`` when the database refuses any of them, having
        written none: the caller's savepoint undoes the statement."""
        if not rows:
            return
        if self.vendor == "postgresql":
            self._copy(rows)
        else:
            self._insert(rows)

    def _copy(self, rows: Sequence[tuple[Any, ...]]) -> None:
        # Binary COPY: the server parses no text (datetimes are the costly
        # part), and psycopg dumps aware datetimes as they are. Errors are
        # turned into Django's, as its cursor would.
        tail = self._copy_tail()
        with self.connection.cursor() as cursor:
            types = self._column_types(cursor)  # before COPY holds the connection
            with (
                self.connection.wrap_database_errors,
                cursor.cursor.copy(self.copy_sql) as copy,
            ):
                copy.set_types(types)
                write = copy.write_row
                for row in rows:
                    write(row + tail)

    def _copy_tail(self) -> tuple[Any, ...]:
        """The defaults, with JSON serialised once instead of once per row."""
        from psycopg.types.json import Jsonb

        return tuple(
            # ``str`` hands the already serialised text back as it is.
            Jsonb(value.dumps(value.obj), dumps=str)
            if isinstance(value, Jsonb) and value.dumps is not None
            else value
            for value in self.tail
        )

    def _column_types(self, cursor) -> list[int]:
        """The type of each column as the database has it, for binary COPY."""
        if self.column_types is None:
            cursor.execute(
                "SELECT attname, atttypid::int FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [ServiceRequest._meta.db_table],
            )
            types = dict(cursor.fetchall())
            self.column_types = [types[column] for column in self.columns]
        return self.column_types

    def _insert(self, rows: Sequence[tuple[Any, ...]]) -> None:
        adapt, tail, datetimes = self.adapt_datetime, self.tail, self.datetimes
        per_statement = max(1, self._variables() // (len(rows[0]) + len(tail)))
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), per_statement):
                part = rows[start : start + per_statement]
                params: list[Any] = []
                for row in part:
                    values = list(row)
                    for k in datetimes:
                        if values[k] is not None:
                            values[k] = adapt(values[k])
                    params += values
                    params += tail
                cursor.execute(
                    self.insert_sql + ", ".join([self.row_sql] * len(part)), params
                )

    def _variables(self) -> int:
        """How many parameters one statement may carry on this database."""
        if self.vendor != "sqlite":
            return _SQLITE_VARIABLES_PER_STATEMENT
        self.connection.ensure_connection()
        try:
            limit = self.connection.connection.getlimit(
                sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
            )
        except AttributeError:  # Python before 3.11
            limit = _SQLITE_DEFAULT_VARIABLES
        return min(limit, _SQLITE_VARIABLES_PER_STATEMENT)

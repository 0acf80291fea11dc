"""Keeping ``MapCell`` (per-cell request counts for the city-wide map) exact.

A fine cell's rows are always recomputed from the requests table rather than
adjusted by a difference, so whatever happened to a request (a move, a change
of service, status or neighborhood, a deletion) the cell ends up as a fresh
GROUP BY would make it. Receivers in ``engagement.signals_map`` do this for
every save and delete through the ORM, in the writer's transaction. Writes
that bypass the ORM call these functions themselves: a bulk insert of new
requests calls ``add_points_to_map_cells`` (as the receiver does for one new
request), anything else ``refresh_map_cells`` or, for a whole table,
``rebuild_map_cells``.

On PostgreSQL, writers of the same cell take turns (a transaction-level
advisory lock per cell, taken before the cell is read), so two reports in one
block never both count from a snapshot that misses the other; a rebuild takes
a lock that excludes them all. SQLite has one writer at a time anyway.
"""

from collections.abc import Iterable, Sequence

from django.db import connections, router, transaction

from ..models import MapCell, ServiceRequest
from ..selectors.map import MAP_CELL_ZOOM, cluster_cell_size, map_cell_of

Cell = tuple[int, int]  # (row, column) at MAP_CELL_ZOOM

# Advisory lock keys: one shared key that a rebuild takes exclusively, and one
# key per cell (row and column packed into 20 bits each; a rare collision only
# makes two cells take turns). The prefix keeps them apart from other users.
_LOCK_PREFIX = 0x4D4301 << 40
_REBUILD_LOCK = _LOCK_PREFIX - 1
_CELLS_PER_STATEMENT = 400
_IDS_PER_STATEMENT = 2000


def refresh_map_cells(
    *,
    request_ids: Iterable[int] | None = None,
    cells: Iterable[Cell] | None = None,
) -> int:
    """Recompute the rows of some fine cells from the requests now in them.

    ``cells`` are (row, column) pairs at ``MAP_CELL_ZOOM``; ``request_ids``
    adds the cells where those requests now are. A caller that moved a
    request passes its old cell too, or its old position would keep counting.
    Cost grows with the requests in the cells, so this is for a handful of
    cells: for new requests use ``add_points_to_map_cells``, for
    everything ``rebuild_map_cells``. Returns the number of rows written.
    """
    wanted = set(cells or ())
    ids = list(request_ids or ())
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        chunk = ids[start : start + _IDS_PER_STATEMENT]
        wanted.update(
            map_cell_of(lat=lat, lon=lon)
            for lat, lon in ServiceRequest.objects.filter(pk__in=chunk)
            .order_by()
            .values_list("public_lat", "public_long")
        )
    if not wanted:
        return 0
    ordered = sorted(wanted)
    written = 0
    with transaction.atomic(using=_db(), savepoint=False):
        _lock_cells(ordered)
        for start in range(0, len(ordered), _CELLS_PER_STATEMENT):
            written += _recompute(ordered[start : start + _CELLS_PER_STATEMENT])
    return written


def add_points_to_map_cells(
    *, points: Iterable[tuple[float, float, int, str, int | None]]
) -> None:
    """Count requests just inserted, from their values.

    ``points`` are (public_lat, public_long, service_id, status,
    neighborhood_id) of requests not counted before, as a bulk writer (or a
    new instance) holds them anyway: the sums are made here and added to the
    cells' rows with one upsert per thousand cells, without reading the
    requests back, in the caller's transaction. Python and the database place
    a point in the same cell (``map_cell_of``).
    """
    sums: dict[tuple, list] = {}
    for lat, lon, service_id, status, neighborhood_id in points:
        if lat is None or lon is None:
            continue
        row, col = map_cell_of(lat=lat, lon=lon)
        key = (row, col, service_id, status, neighborhood_id or 0)
        total = sums.setdefault(key, [0, 0.0, 0.0])
        total[0] += 1
        total[1] += lat
        total[2] += lon
    if not sums:
        return
    connection = connections[_db()]
    count, lat_sum, long_sum = (_column(MapCell, name) for name in _SUM_FIELDS)
    key_columns = ", ".join(_column(MapCell, name) for name in _KEY_FIELDS)
    table = _table(MapCell)
    rows = [(*key, *total) for key, total in sorted(sums.items())]
    with transaction.atomic(using=connection.alias, savepoint=False):
        _lock_cells(sorted({(row[0], row[1]) for row in rows}))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), _CELLS_PER_UPSERT):
                chunk = rows[start : start + _CELLS_PER_UPSERT]
                if connection.vendor == "postgresql":
                    # One array per column: psycopg parses a statement with
                    # thousands of placeholders slower than the upsert runs.
                    source = (
                        "SELECT * FROM unnest(%s::integer[], %s::integer[], "
                        "%s::bigint[], %s::text[], %s::bigint[], %s::integer[], "
                        "%s::float8[], %s::float8[])"
                    )
                    params = [list(column) for column in zip(*chunk, strict=True)]
                else:
                    row_slots = "(" + ", ".join(["%s"] * 8) + ")"
                    source = "VALUES " + ", ".join([row_slots] * len(chunk))
                    params = [value for row in chunk for value in row]
                cursor.execute(
                    f"INSERT INTO {table} ({key_columns}, {count}, {lat_sum}, "
                    f"{long_sum}) {source} "
                    f"ON CONFLICT ({key_columns}) DO UPDATE SET "
                    f"{count} = {table}.{count} + excluded.{count}, "
                    f"{lat_sum} = {table}.{lat_sum} + excluded.{lat_sum}, "
                    f"{long_sum} = {table}.{long_sum} + excluded.{long_sum}",
                    params,
                )


def rebuild_map_cells() -> int:
    """Recompute every ``MapCell`` row from the requests, set-based: one DELETE
    and one INSERT ... SELECT ... GROUP BY, in one transaction. For data
    written around the ORM (a generated or restored database) and to repair
    any drift; also needed if the map's grid changes (its centre latitude).
    Returns the number of rows written."""
    connection = connections[_db()]
    with (
        transaction.atomic(using=connection.alias, savepoint=False),
        connection.cursor() as cursor,
    ):
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REBUILD_LOCK])
        cursor.execute(f"DELETE FROM {_table(MapCell)}")  # noqa: S608
        sql, params = _aggregate_sql(where="", params=[])
        cursor.execute(sql, params)
        return cursor.rowcount


# --- Internals -----------------------------------------------------------------

# A row's key (what its unique constraint covers) and what it adds up, in the
# order the aggregate SELECT writes them.
_KEY_FIELDS = ("cell_row", "cell_col", "service", "status", "neighborhood_key")
_SUM_FIELDS = ("count", "lat_sum", "long_sum")
# Rows per upsert statement (8 parameters each, under SQLite's limit).
_CELLS_PER_UPSERT = 1000


def _db() -> str:
    return router.db_for_write(MapCell)


def _table(model) -> str:
    return connections[_db()].ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connections[_db()].ops.quote_name(model._meta.get_field(name).column)


def _cell_key(cell: Cell) -> int:
    row, col = cell
    return _LOCK_PREFIX | ((row & 0xFFFFF) << 20) | (col & 0xFFFFF)


def _lock_cells(ordered: Sequence[Cell]) -> None:
    """Wait for other writers of these cells (PostgreSQL), in one fixed order
    so that two writers of the same cells cannot deadlock each other."""
    connection = connections[_db()]
    if connection.vendor != "postgresql":
        return
    keys = sorted({_cell_key(cell) for cell in ordered})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(k) "
            "FROM unnest(%s::bigint[]) AS k",
            [_REBUILD_LOCK, keys],
        )


def _aggregate_sql(*, where: str, params: list) -> tuple[str, list]:
    """``INSERT INTO map cells SELECT ... GROUP BY`` over the requests matching
    ``where``; the cell formula is the one ``map_cell_of`` and the live map
    query use, so every point lands in the same cell everywhere."""
    cell_lon, cell_lat = cluster_cell_size(zoom=MAP_CELL_ZOOM)
    lat, lon = (
        _column(ServiceRequest, "public_lat"),
        _column(ServiceRequest, "public_long"),
    )
    columns = ", ".join(_column(MapCell, name) for name in (*_KEY_FIELDS, *_SUM_FIELDS))
    sql = (
        f"INSERT INTO {_table(MapCell)} ({columns}) "  # noqa: S608
        f"SELECT CAST(FLOOR({lat} / %s) AS INTEGER), "
        f"CAST(FLOOR({lon} / %s) AS INTEGER), "
        f"{_column(ServiceRequest, 'service')}, {_column(ServiceRequest, 'status')}, "
        f"COALESCE({_column(ServiceRequest, 'neighborhood')}, 0), "
        f"COUNT(*), SUM({lat}), SUM({lon}) "
        f"FROM {_table(ServiceRequest)} "
        f"WHERE {where or '1 = 1'} "
        f"GROUP BY 1, 2, 3, 4, 5"
    )
    return sql, [cell_lat, cell_lon, *params]


def _recompute(cells: Sequence[Cell]) -> int:
    """Delete and re-aggregate these cells. The requests are found through the
    (public_lat, public_long) index by one latitude band per row of cells,
    a hair wider than the cells, then kept by their computed cell."""
    connection = connections[_db()]
    cell_lon, cell_lat = cluster_cell_size(zoom=MAP_CELL_ZOOM)
    slack = 1e-9
    lat, lon = (
        _column(ServiceRequest, "public_lat"),
        _column(ServiceRequest, "public_long"),
    )
    by_row: dict[int, list[int]] = {}
    for row, col in cells:
        by_row.setdefault(row, []).append(col)
    bands, band_params = [], []
    for row, cols in by_row.items():
        bands.append(f"({lat} >= %s AND {lat} < %s AND {lon} >= %s AND {lon} < %s)")
        band_params += [
            row * cell_lat - slack,
            (row + 1) * cell_lat + slack,
            min(cols) * cell_lon - slack,
            (max(cols) + 1) * cell_lon + slack,
        ]
    pairs = ", ".join(["(%s, %s)"] * len(cells))
    flat = [n for cell in cells for n in cell]
    values = f"(VALUES {pairs})"
    where = (
        f"({' OR '.join(bands)}) AND "
        f"(CAST(FLOOR({lat} / %s) AS INTEGER), CAST(FLOOR({lon} / %s) AS INTEGER)) "
        f"IN {values}"
    )
    row_col = f"({_column(MapCell, 'cell_row')}, {_column(MapCell, 'cell_col')})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table(MapCell)} WHERE {row_col} IN {values}",  # noqa: S608
            flat,
        )
        sql, params = _aggregate_sql(
            where=where,
            params=[*band_params, cell_lat, cell_lon, *flat],
        )
        cursor.execute(sql, params)
        return cursor.rowcount

"""The measured scenarios, each against a baseline measured in the same run.

Requests go through Django's test ``Client``: the whole middleware stack, URL
routing, views, templates and JSON encoding, in one process, without a socket
(so loopback and server overheads are left out; the load test, when it comes,
measures those). Each scenario returns a plain dict for the results file.

A baseline is what the same answer costs done naively or done with no
framework at all, measured on the same data in the same process; the ratio is
subject median / baseline median. Floors serialise with orjson, the fastest
JSON encoder for Python, so they are as low as the database allows.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import orjson
from django.conf import settings
from django.core import serializers
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Min
from django.test import Client

from activity.models import Activity
from engagement.models import Service, ServiceRequest
from engagement.selectors.map import cluster_cell_size
from neighborhoods.models import Neighborhood
from points.selectors import city_leaderboard

from .generate import SUBMITTER_EMAIL, real_profile
from .targets import TARGETS
from .timing import Timing, measure, ratio

# Downtown Crossing and around: about 500 m by 500 m, the densest blocks.
STREET_BBOX = (-71.0650, 42.3530, -71.0590, 42.3575)
STREET_ZOOM = 17
CITY_ZOOM = 12
OPEN311_WINDOW = timedelta(days=90)
FEED_CLIENTS = (100, 500, 1000)
FEED_EVENTS = 10


@dataclass
class Context:
    """What every scenario needs: how hard to try and what 'now' is."""

    now: datetime
    repeat: int = 20
    naive_repeat: int = 3
    submissions: int = 200
    # Serialising every model in the city's box takes about 1.4 s per 10,000
    # rows; above this many the naive baseline is left out (its cost is
    # linear, so the smaller sizes already show it).
    naive_max_rows: int = 300_000
    import_file: Path | None = None
    feed_clients: tuple[int, ...] = FEED_CLIENTS
    feed_events: int = FEED_EVENTS
    client: Client = field(default_factory=Client)


def _json_floor(rows: list) -> bytes:
    return orjson.dumps(rows, default=str)


def _get(client: Client, url: str, *, expect: int = 200) -> Callable[[], object]:
    def run():
        response = client.get(url)
        if response.status_code != expect:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    return run


def _result(
    name: str, subject: Timing, baselines: list[Timing], **extra: object
) -> dict:
    target = TARGETS.get(name)
    return {
        "scenario": name,
        "subject": subject.as_dict(),
        "baselines": [
            {**b.as_dict(), "ratio": round(ratio(subject, b), 2)} for b in baselines
        ],
        "target": (
            None
            if target is None
            else {
                "metric": target[0],
                "op": target[1],
                "value": target[2],
                "at": target[3],
            }
        ),
        **extra,
    }


def city_bbox() -> tuple[float, float, float, float]:
    box = Neighborhood.objects.aggregate(
        a=Min("min_lon"), b=Min("min_lat"), c=Max("max_lon"), d=Max("max_lat")
    )
    return box["a"], box["b"], box["c"], box["d"]


def _bbox_param(box: tuple[float, float, float, float]) -> str:
    return ",".join(f"{v:.6f}" for v in box)


def _within(box):
    return ServiceRequest.objects.filter(
        public_long__gte=box[0],
        public_lat__gte=box[1],
        public_long__lt=box[2],
        public_lat__lt=box[3],
    )


def _naive_serialize(box) -> Callable[[], object]:
    # What a first version would do: every matching row, every field,
    # through Django's serializer.
    return lambda: serializers.serialize("json", _within(box))


def map_city(ctx: Context) -> dict:
    box = city_bbox()
    url = f"/api/requests.geojson?bbox={_bbox_param(box)}&zoom={CITY_ZOOM}"
    cold = measure(
        "GET requests.geojson city-wide, cache cleared",
        _get(ctx.client, url),
        repeat=ctx.repeat,
        before_each=cache.clear,
        note="one GROUP BY over every request in the city's box",
    )
    warm = measure(
        "GET requests.geojson city-wide, cached",
        _get(ctx.client, url),
        repeat=ctx.repeat,
    )
    cell_lon, cell_lat = cluster_cell_size(zoom=CITY_ZOOM)
    table = ServiceRequest._meta.db_table
    sql = (
        f"SELECT FLOOR(public_lat / %s), FLOOR(public_long / %s), COUNT(*), "
        f"AVG(public_lat), AVG(public_long) FROM {table} "
        f"WHERE public_long >= %s AND public_lat >= %s AND public_long < %s "
        f"AND public_lat < %s GROUP BY 1, 2"
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, [cell_lat, cell_lon, *box])
            return _json_floor(cursor.fetchall())

    floor_t = measure(
        "raw SQL GROUP BY + json", floor, repeat=ctx.repeat, note="the floor"
    )
    rows_in_box = _within(box).count()
    baselines = [floor_t]
    if rows_in_box <= ctx.naive_max_rows:
        naive = measure(
            "all rows through Django's serializer",
            _naive_serialize(box),
            repeat=ctx.naive_repeat,
            warmup=0,
            note="the naive baseline",
        )
        baselines.insert(0, naive)
    features = json.loads(_get(ctx.client, url)().content)
    return _result(
        "map_city",
        cold,
        baselines,
        extra_timings=[warm.as_dict()],
        rows_in_box=rows_in_box,
        features=len(features["features"]),
        naive_skipped=rows_in_box > ctx.naive_max_rows,
    )


def map_street(ctx: Context) -> dict:
    box = STREET_BBOX
    url = f"/api/requests.geojson?bbox={_bbox_param(box)}&zoom={STREET_ZOOM}"
    subject = measure(
        "GET requests.geojson street level", _get(ctx.client, url), repeat=ctx.repeat
    )
    sr = ServiceRequest._meta.db_table
    sv = Service._meta.db_table
    sql = (
        f"SELECT r.public_id, s.name, r.status, r.requested_datetime, "
        f"r.public_lat, r.public_long FROM {sr} r JOIN {sv} s ON s.id = r.service_id "
        f"WHERE r.public_long >= %s AND r.public_lat >= %s AND r.public_long < %s "
        f"AND r.public_lat < %s ORDER BY r.requested_datetime DESC, r.id DESC "
        f"LIMIT 2001"
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, list(box))
            return _json_floor(cursor.fetchall())

    floor_t = measure("raw SQL rows + json", floor, repeat=ctx.repeat, note="floor")
    naive = measure(
        "all rows through Django's serializer",
        _naive_serialize(box),
        repeat=ctx.naive_repeat,
        warmup=0,
        note="the naive baseline",
    )
    features = json.loads(_get(ctx.client, url)().content)
    return _result(
        "map_street",
        subject,
        [naive, floor_t],
        rows_in_box=_within(box).count(),
        features=len(features["features"]),
        truncated=features["truncated"],
    )


def open311(ctx: Context) -> dict:
    end = ctx.now
    start = end - OPEN311_WINDOW
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    url = (
        f"/open311/v2/requests.json?start_date={start.strftime(fmt)}"
        f"&end_date={end.strftime(fmt)}&page_size=1000"
    )
    subject = measure("GET requests.json", _get(ctx.client, url), repeat=ctx.repeat)
    sr = ServiceRequest._meta.db_table
    sv = Service._meta.db_table
    sql = (
        f"SELECT r.public_id, r.status, r.status_notes, s.name, s.service_code, "
        f"r.description, r.agency_responsible, r.requested_datetime, "
        f"r.updated_datetime, r.expected_datetime, r.address, r.public_lat, "
        f"r.public_long FROM {sr} r JOIN {sv} s ON s.id = r.service_id "
        f"WHERE r.requested_datetime >= %s AND r.requested_datetime <= %s "
        f"ORDER BY r.requested_datetime DESC, r.id DESC LIMIT 1000"
    )
    columns = [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "lat",
        "long",
    ]

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, [start, end])
            return _json_floor([dict(zip(columns, row, strict=True)) for row in cursor])

    floor_t = measure("raw SQL + json", floor, repeat=ctx.repeat, note="floor")
    results = json.loads(_get(ctx.client, url)().content)
    return _result("open311", subject, [floor_t], results=len(results))


def leaderboards(ctx: Context) -> dict:
    page = measure(
        "GET /leaderboards (3 periods, people and teams)",
        _get(ctx.client, "/leaderboards"),
        repeat=ctx.repeat,
    )
    selector = measure(
        "city_leaderboard(period='all')",
        lambda: city_leaderboard(period="all", now=ctx.now),
        repeat=ctx.repeat,
    )
    from accounts.models import User
    from points.models import PointsBalance, PointsEntry
    from points.selectors import LEADERBOARD_SIZE

    users = User._meta.db_table
    ledger_sql = (
        f"SELECT e.user_id, u.display_name, SUM(e.amount) AS total "
        f"FROM {PointsEntry._meta.db_table} e JOIN {users} u "
        f"ON u.id = e.user_id WHERE u.show_on_leaderboards AND u.is_active "
        f"AND u.deleted_at IS NULL GROUP BY e.user_id, u.display_name "
        f"HAVING SUM(e.amount) > 0 ORDER BY total DESC, e.user_id LIMIT %s"
    )
    balance_sql = (
        f"SELECT b.user_id, u.display_name, b.total "
        f"FROM {PointsBalance._meta.db_table} b JOIN {users} u "
        f"ON u.id = b.user_id WHERE u.show_on_leaderboards AND u.is_active "
        f"AND u.deleted_at IS NULL AND b.total > 0 "
        f"ORDER BY b.total DESC, b.user_id LIMIT %s"
    )

    def raw(sql: str) -> Callable[[], bytes]:
        def run() -> bytes:
            with connection.cursor() as cursor:
                cursor.execute(sql, [LEADERBOARD_SIZE])
                return _json_floor(cursor.fetchall())

        return run

    naive = measure(
        "the ledger's SUM GROUP BY in raw SQL + json",
        raw(ledger_sql),
        repeat=ctx.naive_repeat,
        note="the naive baseline: what the board cost before its rollup tables",
    )
    floor_t = measure(
        "top balances in raw SQL + json", raw(balance_sql), repeat=ctx.repeat
    )
    return _result(
        "leaderboards",
        selector,
        [naive, floor_t],
        extra_timings=[page.as_dict()],
        points_entries=PointsEntry.objects.count(),
    )


def performance(ctx: Context) -> dict:
    cold = measure(
        "GET /performance/, cache cleared",
        _get(ctx.client, "/performance/"),
        repeat=max(3, ctx.repeat // 4),
        before_each=cache.clear,
    )
    warm = measure(
        "GET /performance/, cached",
        _get(ctx.client, "/performance/"),
        repeat=ctx.repeat,
    )
    health = measure(
        "GET /healthz", _get(ctx.client, "/healthz"), repeat=ctx.repeat, note="floor"
    )
    return _result("performance", cold, [health], extra_timings=[warm.as_dict()])


def _submission_form() -> tuple[dict, list[tuple[float, float]]]:
    """An active service taking no required answers, and real places."""
    from neighborhoods.selectors import neighborhood_containing

    service = (
        Service.objects.filter(active=True)
        .exclude(attributes__required=True)
        .order_by("service_code")
        .first()
    )
    if service is None:
        raise RuntimeError("no active service without required attributes")
    places = []
    for case in real_profile().cases[:500]:
        if neighborhood_containing(lat=case.lat, lon=case.lon) is not None:
            places.append((case.lat, case.lon))
    return {"service": service.service_code}, places


def submission(ctx: Context) -> dict:
    from accounts.models import User

    user = User.objects.get(email=SUBMITTER_EMAIL)
    client = Client()
    client.force_login(user)
    form, places = _submission_form()
    newest_request = ServiceRequest.objects.aggregate(m=Max("pk"))["m"] or 0
    newest_activity = Activity.objects.aggregate(m=Max("pk"))["m"] or 0

    def poster(url: str, expect: int):
        counter = iter(range(10**9))

        def run():
            i = next(counter)
            lat, long = places[i % len(places)]
            response = client.post(
                url,
                {**form, "lat": lat, "long": long, "description": f"bench {i}"},
            )
            if response.status_code != expect:
                raise RuntimeError(f"POST {url} answered {response.status_code}")

        return run

    def rate(name: str, url: str, expect: int, note: str) -> tuple[Timing, float]:
        timing = measure(
            name, poster(url, expect), repeat=ctx.submissions, warmup=2, note=note
        )
        # Back to back on one process: the rate is the inverse of the mean.
        return timing, len(timing.samples_ms) / (sum(timing.samples_ms) / 1000)

    try:
        subject, per_second = rate(
            "POST /report/ (form, neighborhood lookup, feed, receipt email queued)",
            "/report/",
            302,
            "",
        )
        bare, bare_per_second = rate(
            "POST bare view inserting one row", "/__bench__/bare-insert", 201, "floor"
        )
    finally:
        # Leave the cached dataset as it was generated.
        ServiceRequest.objects.filter(pk__gt=newest_request).delete()
        Activity.objects.filter(pk__gt=newest_activity).delete()
    return _result(
        "submission",
        subject,
        [bare],
        per_second=round(per_second, 1),
        baseline_per_second=round(bare_per_second, 1),
    )


def import_throughput(ctx: Context) -> dict:
    """Rows per second importing a real Boston file, rolled back afterwards
    so the dataset stays as generated."""
    from engagement.services.importing import BOSTON_CSV, import_requests

    path = ctx.import_file or (
        Path(settings.BASE_DIR)
        / "demo"
        / "data"
        / "boston_311_sample_2015_2024_closed.csv"
    )
    with transaction.atomic():
        result = import_requests(source=path, format=BOSTON_CSV)
        transaction.set_rollback(True)
    seconds = result.seconds
    timing = Timing(name=f"import_requests({path.name})", samples_ms=[seconds * 1000])
    return _result(
        "import",
        timing,
        [],
        file=str(path.name),
        rows_read=result.rows,
        imported=result.imported,
        skipped=result.skipped_count,
        failed=result.failed_count,
        seconds=round(seconds, 2),
        rows_per_second=round(result.rows / seconds, 1) if seconds else None,
        imported_per_second=round(result.imported / seconds, 1) if seconds else None,
    )


def feed(ctx: Context) -> dict:
    """Commit-to-receipt latency of a public activity for N websocket clients
    of the city feed: one daphne process serving the site, the clients over
    real loopback sockets, the channel layer on Redis (see ``bench.feed``).
    """
    import os

    from .feed import run_feed

    # Only when asked: a CI job with REDIS_URL set for other reasons should
    # not start a thousand websocket clients.
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    if not redis_url:
        return {"scenario": "feed", "not_run": "needs Redis: set BENCH_REDIS_URL"}
    runs = run_feed(
        redis_url=redis_url, client_counts=ctx.feed_clients, events=ctx.feed_events
    )
    result = _result(
        "feed",
        runs[-1].timing,
        [],
        clients=runs[-1].clients,
        lost=sum(r.lost for r in runs),
    )
    result["extra_timings"] = [r.as_dict() for r in runs[:-1]]
    result["runs"] = [
        {k: v for k, v in r.as_dict().items() if k != "samples_ms"} for r in runs
    ]
    result["p99_ms_by_clients"] = {str(r.clients): round(r.timing.p99, 1) for r in runs}
    return result


SCENARIOS: dict[str, Callable[[Context], dict]] = {
    "map_city": map_city,
    "map_street": map_street,
    "open311": open311,
    "leaderboards": leaderboards,
    "performance": performance,
    "submission": submission,
    "import": import_throughput,
    "feed": feed,
}

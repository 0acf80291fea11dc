"""Feed fan-out over real sockets: one daphne process, N websocket clients.

The site's ASGI application (``config.asgi:application``: origin check, auth
middleware, routing, the feed consumer) runs under daphne in a process of its
own, with the benchmark's database and a Redis channel layer. The clients live
in this process: plain asyncio sockets speaking the websocket protocol through
wsproto, so what is measured is the site's path, not a client library's.

An event is a public activity published with the activity app's service in a
transaction on a worker thread of this process, against the same database.
The clock starts just before COMMIT (``publish_on_commit`` broadcasts from its
on-commit hook) and stops when each client has read the whole message from its
socket. ``time.perf_counter`` is CLOCK_MONOTONIC, shared by every thread here.
"""

import asyncio
import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

from .timing import Timing

BASE_DIR = Path(__file__).resolve().parent.parent
FEED_PATH = "/ws/activity/"
# Handshakes under way at once: enough to connect a thousand clients in a few
# seconds, few enough not to measure a connection storm.
CONNECT_CONCURRENCY = 50
# A client that has not read an event by then counts as lost.
RECEIPT_TIMEOUT = 30.0
# Untimed events first: pools, imports and caches warm up on both sides.
WARMUP_EVENTS = 2
# Pause between events, so that one event's fan-out never overlaps the next.
EVENT_GAP = 0.2
SERVER_START_TIMEOUT = 90.0


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raise_open_files_limit(*, wanted: int) -> int:
    """Raise this process's soft limit on open files towards ``wanted`` (never
    past the hard limit): each client is one socket. Returns the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


@contextlib.contextmanager
def running_daphne(*, env: dict[str, str], port: int | None = None) -> Iterator[int]:
    """Serve ``config.asgi:application`` with daphne on a free loopback port.

    ``env`` is added to this process's environment (``DATABASE_URL``,
    ``DJANGO_SETTINGS_MODULE``, ``REDIS_URL``); daphne inherits this
    process's open-files limit, so raise that first for many sockets.
    Yields the port once daphne accepts connections; stops daphne (and says
    why, if it died) afterwards.
    """
    port = port or free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below)
        prefix="civicpulse-daphne-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("daphne")),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "-v",
            "0",
            "config.asgi:application",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(port, process, log.name)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _wait_for_port(port: int, process: subprocess.Popen, log_path: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = Path(log_path).read_text(errors="replace")[-2000:]
            raise RuntimeError(f"daphne exited with {process.returncode}:\n{tail}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=1),
        ):
            return
        time.sleep(0.2)
    raise RuntimeError(f"daphne did not listen on port {port} within 90 s")


class FeedClient:
    """One websocket client of the city feed over a real socket.

    A reader task notes the arrival time of every text message, keyed by the
    activity id in it, and answers the server's keepalive pings.
    """

    def __init__(self) -> None:
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.arrivals: dict[int, float] = {}
        self.waiters: dict[int, asyncio.Future] = {}
        self.task: asyncio.Task | None = None
        self.closed = False

    async def connect(self, *, port: int, path: str = FEED_PATH) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        host = f"127.0.0.1:{port}"
        self.writer.write(
            self.ws.send(
                Request(
                    host=host,
                    target=path,
                    extra_headers=[(b"origin", f"http://{host}".encode())],
                )
            )
        )
        await self.writer.drain()
        while True:
            data = await self.reader.read(65536)
            if not data:
                raise ConnectionError("the server closed during the handshake")
            self.ws.receive_data(data)
            for event in self.ws.events():
                if isinstance(event, AcceptConnection):
                    self.task = asyncio.ensure_future(self._read())
                    return
                if isinstance(event, RejectConnection):
                    raise ConnectionError(f"handshake refused: {event.status_code}")

    async def _read(self) -> None:
        parts: list[str] = []
        assert self.reader is not None and self.writer is not None
        while True:
            data = await self.reader.read(65536)
            now = time.perf_counter()
            if not data:
                self.closed = True
                return
            self.ws.receive_data(data)
            for event in self.ws.events():
                if isinstance(event, TextMessage):
                    parts.append(event.data)
                    if event.message_finished:
                        self._arrived(json.loads("".join(parts)), now)
                        parts = []
                elif isinstance(event, Ping):
                    self.writer.write(self.ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    self.closed = True
                    return

    def _arrived(self, message: dict, now: float) -> None:
        activity_id = message.get("id")
        self.arrivals[activity_id] = now
        waiter = self.waiters.pop(activity_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(now)

    def expect(self, activity_id: int) -> asyncio.Future:
        """A future that resolves to the arrival time of ``activity_id``."""
        future = asyncio.get_running_loop().create_future()
        if activity_id in self.arrivals:
            future.set_result(self.arrivals[activity_id])
        else:
            self.waiters[activity_id] = future
        return future

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.write(self.ws.send(CloseConnection(code=1000)))
                self.writer.close()
                await asyncio.wait_for(self.writer.wait_closed(), timeout=2)


@dataclass
class FanOut:
    """What one client count measured."""

    clients: int
    timing: Timing
    connect_seconds: float
    lost: int = 0
    events: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            **self.timing.as_dict(),
            "clients": self.clients,
            "connect_seconds": round(self.connect_seconds, 2),
            "lost": self.lost,
            "events": self.events,
        }


def publish_event(label: str) -> tuple[int, float]:
    """Publish one public city-wide activity; returns its id and the clock
    just before COMMIT (the broadcast follows the commit)."""
    from django.db import transaction

    from activity import kinds
    from activity.services import publish_on_commit

    with transaction.atomic():
        activity = publish_on_commit(
            kind=kinds.REQUEST_FILED,
            actor=None,
            target=None,
            neighborhood=None,
            summary=f"Benchmark event {label}",
        )
        started = time.perf_counter()
    return activity.pk, started


async def measure_fan_out(
    *, port: int, clients: int, events: int, publisher: ThreadPoolExecutor
) -> FanOut:
    """Connect ``clients`` feed clients, publish ``events`` events one after
    another, and time each client's receipt of each."""
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    connected: list[FeedClient] = []

    async def connect_one() -> None:
        client = FeedClient()
        async with gate:
            await client.connect(port=port)
        connected.append(client)

    t0 = time.perf_counter()
    try:
        await asyncio.gather(*(connect_one() for _ in range(clients)))
        connect_seconds = time.perf_counter() - t0
        timing = Timing(name=f"{clients} clients, {events} events")
        lost = 0
        details = []
        for number in range(-WARMUP_EVENTS, events):
            label = f"{clients}-{number}"
            # The id is known only after the insert; arrivals are kept by id,
            # so a client that is quicker than this await still counts.
            activity_id, started = await loop.run_in_executor(
                publisher, publish_event, label
            )
            waiting = [c.expect(activity_id) for c in connected]
            done, pending = await asyncio.wait(waiting, timeout=RECEIPT_TIMEOUT)
            for future in pending:
                future.cancel()
            latencies = sorted((f.result() - started) * 1000 for f in done)
            if number >= 0:
                timing.samples_ms.extend(latencies)
                lost += len(pending)
                details.append(
                    {
                        "received": len(done),
                        "first_ms": round(latencies[0], 2) if latencies else None,
                        "last_ms": round(latencies[-1], 2) if latencies else None,
                    }
                )
            await asyncio.sleep(EVENT_GAP)
        return FanOut(
            clients=clients,
            timing=timing,
            connect_seconds=connect_seconds,
            lost=lost,
            events=details,
        )
    finally:
        await asyncio.gather(*(c.close() for c in connected), return_exceptions=True)


def run_feed(
    *, redis_url: str, client_counts: tuple[int, ...], events: int
) -> list[FanOut]:
    """Start daphne on the benchmark's database with ``redis_url`` as its
    channel layer, and measure each client count in turn on that one process.

    The benchmark process publishes through the same Redis, with the channel
    layer settings ``config/settings/base.py`` builds from ``REDIS_URL``.
    """
    from django.db import connection
    from django.db.models import Max
    from django.test import override_settings

    from activity.models import Activity

    raise_open_files_limit(wanted=max(client_counts) * 2 + 256)
    env = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "REDIS_URL": redis_url,
    }
    layers = site_channel_layers(redis_url)
    newest = Activity.objects.aggregate(m=Max("pk"))["m"] or 0
    publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish")
    results = []
    try:
        with override_settings(CHANNEL_LAYERS=layers), running_daphne(env=env) as port:
            for n in client_counts:
                results.append(
                    asyncio.run(
                        measure_fan_out(
                            port=port, clients=n, events=events, publisher=publisher
                        )
                    )
                )
    finally:
        # The publishing thread's own connection (a proxy resolves per thread).
        publisher.submit(lambda: connection.close()).result()
        publisher.shutdown()
        Activity.objects.filter(pk__gt=newest).delete()
    return results


def site_channel_layers(redis_url: str) -> dict:
    """The channel layer the site runs with when ``REDIS_URL`` is set, built by
    ``config/settings/base.py`` in a fresh interpreter (settings are read once,
    at start-up, so this process cannot simply re-read them)."""
    code = (
        "import json,django;django.setup();from django.conf import settings;"
        "print(json.dumps(settings.CHANNEL_LAYERS))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**os.environ, "REDIS_URL": redis_url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])

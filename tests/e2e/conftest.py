"""Browser journeys: the real ASGI server in a subprocess, driven by Chromium.

The server process shares the test database (a file for SQLite, the test
database for PostgreSQL), so tests use ``transactional_db``: what the test
writes is committed where the server can see it, and flushed afterwards.
Mail goes to files in a folder the test reads, as a person reads their inbox.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from .axe import assert_no_serious_violations

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(settings.BASE_DIR)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    """A URL for the database this test session is using right now."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{db['NAME']}"


class Outbox:
    """The file-based mail folder of the server process."""

    def __init__(self, path: Path):
        self.path = path

    def messages(self) -> list[Message]:
        found = []
        for file in sorted(self.path.glob("*.log"), key=lambda f: f.stat().st_mtime):
            # The file backend separates messages with a line of dashes.
            for chunk in file.read_bytes().split(b"-" * 79):
                if chunk.strip():
                    found.append(message_from_bytes(chunk.strip()))
        return found

    def bodies_to(self, address: str) -> list[str]:
        bodies = []
        for message in self.messages():
            if address in (message["To"] or ""):
                parts = message.walk() if message.is_multipart() else [message]
                for part in parts:
                    if part.get_content_type() == "text/plain":
                        bodies.append(part.get_payload(decode=True).decode())
        return bodies

    def clear(self) -> None:
        for file in self.path.glob("*.log"):
            file.unlink()


@pytest.fixture(scope="session")
def live_server_process(
    django_db_setup, django_db_blocker, tmp_path_factory, chromium_path
) -> Iterator[tuple[str, Outbox]]:
    """``daphne`` serving config.asgi on a free loopback port."""
    port = _free_port()
    mail_dir = tmp_path_factory.mktemp("outbox")
    with django_db_blocker.unblock():
        database_url = _database_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CIVIC_E2E_SERVER": "1",
    }
    log = (tmp_path_factory.mktemp("server") / "daphne.log").open("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base_url}/healthz", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.seek(0)
                pytest.fail(f"ASGI server did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
    try:
        yield base_url, Outbox(mail_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(chromium_path):
    """One Chromium per module: Playwright's sync API keeps an event loop
    running in this thread while it is open, which async tests cannot share."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server_process, transactional_db):
    """The running site with its home page in place, and an empty outbox."""
    from cms.services import ensure_home_page

    ensure_home_page()
    base_url, outbox = live_server_process
    outbox.clear()
    return base_url, outbox


@pytest.fixture
def page(browser, site):
    """A fresh browser tab that may only talk to the server under test."""
    base_url, _ = site
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}
    )

    def only_loopback(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    return assert_no_serious_violations


@pytest.fixture
def boston(site):
    """Boston's neighborhoods, loaded where the server's point lookup sees them.

    The server process notices boundary changes made by another process (this
    one) within ``VERSION_CHECK_SECONDS``; waiting that long keeps it from
    placing a report in a neighborhood of an earlier test.
    """
    from neighborhoods.boundary_index import VERSION_CHECK_SECONDS
    from neighborhoods.demo import load_demo_neighborhoods

    result = load_demo_neighborhoods()
    time.sleep(VERSION_CHECK_SECONDS + 0.2)
    return result

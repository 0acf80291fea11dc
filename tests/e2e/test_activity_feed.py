"""The live activity feed in a real browser against the real ASGI server.

Events are produced the way a feature produces them: ``publish_on_commit``
in a committed transaction, here called from the test process, which shares
the database with the server. The live path needs a channel layer both
processes reach, which is Redis: that journey asks for ``redis_url`` (CI runs
it). The catch-up path (socket lost, event missed, reconnect, fetch from
``/api/activity?after=``) needs no Redis and always runs.
"""

import re
import time

import pytest
from django.db import transaction
from django.test import Client
from playwright.sync_api import expect

from activity import kinds
from activity.services import publish_on_commit
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.e2e

LIVE = re.compile(r"^\s*Live:")
OFFLINE = re.compile(r"^\s*Offline:")


def publish(**overrides):
    params = {
        "kind": kinds.REQUEST_FILED,
        "actor": None,
        "target": None,
        "neighborhood": None,
        "summary": "Pothole reported",
        "data": {},
    }
    params.update(overrides)
    with transaction.atomic():
        return publish_on_commit(**params)


@pytest.fixture
def open_page(browser, site):
    """Open a page in a browser context of its own: a separate person, with
    their own cookies, optionally signed in, optionally without JavaScript."""
    base_url, _ = site
    contexts = []

    def open_page(path, *, user=None, javascript=True, viewport=None):
        context = browser.new_context(
            base_url=base_url,
            java_script_enabled=javascript,
            viewport=viewport or {"width": 1280, "height": 900},
        )
        contexts.append(context)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(base_url)
                else route.abort()
            ),
        )
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": base_url,
                    }
                ]
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def feed_status(page):
    return page.locator("[data-feed-status]")


def feed_items(page):
    return page.locator("[data-feed-list] > li")


def wait_until_live(page):
    """Connected, and done fetching what was published before the socket opened."""
    expect(feed_status(page)).to_have_text(LIVE)
    expect(page.locator("[data-feed-list]")).to_have_attribute("aria-busy", "false")


def test_activity_page_is_accessible_live_and_a_plain_list_without_javascript(
    open_page, axe
):
    resident = UserFactory(display_name="Ana from Egleston")
    for n in range(31):
        publish(
            actor=resident if n % 2 else None,
            neighborhood=NeighborhoodFactory(),
            summary=f"Streetlight out, report {n}",
        )

    page = open_page("/activity")
    expect(feed_status(page)).to_have_text(LIVE)
    assert feed_items(page).count() == 30
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Activity across the city"
    )
    axe(page, context="/activity")
    page.get_by_role("link", name="Older activity").click()
    page.wait_for_url("**/activity?before=*")
    assert feed_items(page).count() == 1
    axe(page, context="/activity archive")

    plain = open_page("/activity", javascript=False)
    assert feed_items(plain).count() == 30
    expect(feed_status(plain)).to_be_hidden()
    expect(plain.get_by_text("Streetlight out, report 30")).to_be_visible()
    plain.get_by_role("link", name="Older activity").click()
    expect(plain.get_by_text("Streetlight out, report 0", exact=True)).to_be_visible()


def test_activity_missed_while_offline_appears_after_reconnect_without_reload(
    open_page, browser
):
    """Websocket delivery is best-effort; the catch-up API makes it whole."""
    for n in range(12):  # more than the catch-up overlap: it asks after an id
        publish(summary=f"Earlier news {n}")
    page = open_page("/activity")
    wait_until_live(page)
    expect(feed_items(page)).to_have_count(12)
    page.evaluate("() => { window.notReloaded = true; }")

    page.context.set_offline(True)
    expect(feed_status(page)).to_have_text(OFFLINE)
    publish(
        kind=kinds.UPDATE_PUBLISHED,
        summary="Snow emergency lifted at 6 pm",
    )
    page.wait_for_timeout(300)
    assert feed_items(page).count() == 12  # really offline: nothing arrived

    page.context.set_offline(False)
    expect(page.get_by_text("Snow emergency lifted at 6 pm")).to_be_visible()
    expect(feed_status(page)).to_have_text(LIVE)
    expect(feed_items(page)).to_have_count(13)  # no duplicates from the overlap
    assert page.evaluate("() => window.notReloaded") is True
    newest = feed_items(page).first
    expect(newest).to_contain_text("Snow emergency lifted at 6 pm")
    expect(newest.locator(".activity-item__kind")).to_have_text("City update")


def test_one_residents_report_appears_live_for_another_and_personal_news_stays_personal(
    open_page, redis_url
):
    """Two people, two browser contexts: Ana files a report, Ben watches
    /activity; it appears for Ben within 2 s without reloading. Then news for
    Ana alone lights up her bell and nobody else's."""
    roxbury = NeighborhoodFactory(name="Roxbury")
    ana = UserFactory(display_name="Ana from Egleston")
    ben = UserFactory(display_name="Ben")

    ana_page = open_page("/activity", user=ana)
    ben_page = open_page("/activity", user=ben)
    watcher = open_page(roxbury.get_absolute_url())
    for page in (ana_page, ben_page, watcher):
        wait_until_live(page)
        page.evaluate("() => { window.notReloaded = true; }")
    bell = ana_page.locator("[data-notification-bell]")
    expect(bell).to_have_accessible_name("Notifications")
    # The bell's own socket is up once it has asked for the current count.
    ana_page.wait_for_function(
        "() => performance.getEntriesByName"
        "(location.origin + '/api/notifications/unread').length > 0"
    )

    started = time.monotonic()
    publish(
        kind=kinds.REQUEST_FILED,
        actor=ana,
        target=roxbury,
        neighborhood=roxbury,
        summary="Pothole reported on Blue Hill Ave",
    )
    for page in (ben_page, watcher, ana_page):
        expect(page.get_by_text("Pothole reported on Blue Hill Ave")).to_be_visible(
            timeout=max(100, 2000 - (time.monotonic() - started) * 1000)
        )
    assert time.monotonic() - started < 2.5
    expect(ben_page.get_by_text("Nothing has happened here yet.")).to_be_hidden()
    item = feed_items(ben_page).first
    expect(item).to_contain_text("by Ana from Egleston")
    expect(item).to_contain_text("in Roxbury")
    expect(item.get_by_role("link")).to_have_attribute(
        "href", "/neighborhoods/roxbury/"
    )

    publish(
        kind=kinds.UPDATE_PUBLISHED,
        neighborhood=NeighborhoodFactory(name="Fenway"),
        summary="Fenway street sweeping moved to Tuesday",
    )
    expect(
        ben_page.get_by_text("Fenway street sweeping moved to Tuesday")
    ).to_be_visible(timeout=2000)

    publish(
        kind=kinds.REQUEST_CHANGED,
        target=roxbury,
        summary="Your pothole report was acknowledged",
        public=False,
        recipients=[ana],
    )
    expect(bell).to_have_accessible_name("Notifications, 1 unread", timeout=2000)
    expect(ana_page.locator("[data-bell-count]")).to_have_text("1")
    ben_page.wait_for_timeout(500)
    expect(ben_page.locator("[data-bell-count]")).to_be_hidden()
    expect(ana_page.locator("[data-bell-announce]")).to_have_text(
        "New notification: Your pothole report was acknowledged"
    )
    for page in (ana_page, ben_page, watcher):
        personal = page.locator("[data-feed-list]").get_by_text("was acknowledged")
        expect(personal).to_have_count(0)
        assert page.evaluate("() => window.notReloaded") is True
    expect(ben_page.get_by_text("was acknowledged")).to_have_count(0)
    # The neighborhood page's feed never showed the other neighborhood's news.
    expect(
        watcher.get_by_text("Fenway street sweeping moved to Tuesday")
    ).to_have_count(0)

    ana_page.locator("[data-notification-bell]").click()
    ana_page.wait_for_url("**/notifications")
    expect(
        ana_page.get_by_role("link", name="Your pothole report was acknowledged")
    ).to_be_visible()
    ana_page.get_by_role("button", name="Mark all 1 as read").click()
    expect(ana_page.get_by_text("Notification marked as read.")).to_be_visible()
    expect(ana_page.locator("[data-bell-count]")).to_be_hidden()


def test_bell_and_notifications_work_by_keyboard_on_a_phone(open_page, axe):
    person = UserFactory(display_name="Dana")
    for summary in ("Your report was acknowledged", "Someone replied to you"):
        publish(
            kind=kinds.REQUEST_CHANGED,
            summary=summary,
            public=False,
            recipients=[person],
        )
    page = open_page("/", user=person, viewport={"width": 360, "height": 740})
    bell = page.locator("[data-notification-bell]")
    expect(bell).to_have_accessible_name("Notifications, 2 unread")
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    ), "the page scrolls sideways on a phone"
    axe(page, context="home, signed in, with the bell")

    bell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/notifications")
    axe(page, context="notifications")
    page.get_by_role(
        "button", name=re.compile(r"^Mark as read\W+Someone replied to you$")
    ).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Notification marked as read.")).to_be_visible()
    expect(bell).to_have_accessible_name("Notifications, 1 unread")

    page.goto("/activity")
    expect(feed_status(page)).to_have_text(LIVE)
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    ), "/activity scrolls sideways on a phone"


def test_a_report_filed_through_the_form_appears_live_on_another_residents_feed(
    open_page, boston
):
    """No Redis needed: the server process both files the report and serves
    Ben's websocket, so the in-memory layer carries it."""
    from tests.engagement.factories import ServiceFactory

    ServiceFactory(service_code="GENGRAFFITI", name="Graffiti", group="Trash")
    ana = UserFactory(display_name="Ana from Egleston")
    ben = UserFactory(display_name="Ben")
    ben_page = open_page("/activity", user=ben)
    wait_until_live(ben_page)
    ben_page.evaluate("() => { window.notReloaded = true; }")

    ana_page = open_page("/report/?service=GENGRAFFITI", user=ana)
    ana_page.get_by_text("Enter coordinates instead").click()
    ana_page.locator("#id_lat").fill("42.3163")  # Jamaica Plain, by the pond
    ana_page.locator("#id_long").fill("-71.1195")
    ana_page.get_by_label("Description").fill("Tag on the boathouse wall")
    ana_page.get_by_role("button", name="Send report").click()
    ana_page.wait_for_url(re.compile(r".*/requests/CP-[A-Z0-9]+/$"))
    started = time.monotonic()

    expect(ben_page.get_by_text("Graffiti reported in Jamaica Plain")).to_be_visible(
        timeout=2000
    )
    assert time.monotonic() - started < 2.5
    expect(ben_page.get_by_text("Ana from Egleston").first).to_be_visible()
    assert ben_page.evaluate("() => window.notReloaded") is True

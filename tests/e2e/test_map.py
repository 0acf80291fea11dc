"""A visitor explores the map of real Boston requests, filters it, and follows
the list to a request."""

import re
from pathlib import Path

import pytest

from engagement.services.importing import import_requests
from neighborhoods.demo import load_demo_neighborhoods

pytestmark = pytest.mark.e2e

# Ten real Boston 311 cases of January 2015: 8 in the city (5 closed, 3 open).
BOSTON_2015 = (
    Path(__file__).parent.parent / "engagement" / "data" / "boston_311_2015_style.csv"
)
MAP = "#requests-map"


@pytest.fixture
def boston_requests(site):
    load_demo_neighborhoods()
    result = import_requests(source=BOSTON_2015)
    assert result.imported == 8
    return result


def wait_for_map(page) -> None:
    page.wait_for_selector(f'{MAP}[data-state="loaded"]')


def test_map_shows_clusters_then_requests_and_filters(page, boston_requests, axe):
    page.goto("/map/")
    wait_for_map(page)
    assert page.locator(MAP).get_attribute("data-clustered") == "true"
    status = page.locator("#requests-map-status").inner_text()
    assert re.search(r"\d+ requests in view", status), status
    assert page.locator(".cluster-marker").count() > 0
    axe(page, context="map")

    # Clusters zoom in until the requests themselves are drawn.
    for _ in range(6):
        if page.locator(MAP).get_attribute("data-clustered") == "false":
            break
        # The click moves the map; the answer for the new view is awaited,
        # not guessed at with a pause.
        with page.expect_response(lambda r: "requests.geojson" in r.url):
            page.locator(".cluster-marker").last.click()
        wait_for_map(page)
    assert page.locator(MAP).get_attribute("data-clustered") == "false"
    page.locator(f"{MAP} path.leaflet-interactive").first.click(force=True)
    popup_link = page.locator(".leaflet-popup-content a")
    popup_link.wait_for()
    assert re.fullmatch(r"/requests/\d+/", popup_link.get_attribute("href"))

    # Filtering through the form narrows the map and the list.
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/map/\?.*status=closed"))
    wait_for_map(page)
    heading = page.locator("#request-list-heading")
    assert heading.inner_text() == "5 requests matching the filters"
    pills = page.locator(".request-list .status-pill")
    assert pills.count() == 5
    assert set(pills.all_inner_texts()) == {"Closed"}


def test_list_view_leads_to_a_request(page, boston_requests, axe):
    page.goto("/map/?status=open")
    page.get_by_role("link", name="Show the list on its own page").click()
    page.wait_for_url(re.compile(r"/requests/\?status=open"))
    axe(page, context="request list")
    items = page.locator(".request-list__link")
    assert items.count() == 3

    first = items.first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/requests/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() in name


def test_map_works_on_a_phone(browser, site, boston_requests):
    base_url, _ = site
    context = browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base_url)
            else route.abort()
        ),
    )
    page = context.new_page()
    try:
        page.goto("/map/")
        wait_for_map(page)
        map_box = page.locator(MAP).bounding_box()
        list_box = page.locator("#request-list-heading").bounding_box()
        # The list comes below the map, and the map fits the screen.
        assert list_box["y"] > map_box["y"] + map_box["height"]
        assert map_box["width"] <= 390
    finally:
        context.close()

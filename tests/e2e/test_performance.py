"""A visitor reads the city's performance figures on real Boston requests:
charts with their tables, the shaded neighborhood map, sorting and a bad
period, all accessible."""

from pathlib import Path

import pytest

from engagement.services.importing import import_requests

pytestmark = pytest.mark.e2e

# Ten real Boston 311 cases of January 2015: 8 in the city (5 closed, 3 open).
BOSTON_2015 = (
    Path(__file__).parent.parent / "engagement" / "data" / "boston_311_2015_style.csv"
)


@pytest.fixture
def boston_requests(boston):
    result = import_requests(source=BOSTON_2015)
    assert result.imported == 8
    return result


def test_performance_page_has_charts_tables_and_map(page, boston_requests, axe):
    page.goto("/")
    page.get_by_role("link", name="Performance").first.click()
    page.wait_for_url("**/performance/")
    assert page.get_by_role("heading", level=1).inner_text() == "How the city is doing"

    # The default period holds the imported requests.
    summary = page.locator(".perf-summary")
    assert summary.get_by_text("Reported").count() == 1
    assert page.locator("#activity-chart rect.perf-chart__bar").count() > 0
    assert page.get_by_role("img", name="Requests reported and closed").count() == 1
    page.locator("#departments-table").wait_for()
    page.wait_for_selector('#performance-map[data-state="loaded"]')
    assert page.locator("#performance-map path.leaflet-interactive").count() > 0
    axe(page, context="performance")

    # The chart's numbers are one click away as a table.
    page.get_by_text("The numbers of this chart as a table").first.click()
    assert page.locator("#activity-table tbody tr").count() > 0

    # Sorting the neighborhood table is a plain link.
    page.locator("#neighborhoods-table thead").get_by_role(
        "link", name="Requests", exact=True
    ).click()
    page.wait_for_url("**sort=requests**")
    header = page.locator('#neighborhoods-table th[aria-sort="descending"]')
    assert "Requests" in header.inner_text()


def test_bad_period_is_explained(page, boston_requests, axe):
    page.goto("/performance/")
    page.get_by_label("From", exact=True).fill("2015-02-01")
    page.get_by_label("To", exact=True).fill("2015-01-01")
    page.get_by_role("button", name="Show figures").click()
    page.get_by_text("must be on or after").wait_for()
    assert page.locator("#activity-chart").count() == 0
    axe(page, context="performance with a bad period")

"""A resident who opted in sees themself on the leaderboards, and their own
points page with a level bar; both pages are accessible."""

import re

import pytest

from points import services
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url("**/accounts/profile/")


def test_leaderboards_and_points_page(page, site, axe):
    services.ensure_default_rules()  # the flushed database lost the seeded rules
    shown = UserFactory(display_name="Harbor Watcher", show_on_leaderboards=True)
    hidden = UserFactory(display_name="Quiet Neighbor")
    for person, count in ((shown, 3), (hidden, 5)):
        for source in UserFactory.create_batch(count):
            services.award_points(user=person, reason="report_accepted", source=source)

    page.goto("/")
    page.get_by_role("link", name="Leaderboards").first.click()
    page.wait_for_url("**/leaderboards")
    assert page.get_by_role("heading", level=1).inner_text() == "Leaderboards"
    assert page.get_by_role("cell", name="Harbor Watcher").count() == 3
    assert "Quiet Neighbor" not in page.content()
    axe(page, context="leaderboards")

    page.get_by_role("link", name="How points work").click()
    page.wait_for_url("**/how-points-work")
    assert page.get_by_role("cell", name=re.compile("A fix you confirmed")).count() == 1
    axe(page, context="how points work")

    sign_in(page, shown)
    page.get_by_role("link", name="Your points and badges").click()
    page.wait_for_url("**/profile/points")
    assert "30" in page.locator(".panel").first.inner_text()
    bar = page.get_by_role("progressbar", name=re.compile("points to Neighbor"))
    assert bar.count() == 1
    axe(page, context="profile points")


def sign_out(page):
    # Leave the page first so the bell's script cannot answer late with the
    # old session's cookies (as in test_staff_journey).
    page.goto("about:blank")
    page.context.clear_cookies()


def test_an_acknowledged_report_earns_points_a_badge_and_a_notification(
    page, site, boston, axe
):
    from neighborhoods.models import Neighborhood
    from tests.engagement.staff_helpers import make_city

    services.ensure_default_rules()
    back_bay = Neighborhood.objects.get(name="Back Bay")
    city = make_city(address="12 Tremont St", neighborhood=back_bay)
    sr = city.request

    sign_in(page, city.worker)
    page.goto(f"/staff/requests/{sr.public_id}/")
    page.get_by_label("New status").select_option("acknowledged")
    page.get_by_role("button", name="Save the change").click()
    page.get_by_text(re.compile("is now Acknowledged")).wait_for()
    sign_out(page)

    sign_in(page, sr.reporter)
    page.goto("/profile/points")
    assert "10" in page.locator(".panel").first.inner_text()
    reporter = page.locator(".badge-item--earned", has_text="Reporter")
    assert "level 1" in reporter.inner_text()
    axe(page, context="profile points after a first accepted report")

    count = page.locator("[data-bell-count]")
    assert int(count.inner_text()) > 0
    page.locator("[data-notification-bell]").click()
    page.wait_for_url("**/notifications")
    page.get_by_text(re.compile("Reporter badge")).first.wait_for()

    page.goto("/leaderboards")
    page.get_by_role("heading", name="Neighborhoods").wait_for()
    # The reporter did not opt in: the team board names the neighborhood only.
    assert page.get_by_role("cell", name="Back Bay").count() == 3
    assert sr.reporter.display_name not in page.locator("main").inner_text()
    axe(page, context="leaderboards with the team board")


def test_campaign_page_shows_progress_and_is_accessible(page, site, axe):
    from points.demo import create_demo_campaign

    campaign = create_demo_campaign()
    resident = UserFactory(display_name="Campaign Cam")
    sign_in(page, resident)
    page.goto("/leaderboards")
    page.get_by_role("link", name=campaign.title).first.click()
    page.wait_for_url(f"**{campaign.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == campaign.title
    assert page.locator("progress, [role=progressbar]").count() >= 1
    axe(page, context="campaign page")

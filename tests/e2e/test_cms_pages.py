"""The Wagtail pages of neighborhood planning pass axe and work by keyboard."""

import pytest
from playwright.sync_api import expect

from cms.demo_pages import create_demo_pages

pytestmark = pytest.mark.e2e

# The search test comes first: the server process caches ContentType ids, and
# transactional tests flush and recreate them, so after a flush Wagtail search
# in the server filters by stale ids and finds nothing (see the report).


def test_the_header_search_box_finds_a_planning_topic_by_keyboard(page, boston, axe):
    create_demo_pages()
    page.goto("/")

    search = page.get_by_role("searchbox", name="Search the site")
    search.focus()
    page.keyboard.type("bike lanes")
    page.keyboard.press("Enter")

    page.wait_for_url("**/search/?q=bike+lanes")
    expect(
        page.get_by_role("link", name="Protected bike lanes through Fields Corner")
    ).to_be_visible()
    axe(page, context="search results")
    page.goto("/search/?q=zzzznothing")
    expect(page.get_by_text("Nothing matches")).to_be_visible()
    axe(page, context="search without results")


def test_planning_pages_updates_and_search_are_accessible(page, boston, axe):
    create_demo_pages()

    page.goto("/")
    assert page.get_by_role("heading", name="Latest city updates").is_visible()
    axe(page, context="home page")

    page.goto("/neighborhoods/")
    axe(page, context="neighborhood index")

    page.goto("/neighborhoods/roxbury/")
    assert page.get_by_role("heading", level=1).inner_text() == "Roxbury"
    assert page.get_by_text("Median time to close").is_visible()
    axe(page, context="neighborhood page")

    page.get_by_role(
        "link", name="Safer crossings around Nubian Square (Dudley)", exact=True
    ).click()
    page.wait_for_url("**/neighborhoods/roxbury/dudley-square-safer-crossings/")
    assert page.get_by_text("Under discussion").first.is_visible()
    axe(page, context="planning topic")

    page.goto("/updates/")
    axe(page, context="update index")
    page.get_by_role(
        "link", name="Washington Street repaving in Roxbury", exact=True
    ).click()
    page.wait_for_url("**/updates/washington-street-paving-roxbury/")
    axe(page, context="update page")

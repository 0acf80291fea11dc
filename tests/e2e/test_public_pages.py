"""Every public page of the foundation passes axe and works by keyboard."""

import pytest

from neighborhoods.demo import load_demo_neighborhoods

pytestmark = pytest.mark.e2e


def test_neighborhood_pages_are_accessible_and_linked(page, site, axe):
    load_demo_neighborhoods()
    page.goto("/")
    page.get_by_role("link", name="Neighborhoods").first.click()
    page.wait_for_url("**/neighborhoods/")
    axe(page, context="neighborhood index")
    page.get_by_role("link", name="Jamaica Plain").first.click()
    page.wait_for_url("**/neighborhoods/jamaica-plain/")
    assert page.get_by_role("heading", level=1).inner_text() == "Jamaica Plain"
    axe(page, context="neighborhood detail")


def test_not_found_page_is_accessible(page, site, axe):
    response = page.goto("/there-is-no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == (
        "We could not find that page"
    )
    axe(page, context="404")

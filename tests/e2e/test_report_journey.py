"""A resident reports problems by keyboard alone and by clicking the map."""

import re

import pytest

from engagement.models import ServiceRequest, Support
from tests.engagement.factories import (
    ServiceAttributeFactory,
    ServiceFactory,
    ServiceRequestFactory,
)
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

MAP_CENTRE = (42.3146, -71.0894)  # LEAFLET_CONFIG's default centre


@pytest.fixture
def city(boston, tmp_path):
    pothole = ServiceFactory(
        service_code="REQPOTHL",
        name="Request for Pothole Repair",
        keywords="pothole, hole, road",
        duplicate_radius_m=400,
    )
    ServiceAttributeFactory(
        service=pothole,
        code="size",
        datatype="singlevaluelist",
        required=True,
        description="How big is the pothole?",
        values=[{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    )
    graffiti = ServiceFactory(
        service_code="GENGRAFFITI",
        name="Graffiti",
        group="Trash-Graffiti",
        keywords="paint, tag",
    )
    # An address the city knows from an earlier request.
    ServiceRequestFactory(
        service=graffiti, address="24 Beacon St", lat=42.3580, long=-71.0636
    )
    photo = tmp_path / "pothole.png"
    from PIL import Image

    Image.new("RGB", (40, 30), (90, 90, 90)).save(photo)
    return {"pothole": pothole, "photo": photo}


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url("**/accounts/profile/")


def test_report_with_a_photo_by_keyboard_alone(page, city, axe):
    resident = UserFactory()
    sign_in(page, resident)
    page.goto("/report/")
    axe(page, context="report: choose a category")

    page.get_by_label("Find a category").focus()
    page.keyboard.type("pothole")
    page.keyboard.press("Enter")  # to the first matching category
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to Continue
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/report/\?.*service=REQPOTHL"))
    axe(page, context="report form")

    page.get_by_label(re.compile("^Address")).focus()
    page.keyboard.type("24 beacon")
    page.keyboard.press("Enter")  # searches; the first result gets focus
    page.get_by_role("button", name="24 Beacon St").wait_for()
    page.keyboard.press("Enter")
    page.get_by_text(re.compile("Pin placed at 24 Beacon St")).wait_for()

    page.get_by_label("How big is the pothole?").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.get_by_label("Description").focus()
    page.keyboard.type("Deep hole by the crosswalk")
    page.get_by_label("Photos").set_input_files(str(city["photo"]))
    page.get_by_role("button", name="Send report").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator(".form-errors, .error").all_inner_texts()
    assert not errors, errors
    assert "/requests/" in page.url, (page.url, page.locator("main").inner_text()[:500])
    page.wait_for_url(re.compile(r".*/requests/CP-[A-Z0-9]+/$"))
    page.get_by_text("Thank you. Your report").wait_for()
    created = ServiceRequest.objects.get(reporter=resident)
    assert created.attributes == {"size": "large"}
    assert created.address == "24 Beacon St"
    assert created.photos.count() == 1
    assert created.neighborhood is not None
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Request for Pothole Repair"
    )
    axe(page, context="request page")

    # The new request is in the map's list view, found with the filters.
    page.goto("/map/")
    page.get_by_label("Service", exact=True).select_option("REQPOTHL")
    page.get_by_role("button", name="Apply filters").click()
    item = page.locator("li", has_text=created.public_id)
    item.get_by_role("link", name="Request for Pothole Repair at 24 Beacon St").click()
    page.wait_for_url(f"**{created.get_absolute_url()}")


def test_click_the_map_see_a_duplicate_and_support_it(page, city):
    existing = ServiceRequestFactory(
        service=city["pothole"],
        lat=MAP_CENTRE[0],
        long=MAP_CENTRE[1],
        address="Existing pothole",
    )
    neighbor = UserFactory()
    sign_in(page, neighbor)
    page.goto("/report/?service=REQPOTHL")
    map_box = page.locator("#report-map").bounding_box()
    page.mouse.click(
        map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2
    )
    page.get_by_text(re.compile("Pin placed")).wait_for()
    assert page.locator("#id_lat").input_value() != ""
    suggestion = page.get_by_role("link", name=re.compile(existing.public_id))
    suggestion.wait_for()
    page.get_by_role("heading", name="Is it one of these?").wait_for()
    page.get_by_role("button", name="Add my support").first.click()
    page.get_by_text("your support is counted").wait_for()
    assert Support.objects.filter(user=neighbor, request=existing).exists()
    assert ServiceRequest.objects.count() == 2  # no new report was filed

"""A resident finds a volunteer event, signs up in the browser and sees it;
the event page passes axe."""

import re

import pytest

from tests.cms.events.factories import make_event
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def sign_in(page, user, *, next_url: str):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url(f"**{next_url}")


def test_a_resident_signs_up_for_a_shift_and_can_cancel(page, site, axe):
    event = make_event(
        title="Franklin Park clean-up",
        shifts=[
            {"title": "Morning crew", "capacity": 3},
            {"title": "Afternoon crew", "capacity": 5},
        ],
    )
    resident = UserFactory(display_name="Rita Rake")

    page.goto(event.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Franklin Park clean-up"
    assert page.get_by_text("3 of 3 places left").count() == 1
    page.get_by_role("link", name="Sign in to volunteer").click()
    page.get_by_label("Email").fill(resident.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url(f"**{event.url}")
    axe(page, context="event page, signed in")

    page.get_by_role("button", name="Sign up for Morning crew").click()
    page.get_by_text(re.compile("You're signed up for “Morning crew”")).wait_for()
    assert page.get_by_text("2 of 3 places left").count() == 1
    assert (
        page.locator("#shift-" + str(event.shifts.get(title="Morning crew").pk))
        .get_by_text("You're signed up")
        .count()
        == 1
    )
    axe(page, context="event page after signing up")

    page.get_by_role("button", name="Cancel my place on Morning crew").click()
    page.get_by_text(re.compile("is cancelled")).wait_for()
    assert page.get_by_text("3 of 3 places left").count() == 1


def test_the_event_page_is_accessible_to_a_visitor(page, site, axe):
    event = make_event(title="Tree planting on Blue Hill Ave")
    page.goto(event.url)
    assert page.get_by_role("link", name="Add to calendar (.ics)").count() == 1
    assert page.locator("#event-map").count() == 1
    axe(page, context="event page, visitor")


def test_an_organizer_checks_a_volunteer_in_with_the_keyboard(page, site, axe):

    from tests.cms.events.factories import organizer_of, running_event, signed_up

    event = running_event(hours=2)
    volunteer = UserFactory(display_name="Kofi Broom")
    signed_up(shift=event.shifts.get(), user=volunteer)
    organizer = organizer_of(event.get_parent().specific.neighborhood)

    sign_in(page, organizer, next_url=event.url)
    page.get_by_role("link", name="Open the check-in list").click()
    page.get_by_role("heading", name=re.compile("Check-in:")).wait_for()
    axe(page, context="check-in list")
    button = page.get_by_role("button", name="Check in Kofi Broom")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Kofi Broom is checked in.").wait_for()
    assert page.get_by_text(re.compile("Checked in at")).count() == 1
    assert volunteer.email not in page.content()
    axe(page, context="check-in list after a check-in")

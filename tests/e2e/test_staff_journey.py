"""A crew member works the queue; reporters confirm or dispute the fix."""

import re

import pytest

from engagement.models import RequestPhoto, ServiceRequest, StaffRole, Support
from tests.engagement.factories import ServiceRequestFactory
from tests.engagement.staff_helpers import StaffMembershipFactory, make_city
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    assert page.url.endswith("/accounts/profile/"), page.locator("body").inner_text()


def sign_out(page):
    # Leave the page first: its scripts (the bell, the live feed) must not
    # answer late with the old session's cookies after they are cleared.
    page.goto("about:blank")
    page.context.clear_cookies()


@pytest.fixture
def city(site, tmp_path):
    city = make_city(address="12 Tremont St")
    photo = tmp_path / "fixed.png"
    from PIL import Image

    Image.new("RGB", (40, 30), (30, 30, 30)).save(photo)
    return city, photo, site[1]


def close_as_fixed(page, photo):
    page.get_by_label("New status").select_option("closed")
    page.get_by_label("Reason for closing").select_option("fixed")
    page.get_by_label("Public note").fill("Patched and sealed.")
    page.get_by_label(re.compile("^Photo")).set_input_files(str(photo))
    page.get_by_role("button", name="Save the change").click()
    page.get_by_text(re.compile("is now Closed")).wait_for()


def test_claim_close_with_photo_and_the_reporter_confirms(page, city, axe):
    city, photo, outbox = city
    sr = city.request
    sign_in(page, city.worker)
    page.get_by_role("link", name="Staff queue").click()
    page.get_by_role("heading", name="Staff queue").wait_for()
    axe(page, context="staff queue")
    page.get_by_role("link", name=re.compile("Pothole at 12 Tremont St")).click()
    page.wait_for_url(f"**/staff/requests/{sr.public_id}/")
    axe(page, context="staff view of a request")

    with page.expect_navigation():
        page.get_by_role("button", name="Claim it").click()
    page.get_by_text(re.compile("Assigned to .+\\.")).wait_for()
    assert ServiceRequest.objects.get(pk=sr.pk).assigned_to == city.worker

    # Closing as fixed without a photo is refused with a clear error.
    page.get_by_label("New status").select_option("closed")
    page.get_by_label("Reason for closing").select_option("fixed")
    page.get_by_role("button", name="Save the change").click()
    page.get_by_text("Please add a photo of the fixed problem.").wait_for()
    axe(page, context="staff view with errors")
    assert ServiceRequest.objects.get(pk=sr.pk).status == "open"

    close_as_fixed(page, photo)
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    assert (fresh.status, fresh.fix_status) == ("closed", "pending")
    assert RequestPhoto.objects.filter(request=sr, kind="after").exists()

    # The reporter hears of it by email, queued on commit.
    assert any("Is it fixed?" in body for body in outbox.bodies_to(sr.reporter.email))

    sign_out(page)
    sign_in(page, sr.reporter)
    page.goto(sr.get_absolute_url())
    page.get_by_role("heading", name="Is it fixed?").wait_for()
    page.get_by_role("img", name=re.compile("after the fix")).wait_for()
    axe(page, context="request page asking 'Is it fixed?'")
    page.get_by_role("button", name="Yes, it is fixed").click()
    page.get_by_text("the fix is confirmed").wait_for()
    assert ServiceRequest.objects.get(pk=sr.pk).fix_status == "verified"
    assert page.get_by_role("button", name="Yes, it is fixed").count() == 0


def test_a_disputed_fix_reappears_in_the_queue_flagged_reopened(page, city, axe):
    city, photo, _ = city
    sr = city.request
    lead = StaffMembershipFactory(department=city.works, role=StaffRole.LEAD).user
    supporter = UserFactory()
    Support.objects.create(user=supporter, request=sr)
    ServiceRequestFactory(service=sr.service, address="Another street")

    sign_in(page, lead)
    page.goto(f"/staff/requests/{sr.public_id}/")
    close_as_fixed(page, photo)

    sign_out(page)
    sign_in(page, supporter)
    page.goto(sr.get_absolute_url())
    page.get_by_role("link", name="No, it is not fixed").click()
    axe(page, context="dispute form")
    page.get_by_role("button", name="Send: it is not fixed").click()
    page.get_by_text("This field is required").wait_for()
    page.get_by_label("What is still wrong?").fill("The hole opened again.")
    page.get_by_role("button", name="Send: it is not fixed").click()
    page.get_by_text("the request is reopened").wait_for()
    page.get_by_text("The hole opened again.").first.wait_for()
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    assert (fresh.status, fresh.reopened, fresh.fix_status) == (
        "open",
        True,
        "disputed",
    )

    sign_out(page)
    sign_in(page, lead)
    page.goto("/staff/")
    page.get_by_label("Reopened only").check()
    page.get_by_role("button", name="Apply filters").click()
    card = page.locator(".staff-card", has_text=sr.public_id)
    card.get_by_text("Reopened").wait_for()
    assert page.locator(".staff-card").count() == 1
    axe(page, context="queue filtered to reopened")

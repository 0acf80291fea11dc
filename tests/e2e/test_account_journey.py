"""A new resident signs up, verifies, signs in, edits the profile and exports."""

import json
import re

import pytest

from accounts.models import User

pytestmark = pytest.mark.e2e

EMAIL = "new.resident@example.org"
PASSWORD = "cobblestone-harbor-42"


def test_sign_up_verify_log_in_edit_profile_and_export(page, site, axe):
    base_url, outbox = site

    page.goto("/")
    axe(page, context="home")
    page.get_by_role("link", name="Sign up").first.click()
    page.wait_for_url("**/accounts/signup/")
    axe(page, context="sign-up")

    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Display name").fill("Harbor Watcher")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign up", re.I)).click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert "verify" in page.content().lower()

    # An unverified account cannot sign in yet: it is sent back to verify.
    bodies = outbox.bodies_to(EMAIL)
    assert bodies, "no verification email was sent"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", bodies[-1]).group(0)
    page.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), base_url))
    page.get_by_role("button", name="Confirm").click()

    page.goto("/accounts/login/")
    axe(page, context="sign-in")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url("**/accounts/profile/")
    axe(page, context="profile")

    page.get_by_label("Display name").fill("Harbor Watcher of Eastie")
    page.get_by_label("Appear on leaderboards").check()
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    user = User.objects.get(email=EMAIL)
    assert user.display_name == "Harbor Watcher of Eastie"
    assert user.show_on_leaderboards is True
    assert user.public_profile is False

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    exported = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert exported["account"]["email"] == EMAIL
    assert exported["account"]["display_name"] == "Harbor Watcher of Eastie"
    assert exported["account"]["email_addresses"] == [
        {"email": EMAIL, "verified": True, "primary": True}
    ]


def test_keyboard_user_reaches_main_content_with_skip_link(page, site):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_phone_sized_screen_shows_navigation_without_sideways_scroll(browser, site):
    base_url, _ = site
    context = browser.new_context(
        base_url=base_url, viewport={"width": 360, "height": 740}
    )
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort(),
    )
    page = context.new_page()
    page.goto("/")
    assert page.get_by_role("link", name="Sign in").is_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()

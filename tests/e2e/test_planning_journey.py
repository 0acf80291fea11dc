"""The planning journey of issue 7, end to end in a real browser: an
organizer publishes a planning topic with a quick poll through the Wagtail
admin, a resident votes and comments on it, and the comment shows in the
neighborhood's feed."""

import re

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url("**/accounts/profile/")


def sign_out(page):
    # Leave first so no late script request carries the old session's cookies.
    page.goto("about:blank")
    page.context.clear_cookies()


@pytest.fixture
def roxbury(site):
    from cms.services import ensure_neighborhood_page, ensure_site_structure
    from neighborhoods.groups import ensure_group, set_role
    from neighborhoods.models import GroupRole
    from points.services import ensure_default_rules
    from tests.neighborhoods.factories import NeighborhoodFactory

    ensure_default_rules()
    ensure_site_structure()
    neighborhood = NeighborhoodFactory(name="Roxbury", slug="roxbury")
    page = ensure_neighborhood_page(neighborhood=neighborhood)
    organizer = UserFactory(display_name="Olu the Organizer")
    set_role(
        group=ensure_group(neighborhood=neighborhood),
        user=organizer,
        role=GroupRole.ORGANIZER,
    )
    return neighborhood, page, organizer


def test_organizer_publishes_a_topic_with_a_poll_and_a_resident_takes_part(
    page, site, roxbury, axe
):
    neighborhood, neighborhood_page, organizer = roxbury
    resident = UserFactory(display_name="Rosa from Dudley", public_profile=True)

    # The organizer writes the topic and its poll in Wagtail, and publishes it.
    sign_in(page, organizer)
    page.goto(f"/admin/pages/add/cms/planningtopicpage/{neighborhood_page.pk}/")
    page.locator("#id_title").fill("A safer Dudley Street")
    page.locator("#id_summary").fill(
        "Raised crossings and a protected bike lane between Warren and Blue Hill."
    )
    page.get_by_role("button", name=re.compile("Add quick polls", re.I)).click()
    page.locator("[name='polls-0-question']").fill("Which crossing should come first?")
    page.locator("[name='polls-0-choices_text']").fill(
        "Warren Street\nBlue Hill Avenue\nDudley Square"
    )
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text(re.compile("created and published", re.I)).first.wait_for()
    sign_out(page)

    # A resident finds it on the neighborhood page, votes and comments.
    sign_in(page, resident)
    page.goto(f"/neighborhoods/{neighborhood.slug}/")
    page.get_by_role("link", name="A safer Dudley Street").first.click()
    page.wait_for_url("**/a-safer-dudley-street/")
    axe(page, context="planning topic with a poll, before voting")
    page.get_by_label("Blue Hill Avenue").check()
    page.get_by_role("button", name=re.compile("^Vote", re.I)).click()
    page.get_by_text(
        re.compile("Thank you for voting|Your vote", re.I)
    ).first.wait_for()
    results = page.locator("[data-poll-results]").first.inner_text()
    assert "Blue Hill Avenue" in results and "100%" in results

    page.get_by_label(re.compile("Your comment", re.I)).fill(
        "Please start at Blue Hill Ave <script>alert(1)</script> — kids cross there."
    )
    page.get_by_role("button", name=re.compile("Post comment", re.I)).click()
    comment = page.locator("article.comment", has_text="kids cross there").first
    comment.wait_for()
    assert "<script>alert(1)</script>" in comment.inner_text()
    axe(page, context="planning topic after a vote and a comment")

    # The comment is in the neighborhood's feed, by name: Rosa chose a public profile.
    page.goto(f"/neighborhoods/{neighborhood.slug}/")
    feed = page.locator("[data-activity-feed]").first.inner_text()
    assert "New comment on “A safer Dudley Street”" in feed
    assert "Rosa from Dudley" in feed

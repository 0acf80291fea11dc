import pytest
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from activity.models import Activity
from cms.models import (
    EventPage,
    HomePage,
    NeighborhoodIndexPage,
    NeighborhoodPage,
    PlanningTopicPage,
    UpdateIndexPage,
    UpdatePage,
)
from cms.services import ensure_home_page
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_served_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "CivicPulse" in html
    assert 'href="#main"' in html  # skip link
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert 'href="/neighborhoods/"' in html


def test_navigation_shows_sign_in_or_profile(client):
    html = client.get("/").content.decode()
    assert "Sign in" in html and "Sign up" in html
    client.force_login(UserFactory(display_name="Dot Ave Dana"))
    html = client.get("/").content.decode()
    assert "Dot Ave Dana" in html and "Sign out" in html
    assert "Sign in" not in html


def test_navigation_never_links_to_a_missing_page(client):
    from config.context_processors import _resolved_navigation

    for _, url in _resolved_navigation():
        # Pages that need an account lead to the sign-in page, never a 404.
        assert client.get(url, follow=True).status_code == 200, url


def test_ensure_home_page_repairs_an_emptied_tree():
    Site.objects.all().delete()
    HomePage.objects.all().delete()
    home = ensure_home_page()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert ensure_home_page().pk == home.pk
    assert Page.objects.type(HomePage).count() == 1


class TestPageTree(WagtailPageTestCase):
    """The page types fit together as the site's URLs expect."""

    def test_where_each_page_type_may_live(self):
        self.assertAllowedParentPageTypes(NeighborhoodIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NeighborhoodIndexPage, {NeighborhoodPage})
        self.assertAllowedSubpageTypes(NeighborhoodPage, {PlanningTopicPage, EventPage})
        self.assertAllowedParentPageTypes(PlanningTopicPage, {NeighborhoodPage})
        self.assertAllowedSubpageTypes(PlanningTopicPage, set())
        self.assertAllowedParentPageTypes(UpdatePage, {UpdateIndexPage})
        self.assertAllowedSubpageTypes(UpdateIndexPage, {UpdatePage})

    def test_editors_can_create_topics_under_neighborhoods_and_updates_under_the_index(
        self,
    ):
        self.assertCanCreateAt(NeighborhoodPage, PlanningTopicPage)
        self.assertCanCreateAt(UpdateIndexPage, UpdatePage)
        self.assertCanNotCreateAt(HomePage, PlanningTopicPage)
        self.assertCanNotCreateAt(NeighborhoodPage, UpdatePage)

    def test_an_editor_creates_a_planning_topic_with_a_timeline_and_a_poll(self):
        hood = NeighborhoodFactory(name="Roxbury", slug="roxbury")
        neighborhood_page = NeighborhoodPage.objects.get(neighborhood=hood)
        self.client.force_login(UserFactory(is_superuser=True, is_staff=True))
        data = {
            **nested_form_data(
                {
                    "title": "Safer crossings on Dudley Street",
                    "slug": "safer-crossings",
                    "summary": "Raised crosswalks at three crossings.",
                    "status": "proposed",
                    "body": streamfield(
                        [
                            ("paragraph", rich_text("<p>Near misses, often.</p>")),
                            (
                                "timeline",
                                {
                                    "heading": "Timeline",
                                    "milestones": {
                                        "count": "1",
                                        "0": {
                                            "value": {
                                                "date": "2026-12-01",
                                                "title": "Community meeting",
                                                "description": "",
                                                "done": "",
                                            },
                                            "deleted": "",
                                            "order": "0",
                                            "id": "",
                                        },
                                    },
                                },
                            ),
                        ]
                    ),
                    "decision_summary": rich_text(""),
                    "discussion_open": "on",
                    "polls": inline_formset(
                        [
                            {
                                "question": "Which crossing first?",
                                "choices_text": "Washington St\nWarren St",
                                "closes_at": "",
                            }
                        ]
                    ),
                    "comments": inline_formset([]),
                }
            ),
            "action-publish": "on",
        }

        response = self.client.post(
            reverse(
                "wagtailadmin_pages:add",
                args=("cms", "planningtopicpage", neighborhood_page.pk),
            ),
            data,
        )

        self.assertEqual(response.status_code, 302, response.content[:3000])
        topic = PlanningTopicPage.objects.get(slug="safer-crossings")
        self.assertTrue(topic.live)
        self.assertEqual(topic.polls.get().question, "Which crossing first?")
        html = self.client.get("/neighborhoods/roxbury/safer-crossings/").content
        html = html.decode()
        self.assertIn("Safer crossings on Dudley Street", html)
        self.assertIn("Community meeting", html)
        self.assertIn("<ol", html)
        self.assertIn("Status: </span>Proposed", html)
        self.assertTrue(
            Activity.objects.filter(
                kind="topic.published", neighborhood_slug="roxbury"
            ).exists()
        )

    def test_every_page_type_renders_and_previews(self):
        hood = NeighborhoodFactory(name="Dorchester", slug="dorchester")
        neighborhood_page = NeighborhoodPage.objects.get(neighborhood=hood)
        topic = PlanningTopicPage(
            title="Bike lanes", slug="bike-lanes", summary="Protected lanes."
        )
        neighborhood_page.add_child(instance=topic)
        update = UpdatePage(title="Leaves", slug="leaves", summary="Bags out.")
        UpdateIndexPage.objects.get().add_child(instance=update)

        for page in (
            HomePage.objects.get(),
            NeighborhoodIndexPage.objects.get(),
            neighborhood_page,
            topic,
            UpdateIndexPage.objects.get(),
            update,
        ):
            self.assertPageIsRenderable(page)
        for page in (HomePage.objects.get(), NeighborhoodIndexPage.objects.get()):
            self.assertPageIsPreviewable(page)
        # StreamFields render client-side, so their form data is given here.
        body = {"body": streamfield([("paragraph", rich_text("<p>Draft.</p>"))])}
        comments = {"comments": inline_formset([])}
        self.assertPageIsPreviewable(
            neighborhood_page,
            post_data=nested_form_data(
                {
                    "title": "Dorchester",
                    "slug": "dorchester",
                    "intro": "",
                    **body,
                    **comments,
                }
            ),
        )
        self.assertPageIsPreviewable(
            topic,
            post_data=nested_form_data(
                {
                    "title": "Bike lanes",
                    "slug": "bike-lanes",
                    "summary": "Protected lanes.",
                    "status": "proposed",
                    "decision_summary": rich_text(""),
                    "polls": inline_formset([]),
                    **body,
                    **comments,
                }
            ),
        )
        self.assertPageIsPreviewable(
            update,
            post_data=nested_form_data(
                {
                    "title": "Leaves",
                    "slug": "leaves",
                    "date": "2026-11-20",
                    "summary": "Bags out.",
                    **body,
                    **comments,
                }
            ),
        )

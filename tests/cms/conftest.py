import pytest

from cms.models import NeighborhoodPage, PlanningTopicPage, UpdateIndexPage, UpdatePage
from cms.services import ensure_site_structure
from tests.neighborhoods.factories import NeighborhoodFactory


@pytest.fixture
def roxbury(db):
    """A neighborhood with its page, under a complete site structure."""
    ensure_site_structure()
    hood = NeighborhoodFactory(name="Roxbury", slug="roxbury")
    return NeighborhoodPage.objects.get(neighborhood=hood)


def publish_child(parent, page):
    """Add ``page`` under ``parent`` and publish it as an editor would."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def topic(roxbury):
    return publish_child(
        roxbury,
        PlanningTopicPage(
            title="Refreshing Dudley Town Common",
            slug="dudley-town-common",
            summary="Benches and shade trees for the Common.",
            status="decided",
            decision_summary="<p>Eight shade trees and a fountain.</p>",
            body='[{"type": "timeline", "value": {"heading": "Timeline", '
            '"milestones": [{"date": "2026-05-01", "title": "Design vote", '
            '"description": "", "done": true}, {"date": "2027-04-01", '
            '"title": "Planting day", "description": "", "done": false}]}}]',
        ),
    )


@pytest.fixture
def update(roxbury):
    index = UpdateIndexPage.objects.get()
    page = UpdatePage(
        title="Washington Street repaving",
        slug="washington-street-repaving",
        summary="Night paving for two weeks.",
        body='[{"type": "paragraph", "value": "<p>Buses keep their stops.</p>"}]',
    )
    page.neighborhoods = [roxbury.neighborhood]
    return publish_child(index, page)

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import EventPage
from engagement.models import RequestStatus
from points.models import PointsEntry
from tests.engagement.factories import ServiceRequestFactory
from tests.factories import UserFactory

from .conftest import publish_child

pytestmark = pytest.mark.django_db


def test_neighborhood_page_shows_figures_map_topics_and_feed(client, roxbury, topic):
    hood = roxbury.neighborhood
    ServiceRequestFactory.create_batch(2, neighborhood=hood)
    reported = timezone.now() - timedelta(days=10)
    ServiceRequestFactory(
        neighborhood=hood,
        status=RequestStatus.CLOSED,
        requested_datetime=reported,
        closed_datetime=reported + timedelta(days=3),
        reporter__email="private@example.com",
    )

    response = client.get("/neighborhoods/roxbury/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Roxbury</h1>" in html
    assert "<dt>Open requests</dt><dd>2</dd>" in html
    assert "<dt>Closed requests</dt><dd>1</dd>" in html
    assert "<dt>Median time to close</dt><dd>3.0 days</dd>" in html
    assert 'id="neighborhood-requests-data"' in html
    assert "Refreshing Dudley Town Common" in html
    assert "Status: </span>Decided" in html
    assert "Latest in Roxbury" in html
    assert "private@example.com" not in html


def test_neighborhood_page_says_when_there_is_nothing_yet(client, roxbury):
    html = client.get("/neighborhoods/roxbury/").content.decode()

    assert "Nothing closed yet" in html
    assert "No planning topics in Roxbury yet" in html
    assert "No volunteer events planned in Roxbury yet" in html


def test_neighborhood_page_lists_upcoming_events_soonest_first(client, roxbury):
    now = timezone.now()
    for title, starts in (("Later clean-up", 10), ("Past clean-up", -10), ("Soon", 2)):
        event = EventPage(
            title=title,
            summary="Bring gloves.",
            starts_at=now + timedelta(days=starts),
            ends_at=now + timedelta(days=starts, hours=2),
            location_name="Dudley Town Common",
        )
        roxbury.add_child(instance=event)

    html = client.get("/neighborhoods/roxbury/").content.decode()

    assert html.index("Soon") < html.index("Later clean-up")
    assert "Past clean-up" not in html


def test_planning_topic_shows_status_decision_timeline_and_sections(client, topic):
    response = client.get("/neighborhoods/roxbury/dudley-town-common/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Status: </span>Decided" in html
    assert "What was decided" in html and "Eight shade trees" in html
    assert '<ol class="timeline milestones__list">' in html
    assert "Design vote" in html and "(done)" in html
    assert "Planting day" in html and "(planned)" in html
    assert 'id="discussion-heading"' in html  # the discussions section
    assert 'href="/neighborhoods/roxbury/"' in html  # back to the neighborhood


def test_update_index_lists_updates_and_filters_by_neighborhood(client, update):
    html = client.get("/updates/").content.decode()
    assert "Washington Street repaving" in html
    assert '<option value="roxbury"' in html

    filtered = client.get("/updates/?neighborhood=roxbury").content.decode()
    assert "Washington Street repaving" in filtered

    client.get("/updates/?neighborhood=nowhere&department=x&page=abc")  # no error


def test_update_index_paginates(client, update):
    from cms.models import UpdateIndexPage, UpdatePage

    index = UpdateIndexPage.objects.get()
    for n in range(11):
        publish_child(
            index, UpdatePage(title=f"Bulletin {n}", slug=f"bulletin-{n}", summary="s")
        )

    first = client.get("/updates/").content.decode()
    second = client.get("/updates/?page=2").content.decode()

    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Page 2 of 2" in second


def test_update_index_without_updates_says_so(client, roxbury):
    html = client.get("/updates/").content.decode()
    assert "No city updates yet" in html


def test_update_page_shows_its_neighborhoods(client, update):
    html = client.get("/updates/washington-street-repaving/").content.decode()

    assert "<h1" in html and "Washington Street repaving" in html
    assert "Buses keep their stops." in html
    assert '<a class="place-tag" href="/neighborhoods/roxbury/">Roxbury</a>' in html


def test_home_page_shows_updates_events_leaderboard_and_map_teaser(
    client, update, roxbury
):
    now = timezone.now()
    roxbury.add_child(
        instance=EventPage(
            title="Common clean-up",
            summary="Bring gloves.",
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=2),
            location_name="Dudley Town Common",
        )
    )
    ServiceRequestFactory(neighborhood=roxbury.neighborhood)
    shown = UserFactory(display_name="Public Pat", show_on_leaderboards=True)
    hidden = UserFactory(display_name="Private Pia", show_on_leaderboards=False)
    for person in (shown, hidden):
        PointsEntry.objects.create(
            user=person,
            amount=10,
            reason="request.filed",
            source_type="t",
            source_id=str(person.pk),
        )

    html = client.get("/").content.decode()

    assert "Report a problem" in html
    assert "Happening now across the city" in html
    assert "Washington Street repaving" in html
    assert "Common clean-up" in html
    assert "Public Pat" in html and "Private Pia" not in html
    assert "<strong>1</strong> problem reported and still open" in html
    assert 'href="/map/"' in html

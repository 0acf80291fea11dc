"""What the feed, the catch-up API and the bell read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import update_profile
from activity import kinds, selectors
from activity.services import mark_notifications_read
from tests.factories import UserFactory

from .conftest import place, publish

pytestmark = pytest.mark.django_db


def summaries(activities) -> list[str]:
    return [a.summary for a in activities]


def test_latest_public_activity_is_newest_first_and_limited():
    for n in range(5):
        publish(summary=f"Event {n}")
    assert summaries(selectors.latest_public_activity(limit=3)) == [
        "Event 4",
        "Event 3",
        "Event 2",
    ]


def test_latest_public_activity_leaves_out_personal_events():
    publish(summary="Public")
    publish(
        kind=kinds.REQUEST_CHANGED,
        summary="Personal",
        public=False,
        recipients=[UserFactory()],
    )
    assert summaries(selectors.latest_public_activity()) == ["Public"]


def test_latest_public_activity_of_a_neighborhood():
    publish(neighborhood=place("roxbury"), summary="Roxbury")
    publish(neighborhood=place("fenway"), summary="Fenway")
    publish(neighborhood=None, summary="City-wide")
    assert summaries(selectors.latest_public_activity(neighborhood_slug="fenway")) == [
        "Fenway"
    ]
    assert len(selectors.latest_public_activity()) == 3


def test_feed_page_says_where_the_archive_continues():
    ids = [publish(summary=f"Event {n}").id for n in range(7)]
    first = selectors.public_feed_page(size=3)
    assert [a.id for a in first.items] == ids[:-4:-1]
    assert first.older_than == ids[4]
    second = selectors.public_feed_page(size=3, before_id=first.older_than)
    assert [a.id for a in second.items] == [ids[3], ids[2], ids[1]]
    last = selectors.public_feed_page(size=3, before_id=second.older_than)
    assert [a.id for a in last.items] == [ids[0]]
    assert last.older_than is None


def test_public_activity_after_is_oldest_first_from_the_given_id():
    ids = [publish(summary=f"Event {n}").id for n in range(5)]
    after = selectors.public_activity_after(after_id=ids[1], limit=2)
    assert [a.id for a in after] == [ids[2], ids[3]]
    assert selectors.public_activity_after(after_id=ids[-1]) == []


def test_public_activity_after_of_a_neighborhood():
    publish(neighborhood=place("roxbury"), summary="Roxbury")
    publish(neighborhood=place("fenway"), summary="Fenway")
    assert summaries(
        selectors.public_activity_after(after_id=0, neighborhood_slug="roxbury")
    ) == ["Roxbury"]
    assert selectors.public_activity_after(after_id=0, neighborhood_slug="nope") == []


def test_badge_leaves_the_feed_when_its_person_hides_their_profile():
    person = UserFactory(public_profile=True)
    publish(kind=kinds.BADGE_EARNED, actor=person, summary="Earned Street Scout")
    assert summaries(selectors.latest_public_activity()) == ["Earned Street Scout"]
    update_profile(
        user=person,
        display_name=person.display_name,
        show_on_leaderboards=False,
        public_profile=False,
    )
    assert selectors.latest_public_activity() == []
    assert selectors.public_activity_after(after_id=0) == []


def test_feed_queries_do_not_grow_with_the_number_of_actors():
    publish(actor=UserFactory())
    with CaptureQueriesContext(connection) as one:
        [a.actor_name for a in selectors.latest_public_activity()]
    for _ in range(5):
        publish(actor=UserFactory())
    with CaptureQueriesContext(connection) as six:
        names = [a.actor_name for a in selectors.latest_public_activity()]
    assert len(names) == 6
    assert len(six) == len(one) == 1


def test_unread_notifications_and_count():
    alice, bob = UserFactory(), UserFactory()
    for n in range(3):
        publish(
            kind=kinds.REQUEST_CHANGED,
            summary=f"Change {n}",
            public=False,
            recipients=[alice],
        )
    assert selectors.unread_count(user=alice) == 3
    assert selectors.unread_count(user=bob) == 0
    unread = list(selectors.unread_notifications(user=alice))
    assert [n.activity.summary for n in unread] == ["Change 2", "Change 1", "Change 0"]

    mark_notifications_read(user=alice, notification_ids=[unread[0].id])
    assert selectors.unread_count(user=alice) == 2
    assert len(selectors.recent_notifications(user=alice)) == 3


def test_anonymous_visitors_have_no_notifications():
    assert selectors.unread_count(user=AnonymousUser()) == 0
    assert list(selectors.unread_notifications(user=AnonymousUser())) == []


def test_message_for_has_exactly_the_public_shape():
    actor = UserFactory(display_name="Dot Ave Dana")
    activity = publish(actor=actor, data={"status": "open"})
    message = selectors.message_for(activity)
    assert message == {
        "kind": "request.filed",
        "id": activity.id,
        "created": activity.created.isoformat(),
        "summary": "Pothole reported in Roxbury",
        "url": None,
        "neighborhood": {"slug": "roxbury", "name": "Roxbury"},
        "actor": "Dot Ave Dana",
        "data": {"status": "open"},
    }


def test_message_for_names_a_deleted_actor_as_a_former_resident():
    from accounts.services import delete_account

    actor = UserFactory(display_name="Soon Gone")
    activity = publish(actor=actor)
    delete_account(user=actor)
    [reloaded] = selectors.latest_public_activity()
    assert reloaded.id == activity.id
    assert selectors.message_for(reloaded)["actor"] == "a former resident"

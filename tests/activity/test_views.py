"""The feed pages, the catch-up API, the bell and the notifications page."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity import kinds
from activity.models import Notification
from activity.selectors import CATCH_UP_LIMIT
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

from .conftest import place, publish

pytestmark = pytest.mark.django_db


def list_items(html: str) -> list[str]:
    """The summaries of the feed list, in page order."""
    return re.findall(r'class="activity-item__summary">(?:<a [^>]*>)?([^<]+)<', html)


# --- /activity -------------------------------------------------------------


def test_feed_page_lists_the_latest_with_live_hooks_and_a_nav_link(client):
    publish(
        summary="Pothole reported in Roxbury", actor=UserFactory(display_name="Ana")
    )
    response = client.get("/activity")
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("activity:feed") == "/activity"
    assert list_items(html) == ["Pothole reported in Roxbury"]
    assert "by Ana" in html and "in Roxbury" in html and "Request filed" in html
    assert '<a href="/activity" aria-current="page">Activity</a>' in html
    # Live updates: only additions are announced, and the status starts hidden
    # so that without JavaScript the page is a plain list.
    assert 'aria-live="polite" aria-relevant="additions"' in html
    assert 'data-socket="/ws/activity/"' in html
    assert 'data-catch-up="/api/activity"' in html
    assert re.search(r"<p class=\"feed-status\"[^>]* hidden>", html)
    assert "js/activity-feed.js" in html and "css/activity.css" in html


def test_feed_page_without_activity_says_so(client):
    html = client.get("/activity").content.decode()
    assert "Nothing has happened here yet." in html
    assert "Older activity" not in html and "See all activity" not in html


def test_feed_page_shows_thirty_and_an_archive_that_paginates(client):
    for n in range(35):
        publish(summary=f"Event {n:02d}")
    html = client.get("/activity").content.decode()
    assert list_items(html) == [f"Event {n:02d}" for n in range(34, 4, -1)]
    older = re.search(r'<a href="(/activity\?before=\d+)">Older activity</a>', html)
    assert older

    archive = client.get(older.group(1)).content.decode()
    assert list_items(archive) == [f"Event {n:02d}" for n in range(4, -1, -1)]
    assert ">Older activity</a>" not in archive
    assert '<a href="/activity">Latest activity</a>' in archive
    assert "data-socket" not in archive  # an archive page does not go live
    assert "aria-live" not in archive


def test_feed_page_for_one_neighborhood(client):
    publish(neighborhood=place("roxbury"), summary="In Roxbury")
    publish(neighborhood=place("fenway"), summary="In Fenway")
    html = client.get("/activity?neighborhood=roxbury").content.decode()
    assert list_items(html) == ["In Roxbury"]
    assert '<h1 id="activity-title">Activity in Roxbury</h1>' in html
    assert 'data-socket="/ws/activity/roxbury/"' in html
    assert 'data-catch-up="/api/activity?neighborhood=roxbury"' in html


def test_feed_page_refuses_nonsense_parameters(client):
    assert client.get("/activity?before=abc").status_code == 404
    assert client.get("/activity?neighborhood=../etc").status_code == 404


def test_feed_page_query_count_does_not_grow_with_entries(client):
    publish(actor=UserFactory())
    with CaptureQueriesContext(connection) as one:
        client.get("/activity")
    for _ in range(10):
        publish(actor=UserFactory())
    with CaptureQueriesContext(connection) as eleven:
        client.get("/activity")
    assert len(eleven) <= len(one)


def test_home_page_shows_the_feed(client):
    publish(summary="Graffiti removed on Dudley St", kind=kinds.REQUEST_CLOSED)
    html = client.get("/").content.decode()
    assert "Happening now across the city" in html
    assert list_items(html) == ["Graffiti removed on Dudley St"]
    assert 'data-socket="/ws/activity/"' in html
    assert '<a href="/activity">See all activity</a>' in html


def test_neighborhood_page_shows_only_its_own_feed(client):
    fenway = NeighborhoodFactory(name="Fenway")
    publish(neighborhood=fenway, summary="Streetlight out on Boylston")
    publish(neighborhood=place("roxbury"), summary="Elsewhere")
    html = client.get(fenway.get_absolute_url()).content.decode()
    assert "Latest in Fenway" in html
    assert list_items(html) == ["Streetlight out on Boylston"]
    assert 'data-socket="/ws/activity/fenway/"' in html
    assert 'data-show-neighborhood="false"' in html
    assert '<a href="/activity?neighborhood=fenway">See all activity</a>' in html


# --- /api/activity ---------------------------------------------------------


def test_catch_up_api_returns_what_was_missed_oldest_first(client):
    first = publish(summary="Seen already")
    publish(summary="Missed one")
    publish(summary="Missed two")
    response = client.get(f"/api/activity?after={first.id}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert [m["summary"] for m in body["results"]] == ["Missed one", "Missed two"]
    assert body["more"] is False
    assert set(body["results"][0]) == {
        "kind",
        "id",
        "created",
        "summary",
        "url",
        "neighborhood",
        "actor",
        "data",
    }


def test_catch_up_api_is_capped_and_says_there_is_more(client):
    for n in range(CATCH_UP_LIMIT + 5):
        publish(summary=f"Event {n}")
    body = client.get("/api/activity?after=0").json()
    assert len(body["results"]) == CATCH_UP_LIMIT
    assert body["more"] is True
    rest = client.get(f"/api/activity?after={body['results'][-1]['id']}").json()
    assert len(rest["results"]) == 5 and rest["more"] is False


def test_catch_up_api_for_a_neighborhood(client):
    publish(neighborhood=place("roxbury"), summary="Roxbury")
    publish(neighborhood=place("fenway"), summary="Fenway")
    body = client.get("/api/activity?after=0&neighborhood=fenway").json()
    assert [m["summary"] for m in body["results"]] == ["Fenway"]
    unknown = client.get("/api/activity?after=0&neighborhood=atlantis")
    assert unknown.status_code == 200 and unknown.json()["results"] == []


def test_catch_up_api_never_returns_personal_events(client):
    publish(
        kind=kinds.REQUEST_CHANGED,
        summary="Personal",
        public=False,
        recipients=[UserFactory()],
    )
    assert client.get("/api/activity?after=0").json()["results"] == []


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "'after' is required"),
        ("?after=", "'after' must be a whole number"),
        ("?after=abc", "'after' must be a whole number"),
        ("?after=-1", "'after' must be a whole number"),
        ("?after=1.5", "'after' must be a whole number"),
        ("?after=%C2%B2", "'after' must be a whole number"),  # a superscript two
        ("?after=0&neighborhood=no%20spaces", "'neighborhood' must be"),
    ],
)
def test_catch_up_api_explains_a_bad_request(client, query, reason):
    response = client.get(f"/api/activity{query}")
    assert response.status_code == 400
    assert response.json()["error"].startswith(reason)


def test_catch_up_api_is_read_only(client):
    assert client.post("/api/activity?after=0").status_code == 405


# --- Bell and notifications ------------------------------------------------


def notify(user, summary="Your pothole report was acknowledged"):
    return publish(
        kind=kinds.REQUEST_CHANGED,
        summary=summary,
        public=False,
        recipients=[user],
        target=NeighborhoodFactory(),
    )


def test_bell_shows_the_unread_count_to_the_signed_in_person(client):
    person = UserFactory()
    notify(person)
    notify(person)
    html = client.get("/activity").content.decode()
    assert "data-notification-bell" not in html

    client.force_login(person)
    html = client.get("/activity").content.decode()
    assert "data-notification-bell" in html
    assert 'data-socket="/ws/me/"' in html
    assert "Notifications, 2 unread" in html
    assert re.search(r"data-bell-count>2</span>", html)


def test_bell_without_unread_hides_the_badge(client):
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert ">Notifications</span>" in html
    assert re.search(r"data-bell-count hidden>0</span>", html)


def test_unread_count_api(client):
    assert client.get("/api/notifications/unread").status_code == 401
    person = UserFactory()
    notify(person)
    client.force_login(person)
    assert client.get("/api/notifications/unread").json() == {"unread": 1}


def test_notifications_page_needs_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_notifications_page_lists_only_the_persons_own(client):
    alice, bob = UserFactory(), UserFactory()
    notify(alice, "For Alice")
    notify(bob, "For Bob")
    client.force_login(alice)
    html = client.get("/notifications").content.decode()
    assert "For Alice" in html and "For Bob" not in html
    assert '<strong class="tag">New</strong>' in html
    assert "Mark all 1 as read" in html


def test_notifications_page_when_there_are_none(client):
    client.force_login(UserFactory())
    assert (
        "You have no notifications yet."
        in client.get("/notifications").content.decode()
    )


def test_mark_one_and_then_all_as_read(client):
    person = UserFactory()
    notify(person, "First")
    notify(person, "Second")
    first = Notification.objects.get(activity__summary="First")
    client.force_login(person)

    response = client.post(
        "/notifications/read", {"notification": first.id}, follow=True
    )
    assert "Notification marked as read." in response.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.get("/api/notifications/unread").json() == {"unread": 1}

    response = client.post("/notifications/read", follow=True)
    assert response.redirect_chain[-1][0] == "/notifications"
    assert client.get("/api/notifications/unread").json() == {"unread": 0}


def test_nobody_can_mark_someone_elses_notification(client):
    alice, bob = UserFactory(), UserFactory()
    notify(bob)
    client.force_login(alice)
    client.post("/notifications/read", {"notification": Notification.objects.get().id})
    assert Notification.objects.get().read_at is None


def test_mark_read_needs_post_and_a_csrf_token():
    person = UserFactory()
    notify(person)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.get("/notifications/read").status_code == 405
    assert client.post("/notifications/read").status_code == 403
    assert Notification.objects.get().read_at is None


def test_feed_with_a_trailing_slash_redirects(client):
    response = client.get("/activity/?before=5")
    assert response.status_code == 302
    assert response["Location"] == "/activity?before=5"

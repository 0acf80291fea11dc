"""The event page and its actions, as a browser without JavaScript sees them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.events import services
from cms.models import EventSignup
from points.selectors import total_points
from tests.factories import UserFactory

from .factories import make_event, organizer_of, running_event, signed_up

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_event_page_shows_time_place_seats_and_calendar_link(client):
    event = make_event(
        shifts=[
            {"title": "Morning crew", "capacity": 10},
            {"title": "Afternoon crew", "capacity": 2},
        ]
    )
    afternoon = event.shifts.get(title="Afternoon crew")
    for person in UserFactory.create_batch(2):
        services.sign_up(shift=afternoon, user=person)
    response = client.get(event.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Franklin Park clean-up" in html
    assert f'<time datetime="{timezone.localtime(event.starts_at).isoformat()}' in html
    assert "10 of 10 places left" in html
    assert "Full" in html
    assert "Franklin Park, by the golf house" in html
    assert 'id="event-map"' in html
    assert reverse("events:ical", kwargs={"page_id": event.pk}) in html
    assert "Sign in to volunteer" in html
    assert "?next=" in html
    assert "Resident" not in html  # no volunteer names in public


def test_the_page_asks_no_query_of_its_template(client, django_assert_max_num_queries):
    event = make_event(shifts=[{"title": f"Crew {n}", "capacity": 3} for n in range(3)])
    client.force_login(UserFactory())
    with django_assert_max_num_queries(22):
        assert client.get(event.url).status_code == 200


def test_a_past_event_says_it_has_ended(client):
    event = make_event(starts_at=timezone.now() - timedelta(days=2))
    client.force_login(UserFactory())
    html = client.get(event.url).content.decode()
    assert "This event has ended" in html
    assert "Sign up<" not in html


def test_signing_up_redirects_back_with_a_message(client):
    event = make_event()
    shift = event.shifts.get()
    person = UserFactory()
    client.force_login(person)
    url = reverse("events:sign_up", kwargs={"shift_id": shift.pk})
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == f"{event.url}#shift-{shift.pk}"
    assert any("You're signed up" in m for m in messages_of(response))
    html = response.content.decode()
    assert "9 of 10 places left" in html
    assert "Cancel my place" in html

    response = client.post(url, follow=True)
    assert "You are already signed up for this shift." in messages_of(response)
    assert EventSignup.objects.filter(user=person).count() == 1

    cancel = reverse("events:cancel", kwargs={"shift_id": shift.pk})
    response = client.post(cancel, follow=True)
    assert any("is cancelled" in m for m in messages_of(response))
    assert "10 of 10 places left" in response.content.decode()


def test_a_full_shift_says_so_instead_of_an_error_page(client):
    shift = make_event(shifts=[{"title": "Crew", "capacity": 1}]).shifts.get()
    services.sign_up(shift=shift, user=UserFactory())
    client.force_login(UserFactory())
    response = client.post(
        reverse("events:sign_up", kwargs={"shift_id": shift.pk}), follow=True
    )
    assert response.status_code == 200
    assert any("is full" in m for m in messages_of(response))


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    event = make_event()
    shift = event.shifts.get()
    response = client.post(reverse("events:sign_up", kwargs={"shift_id": shift.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]
    assert not EventSignup.objects.exists()


def test_signing_up_needs_the_csrf_token():
    event = make_event()
    shift = event.shifts.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(reverse("events:sign_up", kwargs={"shift_id": shift.pk}))
    assert response.status_code == 403
    assert not EventSignup.objects.exists()


def test_an_unpublished_event_has_no_signups_or_calendar(client):
    event = make_event(publish=False)
    client.force_login(UserFactory())
    shift = event.shifts.get()
    url = reverse("events:sign_up", kwargs={"shift_id": shift.pk})
    assert client.post(url).status_code == 404
    assert (
        client.get(reverse("events:ical", kwargs={"page_id": event.pk})).status_code
        == 404
    )


def test_the_calendar_file_downloads(client):
    event = make_event(title="Clean-up; bring gloves, please")
    response = client.get(reverse("events:ical", kwargs={"page_id": event.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode().replace("\r\n ", "")  # unfolded
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Clean-up\\; bring gloves\\, please\r\n" in body
    assert f"URL:http://testserver{event.url}" in body


def test_the_check_in_list_is_for_the_neighborhoods_organizers(client):
    event = running_event()
    volunteer = UserFactory(display_name="Ada Helper")
    signup = signed_up(shift=event.shifts.get(), user=volunteer)
    url = reverse("events:check_in", kwargs={"page_id": event.pk})

    assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 403
    assert "Only the organizers of" in response.content.decode()
    assert "Ada Helper" not in response.content.decode()

    elsewhere = organizer_of(
        make_event(title="Elsewhere").get_parent().specific.neighborhood
    )
    client.force_login(elsewhere)
    assert client.get(url).status_code == 403
    post = reverse("events:check_in_person", kwargs={"signup_id": signup.pk})
    assert client.post(post).status_code == 403
    assert total_points(user=volunteer) == 0

    organizer = organizer_of(event.get_parent().specific.neighborhood)
    client.force_login(organizer)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ada Helper" in html
    assert volunteer.email not in html
    assert "Not checked in" in html

    response = client.post(post, follow=True)
    assert response.redirect_chain[-1][0] == f"{url}#signup-{signup.pk}"
    assert "Ada Helper is checked in." in messages_of(response)
    assert "Checked in at" in response.content.decode()
    assert total_points(user=volunteer) == 45

    undo = reverse("events:undo_check_in", kwargs={"signup_id": signup.pk})
    response = client.post(undo, follow=True)
    assert any("undone" in m for m in messages_of(response))
    assert total_points(user=volunteer) == 0


def test_the_event_page_links_organizers_to_check_in(client):
    event = make_event()
    organizer = organizer_of(event.get_parent().specific.neighborhood)
    client.force_login(organizer)
    html = client.get(event.url).content.decode()
    assert reverse("events:check_in", kwargs={"page_id": event.pk}) in html
    client.force_login(UserFactory())
    html = client.get(event.url).content.decode()
    assert reverse("events:check_in", kwargs={"page_id": event.pk}) not in html


def test_an_unverified_person_is_told_to_confirm_their_email(client):
    event = make_event()
    client.force_login(UserFactory(verified=False))
    html = client.get(event.url).content.decode()
    assert "Please confirm your email address to volunteer" in html
    assert "Sign up<" not in html
    response = client.post(
        reverse("events:sign_up", kwargs={"shift_id": event.shifts.get().pk}),
        follow=True,
    )
    assert any("confirm your email" in m for m in messages_of(response))
    assert not EventSignup.objects.exists()


def test_the_volunteers_points_page_links_each_hour_to_the_event(client):
    event = running_event(hours=2)
    volunteer = UserFactory()
    signup = signed_up(shift=event.shifts.get(), user=volunteer)
    organizer = organizer_of(event.get_parent().specific.neighborhood)
    services.check_in(signup=signup, organizer=organizer)
    client.force_login(volunteer)
    html = client.get(reverse("points:profile")).content.decode()
    assert html.count(f'href="{event.url}"') == 2

"""Joining and leaving a group from the neighborhood page."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from neighborhoods import groups
from neighborhoods.models import GroupMembership, GroupRole
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roxbury():
    return NeighborhoodFactory(name="Roxbury")


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def _join_url(n):
    return reverse("groups:join", kwargs={"slug": n.slug})


def _leave_url(n):
    return reverse("groups:leave", kwargs={"slug": n.slug})


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _csrf_token(client) -> str:
    # The sign-in page always has a form, so it sets the cookie (for a visitor:
    # a signed-in person is redirected away from it).
    client.get(reverse("account_login"))
    return client.cookies["csrftoken"].value


def test_join_then_leave_with_a_csrf_token(roxbury, csrf_client):
    person = UserFactory()
    token = _csrf_token(csrf_client)
    csrf_client.force_login(person)

    response = csrf_client.post(_join_url(roxbury), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == roxbury.get_absolute_url() + "#group"
    assert "Welcome to Roxbury neighborhood group" in _messages(response)[0]
    assert GroupMembership.objects.filter(user=person, role="member").exists()

    response = csrf_client.post(_leave_url(roxbury), {"csrfmiddlewaretoken": token})
    assert "You have left" in _messages(response)[-1]
    assert not GroupMembership.objects.filter(user=person).exists()


def test_a_post_without_csrf_token_is_refused(roxbury, csrf_client):
    person = UserFactory()
    csrf_client.force_login(person)
    response = csrf_client.post(_join_url(roxbury))
    assert response.status_code == 403
    assert not GroupMembership.objects.filter(user=person).exists()


def test_joining_twice_says_so_without_a_duplicate(roxbury, client):
    person = UserFactory()
    client.force_login(person)
    client.post(_join_url(roxbury))
    response = client.post(_join_url(roxbury))
    assert "already a member" in _messages(response)[-1]
    assert GroupMembership.objects.filter(user=person).count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(roxbury, client):
    response = client.post(_join_url(roxbury))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert "roxbury" in response["Location"]
    assert not GroupMembership.objects.exists()


def test_an_unverified_account_is_told_to_confirm_its_email(roxbury, client):
    person = UserFactory(verified=False)
    client.force_login(person)
    response = client.post(_join_url(roxbury))
    assert response.status_code == 302
    assert "confirm your email" in _messages(response)[0]
    assert not GroupMembership.objects.filter(user=person).exists()


def test_the_last_organizer_is_told_why_they_cannot_leave(roxbury, client):
    organizer = UserFactory()
    group = groups.ensure_group(neighborhood=roxbury)
    groups.set_role(group=group, user=organizer, role=GroupRole.ORGANIZER)
    client.force_login(organizer)
    response = client.post(_leave_url(roxbury))
    assert "only organizer" in _messages(response)[0]
    assert GroupMembership.objects.filter(user=organizer, role="organizer").exists()


def test_leaving_a_group_one_is_not_in_is_a_friendly_note(roxbury, client):
    client.force_login(UserFactory())
    response = client.post(_leave_url(roxbury))
    assert "not a member" in _messages(response)[0]


def test_rate_limited_joins_get_a_message(roxbury, client, monkeypatch):
    monkeypatch.setattr(groups, "MEMBERSHIP_CHANGES_PER_HOUR", 2)
    client.force_login(UserFactory())
    client.post(_join_url(roxbury))
    client.post(_leave_url(roxbury))
    response = client.post(_join_url(roxbury))
    assert response.status_code == 302
    assert "limit" in _messages(response)[-1]


def test_get_is_not_allowed_and_unknown_neighborhoods_are_404(roxbury, client):
    client.force_login(UserFactory())
    assert client.get(_join_url(roxbury)).status_code == 405
    assert client.post("/groups/atlantis/join/").status_code == 404


def test_the_neighborhood_page_carries_the_panel_and_its_form_works(roxbury):
    csrf_client = Client(enforce_csrf_checks=True)
    person = UserFactory()
    csrf_client.force_login(person)
    html = csrf_client.get(roxbury.get_absolute_url()).content.decode()
    assert 'id="group"' in html and "Join Roxbury neighborhood group" in html
    token = csrf_client.cookies["csrftoken"].value
    csrf_client.post(_join_url(roxbury), {"csrfmiddlewaretoken": token})
    html = csrf_client.get(roxbury.get_absolute_url()).content.decode()
    assert "You are a member of this group." in html
    assert "Welcome to Roxbury neighborhood group" in html  # the message shows


def test_an_organizer_sees_links_to_edit_the_page(roxbury, client):
    organizer = UserFactory(display_name="Olu O.", email="olu@example.org")
    group = groups.ensure_group(neighborhood=roxbury)
    groups.set_role(group=group, user=organizer, role=GroupRole.ORGANIZER)
    client.force_login(organizer)
    html = client.get(roxbury.get_absolute_url()).content.decode()
    page_id = roxbury.page.pk
    assert f'href="/admin/pages/{page_id}/edit/"' in html
    assert "Add a planning topic or event" in html
    assert "Organized by Olu O." in html and "olu@example.org" not in html

"""publish_on_commit: saved with the caller's data, announced only after commit."""

import logging
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from accounts.services import delete_account, export_personal_data
from activity import kinds
from activity.groups import CITY_GROUP, neighborhood_group, user_group
from activity.models import Activity, Notification
from activity.services import BROADCAST_TIMEOUT, mark_notifications_read
from config.urls import urlpatterns as site_urlpatterns
from neighborhoods.models import Neighborhood
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

from .conftest import place, publish

CLOSED_PORT_LAYER = {
    "BACKEND": "channels_redis.core.RedisChannelLayer",
    # Port 1 on loopback: nothing listens there, so every connection is refused.
    "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
}


@pytest.mark.django_db(transaction=True)
def test_public_event_is_sent_to_city_and_neighborhood_only_after_commit(
    recording_layer,
):
    with transaction.atomic():
        activity = publish()
        assert recording_layer.sent == [], "sent before the transaction committed"
    assert recording_layer.groups_of(activity.id) == [
        CITY_GROUP,
        neighborhood_group("roxbury"),
    ]
    assert Activity.objects.get(pk=activity.pk).summary == "Pothole reported in Roxbury"


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_saves_and_sends_nothing(recording_layer):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(recipients=[UserFactory()])
        raise RuntimeError("the caller failed after publishing")
    assert recording_layer.sent == []
    assert not Activity.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_savepoint_sends_nothing_but_the_outer_commit_does(
    recording_layer,
):
    with transaction.atomic():
        kept = publish(summary="Kept")
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(summary="Rolled back")
            raise RuntimeError
    assert [p["summary"] for p in recording_layer.payloads()] == ["Kept", "Kept"]
    assert list(Activity.objects.values_list("id", flat=True)) == [kept.id]


@pytest.mark.django_db(transaction=True)
def test_city_wide_event_goes_to_the_city_group_only(recording_layer):
    activity = publish(kind=kinds.UPDATE_PUBLISHED, neighborhood=None)
    assert recording_layer.groups_of(activity.id) == [CITY_GROUP]
    assert activity.neighborhood_slug == "" and activity.neighborhood_name == ""


@pytest.mark.django_db(transaction=True)
def test_personal_event_goes_only_to_its_recipients_as_unread_notifications(
    recording_layer,
):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    activity = publish(
        kind=kinds.REQUEST_CHANGED,
        summary="Your pothole report was acknowledged",
        public=False,
        recipients=[alice, bob, alice],
    )
    assert sorted(recording_layer.groups_of(activity.id)) == sorted(
        [user_group(alice.pk), user_group(bob.pk)]
    )
    assert not activity.public
    assert set(Notification.objects.values_list("user_id", flat=True)) == {
        alice.pk,
        bob.pk,
    }
    assert not Notification.objects.filter(user=carol).exists()
    assert all(n.read_at is None for n in Notification.objects.all())


@pytest.mark.django_db(transaction=True)
def test_public_event_with_recipients_reaches_the_feed_and_their_bells(
    recording_layer,
):
    author = UserFactory()
    activity = publish(
        kind=kinds.COMMENT_POSTED,
        summary="New comment on “Blue Hill Ave bike lanes”",
        recipients=[author],
    )
    assert recording_layer.groups_of(activity.id) == [
        CITY_GROUP,
        neighborhood_group("roxbury"),
        user_group(author.pk),
    ]
    assert Notification.objects.get().user == author


@pytest.mark.django_db(transaction=True)
def test_deleted_and_inactive_accounts_get_no_notifications(recording_layer):
    gone = UserFactory()
    delete_account(user=gone)
    inactive = UserFactory(is_active=False)
    activity = publish(
        kind=kinds.COMMENT_REPLY,
        summary="Someone replied to your comment",
        public=False,
        recipients=[gone, inactive],
    )
    assert not Notification.objects.exists()
    assert recording_layer.groups_of(activity.id) == []


def test_personal_kinds_cannot_be_published_publicly(db):
    with pytest.raises(ValueError, match="personal"):
        publish(kind=kinds.REQUEST_CHANGED, summary="Your request changed")
    assert not Activity.objects.exists()


def test_unknown_kind_and_empty_summary_are_refused(db):
    with pytest.raises(ValueError, match="unknown activity kind"):
        publish(kind="request.fild")
    with pytest.raises(ValueError, match="summary"):
        publish(summary="   ")


def test_private_looking_data_keys_are_refused(db):
    for key in ("email", "reporter_email", "contact_phone", "Reporter", "password"):
        with pytest.raises(ValueError, match="looks private"):
            publish(data={key: "x"})
    with pytest.raises(ValueError, match="looks private"):
        publish(data={"request": {"reporter_email": "x"}})
    with pytest.raises(ValueError, match="JSON"):
        publish(data={"when": object()})
    assert not Activity.objects.exists()


def test_target_is_stored_by_label_id_and_url(db):
    target = NeighborhoodFactory(name="Fenway")
    activity = publish(target=target, neighborhood=target)
    assert (activity.target_type, activity.target_id, activity.target_url) == (
        "neighborhoods.neighborhood",
        str(target.pk),
        "/neighborhoods/fenway/",
    )
    assert (activity.neighborhood_slug, activity.neighborhood_name) == (
        "fenway",
        "Fenway",
    )


def test_target_without_a_page_has_no_url(db):
    activity = publish(target=UserFactory())
    assert activity.target_type == "accounts.user"
    assert activity.target_url == ""


def test_unsaved_target_is_refused(db):
    with pytest.raises(ValueError, match="saved"):
        publish(target=Neighborhood(name="Nowhere", slug="nowhere"))


def test_overlong_summary_is_shortened_not_refused(db):
    activity = publish(summary="word " * 200)
    assert len(activity.summary) == 300
    assert activity.summary.endswith("…")


@pytest.mark.django_db(transaction=True)
def test_badge_of_a_person_without_public_profile_stays_personal(recording_layer):
    private = UserFactory(public_profile=False)
    activity = publish(
        kind=kinds.BADGE_EARNED,
        actor=private,
        neighborhood=None,
        summary="Earned the Pothole Spotter badge",
        recipients=[private],
    )
    assert not activity.public
    assert recording_layer.groups_of(activity.id) == [user_group(private.pk)]


@pytest.mark.django_db(transaction=True)
def test_badge_of_a_person_with_public_profile_is_public(recording_layer):
    proud = UserFactory(public_profile=True)
    activity = publish(
        kind=kinds.BADGE_EARNED,
        actor=proud,
        neighborhood=None,
        summary="Earned the Pothole Spotter badge",
    )
    assert activity.public
    assert recording_layer.groups_of(activity.id) == [CITY_GROUP]


@pytest.mark.django_db(transaction=True)
def test_channel_layer_down_logs_a_warning_and_keeps_the_data(settings, caplog):
    settings.CHANNEL_LAYERS = {"default": CLOSED_PORT_LAYER}
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="activity.services"):
        activity = publish(recipients=[UserFactory()])
    assert time.monotonic() - started < BROADCAST_TIMEOUT + 2
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert Notification.objects.filter(activity=activity).exists()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings, "a failed broadcast must be logged"
    assert f"activity {activity.pk} (request.filed) is saved but was not broadcast" in (
        warnings[0].getMessage()
    )


def _report_a_problem(request):
    """A stand-in for any view that saves something and publishes it."""
    with transaction.atomic():
        target = NeighborhoodFactory(name="Dorchester")
        publish(target=target, neighborhood=target, summary="Streetlight out")
    return HttpResponse("saved", status=201)


# The whole site plus the stand-in, so reverse() of real pages still works.
urlpatterns = [path("test-only/report/", _report_a_problem), *site_urlpatterns]


@pytest.mark.django_db(transaction=True)
def test_http_request_succeeds_with_its_data_when_the_layer_is_down(
    client, settings, caplog
):
    settings.CHANNEL_LAYERS = {"default": CLOSED_PORT_LAYER}
    settings.ROOT_URLCONF = __name__
    with caplog.at_level(logging.WARNING, logger="activity.services"):
        response = client.post("/test-only/report/")
    assert response.status_code == 201
    assert Neighborhood.objects.filter(slug="dorchester").exists()
    assert Activity.objects.filter(summary="Streetlight out").exists()
    assert "was not broadcast" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_nothing_to_broadcast_needs_no_channel_layer(settings):
    settings.CHANNEL_LAYERS = {"default": CLOSED_PORT_LAYER}
    activity = publish(
        kind=kinds.BADGE_EARNED,
        actor=UserFactory(public_profile=False),
        neighborhood=None,
        summary="A quiet badge",
    )
    assert not activity.public


def test_mark_read_marks_only_the_persons_own_notifications(db):
    alice, bob = UserFactory(), UserFactory()
    activity = publish(
        kind=kinds.REQUEST_CHANGED,
        summary="Your request changed",
        public=False,
        recipients=[alice, bob],
    )
    bobs = Notification.objects.get(user=bob, activity=activity)
    assert mark_notifications_read(user=alice, notification_ids=[bobs.id]) == 0
    assert mark_notifications_read(user=alice) == 1
    assert mark_notifications_read(user=alice) == 0
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_export_includes_notifications_and_deletion_erases_them(db):
    person = UserFactory(display_name="Marta of Mattapan", public_profile=True)
    publish(
        kind=kinds.REQUEST_CHANGED,
        summary="Your request was closed",
        public=False,
        recipients=[person],
    )
    public_one = publish(
        kind=kinds.BADGE_EARNED,
        actor=person,
        neighborhood=place("mattapan"),
        summary="Marta of Mattapan earned the Good Neighbor badge",
    )
    exported = export_personal_data(user=person)
    assert [n["summary"] for n in exported["notifications"]] == [
        "Your request was closed"
    ]

    delete_account(user=person)

    assert not Notification.objects.exists()
    assert not Activity.objects.filter(summary="Your request was closed").exists()
    public_one.refresh_from_db()
    assert public_one.summary == "a former resident earned the Good Neighbor badge"
    assert public_one.actor_name == "a former resident"


def test_a_visitor_who_is_not_signed_in_is_no_actor(db):
    assert publish(actor=AnonymousUser()).actor is None

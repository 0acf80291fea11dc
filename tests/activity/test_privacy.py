"""Every kind's payload carries public data only.

Each kind is published the way its feature will publish it, by a person
whose email, phone and private name are known to the test; then everything
that leaves the server (the websocket message of every group, and the
catch-up API) is searched for them.
"""

import json

import pytest

from accounts.services import delete_account
from activity import kinds
from activity.models import Activity
from tests.factories import UserFactory

from .conftest import place, publish

EMAIL = "private.person@example.org"
PHONE = "617-555-0142"
HIDDEN_NAME = "Hidden Harriet"
MESSAGE_KEYS = {
    "kind",
    "id",
    "created",
    "summary",
    "url",
    "neighborhood",
    "actor",
    "data",
}

# What a feature would plausibly attach, including the things people type
# into free text (contact details), which must not get through.
REALISTIC_DATA = {
    "public_id": "CP-7KQ2M9XD",
    "service_name": "Request for Pothole Repair",
    "status": "open",
    "lat": 42.331234567,
    "long": -71.081234567,
    "description": f"Deep hole, call me at {PHONE} or mail {EMAIL}",
    "support_count": 25,
}


def everything_sent(layer, client) -> str:
    """All that left the server, as one string to search."""
    sent = json.dumps(layer.payloads())
    api = client.get("/api/activity?after=0").content.decode()
    return sent + api


@pytest.fixture
def person(db):
    return UserFactory(email=EMAIL, display_name="Public Pat", public_profile=True)


@pytest.mark.parametrize("kind", sorted(kinds.ALL))
@pytest.mark.django_db(transaction=True)
def test_no_kind_leaks_email_phone_or_hidden_names(
    kind, person, recording_layer, client
):
    personal = kind in kinds.PERSONAL_ONLY
    anonymous = kind == kinds.REQUEST_FILED
    publish(
        kind=kind,
        actor=None if anonymous else person,
        summary=f"{kinds.label_for(kind)}: reach me at {EMAIL} / {PHONE}",
        data=REALISTIC_DATA,
        public=not personal,
        recipients=[person] if personal else None,
    )
    assert recording_layer.sent, f"{kind} was not broadcast"
    for payload in recording_layer.payloads():
        assert set(payload) == MESSAGE_KEYS
        assert payload["actor"] in (None, "Public Pat")
        if anonymous:
            assert payload["actor"] is None
        assert payload["data"]["lat"] == 42.331 and payload["data"]["long"] == -71.081
    out = everything_sent(recording_layer, client)
    assert EMAIL not in out
    assert PHONE not in out and "6175550142" not in out.replace("-", "")
    assert HIDDEN_NAME not in out
    assert "[hidden]" in out


@pytest.mark.django_db(transaction=True)
def test_anonymous_report_names_nobody(recording_layer, client):
    reporter = UserFactory(display_name=HIDDEN_NAME)  # chose to report anonymously
    publish(kind=kinds.REQUEST_FILED, actor=None, summary="Pothole reported")
    assert reporter.pk
    [payload] = {json.dumps(p) for p in recording_layer.payloads()}
    assert json.loads(payload)["actor"] is None
    assert HIDDEN_NAME not in everything_sent(recording_layer, client)


@pytest.mark.django_db(transaction=True)
def test_a_deleted_account_is_never_named_again(recording_layer, client):
    leaver = UserFactory(display_name=HIDDEN_NAME, public_profile=True)
    publish(
        kind=kinds.COMMENT_POSTED,
        actor=leaver,
        summary=f"{HIDDEN_NAME} commented on “Blue Hill Ave”",
    )
    delete_account(user=leaver)
    api = client.get("/api/activity?after=0").content.decode()
    page = client.get("/activity").content.decode()
    assert HIDDEN_NAME not in api and HIDDEN_NAME not in page
    assert "a former resident" in api and "a former resident" in page


@pytest.mark.django_db(transaction=True)
def test_badge_of_a_private_profile_never_reaches_the_public(recording_layer, client):
    private = UserFactory(display_name=HIDDEN_NAME, public_profile=False)
    publish(
        kind=kinds.BADGE_EARNED,
        actor=private,
        neighborhood=None,
        summary=f"{HIDDEN_NAME} earned the Street Scout badge",
        recipients=[private],
    )
    public_groups = [g for g, _ in recording_layer.sent if g.startswith("activity.")]
    assert public_groups == []
    assert HIDDEN_NAME not in client.get("/api/activity?after=0").content.decode()
    assert HIDDEN_NAME not in client.get("/activity").content.decode()


@pytest.mark.django_db(transaction=True)
def test_sensitive_service_carries_a_coarse_location_and_no_address(
    recording_layer, client
):
    publish(
        kind=kinds.REQUEST_FILED,
        neighborhood=place("mattapan"),
        summary="Needle pickup requested in Mattapan",
        data={
            "sensitive": True,
            "lat": 42.2712345,
            "long": -71.0923456,
            "address": "12 Private Way",
            "nested": {"latitude": "42.2712345", "address_string": "12 Private Way"},
        },
    )
    [payload] = recording_layer.payloads()[:1]
    assert payload["data"] == {
        "sensitive": True,
        "lat": 42.27,
        "long": -71.09,
        "nested": {"latitude": 42.27},
    }
    assert "Private Way" not in everything_sent(recording_layer, client)


@pytest.mark.parametrize("kind", sorted(kinds.ALL))
def test_every_kind_refuses_private_keys(db, kind):
    for key in ("email", "reporter_email", "phone", "reporter_name"):
        with pytest.raises(ValueError, match="looks private"):
            publish(
                kind=kind,
                data={key: "x"},
                public=kind not in kinds.PERSONAL_ONLY,
                recipients=[UserFactory()],
            )
    assert not Activity.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_feed_page_shows_no_private_data(recording_layer, client):
    person = UserFactory(email=EMAIL, display_name="Public Pat")
    publish(actor=person, summary=f"Call {PHONE}", data=REALISTIC_DATA)
    page = client.get("/activity").content.decode()
    assert EMAIL not in page and PHONE not in page
    assert "by Public Pat" in page

"""The feed websockets join their groups and forward what is published to them."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from activity import kinds
from activity.groups import CITY_GROUP, neighborhood_group
from config.asgi import application
from tests.factories import UserFactory

from .conftest import place, publish

HEADERS = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]


async def connect(path: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=HEADERS)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def send_to_group(group: str, payload: dict) -> None:
    await get_channel_layer().group_send(
        group, {"type": "activity.event", "payload": payload}
    )


@pytest.mark.django_db(transaction=True)
async def test_city_feed_receives_city_events():
    communicator = await connect("/ws/activity/")
    await send_to_group(CITY_GROUP, {"kind": "request.filed", "summary": "Pothole"})
    assert await communicator.receive_json_from(timeout=5) == {
        "kind": "request.filed",
        "summary": "Pothole",
    }
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_neighborhood_feed_gets_only_its_neighborhood():
    roxbury = await connect("/ws/activity/roxbury/")
    await send_to_group(neighborhood_group("fenway"), {"summary": "elsewhere"})
    await send_to_group(neighborhood_group("roxbury"), {"summary": "here"})
    assert await roxbury.receive_json_from(timeout=5) == {"summary": "here"}
    assert await roxbury.receive_nothing(timeout=0.2)
    await roxbury.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application,
        "/ws/activity/",
        headers=[(b"origin", b"https://evil.example"), (b"host", b"127.0.0.1")],
    )
    connected, _ = await communicator.connect()
    assert not connected


# --- Published events, end to end: publish_on_commit -> layer -> websocket ---
# Each runs on the in-memory layer and on the real Redis layer (CI).


@database_sync_to_async
def publish_committed(**overrides):
    return publish(**overrides)


@database_sync_to_async
def publish_then_roll_back(**overrides):
    try:
        with transaction.atomic():
            publish(**overrides)
            raise RuntimeError("the caller failed")
    except RuntimeError:
        pass


@database_sync_to_async
def session_cookie_for(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def connect_as(user, path: str = "/ws/me/") -> WebsocketCommunicator:
    cookie = await session_cookie_for(user)
    communicator = WebsocketCommunicator(
        application, path, headers=[*HEADERS, (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.django_db(transaction=True)
async def test_city_feed_receives_a_published_event_after_commit(
    channel_layer_backend,
):
    city = await connect("/ws/activity/")
    activity = await publish_committed(
        actor=await database_sync_to_async(UserFactory)(display_name="Ana"),
        summary="Pothole reported in Roxbury",
    )
    message = await city.receive_json_from(timeout=5)
    assert message == {
        "kind": "request.filed",
        "id": activity.id,
        "created": activity.created.isoformat(),
        "summary": "Pothole reported in Roxbury",
        "url": None,
        "neighborhood": {"slug": "roxbury", "name": "Roxbury"},
        "actor": "Ana",
        "data": {},
    }
    await city.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_nothing_arrives_for_a_rolled_back_transaction(channel_layer_backend):
    city = await connect("/ws/activity/")
    roxbury = await connect("/ws/activity/roxbury/")
    await publish_then_roll_back(summary="Never happened")
    assert await city.receive_nothing(timeout=0.5)
    assert await roxbury.receive_nothing(timeout=0.1)
    await city.disconnect()
    await roxbury.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_neighborhood_socket_gets_only_its_neighborhoods_events(
    channel_layer_backend,
):
    city = await connect("/ws/activity/")
    roxbury = await connect("/ws/activity/roxbury/")
    await publish_committed(neighborhood=place("fenway"), summary="In Fenway")
    await publish_committed(neighborhood=place("roxbury"), summary="In Roxbury")
    await publish_committed(neighborhood=None, summary="City-wide")
    assert (await roxbury.receive_json_from(timeout=5))["summary"] == "In Roxbury"
    assert await roxbury.receive_nothing(timeout=0.3)
    assert [(await city.receive_json_from(timeout=5))["summary"] for _ in range(3)] == [
        "In Fenway",
        "In Roxbury",
        "City-wide",
    ]
    await city.disconnect()
    await roxbury.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_personal_socket_refuses_anonymous_with_4401(channel_layer_backend):
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=HEADERS)
    connected, _ = await communicator.connect()
    assert connected  # accepted only to deliver the reason, then closed:
    assert await communicator.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": 4401,
    }


@pytest.mark.django_db(transaction=True)
async def test_personal_events_reach_only_their_recipient(channel_layer_backend):
    alice = await database_sync_to_async(UserFactory)()
    bob = await database_sync_to_async(UserFactory)()
    alice_socket = await connect_as(alice)
    bob_socket = await connect_as(bob)
    city = await connect("/ws/activity/")

    await publish_committed(
        kind=kinds.REQUEST_CHANGED,
        summary="Your report was acknowledged",
        public=False,
        recipients=[alice],
    )
    message = await alice_socket.receive_json_from(timeout=5)
    assert message["summary"] == "Your report was acknowledged"
    assert message["kind"] == "request.changed"
    assert await bob_socket.receive_nothing(timeout=0.3)
    assert await city.receive_nothing(timeout=0.1)

    await publish_committed(
        kind=kinds.COMMENT_REPLY,
        summary="A reply to your comment",
        public=False,
        recipients=[bob],
    )
    assert (await bob_socket.receive_json_from(timeout=5))["kind"] == "comment.reply"
    assert await alice_socket.receive_nothing(timeout=0.3)
    for socket in (alice_socket, bob_socket, city):
        await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_personal_socket_refuses_a_foreign_origin(channel_layer_backend):
    alice = await database_sync_to_async(UserFactory)()
    cookie = await session_cookie_for(alice)
    communicator = WebsocketCommunicator(
        application,
        "/ws/me/",
        headers=[
            (b"origin", b"https://evil.example"),
            (b"host", b"127.0.0.1"),
            (b"cookie", cookie),
        ],
    )
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.django_db(transaction=True)
async def test_consumers_do_not_touch_the_database(channel_layer_backend, monkeypatch):
    """Forwarding a burst costs no queries: consumers only relay payloads."""
    city = await connect("/ws/activity/")
    cursors = []
    real_cursor = BaseDatabaseWrapper.cursor

    def counting_cursor(self):
        cursors.append(self.alias)
        return real_cursor(self)

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", counting_cursor)
    for n in range(5):
        await send_to_group(CITY_GROUP, {"id": n})
    for n in range(5):
        assert (await city.receive_json_from(timeout=5)) == {"id": n}
    assert cursors == []
    monkeypatch.undo()
    await city.disconnect()

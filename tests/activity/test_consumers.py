"""The feed websocket joins its group and forwards what is sent to it."""

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from activity.groups import CITY_GROUP, neighborhood_group
from config.asgi import application

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

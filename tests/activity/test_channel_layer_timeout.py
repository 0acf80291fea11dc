"""An idle feed websocket outlives Redis's blocking read and still gets events.

channels_redis waits for messages with BZPOPMIN, blocking 5 s at a time in
Redis; redis-py 8 gives up on a socket read after 5 s by default. With equal
timeouts the client may time out first, and the consumer dies of
``redis.exceptions.TimeoutError`` while nothing is wrong. The site's channel
layer therefore reads with a longer socket timeout.
"""

import asyncio
import copy
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from channels_redis.core import RedisChannelLayer

from activity.groups import CITY_GROUP
from config.asgi import application

ROOT = Path(__file__).resolve().parents[2]
HEADERS = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
# Two full BZPOPMIN rounds: each one a chance for the race to be lost.
IDLE_SECONDS = 11


@pytest.fixture
def site_redis_layer(redis_url, settings):
    """The site's own Redis channel layer settings (from REDIS_URL), with a
    prefix of its own so parallel runs cannot see each other's groups."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layer = layers["default"]
    assert layer["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    layer["CONFIG"]["prefix"] = f"test-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = layers
    return layer


@pytest.mark.django_db(transaction=True)
async def test_idle_consumer_still_receives_group_messages(site_redis_layer):
    communicator = WebsocketCommunicator(application, "/ws/activity/", headers=HEADERS)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    try:
        await asyncio.sleep(IDLE_SECONDS)
        await get_channel_layer().group_send(
            CITY_GROUP,
            {"type": "activity.event", "payload": {"summary": "after a quiet spell"}},
        )
        assert await communicator.receive_json_from(timeout=5) == {
            "summary": "after a quiet spell"
        }
    finally:
        await communicator.disconnect()


def test_site_settings_read_longer_than_the_blocking_read():
    """base.py sets the read timeout whenever REDIS_URL turns the Redis layer
    on (checked in a fresh process: settings are read once, at start-up)."""
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]['socket_timeout'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "REDIS_URL": "redis://127.0.0.1:6379/7",
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert float(out.strip()) > RedisChannelLayer.brpop_timeout

"""Round trips through the real Redis: a websocket event and a Celery task.

They skip on a laptop without REDIS_URL, and CI (CIVIC_REQUIRE_ALL=1) runs them.
"""

import os
import subprocess
import sys

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings

from activity.groups import CITY_GROUP
from config.celery import app as celery_app
from config.celery import ping


@pytest.mark.needs_redis
@pytest.mark.django_db(transaction=True)
async def test_websocket_round_trip_through_redis_channel_layer(redis_url):
    from channels_redis.core import RedisChannelLayer

    from config.asgi import application

    layer = get_channel_layer()
    assert isinstance(layer, RedisChannelLayer)
    communicator = WebsocketCommunicator(
        application,
        "/ws/activity/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    connected, _ = await communicator.connect()
    assert connected
    await layer.group_send(
        CITY_GROUP, {"type": "activity.event", "payload": {"summary": "via redis"}}
    )
    assert await communicator.receive_json_from(timeout=5) == {"summary": "via redis"}
    await communicator.disconnect()


@pytest.mark.needs_redis
def test_celery_task_runs_on_a_real_worker(redis_url, tmp_path):
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            "--hostname",
            f"test-worker-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "REDIS_URL": redis_url,
        },
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        result = ping.delay()
        answer = result.get(timeout=60)
        assert answer.startswith("pong from ")
        assert result.successful()
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        worker.wait(timeout=20)


@pytest.mark.django_db
def test_suite_runs_on_the_database_ci_asked_for():
    """CI sets CIVIC_EXPECT_DATABASE so a misread DATABASE_URL cannot pass silently."""
    from django.db import connection

    expected = os.environ.get("CIVIC_EXPECT_DATABASE")
    if not expected:
        pytest.skip("CIVIC_EXPECT_DATABASE is not set")
    assert connection.vendor == expected

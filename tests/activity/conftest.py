import uuid
from types import SimpleNamespace

import pytest
from channels.layers import get_channel_layer
from django.db import transaction

from activity import kinds
from activity.services import publish_on_commit

RECORDING_LAYER = {"BACKEND": "tests.activity.layers.RecordingChannelLayer"}


@pytest.fixture
def recording_layer(settings):
    """The channel layer, swapped for one that records what was sent."""
    settings.CHANNEL_LAYERS = {"default": RECORDING_LAYER}
    return get_channel_layer()


@pytest.fixture(params=["in-memory", "redis"])
def channel_layer_backend(request, settings) -> str:
    """Run a test on the in-memory layer and on the real Redis layer (which
    needs REDIS_URL: skipped on a laptop, required in CI)."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                # A prefix of its own: parallel runs and other tests on the
                # same Redis cannot see this test's groups.
                "CONFIG": {"hosts": [url], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
            }
        }
    else:
        settings.CHANNEL_LAYERS = {
            "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
        }
    return request.param


def place(slug: str, name: str | None = None) -> SimpleNamespace:
    """Anything with ``slug`` and ``name`` is a neighborhood to the feed."""
    return SimpleNamespace(slug=slug, name=name or slug.replace("-", " ").title())


def publish(**overrides):
    """``publish_on_commit`` with everyday defaults, in its own committed
    transaction (or in the caller's, when one is open)."""
    params = {
        "kind": kinds.REQUEST_FILED,
        "actor": None,
        "target": None,
        "neighborhood": place("roxbury"),
        "summary": "Pothole reported in Roxbury",
        "data": {},
    }
    params.update(overrides)
    with transaction.atomic():
        return publish_on_commit(**params)

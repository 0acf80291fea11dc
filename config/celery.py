"""The Celery app. Without REDIS_URL tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("civicpulse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="civicpulse.ping")
def ping() -> str:
    """Answer from a worker, so operators and tests can prove tasks round-trip."""
    import socket

    return f"pong from {socket.gethostname()}"

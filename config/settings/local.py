"""Settings for a developer's laptop: ``make run``. Never deploy these."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed, clearly local key: local sessions survive restarts. Production
# settings refuse to start without a real SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="local-only-not-secret-civicpulse-dev-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Serve static files straight from the app folders: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)

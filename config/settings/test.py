"""Settings for the test suite: fast, isolated, same code paths as production."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Tasks run in-process in tests even when REDIS_URL is set; the one test that
# needs a real worker switches this off for itself.
CELERY_TASK_ALWAYS_EAGER = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so the browser tests' server process shares it.
    # CIVIC_TEST_DB names another file, so two checkouts' suites can run at once.
    DATABASES["default"]["TEST"] = {
        "NAME": env("CIVIC_TEST_DB", default=str(BASE_DIR / "var" / "test-db.sqlite3"))
    }
DEMO_DATA_ALLOWED = True

(BASE_DIR / "var").mkdir(exist_ok=True)
if env.bool("CIVIC_E2E_SERVER", default=False):
    MIDDLEWARE = ["config.testing.FreshContentTypesMiddleware", *MIDDLEWARE]  # noqa: F405

"""Settings shared by every environment, read from the process environment.

Only plumbing lives here; nothing secret and no DEBUG. The embedded defaults
(SQLite, in-memory channel layer, eager Celery, local-memory cache) let a
laptop run the whole platform; setting ``DATABASE_URL`` and ``REDIS_URL``
moves the same code onto PostgreSQL and Redis.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -----------------------------------------------------------------

SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1

INSTALLED_APPS = [
    "daphne",
    # CivicPulse apps, top layer first.
    "cms",
    "engagement",
    "neighborhoods",
    "points",
    "activity",
    "accounts",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    # Realtime, maps
    "channels",
    "leaflet",
    # Django
    "config.admin.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site_navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the
    # write lock up front so concurrent writers wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, Celery broker, cache ---------------------------

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    # The channel layer carries the live activity feed only; it is best-effort
    # by design (browsers fetch what they missed from /api/activity), so these
    # limits favour dropping over piling up:
    # - capacity: messages that may wait for one websocket connection. A burst
    #   (a crew closing a street's worth of requests) fits; past it a stuck
    #   client loses messages instead of growing Redis memory without bound.
    # - expiry: seconds a message may wait unread. A client that has not read
    #   it by then is stuck or gone, and catches up over HTTP when it returns.
    # - group_expiry: a connection older than this silently leaves its groups;
    #   it matches daphne's default --websocket_timeout (one day), so a socket
    #   never outlives its group membership.
    # - socket_connect_timeout: an unreachable Redis fails a publish in two
    #   seconds instead of holding the web request that published.
    # - socket_timeout: how long a read may wait for Redis. channels_redis
    #   waits for messages with BZPOPMIN, blocking 5 s in Redis each round;
    #   redis-py's default read timeout is also 5 s, so an idle websocket's
    #   read could time out first and kill its consumer with TimeoutError.
    #   Any value well above 5 s avoids the race.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_connect_timeout": 2,
                        "socket_timeout": env.int(
                            "CHANNEL_LAYER_SOCKET_TIMEOUT", default=15
                        ),
                    }
                ],
                "capacity": env.int("CHANNEL_LAYER_CAPACITY", default=200),
                "expiry": env.int("CHANNEL_LAYER_EXPIRY", default=30),
                "group_expiry": env.int("CHANNEL_LAYER_GROUP_EXPIRY", default=86400),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "civicpulse",
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "civicpulse",
        }
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True

CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}

# --- Accounts -------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CivicPulse] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# allauth's own defaults, stated so they are visible and tunable: they are
# kept in the cache above (Redis at scale), shared by every worker.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# --- Email ----------------------------------------------------------------

EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CivicPulse <noreply@localhost>")
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail --------------------------------------------------------------

WAGTAIL_SITE_NAME = "CivicPulse"
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The admin signs in through allauth, so its rate limits guard the admin too.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

# --- Maps -----------------------------------------------------------------

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (42.3146, -71.0894),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 10,
    "MAX_ZOOM": 19,
    "TILES": [
        (
            "Streets",
            env(
                "MAP_TILES_URL",
                default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            ),
            {
                "attribution": env(
                    "MAP_TILES_ATTRIBUTION",
                    default="&copy; OpenStreetMap contributors",
                ),
                "maxZoom": 19,
            },
        )
    ],
    "ATTRIBUTION_PREFIX": "CivicPulse",
    "RESET_VIEW": False,
}

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's search and reference-index tasks log every run at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Service requests -----------------------------------------------------

REPORTS_PER_HOUR = env.int("REPORTS_PER_HOUR", default=10)
SUPPORTS_PER_HOUR = env.int("SUPPORTS_PER_HOUR", default=60)
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_PER_REPORT = 3
# "known": addresses the city already has from its requests; "nominatim":
# a Nominatim-compatible service at GEOCODER_URL.
GEOCODER = env("GEOCODER", default="known")
GEOCODER_URL = env("GEOCODER_URL", default="https://nominatim.openstreetmap.org")
GEOCODER_USER_AGENT = env("GEOCODER_USER_AGENT", default="CivicPulse/0.1")

# --- Open311 GeoReport v2 API -----------------------------------------------

# The one jurisdiction this endpoint serves; clients may omit it.
OPEN311_JURISDICTION_ID = env("OPEN311_JURISDICTION_ID", default="civicpulse.example")
OPEN311_CONTACT = env(
    "OPEN311_CONTACT",
    default="Questions about the API: email open311@civicpulse.example.",
)
OPEN311_KEY_SERVICE = env(
    "OPEN311_KEY_SERVICE",
    default="Reading needs no key. To file requests, ask the city's 311 team for "
    "a key at open311@civicpulse.example, naming your app.",
)
# "production" or "test", as announced by discovery.
OPEN311_ENDPOINT_TYPE = env("OPEN311_ENDPOINT_TYPE", default="production")
OPEN311_POSTS_PER_HOUR = env.int("OPEN311_POSTS_PER_HOUR", default=600)

# --- Staff workflow ---------------------------------------------------------
# Days the reporter and supporters have to say whether a fix worked.
FIX_CONFIRMATION_DAYS = 14
CELERY_BEAT_SCHEDULE["flag-overdue-requests"] = {
    "task": "engagement.tasks_workflow.flag_overdue_requests",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["send-daily-digests"] = {
    "task": "engagement.tasks_workflow.send_daily_digests",
    "schedule": crontab(hour=7, minute=0),
}
CELERY_BEAT_SCHEDULE["expire-unconfirmed-fixes"] = {
    "task": "engagement.tasks_workflow.expire_unconfirmed_fixes",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["reconcile-points-balances"] = {
    "task": "points.tasks.reconcile_points_balances",
    "schedule": crontab(hour=3, minute=30),
}

"""Production settings: secure by default, and refuse to start without a key."""

import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR
# The test process's own variables that a deployed process would not have.
NOT_INHERITED = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 20 + "-production-secret-that-is-long-enough-0123456789",
        ALLOWED_HOSTS="civicpulse.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="civicpulse.example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_demo_data():
    result = run_manage(
        "load_demo_data",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="civicpulse.example.org",
    )
    assert result.returncode != 0
    assert "Demo data is not allowed" in result.stderr


def test_redis_url_switches_every_backend(monkeypatch):
    code = (
        "from django.conf import settings as s;"
        "print(s.CHANNEL_LAYERS['default']['BACKEND']);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    base = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    embedded = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert embedded == [
        "channels.layers.InMemoryChannelLayer",
        "django.core.cache.backends.locmem.LocMemCache",
        "memory://",
        "True",
    ]
    scaled = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert scaled == [
        "channels_redis.core.RedisChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
        "False",
    ]


def test_default_database_is_sqlite_in_wal_mode():
    code = (
        "import django;django.setup();from django.db import connection;"
        "c=connection.cursor();c.execute('PRAGMA journal_mode');print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "wal"

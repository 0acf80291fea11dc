import pytest

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_backing_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {k: v["ok"] for k, v in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "channel_layer": True,
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_naming_what_is_down(client, monkeypatch):
    def broken():
        raise ConnectionError("refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == {
        "ok": False,
        "error": "ConnectionError",
        "ms": body["checks"]["cache"]["ms"],
    }
    assert body["checks"]["database"]["ok"] is True

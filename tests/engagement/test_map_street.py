"""The street-level map: links built without a reverse() per request, ties in
time ordered by id, and the answer's JSON as the browser reads it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from engagement.geo import BBox
from engagement.selectors import map as map_selectors
from engagement.selectors.map import CLUSTER_BELOW_ZOOM, RequestFilters, map_features

from .factories import ServiceFactory, ServiceRequestFactory

BOSTON_TZ = ZoneInfo("America/New_York")
BOX = BBox(min_lon=-71.07, min_lat=42.35, max_lon=-71.06, max_lat=42.36)
SPOT = (42.3550, -71.0620)


def at_spot(**kwargs):
    return ServiceRequestFactory(
        lat=SPOT[0],
        long=SPOT[1],
        public_lat=SPOT[0],
        public_long=SPOT[1],
        reporter=None,
        **kwargs,
    )


def test_links_match_reverse_for_any_public_id(db):
    # Imported requests may keep ids with characters a path must escape.
    ids = ["CP-AB12CD34", "311 2024 #7", "ÉTÉ-1", "a.b_c~d-e"]
    for public_id in ids:
        at_spot(public_id=public_id)

    data = map_features(bbox=BOX, zoom=CLUSTER_BELOW_ZOOM, filters=RequestFilters())

    urls = {
        f["properties"]["public_id"]: f["properties"]["url"] for f in data["features"]
    }
    assert urls == {
        public_id: reverse("engagement:request_detail", args=[public_id])
        for public_id in ids
    }


def test_same_time_is_ordered_newest_id_first_and_cut_at_the_cap(db, monkeypatch):
    monkeypatch.setattr(map_selectors, "MAX_POINTS", 2)
    when = datetime(2025, 3, 1, 9, 30, tzinfo=BOSTON_TZ)
    made = [at_spot(requested_datetime=when) for _ in range(3)]

    data = map_features(bbox=BOX, zoom=CLUSTER_BELOW_ZOOM, filters=RequestFilters())

    assert data["truncated"] is True
    assert data["total"] == 2
    assert [f["properties"]["public_id"] for f in data["features"]] == [
        made[2].public_id,
        made[1].public_id,
    ]
    assert data["features"][0]["properties"]["requested_datetime"] == (
        "2025-03-01T09:30:00-05:00"
    )


def test_api_answer_is_the_selectors_features_as_json(client, db):
    service = ServiceFactory(name="Pothole")
    sr = at_spot(service=service)

    response = client.get(
        reverse("engagement:api_requests_geojson"),
        {"bbox": "-71.07,42.35,-71.06,42.36", "zoom": CLUSTER_BELOW_ZOOM + 1},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json() == map_features(
        bbox=BOX, zoom=CLUSTER_BELOW_ZOOM + 1, filters=RequestFilters()
    )
    assert response.json()["features"][0]["geometry"]["coordinates"] == [
        round(sr.public_long, 6),
        round(sr.public_lat, 6),
    ]

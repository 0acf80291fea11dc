"""``GET /api/requests.geojson``: the map's data, its errors and its privacy."""

import json

import pytest
from django.urls import reverse

from engagement import geo
from engagement.models import RequestStatus
from engagement.selectors.map import CLUSTER_BELOW_ZOOM, MAX_ZOOM
from neighborhoods.selectors import neighborhood_containing
from tests.factories import UserFactory

from .factories import ServiceFactory, ServiceRequestFactory

CITY_BBOX = "-71.20,42.22,-70.98,42.40"
BEACON_HILL = (42.3574, -71.0648)


def place(*, lat: float = BEACON_HILL[0], lon: float = BEACON_HILL[1], **kwargs):
    service = kwargs.pop("service", None) or ServiceFactory()
    public = geo.coarsen_point(lat=lat, lon=lon) if service.sensitive else (lat, lon)
    kwargs.setdefault("reporter", None)
    return ServiceRequestFactory(
        service=service,
        lat=lat,
        long=lon,
        public_lat=public[0],
        public_long=public[1],
        neighborhood=neighborhood_containing(lat=lat, lon=lon),
        **kwargs,
    )


def get(client, **params):
    return client.get(reverse("engagement:api_requests_geojson"), params)


def test_city_view_is_clustered_and_cacheable(client, boston):
    place()
    place(lat=42.3097, lon=-71.1151)

    response = get(client, bbox=CITY_BBOX, zoom=12)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    cache_control = {p.strip() for p in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=30"}
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["clustered"] is True
    assert sorted(f["properties"]["count"] for f in data["features"]) == [1, 1]
    assert set(data["features"][0]["properties"]) == {"cluster", "count", "bbox"}


def test_street_level_returns_requests(client, boston):
    sr = place()

    data = get(client, bbox="-71.07,42.35,-71.06,42.36", zoom=CLUSTER_BELOW_ZOOM).json()

    assert data["clustered"] is False
    assert data["truncated"] is False
    (feature,) = data["features"]
    assert feature["properties"]["public_id"] == sr.public_id
    assert feature["properties"]["url"] == sr.get_absolute_url()


def test_filters_are_applied(client, boston):
    place()
    closed = place(status=RequestStatus.CLOSED)

    data = get(
        client, bbox="-71.07,42.35,-71.06,42.36", zoom=17, status="closed"
    ).json()

    assert [f["properties"]["public_id"] for f in data["features"]] == [
        closed.public_id
    ]


def test_no_private_field_leaves_the_server(client, boston):
    reporter = UserFactory(email="private.person@example.org", display_name="Pat Q")
    hidden = ServiceFactory(sensitive=True)
    sr = place(
        lat=42.35123,
        lon=-71.06789,
        service=hidden,
        reporter=reporter,
        description="My neighbour at number 12 again",
    )

    texts = [
        get(client, bbox="-71.08,42.34,-71.05,42.36", zoom=zoom).content.decode()
        for zoom in (12, 18)
    ]

    for text in texts:
        for secret in ("private.person", "Pat Q", "number 12", "42.35123", "-71.06789"):
            assert secret not in text
    point = json.loads(texts[1])["features"][0]
    assert set(point["properties"]) == {
        "public_id",
        "service",
        "status",
        "requested_datetime",
        "url",
    }
    assert point["geometry"]["coordinates"] == [
        round(sr.public_long, 6),
        round(sr.public_lat, 6),
    ]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"zoom": "12"}, "bbox is required"),
        ({"bbox": "-71.2,42.2,-70.9", "zoom": "12"}, "bbox must be 4 numbers"),
        ({"bbox": "-71.2,42.2,-70.9,42.4,1", "zoom": "12"}, "got 5"),
        ({"bbox": "west,42.2,-70.9,42.4", "zoom": "12"}, "separated by commas"),
        ({"bbox": "-71.2,42.2,nan,42.4", "zoom": "12"}, "finite"),
        ({"bbox": "-70.9,42.2,-71.2,42.4", "zoom": "12"}, "minimums"),
        ({"bbox": "-71.2,42.4,-70.9,42.2", "zoom": "12"}, "minimums"),
        ({"bbox": "-190,42.2,-70.9,42.4", "zoom": "12"}, "longitudes"),
        ({"bbox": "-71.2,-91,-70.9,42.4", "zoom": "12"}, "latitudes"),
        ({"bbox": CITY_BBOX}, "zoom is required"),
        ({"bbox": CITY_BBOX, "zoom": "close"}, "zoom must be a whole number"),
        ({"bbox": CITY_BBOX, "zoom": "12.5"}, "zoom must be a whole number"),
        ({"bbox": CITY_BBOX, "zoom": str(MAX_ZOOM + 1)}, "from 0 to 22"),
        ({"bbox": CITY_BBOX, "zoom": "-1"}, "from 0 to 22"),
        ({"bbox": CITY_BBOX, "zoom": "12", "start": "2025-02-30"}, "start:"),
        ({"bbox": CITY_BBOX, "zoom": "12", "end": "tomorrow"}, "end:"),
        (
            {
                "bbox": CITY_BBOX,
                "zoom": "12",
                "start": "2025-03-02",
                "end": "2025-03-01",
            },
            "end: The last day must not be before the first day.",
        ),
        ({"bbox": CITY_BBOX, "zoom": "12", "status": "pending"}, "status:"),
    ],
)
def test_bad_parameters_get_400_with_a_reason(client, db, params, reason):
    response = client.get(reverse("engagement:api_requests_geojson"), params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert reason in response.json()["error"]


def test_unknown_service_or_neighborhood_matches_nothing(client, boston):
    place()

    data = get(
        client, bbox=CITY_BBOX, zoom=12, service_code="NOPE", neighborhood="atlantis"
    ).json()

    assert data["features"] == []
    assert data["total"] == 0


def test_only_get_is_allowed(client, db):
    response = client.post(
        reverse("engagement:api_requests_geojson"), {"bbox": CITY_BBOX, "zoom": 12}
    )

    assert response.status_code == 405

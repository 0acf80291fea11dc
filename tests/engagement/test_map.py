"""The public map's reads and pages: what is found where, with which filters,
and what the list (the map's text alternative) shows."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from engagement import geo
from engagement.geo import BBox
from engagement.models import RequestStatus
from engagement.selectors import map as map_selectors
from engagement.selectors.map import (
    CLUSTER_BELOW_ZOOM,
    RequestFilters,
    filtered_requests,
    map_features,
    request_list_page,
)
from neighborhoods.selectors import neighborhood_containing

from .factories import ServiceFactory, ServiceRequestFactory

BOSTON_TZ = ZoneInfo("America/New_York")
CITY = BBox(min_lon=-71.20, min_lat=42.22, max_lon=-70.98, max_lat=42.40)
STREET_ZOOM = CLUSTER_BELOW_ZOOM
BEACON_HILL = (42.3574, -71.0648)
JAMAICA_PLAIN = (42.3097, -71.1151)


def place(*, lat: float, lon: float, service=None, **kwargs):
    """A request filed as the report form files it: neighborhood by polygon,
    public point coarsened for sensitive services."""
    service = service or ServiceFactory()
    public = geo.coarsen_point(lat=lat, lon=lon) if service.sensitive else (lat, lon)
    return ServiceRequestFactory(
        service=service,
        lat=lat,
        long=lon,
        public_lat=public[0],
        public_long=public[1],
        neighborhood=neighborhood_containing(lat=lat, lon=lon),
        reporter=None,
        **kwargs,
    )


def scatter(n: int, *, seed: int = 3, **kwargs) -> list:
    """``n`` requests at random points inside Boston's neighborhoods."""
    rng = random.Random(seed)
    made = []
    while len(made) < n:
        lat, lon = rng.uniform(42.25, 42.38), rng.uniform(-71.16, -71.02)
        if neighborhood_containing(lat=lat, lon=lon) is not None:
            made.append(place(lat=lat, lon=lon, **kwargs))
    return made


def local(*args) -> datetime:
    return datetime(*args, tzinfo=BOSTON_TZ)


# --- Selectors -------------------------------------------------------------


def test_street_level_returns_only_requests_inside_the_box(boston):
    inside = place(lat=42.3574, lon=-71.0648)
    place(lat=42.3600, lon=-71.0700)  # a few hundred metres west of the box
    box = BBox(min_lon=-71.0660, min_lat=42.3560, max_lon=-71.0630, max_lat=42.3590)

    data = map_features(bbox=box, zoom=STREET_ZOOM, filters=RequestFilters())

    assert data["clustered"] is False
    assert [f["properties"]["public_id"] for f in data["features"]] == [
        inside.public_id
    ]
    assert data["features"][0]["geometry"] == {
        "type": "Point",
        "coordinates": [-71.0648, 42.3574],
    }


@pytest.mark.parametrize("zoom", [10, 12, 14, STREET_ZOOM - 1])
def test_cluster_counts_add_up_to_the_matching_requests(boston, zoom):
    scatter(40, status=RequestStatus.OPEN)
    scatter(15, seed=7, status=RequestStatus.CLOSED)

    everything = map_features(bbox=CITY, zoom=zoom, filters=RequestFilters())
    open_only = map_features(
        bbox=CITY, zoom=zoom, filters=RequestFilters(status="open")
    )

    assert everything["clustered"] is True
    assert sum(f["properties"]["count"] for f in everything["features"]) == 55
    assert everything["total"] == 55
    assert sum(f["properties"]["count"] for f in open_only["features"]) == 40


def test_each_cluster_sits_inside_its_cell(boston):
    scatter(30)

    data = map_features(bbox=CITY, zoom=13, filters=RequestFilters())

    assert len(data["features"]) > 1  # a city view spreads over several cells
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        west, south, east, north = feature["properties"]["bbox"]
        assert west - 1e-6 <= lon <= east + 1e-6
        assert south - 1e-6 <= lat <= north + 1e-6
        assert feature["properties"]["cluster"] is True


def test_a_cell_keeps_its_count_while_the_map_pans(boston):
    scatter(30)
    cell_lon, _ = map_selectors.cluster_cell_size(zoom=12)
    moved = BBox(
        min_lon=CITY.min_lon + cell_lon / 3,
        min_lat=CITY.min_lat,
        max_lon=CITY.max_lon + cell_lon / 3,
        max_lat=CITY.max_lat,
    )

    before = map_features(bbox=CITY, zoom=12, filters=RequestFilters())
    after = map_features(bbox=moved, zoom=12, filters=RequestFilters())

    assert {
        tuple(f["properties"]["bbox"]): f["properties"]["count"]
        for f in before["features"]
    } == {
        tuple(f["properties"]["bbox"]): f["properties"]["count"]
        for f in after["features"]
    }


def test_a_new_request_shows_on_the_city_view_at_once(boston):
    place(lat=BEACON_HILL[0], lon=BEACON_HILL[1])
    before = map_features(bbox=CITY, zoom=12, filters=RequestFilters())

    place(lat=JAMAICA_PLAIN[0], lon=JAMAICA_PLAIN[1])
    after = map_features(bbox=CITY, zoom=12, filters=RequestFilters())

    assert (before["total"], after["total"]) == (1, 2)


def test_filters_narrow_by_group_service_status_and_neighborhood(boston):
    lights = ServiceFactory(service_code="LIGHT", group="Street Lights")
    trees = ServiceFactory(service_code="TREE", group="Trees")
    beacon_hill_light = place(lat=BEACON_HILL[0], lon=BEACON_HILL[1], service=lights)
    jp_light = place(
        lat=JAMAICA_PLAIN[0],
        lon=JAMAICA_PLAIN[1],
        service=lights,
        status=RequestStatus.CLOSED,
    )
    jp_tree = place(lat=JAMAICA_PLAIN[0], lon=JAMAICA_PLAIN[1], service=trees)

    def ids(**filters) -> set[str]:
        qs = filtered_requests(filters=RequestFilters(**filters))
        return set(qs.values_list("public_id", flat=True))

    assert ids(service_group="Street Lights") == {
        beacon_hill_light.public_id,
        jp_light.public_id,
    }
    assert ids(service_code="TREE") == {jp_tree.public_id}
    assert ids(status="closed") == {jp_light.public_id}
    assert ids(neighborhood="jamaica-plain") == {jp_light.public_id, jp_tree.public_id}
    assert ids(neighborhood="jamaica-plain", status="open") == {jp_tree.public_id}


def test_date_range_counts_whole_local_days(boston):
    late_on_the_first = place(
        lat=BEACON_HILL[0],
        lon=BEACON_HILL[1],
        requested_datetime=local(2025, 3, 1, 23, 30),
    )
    place(
        lat=BEACON_HILL[0],
        lon=BEACON_HILL[1],
        requested_datetime=local(2025, 3, 2, 0, 5),
    )
    place(
        lat=BEACON_HILL[0],
        lon=BEACON_HILL[1],
        requested_datetime=local(2025, 2, 28, 23, 59),
    )

    qs = filtered_requests(
        filters=RequestFilters(
            start=local(2025, 3, 1).date(), end=local(2025, 3, 1).date()
        )
    )

    assert list(qs.values_list("public_id", flat=True)) == [late_on_the_first.public_id]


def test_sensitive_requests_never_show_their_exact_point(boston):
    hidden = ServiceFactory(service_code="NEEDLE", sensitive=True)
    sr = place(lat=42.35123, lon=-71.06789, service=hidden)
    assert (sr.public_lat, sr.public_long) != (sr.lat, sr.long)
    box = BBox(min_lon=-71.08, min_lat=42.34, max_lon=-71.05, max_lat=42.36)

    points = map_features(bbox=box, zoom=STREET_ZOOM, filters=RequestFilters())
    clusters = map_features(bbox=box, zoom=12, filters=RequestFilters())

    assert points["features"][0]["geometry"]["coordinates"] == [
        round(sr.public_long, 6),
        round(sr.public_lat, 6),
    ]
    assert clusters["features"][0]["geometry"]["coordinates"] == [
        round(sr.public_long, 6),
        round(sr.public_lat, 6),
    ]
    text = repr(points) + repr(clusters)
    assert "42.35123" not in text
    assert "-71.06789" not in text


def test_street_level_points_are_capped_newest_first(boston, monkeypatch):
    monkeypatch.setattr(map_selectors, "MAX_POINTS", 3)
    made = [
        place(
            lat=BEACON_HILL[0],
            lon=BEACON_HILL[1],
            requested_datetime=local(2025, 1, day),
        )
        for day in range(1, 6)
    ]
    box = BBox(min_lon=-71.07, min_lat=42.35, max_lon=-71.06, max_lat=42.36)

    data = map_features(bbox=box, zoom=STREET_ZOOM, filters=RequestFilters())

    assert data["truncated"] is True
    assert [f["properties"]["public_id"] for f in data["features"]] == [
        r.public_id for r in reversed(made[2:])
    ]


def test_points_carry_public_facts_and_a_link(boston):
    service = ServiceFactory(name="Street Light Outages")
    sr = place(
        lat=BEACON_HILL[0],
        lon=BEACON_HILL[1],
        service=service,
        requested_datetime=local(2025, 1, 24, 3, 24, 56),
    )
    box = BBox(min_lon=-71.07, min_lat=42.35, max_lon=-71.06, max_lat=42.36)

    data = map_features(bbox=box, zoom=18, filters=RequestFilters())

    assert data["features"][0]["properties"] == {
        "public_id": sr.public_id,
        "service": "Street Light Outages",
        "status": "open",
        "requested_datetime": "2025-01-24T03:24:56-05:00",
        "url": sr.get_absolute_url(),
    }
    assert sr.get_absolute_url() == reverse(
        "engagement:request_detail", args=[sr.public_id]
    )


def test_list_page_hides_the_address_of_sensitive_requests(boston):
    hidden = ServiceFactory(sensitive=True)
    place(
        lat=BEACON_HILL[0], lon=BEACON_HILL[1], service=hidden, address="12 Secret St"
    )

    page = request_list_page(filters=RequestFilters(), page_number=1)

    item = page.object_list[0]
    assert item.place == ""
    assert item.sensitive is True
    assert item.neighborhood_name == "Beacon Hill"


# --- Pages -----------------------------------------------------------------


def test_map_page_has_filters_map_and_list(client, boston):
    sr = place(lat=BEACON_HILL[0], lon=BEACON_HILL[1], address="33 Beacon St")

    response = client.get(reverse("engagement:map"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="requests-map"' in html
    assert 'aria-label="Map of the requests matching the filters' in html
    for label in ("Service group", "Service", "Status", "Neighborhood"):
        assert f">{label}</label>" in html
    assert "Reported from" in html and "Reported until" in html
    assert f'href="{sr.get_absolute_url()}"' in html
    assert "at 33 Beacon St" in html
    config = response.context["map_config"]
    assert config["apiUrl"] == reverse("engagement:api_requests_geojson")
    assert config["clusterBelowZoom"] == CLUSTER_BELOW_ZOOM


def test_list_is_paginated_by_25_and_keeps_the_filters(client, boston):
    for day in range(1, 31):
        place(
            lat=BEACON_HILL[0],
            lon=BEACON_HILL[1],
            requested_datetime=local(2025, 1, day),
        )
    place(lat=BEACON_HILL[0], lon=BEACON_HILL[1], status=RequestStatus.CLOSED)
    url = reverse("engagement:request_list")

    first = client.get(url, {"status": "open"})
    second = client.get(url, {"status": "open", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?status=open&amp;page=2"' in first.content.decode()
    assert len(second.context["page"].object_list) == 5
    assert second.context["page"].object_list[-1].requested_datetime == local(
        2025, 1, 1
    )
    assert "30 requests matching the filters" in second.content.decode()


def test_list_view_applies_each_filter(client, boston):
    open_one = place(lat=BEACON_HILL[0], lon=BEACON_HILL[1])
    closed_one = place(
        lat=JAMAICA_PLAIN[0], lon=JAMAICA_PLAIN[1], status=RequestStatus.CLOSED
    )

    closed = client.get(reverse("engagement:request_list"), {"status": "closed"})
    in_jp = client.get(reverse("engagement:map"), {"neighborhood": "jamaica-plain"})

    assert [i.public_id for i in closed.context["page"].object_list] == [
        closed_one.public_id
    ]
    assert open_one.get_absolute_url() not in closed.content.decode()
    assert [i.public_id for i in in_jp.context["page"].object_list] == [
        closed_one.public_id
    ]
    bounds = in_jp.context["map_config"]["bounds"]
    assert bounds[0][0] < JAMAICA_PLAIN[0] < bounds[1][0]


def test_empty_states_say_why_the_list_is_empty(client, boston):
    nothing = client.get(reverse("engagement:map"))
    assert "No problems have been reported yet." in nothing.content.decode()

    place(lat=BEACON_HILL[0], lon=BEACON_HILL[1])
    no_match = client.get(reverse("engagement:map"), {"status": "closed"})
    html = no_match.content.decode()
    assert "No requests match these filters." in html
    assert "Clear the filters" in html


def test_a_bad_filter_is_explained_and_the_others_still_apply(client, boston):
    place(lat=BEACON_HILL[0], lon=BEACON_HILL[1])
    closed = place(lat=BEACON_HILL[0], lon=BEACON_HILL[1], status=RequestStatus.CLOSED)

    response = client.get(
        reverse("engagement:request_list"), {"status": "closed", "start": "yesterday"}
    )

    assert response.status_code == 200
    assert "Enter a date such as 2025-05-19." in response.content.decode()
    assert [i.public_id for i in response.context["page"].object_list] == [
        closed.public_id
    ]


def test_list_only_page_has_no_map(client, boston):
    sr = place(lat=BEACON_HILL[0], lon=BEACON_HILL[1])

    response = client.get(reverse("engagement:request_list"))

    html = response.content.decode()
    assert "requests-map" not in html
    assert f'href="{sr.get_absolute_url()}"' in html


def test_list_costs_the_same_queries_for_one_request_or_a_page(
    client, boston, django_assert_max_num_queries
):
    place(lat=BEACON_HILL[0], lon=BEACON_HILL[1])
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("engagement:map"))
    for _ in range(30):
        place(lat=BEACON_HILL[0], lon=BEACON_HILL[1])

    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("engagement:map"))

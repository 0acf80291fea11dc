import pytest

from engagement import geo
from engagement.geocoding import KnownAddressGeocoder, NominatimGeocoder
from neighborhoods.selectors import neighborhood_containing
from tests.engagement.factories import ServiceFactory, ServiceRequestFactory


def test_distance_and_bbox():
    assert geo.distance_m(42.35, -71.08, 42.351, -71.08) == pytest.approx(111.2, 0.01)
    box = geo.bbox_around(42.35, -71.08, 100)
    assert box.min_lat < 42.35 < box.max_lat
    assert geo.distance_m(42.35, -71.08, box.max_lat, -71.08) == pytest.approx(
        100, 0.01
    )


@pytest.mark.django_db
def test_coarse_point_is_stable_nearby_and_in_the_same_neighborhood(boston):
    for lat, lon in [(42.3503, -71.0810), (42.3163, -71.1195), (42.2995, -71.0615)]:
        coarse = geo.coarsen_point(lat=lat, lon=lon)
        assert coarse == geo.coarsen_point(lat=lat, lon=lon)
        assert coarse != (lat, lon)
        assert geo.distance_m(lat, lon, *coarse) < 400
        assert neighborhood_containing(lat=coarse[0], lon=coarse[1]) == (
            neighborhood_containing(lat=lat, lon=lon)
        )


@pytest.mark.django_db
def test_nearby_points_share_one_public_point(boston):
    a = geo.coarsen_point(lat=42.35031, lon=-71.08101)
    b = geo.coarsen_point(lat=42.35033, lon=-71.08104)
    assert a == b


@pytest.mark.django_db
def test_known_address_geocoder_ignores_sensitive_requests():
    ServiceRequestFactory(address="5 Elm St", lat=42.31, long=-71.10)
    ServiceRequestFactory(address="7 Elm St", service=ServiceFactory(sensitive=True))
    places = KnownAddressGeocoder().search("elm st")
    assert [p.address for p in places] == ["5 Elm St"]
    assert KnownAddressGeocoder().search("   ") == []


def test_nominatim_geocoder_parses_results_and_survives_outages(monkeypatch):
    import io
    import json
    import urllib.request

    calls = []

    def fake_urlopen(request, timeout):
        calls.append(request.full_url)
        body = json.dumps(
            [{"display_name": "1 City Hall Sq", "lat": "42.36", "lon": "-71.06"}]
        )
        return io.BytesIO(body.encode())

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    geocoder = NominatimGeocoder("https://geo.example.org/", "test-agent")
    places = geocoder.search("city hall")
    assert places[0].address == "1 City Hall Sq" and places[0].lat == 42.36
    assert calls[0].startswith("https://geo.example.org/search?q=city+hall")

    def down(request, timeout):
        raise OSError("unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", down)
    assert geocoder.search("city hall") == []
    with pytest.raises(ValueError):
        NominatimGeocoder("file:///etc/passwd", "x")

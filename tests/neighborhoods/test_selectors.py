import pytest
from django.utils import timezone

from neighborhoods import boundary_index
from neighborhoods.models import Neighborhood
from neighborhoods.selectors import (
    get_neighborhood,
    list_neighborhoods,
    neighborhood_containing,
    neighborhood_map_data,
    neighborhoods_map_data,
)
from neighborhoods.services import load_neighborhoods_from_geojson

from .factories import NeighborhoodFactory, square

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("place", "lat", "lon", "expected"),
    [
        ("Downtown Crossing", 42.3555, -71.0605, "Downtown"),
        ("Boston City Hall", 42.3604, -71.0580, "Downtown"),
        ("Boston Common", 42.3550, -71.0656, "Beacon Hill"),
        ("Fenway Park", 42.3467, -71.0972, "Fenway"),
        ("Jamaica Pond", 42.3163, -71.1195, "Jamaica Plain"),
        ("Paul Revere House", 42.3637, -71.0537, "North End"),
        ("Maverick Square", 42.3691, -71.0395, "East Boston"),
        ("Cambridge, Kendall-ish", 42.3736, -71.1097, None),
        ("Brookline Village", 42.3318, -71.1212, None),
        ("Boston Harbor, open water", 42.3400, -71.0000, None),
    ],
)
def test_real_boston_points_find_their_neighborhood(boston, place, lat, lon, expected):
    found = neighborhood_containing(lat=lat, lon=lon)

    assert (found.name if found else None) == expected, place


def test_no_neighborhoods_loaded_means_no_answer():
    assert neighborhood_containing(lat=42.3555, lon=-71.0605) is None


def test_point_on_the_outer_boundary_counts_as_inside():
    NeighborhoodFactory(name="Edge", west=-71.0, south=42.0, size=0.01)

    assert neighborhood_containing(lat=42.0, lon=-70.995).slug == "edge"
    assert neighborhood_containing(lat=42.01, lon=-71.0).slug == "edge"


def test_point_on_a_shared_edge_always_gets_the_first_by_name():
    # Created in the opposite order to their names.
    NeighborhoodFactory(name="Zeta", west=-70.99, south=42.0, size=0.01)
    NeighborhoodFactory(name="Alpha", west=-71.0, south=42.0, size=0.01)

    for _ in range(3):
        assert neighborhood_containing(lat=42.005, lon=-70.99).name == "Alpha"
    assert neighborhood_containing(lat=42.005, lon=-70.985).name == "Zeta"


def test_answer_is_a_neighborhood_of_its_own():
    NeighborhoodFactory(name="Uptown", west=-71.0, south=42.0, size=0.01)

    first = neighborhood_containing(lat=42.005, lon=-70.995)
    first.name = "Changed by a caller"
    second = neighborhood_containing(lat=42.005, lon=-70.995)

    assert second.name == "Uptown"
    assert second.pk == Neighborhood.objects.get().pk
    # The boundary is still there when asked for.
    assert second.boundary["type"] == "Polygon"


def test_a_moved_boundary_is_seen_by_the_next_lookup():
    uptown = NeighborhoodFactory(name="Uptown", west=-71.0, south=42.0, size=0.01)
    assert neighborhood_containing(lat=42.005, lon=-70.995) == uptown

    uptown.boundary = square(west=-70.5, south=42.5, size=0.01)
    uptown.save()

    assert neighborhood_containing(lat=42.005, lon=-70.995) is None
    assert neighborhood_containing(lat=42.505, lon=-70.495) == uptown


def test_a_reload_with_new_boundaries_is_seen_by_the_next_lookup():
    def data(geometry):
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "Uptown"},
                    "geometry": geometry,
                }
            ],
        }

    load_neighborhoods_from_geojson(
        data=data(square(west=-71.0, south=42.0, size=0.01))
    )
    assert neighborhood_containing(lat=42.005, lon=-70.995).name == "Uptown"

    load_neighborhoods_from_geojson(
        data=data(square(west=-70.5, south=42.5, size=0.01))
    )

    assert neighborhood_containing(lat=42.005, lon=-70.995) is None
    assert neighborhood_containing(lat=42.505, lon=-70.495).name == "Uptown"


def test_added_and_deleted_neighborhoods_are_seen_by_the_next_lookup():
    assert neighborhood_containing(lat=42.005, lon=-70.995) is None

    uptown = NeighborhoodFactory(name="Uptown", west=-71.0, south=42.0, size=0.01)
    assert neighborhood_containing(lat=42.005, lon=-70.995) == uptown

    uptown.delete()
    assert neighborhood_containing(lat=42.005, lon=-70.995) is None


def test_change_made_by_another_process_is_noticed_after_the_check_interval(
    monkeypatch,
):
    now = [1000.0]
    monkeypatch.setattr(boundary_index, "_clock", lambda: now[0])
    uptown = NeighborhoodFactory(name="Uptown", west=-71.0, south=42.0, size=0.01)
    assert neighborhood_containing(lat=42.005, lon=-70.995) == uptown

    # Another process moves the boundary: no signal reaches this one, only
    # the row itself changes.
    Neighborhood.objects.filter(pk=uptown.pk).update(
        boundary=square(west=-70.5, south=42.5, size=0.01),
        min_lon=-70.5,
        min_lat=42.5,
        max_lon=-70.49,
        max_lat=42.51,
        updated=timezone.now(),
    )

    # Within the interval this process trusts what it has.
    now[0] += boundary_index.VERSION_CHECK_SECONDS / 2
    assert neighborhood_containing(lat=42.005, lon=-70.995) == uptown

    now[0] += boundary_index.VERSION_CHECK_SECONDS
    assert neighborhood_containing(lat=42.005, lon=-70.995) is None
    assert neighborhood_containing(lat=42.505, lon=-70.495) == uptown


def test_neighborhoods_replaced_by_another_process_are_never_served_stale(
    monkeypatch,
):
    """A flush and reload elsewhere (bulk_create sends no signal) is seen."""
    now = [1000.0]
    monkeypatch.setattr(boundary_index, "_clock", lambda: now[0])
    old = NeighborhoodFactory(name="Uptown", west=-71.0, south=42.0, size=0.01)
    assert neighborhood_containing(lat=42.005, lon=-70.995) == old
    Neighborhood.objects.filter(pk=old.pk).delete()
    Neighborhood.objects.bulk_create(
        [
            Neighborhood(
                name="Downtown",
                slug="downtown",
                boundary=square(west=-71.0, south=42.0, size=0.01),
                min_lon=-71.0,
                min_lat=42.0,
                max_lon=-70.99,
                max_lat=42.01,
            )
        ]
    )
    now[0] += boundary_index.VERSION_CHECK_SECONDS
    assert neighborhood_containing(lat=42.005, lon=-70.995).name == "Downtown"


def test_list_neighborhoods_is_alphabetical():
    for name in ("Roxbury", "Allston", "Mattapan"):
        NeighborhoodFactory(name=name)

    assert [n.name for n in list_neighborhoods()] == ["Allston", "Mattapan", "Roxbury"]


def test_get_neighborhood_by_slug():
    fenway = NeighborhoodFactory(name="Fenway")

    assert get_neighborhood(slug="fenway") == fenway
    assert get_neighborhood(slug="atlantis") is None


def test_overview_map_data_has_every_boundary_simplified(boston):
    data = neighborhoods_map_data(neighborhoods=list_neighborhoods())

    assert data["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    assert len(by_name) == 26
    assert by_name["Fenway"]["properties"]["url"] == "/neighborhoods/fenway/"
    assert by_name["Dorchester"]["geometry"]["type"] == "MultiPolygon"
    # Lighter than what is stored, yet the same place.
    fenway = Neighborhood.objects.get(slug="fenway")
    drawn = by_name["Fenway"]["geometry"]["coordinates"][0]
    assert len(drawn) < len(fenway.boundary["coordinates"][0])
    lons = [lon for lon, _lat in drawn]
    assert min(lons) == pytest.approx(fenway.min_lon, abs=0.0005)


def test_overview_map_data_follows_a_moved_boundary():
    uptown = NeighborhoodFactory(name="Uptown", west=-71.0, south=42.0, size=0.01)
    neighborhoods_map_data(neighborhoods=list_neighborhoods())

    uptown.boundary = square(west=-70.5, south=42.5, size=0.01)
    uptown.save()
    data = neighborhoods_map_data(neighborhoods=list_neighborhoods())

    assert data["features"][0]["geometry"] == square(west=-70.5, south=42.5, size=0.01)


def test_overview_map_data_of_nothing_is_empty():
    assert neighborhoods_map_data(neighborhoods=[]) == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_detail_map_data_has_the_one_boundary(boston):
    east_boston = get_neighborhood(slug="east-boston")

    data = neighborhood_map_data(neighborhood=east_boston)

    (feature,) = data["features"]
    assert feature["properties"]["name"] == "East Boston"
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")

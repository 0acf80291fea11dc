import pytest
from django.db import IntegrityError

from neighborhoods.models import Neighborhood
from neighborhoods.selectors import neighborhood_containing
from neighborhoods.services import (
    NeighborhoodImportError,
    load_neighborhoods_from_file,
    load_neighborhoods_from_geojson,
)

from .conftest import BOSTON_GEOJSON
from .factories import NeighborhoodFactory, square

pytestmark = pytest.mark.django_db

BOSTON_NAMES = {
    "Allston",
    "Back Bay",
    "Bay Village",
    "Beacon Hill",
    "Brighton",
    "Charlestown",
    "Chinatown",
    "Dorchester",
    "Downtown",
    "East Boston",
    "Fenway",
    "Harbor Islands",
    "Hyde Park",
    "Jamaica Plain",
    "Leather District",
    "Longwood",
    "Mattapan",
    "Mission Hill",
    "North End",
    "Roslindale",
    "Roxbury",
    "South Boston",
    "South Boston Waterfront",
    "South End",
    "West End",
    "West Roxbury",
}


def feature(name, geometry, **properties):
    return {
        "type": "Feature",
        "properties": {"name": name, **properties},
        "geometry": geometry,
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def test_loads_every_boston_neighborhood():
    result = load_neighborhoods_from_file(path=BOSTON_GEOJSON)

    assert result.summary() == (
        "26 neighborhoods: 26 created, 0 updated, 0 unchanged, 0 skipped"
    )
    assert set(Neighborhood.objects.values_list("name", flat=True)) == BOSTON_NAMES
    assert Neighborhood.objects.get(name="South Boston Waterfront").slug == (
        "south-boston-waterfront"
    )


def test_self_intersecting_boundary_is_repaired_and_reported():
    result = load_neighborhoods_from_file(path=BOSTON_GEOJSON)

    # The published Hyde Park ring crosses itself at one vertex.
    assert any("Hyde Park" in note for note in result.notes)
    # Hyde Park center, Cleary Square.
    assert neighborhood_containing(lat=42.2557, lon=-71.1245).name == "Hyde Park"


def test_area_matches_the_city_published_acreage(boston_geojson):
    load_neighborhoods_from_geojson(data=boston_geojson)

    for feature_ in boston_geojson["features"]:
        stored = Neighborhood.objects.get(name=feature_["properties"]["Name"])
        published = feature_["properties"]["Acres"]
        assert stored.area_acres == pytest.approx(published, rel=0.005), stored.name


def test_loading_the_same_file_again_changes_nothing(boston_geojson):
    load_neighborhoods_from_geojson(data=boston_geojson)
    before = dict(Neighborhood.objects.values_list("slug", "updated"))

    result = load_neighborhoods_from_geojson(data=boston_geojson)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 26)
    assert dict(Neighborhood.objects.values_list("slug", "updated")) == before


def test_a_moved_boundary_is_updated_and_the_rest_left_unchanged(boston_geojson):
    load_neighborhoods_from_geojson(data=boston_geojson)
    fenway = next(
        f for f in boston_geojson["features"] if f["properties"]["Name"] == "Fenway"
    )
    fenway["geometry"] = square(west=-71.11, south=42.34, size=0.02)

    result = load_neighborhoods_from_geojson(data=boston_geojson)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 25)
    stored = Neighborhood.objects.get(slug="fenway")
    assert stored.boundary == square(west=-71.11, south=42.34, size=0.02)
    assert (stored.min_lon, stored.min_lat) == pytest.approx((-71.11, 42.34))
    assert (stored.max_lon, stored.max_lat) == pytest.approx((-71.09, 42.36))


def test_multipolygon_neighborhood_covers_all_its_parts():
    islands = {
        "type": "MultiPolygon",
        "coordinates": [
            square(west=-70.95, south=42.30, size=0.01)["coordinates"],
            square(west=-70.90, south=42.33, size=0.01)["coordinates"],
        ],
    }

    result = load_neighborhoods_from_geojson(
        data=collection(feature("Islands", islands))
    )

    assert result.created == 1
    assert neighborhood_containing(lat=42.305, lon=-70.945).slug == "islands"
    assert neighborhood_containing(lat=42.335, lon=-70.895).slug == "islands"
    # Between the two islands: water.
    assert neighborhood_containing(lat=42.32, lon=-70.92) is None


@pytest.mark.parametrize("key", ["NBHD_NAME", "Neighborhood", "NAME", "nhood"])
def test_name_property_is_detected_among_common_keys(key):
    data = collection(
        {
            "type": "Feature",
            "properties": {"OBJECTID": 1, key: "Old Town"},
            "geometry": square(west=-71.0, south=42.0, size=0.01),
        }
    )

    load_neighborhoods_from_geojson(data=data)

    assert Neighborhood.objects.get().name == "Old Town"


def test_name_property_can_be_named():
    data = collection(
        feature("ignored", square(west=-71.0, south=42.0, size=0.01), LABEL2="Uptown")
    )

    load_neighborhoods_from_geojson(data=data, name_property="LABEL2")

    assert Neighborhood.objects.get().name == "Uptown"


def test_population_is_read_from_the_named_property():
    data = collection(
        feature("Uptown", square(west=-71.0, south=42.0, size=0.01), POP="12,345"),
        feature("Downtown", square(west=-71.1, south=42.0, size=0.01), POP="n/a"),
    )

    result = load_neighborhoods_from_geojson(data=data, population_property="POP")

    assert Neighborhood.objects.get(slug="uptown").population == 12345
    assert Neighborhood.objects.get(slug="downtown").population is None
    assert any("'n/a'" in note for note in result.notes)


def test_population_set_by_hand_survives_a_reload_without_population():
    data = collection(feature("Uptown", square(west=-71.0, south=42.0, size=0.01)))
    load_neighborhoods_from_geojson(data=data)
    Neighborhood.objects.filter(slug="uptown").update(population=900)

    result = load_neighborhoods_from_geojson(data=data)

    assert result.unchanged == 1
    assert Neighborhood.objects.get(slug="uptown").population == 900


def test_features_of_other_geometry_types_are_skipped_and_counted():
    data = collection(
        feature("Uptown", square(west=-71.0, south=42.0, size=0.01)),
        feature("A bus stop", {"type": "Point", "coordinates": [-71.0, 42.0]}),
        feature("Main Street", {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
        {"type": "Feature", "properties": {"name": "Nowhere"}, "geometry": None},
    )

    result = load_neighborhoods_from_geojson(data=data)

    assert result.summary() == (
        "1 neighborhood: 1 created, 0 updated, 0 unchanged, 3 skipped"
    )
    assert len(result.skipped_reasons) == 3
    assert any("Point" in reason for reason in result.skipped_reasons)
    assert list(Neighborhood.objects.values_list("name", flat=True)) == ["Uptown"]


def test_bow_tie_polygon_is_repaired():
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [
                [-71.0, 42.0],
                [-70.99, 42.01],
                [-70.99, 42.0],
                [-71.0, 42.01],
                [-71.0, 42.0],
            ]
        ],
    }

    result = load_neighborhoods_from_geojson(data=collection(feature("Knot", bow_tie)))

    assert result.created == 1
    assert any("Knot" in note for note in result.notes)
    # Both halves of the bow tie are found.
    assert neighborhood_containing(lat=42.005, lon=-70.998).slug == "knot"
    assert neighborhood_containing(lat=42.005, lon=-70.992).slug == "knot"


def test_geometry_beyond_repair_is_skipped_with_its_reason():
    # All three corners on one line: no area left to repair.
    flat = {
        "type": "Polygon",
        "coordinates": [[[-71.0, 42.0], [-70.5, 42.5], [-70.0, 43.0], [-71.0, 42.0]]],
    }
    data = collection(
        feature("Flatland", flat),
        feature("Uptown", square(west=-71.0, south=42.0, size=0.01)),
    )

    result = load_neighborhoods_from_geojson(data=data)

    assert (result.created, result.skipped) == (1, 1)
    assert "Flatland" in result.skipped_reasons[0]
    assert "invalid geometry" in result.skipped_reasons[0]
    assert not Neighborhood.objects.filter(slug="flatland").exists()


@pytest.mark.parametrize(
    ("bad_feature", "reason"),
    [
        (
            feature("Garbled", {"type": "Polygon", "coordinates": [["x", "y"]]}),
            "('Garbled'): malformed coordinates",
        ),
        (
            feature("", square(west=-71.0, south=42.1, size=0.01)),
            "no value for 'name'",
        ),
        (
            feature("Feet", square(west=770000, south=2950000, size=500)),
            "('Feet'): coordinates are not longitude/latitude",
        ),
    ],
)
def test_unusable_polygon_features_are_skipped_with_a_reason(bad_feature, reason):
    data = collection(
        feature("Uptown", square(west=-71.0, south=42.0, size=0.01)), bad_feature
    )

    result = load_neighborhoods_from_geojson(data=data)

    assert (result.created, result.skipped) == (1, 1)
    assert reason in result.skipped_reasons[0]
    assert Neighborhood.objects.count() == 1


def test_features_sharing_a_name_become_one_boundary():
    data = collection(
        feature("Twin Hills", square(west=-71.0, south=42.0, size=0.01)),
        feature("Twin Hills", square(west=-70.9, south=42.0, size=0.01)),
    )

    result = load_neighborhoods_from_geojson(data=data)

    assert result.created == 1
    assert neighborhood_containing(lat=42.005, lon=-70.995).slug == "twin-hills"
    assert neighborhood_containing(lat=42.005, lon=-70.895).slug == "twin-hills"


def test_neighborhoods_missing_from_the_file_are_kept():
    NeighborhoodFactory(name="Old Harbor")
    data = collection(feature("Uptown", square(west=-71.0, south=42.0, size=0.01)))

    result = load_neighborhoods_from_geojson(data=data)

    assert Neighborhood.objects.filter(slug="old-harbor").exists()
    assert any("1 stored neighborhood" in note for note in result.notes)


# --- Input that cannot be loaded: a clear message, and nothing written. ---


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "got a JSON array"),
        ("Boston", "got a JSON string"),
        (
            feature("Uptown", square(west=-71.0, south=42.0, size=0.01)),
            "got type 'Feature'. Wrap it in a FeatureCollection",
        ),
        (square(west=-71.0, south=42.0, size=0.01), "got type 'Polygon'"),
        ({"type": "FeatureCollection"}, 'no "features" list'),
        (collection(), "has no features"),
    ],
)
def test_not_a_feature_collection_is_refused(data, message):
    with pytest.raises(NeighborhoodImportError, match=message):
        load_neighborhoods_from_geojson(data=data)
    assert not Neighborhood.objects.exists()


def test_file_without_polygons_is_refused():
    data = collection(
        feature("Stop 1", {"type": "Point", "coordinates": [-71.0, 42.0]}),
        feature("Stop 2", {"type": "Point", "coordinates": [-71.1, 42.0]}),
    )

    with pytest.raises(
        NeighborhoodImportError, match="No Polygon or MultiPolygon"
    ) as exc:
        load_neighborhoods_from_geojson(data=data)

    assert "2 Point" in str(exc.value)
    assert not Neighborhood.objects.exists()


def test_unknown_name_property_lists_the_available_ones(boston_geojson):
    with pytest.raises(NeighborhoodImportError) as exc:
        load_neighborhoods_from_geojson(data=boston_geojson, name_property="NBHD")

    message = str(exc.value)
    assert "'NBHD' not found" in message
    for available in ("Acres", "Name", "Neighborhood_ID", "OBJECTID", "SqMiles"):
        assert available in message
    assert not Neighborhood.objects.exists()


def test_undetectable_name_property_asks_for_one():
    data = collection(
        {
            "type": "Feature",
            "properties": {"OBJECTID": 7, "AREA_CODE": "X1"},
            "geometry": square(west=-71.0, south=42.0, size=0.01),
        }
    )

    with pytest.raises(NeighborhoodImportError, match="--name-property") as exc:
        load_neighborhoods_from_geojson(data=data)

    assert "AREA_CODE, OBJECTID" in str(exc.value)
    assert not Neighborhood.objects.exists()


def test_unknown_population_property_is_refused(boston_geojson):
    with pytest.raises(NeighborhoodImportError, match="Population property 'POP2020'"):
        load_neighborhoods_from_geojson(
            data=boston_geojson, population_property="POP2020"
        )
    assert not Neighborhood.objects.exists()


def test_projected_coordinates_are_refused():
    data = collection(feature("Uptown", square(west=770000, south=2950000, size=500)))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2249"}}

    with pytest.raises(NeighborhoodImportError, match=r"EPSG::2249.*EPSG:4326"):
        load_neighborhoods_from_geojson(data=data)
    assert not Neighborhood.objects.exists()


def test_file_where_no_polygon_can_be_used_is_refused():
    data = collection(
        feature("Feet", square(west=770000, south=2950000, size=500)),
        {
            "type": "Feature",
            "properties": {},
            "geometry": square(west=-71, south=42, size=1),
        },
    )

    with pytest.raises(NeighborhoodImportError, match="None of the 2") as exc:
        load_neighborhoods_from_geojson(data=data)

    assert "not longitude/latitude" in str(exc.value)
    assert not Neighborhood.objects.exists()


def test_invalid_json_file_is_refused(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")

    with pytest.raises(NeighborhoodImportError, match=r"not valid JSON.*line 1"):
        load_neighborhoods_from_file(path=path)
    assert not Neighborhood.objects.exists()


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(NeighborhoodImportError, match="File not found"):
        load_neighborhoods_from_file(path=tmp_path / "nowhere.geojson")


def test_a_failure_half_way_writes_nothing(boston_geojson, monkeypatch):
    original_save = Neighborhood.save

    def save_failing_on_fenway(self, *args, **kwargs):
        if self.slug == "fenway":
            raise IntegrityError("disk full")
        original_save(self, *args, **kwargs)

    monkeypatch.setattr(Neighborhood, "save", save_failing_on_fenway)

    with pytest.raises(IntegrityError):
        load_neighborhoods_from_geojson(data=boston_geojson)

    assert not Neighborhood.objects.exists()

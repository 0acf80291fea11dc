import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from neighborhoods.demo import load_demo_neighborhoods
from neighborhoods.models import Neighborhood

from .conftest import BOSTON_GEOJSON
from .factories import square

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("load_neighborhoods", *args, stdout=out)
    return out.getvalue()


def test_loading_boston_prints_the_counts():
    output = run(str(BOSTON_GEOJSON))

    assert "26 neighborhoods: 26 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert "Repaired the boundary of 'Hyde Park'" in output
    assert Neighborhood.objects.count() == 26


def test_loading_again_reports_everything_unchanged():
    run(str(BOSTON_GEOJSON))

    output = run(str(BOSTON_GEOJSON))

    assert "26 neighborhoods: 0 created, 0 updated, 26 unchanged, 0 skipped" in output


def test_name_and_population_properties_can_be_named(tmp_path):
    path = tmp_path / "city.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"HOOD": "Uptown", "POP": 4200},
                        "geometry": square(west=-71.0, south=42.0, size=0.01),
                    },
                    {
                        "type": "Feature",
                        "properties": {"HOOD": "Bus stop"},
                        "geometry": {"type": "Point", "coordinates": [-71.0, 42.0]},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )

    output = run(str(path), "--name-property", "HOOD", "--population-property", "POP")

    assert "1 neighborhood: 1 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "Skipped 1 feature with Point" in output
    assert Neighborhood.objects.get().population == 4200


def test_unknown_name_property_is_a_command_error_listing_the_properties():
    with pytest.raises(CommandError) as exc:
        run(str(BOSTON_GEOJSON), "--name-property", "NBHD")

    assert "'NBHD' not found" in str(exc.value)
    assert "Available properties: Acres" in str(exc.value)
    assert not Neighborhood.objects.exists()


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match=r"File not found: .*nowhere\.geojson"):
        run(str(tmp_path / "nowhere.geojson"))


def test_invalid_json_is_a_command_error(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="is not valid JSON"):
        run(str(path))
    assert not Neighborhood.objects.exists()


def test_a_single_feature_is_a_command_error(tmp_path):
    path = tmp_path / "feature.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"name": "Uptown"},
                "geometry": square(west=-71.0, south=42.0, size=0.01),
            }
        ),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="Expected a GeoJSON FeatureCollection"):
        run(str(path))


def test_demo_loader_loads_boston_once():
    first = load_demo_neighborhoods()
    second = load_demo_neighborhoods()

    assert (first.created, second.created, second.unchanged) == (26, 0, 26)
    assert Neighborhood.objects.filter(name="Jamaica Plain").exists()

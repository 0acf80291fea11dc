import copy
import json
from pathlib import Path

import pytest
from django.conf import settings

from neighborhoods.demo import load_demo_neighborhoods

BOSTON_GEOJSON = (
    Path(settings.BASE_DIR) / "demo" / "data" / "boston_neighborhoods.geojson"
)


@pytest.fixture(scope="session")
def _boston_data() -> dict:
    return json.loads(BOSTON_GEOJSON.read_text(encoding="utf-8"))


@pytest.fixture
def boston_geojson(_boston_data) -> dict:
    """The real Boston FeatureCollection, safe to modify in a test."""
    return copy.deepcopy(_boston_data)


@pytest.fixture
def boston(db):
    """The database holding Boston's 26 real neighborhoods."""
    return load_demo_neighborhoods()

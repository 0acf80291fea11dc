import copy
import json
from pathlib import Path

import pytest
from django.conf import settings

from neighborhoods import boundary_index
from neighborhoods.demo import load_demo_neighborhoods

BOSTON_GEOJSON = (
    Path(settings.BASE_DIR) / "demo" / "data" / "boston_neighborhoods.geojson"
)


@pytest.fixture(autouse=True)
def _fresh_boundary_index():
    """Rolled-back test data sends no signal, so the per-process lookup index
    would otherwise carry one test's neighborhoods into the next."""
    boundary_index.reset()
    yield
    boundary_index.reset()


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

import pytest

from neighborhoods.demo import load_demo_neighborhoods


@pytest.fixture
def boston(db):
    """The 26 real Boston neighborhoods, so points resolve to places."""
    return load_demo_neighborhoods()

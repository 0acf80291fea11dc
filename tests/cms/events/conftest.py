import pytest

import cms.events.receivers  # noqa: F401  (connected by CmsConfig.ready once wired)
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _default_rules(request):
    """Transactional tests flush the migration-seeded points rules."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from points.services import ensure_default_rules

        request.getfixturevalue("db")
        ensure_default_rules()


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Vera Volunteer")

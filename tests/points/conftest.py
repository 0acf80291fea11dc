import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _default_rules(request):
    """Browser tests flush the reused database, taking the migration-seeded
    rules with it; these tests edit the rules, so they must exist first."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from points.services import ensure_default_rules

        request.getfixturevalue("db")
        ensure_default_rules()


@pytest.fixture
def resident(db):
    return UserFactory()


@pytest.fixture
def source(db):
    """Any saved model instance can earn points; a user row is the simplest."""
    return UserFactory()

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.selectors import has_verified_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_verified_accounts_may_contribute():
    assert has_verified_email(user=UserFactory()) is True
    assert has_verified_email(user=UserFactory(verified=False)) is False
    assert has_verified_email(user=AnonymousUser()) is False

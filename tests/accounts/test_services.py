import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.test import Client

from accounts import personal_data, services
from accounts.models import FORMER_RESIDENT_NAME, User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_update_profile_changes_only_the_personal_choices():
    user = UserFactory(display_name="Old")
    services.update_profile(
        user=user,
        display_name="  New name ",
        show_on_leaderboards=True,
        public_profile=True,
    )
    user.refresh_from_db()
    assert (user.display_name, user.show_on_leaderboards, user.public_profile) == (
        "New name",
        True,
        True,
    )


def test_update_profile_refuses_an_overlong_name():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.update_profile(
            user=user,
            display_name="x" * 61,
            show_on_leaderboards=False,
            public_profile=False,
        )


def test_privacy_choices_start_off():
    user = User.objects.create_user("fresh@example.org", "pw-long-enough-123")
    assert user.show_on_leaderboards is False
    assert user.public_profile is False


def test_export_contains_account_and_registered_sections(monkeypatch):
    user = UserFactory(email="export@example.org", display_name="Exporter")
    monkeypatch.setattr(
        personal_data, "_exporters", {"reports": lambda u: [{"by": u.email}]}
    )
    data = services.export_personal_data(user=user)
    assert data["account"]["email"] == "export@example.org"
    assert data["account"]["display_name"] == "Exporter"
    assert data["reports"] == [{"by": "export@example.org"}]


def test_delete_account_removes_personal_data_and_keeps_the_row():
    user = UserFactory(email="gone@example.org", display_name="Gone Soon")
    services.delete_account(user=user)
    user.refresh_from_db()
    assert user.is_deleted
    assert user.public_name == FORMER_RESIDENT_NAME
    assert "gone@example.org" not in user.email
    assert user.display_name == ""
    assert not user.is_active
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(email="gone@example.org").exists()


def test_delete_account_ends_every_session_of_the_user():
    user = UserFactory()
    other = UserFactory()
    phone, laptop, someone_else = Client(), Client(), Client()
    for client, who in ((phone, user), (laptop, user), (someone_else, other)):
        assert client.login(email=who.email, password=DEFAULT_PASSWORD)
    services.delete_account(user=user)
    assert phone.get("/accounts/profile/").status_code == 302
    assert laptop.get("/accounts/profile/").status_code == 302
    assert someone_else.get("/accounts/profile/").status_code == 200


def test_delete_account_runs_registered_erasers(monkeypatch):
    erased = []
    monkeypatch.setattr(personal_data, "_erasers", {"x": erased.append})
    user = UserFactory()
    services.delete_account(user=user)
    assert erased == [user]


def test_deleted_email_can_sign_up_again():
    user = UserFactory(email="again@example.org")
    services.delete_account(user=user)
    assert User.objects.create_user("again@example.org", "pw-long-enough-123")

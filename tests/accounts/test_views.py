import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern-cobble-street-9"


def signup(client, email="new@example.org", password=GOOD_PASSWORD, password2=None):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": password,
            "password2": password2 or password,
            "display_name": "Newbie",
        },
    )


def test_browsing_needs_no_account(client):
    assert client.get("/").status_code == 200


def test_signup_sends_a_verification_email_and_login_waits_for_it(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.display_name == "Newbie"
    assert len(mail.outbox) == 1
    assert "confirm-email" in mail.outbox[0].body
    response = client.post(
        reverse("account_login"),
        {"login": "new@example.org", "password": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_verification_link_verifies_the_email(client):
    signup(client)
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body).group(0)
    client.post(link)
    assert EmailAddress.objects.get(email="new@example.org").verified


def test_bad_verification_link_says_so(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert b"expired or is invalid" in response.content


def test_signup_with_taken_email_is_refused_clearly(client):
    UserFactory(email="taken@example.org")
    response = signup(client, email="taken@example.org")
    assert response.status_code == 200
    assert b"already registered" in response.content
    assert User.objects.filter(email="taken@example.org").count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", b"too short"),
        ("password1234", b"too common"),
        ("73829104658", b"entirely numeric"),
    ],
)
def test_signup_with_weak_password_is_refused_clearly(client, password, message):
    response = signup(client, password=password)
    assert response.status_code == 200
    assert message in response.content
    assert not User.objects.filter(email="new@example.org").exists()
    # Nothing typed is lost: the email stays in the form.
    assert b'value="new@example.org"' in response.content


def test_expired_reset_token_says_so(client):
    user = UserFactory()
    response = client.get(f"/accounts/password/reset/key/{user.pk}-not-a-token/")
    assert response.status_code == 200
    assert b"invalid" in response.content.lower()


def test_password_reset_sends_a_link(client):
    user = UserFactory(email="forgot@example.org")
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_failed_logins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429 or b"Too many" in response.content


def test_profile_edits_own_choices_only(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Corner Fixer",
            "public_profile": "on",
            "is_staff": "on",
            "email": "hijack@example.org",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Corner Fixer"
    assert user.public_profile is True
    assert user.is_staff is False
    assert user.email != "hijack@example.org"


def test_profile_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_export_is_a_json_download_of_the_signed_in_user(client):
    user = UserFactory(email="mine@example.org")
    UserFactory(email="theirs@example.org")
    client.force_login(user)
    assert client.get(reverse("accounts:export")).status_code == 405
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "mine@example.org"
    assert b"theirs@example.org" not in response.content


def test_delete_account_needs_the_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert b"That password is not right." in response.content
    user.refresh_from_db()
    assert not user.is_deleted


def test_delete_account_signs_out_and_confirms(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:delete"), {"password": DEFAULT_PASSWORD}, follow=True
    )
    assert b"Your account is deleted" in response.content
    user.refresh_from_db()
    assert user.is_deleted
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = client.get("/admin/")
    assert reverse("account_login") in response["Location"]

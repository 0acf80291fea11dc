import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import User
from activity.models import Activity
from cms.events.demo import DEMO_VOLUNTEERS
from engagement.models import ServiceRequest
from neighborhoods.models import Neighborhood
from points.models import BadgeAward, Campaign
from points.selectors import total_points

pytestmark = pytest.mark.django_db


def test_load_demo_data_is_idempotent(capsys):
    call_command("load_demo_data")
    first = capsys.readouterr().out
    assert "26 created" in first
    call_command("load_demo_data")
    second = capsys.readouterr().out
    assert "0 created" in second and "26 unchanged" in second
    assert Neighborhood.objects.count() == 26
    # The demo roles, plus the volunteers who fill the demo events' shifts.
    assert User.objects.count() == len(DEMO_ACCOUNTS) + len(DEMO_VOLUNTEERS)
    # Real Boston 311 samples, and three reports filed as a resident would,
    # which put something on the live feed.
    assert ServiceRequest.objects.filter(source="import").count() > 7000
    resident_reports = ServiceRequest.objects.filter(
        reporter__email="resident@civicpulse.local"
    )
    assert resident_reports.count() == 3
    assert Activity.objects.filter(kind="request.filed").count() == 3
    # The demo staff lead took on the resident's pothole: points and a badge.
    rosa = User.objects.get(email="resident@civicpulse.local")
    assert total_points(user=rosa) > 0
    assert BadgeAward.objects.filter(user=rosa, badge="reporter").count() == 1
    assert Campaign.objects.count() == 1


def test_demo_accounts_can_sign_in_with_printed_logins(capsys):
    call_command("load_demo_data")
    call_command("demo_logins")
    printed = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account.email in printed and account.password in printed
        assert EmailAddress.objects.get(email=account.email).verified
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": account.email, "password": account.password}
        )
        assert response.status_code == 302, account.role
        assert response["Location"] == "/accounts/profile/"


def test_staff_and_organizer_may_enter_the_cms_but_residents_not():
    call_command("load_demo_data")
    for role, allowed in (
        ("staff", True),
        ("organizer", True),
        ("admin", True),
        ("resident", False),
    ):
        user = User.objects.get(email=f"{role}@civicpulse.local")
        assert user.has_perm("wagtailadmin.access_admin") is allowed, role


@override_settings(DEMO_DATA_ALLOWED=False)
def test_demo_data_is_refused_where_not_allowed():
    with pytest.raises(CommandError, match="not allowed"):
        call_command("load_demo_data")
    assert not User.objects.exists()


def test_demo_pages_show_points_leaderboard_and_campaign(client):
    call_command("load_demo_data")
    board = client.get("/leaderboards").content.decode()
    assert "Rosa R." in board
    assert "resident@civicpulse.local" not in board
    assert client.get("/campaigns/light-up-the-streets").status_code == 200

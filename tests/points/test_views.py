"""The public leaderboards and rules page, and a person's own points page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import export_personal_data
from points import services
from points.models import PointsEntry, PointsRule
from points.selectors import city_leaderboard
from tests.engagement.factories import ServiceRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def give(user, count=1, reason="report_accepted"):
    for source in UserFactory.create_batch(count):
        services.award_points(user=user, reason=reason, source=source)


def test_the_leaderboards_show_only_people_who_opted_in(client):
    shown = UserFactory(display_name="Opted In Olga", show_on_leaderboards=True)
    hidden = UserFactory(display_name="Private Pat", email="pat@example.org")
    give(shown, 2)
    give(hidden, 3)
    response = client.get("/leaderboards")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opted In Olga" in html
    assert "Private Pat" not in html
    assert shown.email not in html and "pat@example.org" not in html
    assert html.count("Opted In Olga") == 3  # week, month, all time
    # The navigation links to it now that it exists.
    assert f'href="{reverse("points:leaderboards")}"' in html


def test_deleted_accounts_leave_the_leaderboards(client):
    gone = UserFactory(display_name="Gone Gary", show_on_leaderboards=True)
    give(gone)
    gone.deleted_at = timezone.now()
    gone.save()
    assert "Gone Gary" not in client.get("/leaderboards").content.decode()


def test_leaderboards_rank_by_points(client):
    low = UserFactory(display_name="Low Lou", show_on_leaderboards=True)
    high = UserFactory(display_name="High Hana", show_on_leaderboards=True)
    give(low, 1)
    give(high, 3)
    html = client.get("/leaderboards").content.decode()
    assert html.index("High Hana") < html.index("Low Lou")
    assert "30" in html


def test_how_points_work_lists_the_active_rules(client):
    PointsRule.objects.filter(reason="comment_posted").update(active=False)
    html = client.get(reverse("points:how")).content.decode()
    assert "A report the city accepted" in html
    assert "A comment in a planning discussion" not in html
    assert "Reporter" in html


def test_the_points_page_needs_a_sign_in(client):
    response = client.get("/profile/points")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_points_page_shows_history_badges_and_level(client):
    person = UserFactory()
    request = ServiceRequestFactory()
    services.award_points(user=person, reason="support_given", source=request)
    give(person, 5)
    services.reverse_points(
        user=person, reason="support_given", source=request, why="Merged"
    )
    client.force_login(person)
    response = client.get("/profile/points")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>50</strong> points" in html
    assert "Level 2: Neighbor" in html
    assert 'value="0"' in html  # 50 of the 50→150 span
    assert request.get_absolute_url() in html
    assert "Correction: Support for a neighbor" in html
    assert "level 2 of 5" in html  # Reporter at 5 accepted reports
    assert "next level at 10" in html


def test_the_profile_page_links_to_points(client):
    person = UserFactory()
    client.force_login(person)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("points:profile") in html


def test_old_points_count_for_all_time_only():
    person = UserFactory(display_name="Veteran Vic", show_on_leaderboards=True)
    PointsEntry.objects.create(
        user=person,
        amount=40,
        reason="report_accepted",
        source_type="accounts.user",
        source_id="1",
        created=timezone.now() - timedelta(days=45),
    )
    assert city_leaderboard(period="week") == []
    assert city_leaderboard(period="month") == []
    [row] = city_leaderboard(period="all")
    assert (row.rank, row.name, row.points) == (1, "Veteran Vic", 40)


def test_the_personal_data_export_holds_the_ledger_and_badges():
    person = UserFactory()
    give(person, 1)
    data = export_personal_data(user=person)
    assert data["points"]["entries"][0]["reason"] == "report_accepted"
    assert data["points"]["badges"] == [
        {
            "badge": "reporter",
            "level": 1,
            "created": data["points"]["badges"][0]["created"],
        }
    ]

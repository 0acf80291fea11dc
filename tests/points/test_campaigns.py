"""Campaigns: a time box, the work that counts, goals and a bonus paid once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from points import services
from points.models import Campaign, PointsEntry
from points.selectors import campaign_progress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    now = timezone.now()
    return Campaign.objects.create(
        title="Spring support drive",
        slug="spring-support",
        starts=now - timedelta(days=1),
        ends=now + timedelta(days=6),
        reasons=["support_given"],
        neighborhood_slugs=["roxbury"],
        individual_goal=3,
        community_goal=10,
        bonus=40,
    )


def support(user, *, slug="roxbury"):
    return services.award_points(
        user=user,
        reason="support_given",
        source=UserFactory(),
        neighborhood_slug=slug,
        neighborhood_name=slug.title(),
    )


def bonuses(user):
    return PointsEntry.objects.filter(user=user, reason="campaign_completed")


def test_the_bonus_is_awarded_once_on_reaching_the_individual_goal(resident, campaign):
    support(resident)
    support(resident)
    assert not bonuses(resident).exists()
    support(resident)
    assert [e.amount for e in bonuses(resident)] == [40]
    support(resident)
    assert bonuses(resident).count() == 1
    progress = campaign_progress(campaign=campaign, user=resident)
    assert progress.completed and progress.individual_percent == 100
    assert progress.community_points == 4 and progress.community_percent == 40


def test_work_elsewhere_or_of_other_kinds_does_not_count(resident, campaign):
    for _ in range(3):
        support(resident, slug="fenway")
    services.award_points(user=resident, reason="report_accepted", source=UserFactory())
    assert not bonuses(resident).exists()
    assert campaign_progress(campaign=campaign, user=resident).individual_points == 0


def test_an_ended_campaign_pays_nothing(resident, campaign):
    campaign.ends = timezone.now() - timedelta(minutes=1)
    campaign.starts = campaign.ends - timedelta(days=2)
    campaign.save()
    for _ in range(3):
        support(resident)
    assert not bonuses(resident).exists()


def test_the_campaign_page_shows_progress_bars(client, resident, campaign):
    support(resident)
    support(UserFactory())
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "Spring support drive" in html and "2 of 10 points" in html
    assert "Sign in" in html
    client.force_login(resident)
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert html.count("<progress") == 2 and "1 of 3 points" in html
    assert client.get("/campaigns/nope").status_code == 404


def test_the_leaderboards_link_running_campaigns(client, campaign):
    html = client.get("/leaderboards").content.decode()
    assert f'href="{campaign.get_absolute_url()}"' in html


def test_profile_lists_running_campaigns_with_own_progress(client):
    from points.demo import create_demo_campaign

    campaign = create_demo_campaign()
    person = UserFactory()
    client.force_login(person)
    html = client.get("/profile/points").content.decode()
    assert campaign.title in html
    assert f"0 of {campaign.individual_goal} points" in html
    assert campaign.get_absolute_url() in html

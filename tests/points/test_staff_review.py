"""Staff find accounts farming points and put their awards on hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from points import services
from points.models import PointsEntry, PointsHold
from points.selectors import farming_suspects
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/staff/points/review"


def entry(user, amount, *, days_ago: float, n: int):
    PointsEntry.objects.create(
        user=user,
        amount=amount,
        reason="support_given",
        source_type="test.thing",
        source_id=f"{user.pk}-{n}",
        created=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def farmer():
    user = UserFactory(display_name="Farming Fran")
    for n in range(60):
        entry(user, 1, days_ago=0.1, n=n)  # 60 points today, nothing before
    return user


@pytest.fixture
def regular():
    user = UserFactory(display_name="Steady Sam")
    for n in range(30):
        entry(user, 10, days_ago=2 + n, n=n)  # 10 a day for a month
    for n in range(6):
        entry(user, 10, days_ago=0.2, n=100 + n)  # 60 today: busy, not 5x
    for n in range(20):
        entry(user, 10, days_ago=3 + n / 2, n=200 + n)  # a busy month: 500
    return user


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def test_only_a_day_far_above_the_persons_own_average_is_flagged(farmer, regular):
    small = UserFactory()
    for n in range(10):
        entry(small, 1, days_ago=0.1, n=n)  # 10x nothing, but under the floor
    assert [s.name for s in farming_suspects()] == ["Farming Fran"]


def test_staff_see_the_suspects_and_hold_then_release(client, staff, farmer):
    client.force_login(staff)
    html = client.get(URL).content.decode()
    assert "Farming Fran" in html and "Hold awards" in html
    response = client.post(URL, {"user_id": farmer.pk, "action": "hold"})
    assert response.status_code == 302
    hold = PointsHold.objects.get(user=farmer)
    assert hold.created_by == staff
    award = services.award_points(
        user=farmer, reason="report_accepted", source=UserFactory()
    )
    assert award.skipped == "awards are on hold"
    html = client.get(URL).content.decode()
    assert "On hold" in html and "Release" in html
    client.post(URL, {"user_id": farmer.pk, "action": "release"})
    assert not PointsHold.objects.filter(user=farmer).exists()


def test_residents_get_403(client, farmer):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"user_id": farmer.pk, "action": "hold"}).status_code == 403
    assert not PointsHold.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_the_hold_button_needs_a_csrf_token(staff, farmer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(URL, {"user_id": farmer.pk, "action": "hold"}).status_code == 403
    assert not PointsHold.objects.exists()

"""Badges follow the ledger: each level once, and recomputing agrees."""

import io

import pytest
from django.core.management import call_command

from activity.models import Activity, Notification
from points import services
from points.badges import BADGES_BY_CODE, level_progress
from points.models import BadgeAward
from points.selectors import badge_progress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def support_many(user, count):
    for source in UserFactory.create_batch(count):
        services.award_points(user=user, reason="support_given", source=source)


@pytest.fixture(autouse=True)
def _no_caps():
    from points.models import PointsRule

    PointsRule.objects.update(daily_cap=None)


def levels(user, badge):
    return list(
        BadgeAward.objects.filter(user=user, badge=badge).values_list(
            "level", flat=True
        )
    )


def test_reporter_levels_are_earned_at_their_thresholds(resident):
    earned = []
    for source in UserFactory.create_batch(10):
        award = services.award_points(
            user=resident, reason="report_accepted", source=source
        )
        earned.append([b.level for b in award.badges])
    # Thresholds 1, 5, 10: earned on the 1st, 5th and 10th acceptance.
    assert earned[0] == [1] and earned[4] == [2] and earned[9] == [3]
    assert sum(len(e) for e in earned) == 3
    assert levels(resident, "reporter") == [1, 2, 3]


def test_supporter_needs_five_supports_for_its_first_level(resident):
    support_many(resident, 4)
    assert levels(resident, "supporter") == []
    support_many(resident, 1)
    assert levels(resident, "supporter") == [1]


def test_level_thresholds_of_the_badge_data():
    fixer = BADGES_BY_CODE["fixer"]
    assert [fixer.level_for(n) for n in (0, 1, 4, 5, 15, 49, 50, 999)] == [
        0,
        1,
        1,
        2,
        3,
        4,
        5,
        5,
    ]
    assert fixer.next_threshold(2) == 15 and fixer.next_threshold(5) is None


def test_a_badge_is_announced_once_publicly_only_with_a_public_profile(resident):
    public_person = UserFactory(public_profile=True)
    for person in (resident, public_person):
        services.award_points(user=person, reason="fix_confirmed", source=person)
    private = Activity.objects.get(kind="badge.earned", actor=resident)
    public = Activity.objects.get(kind="badge.earned", actor=public_person)
    assert not private.public and public.public
    assert Notification.objects.filter(user=resident, activity=private).exists()


def test_recompute_gives_what_incremental_awards_gave(resident):
    other = UserFactory()
    support_many(resident, 16)
    for source in UserFactory.create_batch(5):
        services.award_points(user=other, reason="report_accepted", source=source)
    before = set(BadgeAward.objects.values_list("user_id", "badge", "level"))
    assert (resident.pk, "supporter", 2) in before
    BadgeAward.objects.all().delete()
    out = io.StringIO()
    call_command("recompute_badges", stdout=out)
    assert out.getvalue().startswith(f"{len(before)} badge level")
    after = set(BadgeAward.objects.values_list("user_id", "badge", "level"))
    assert after == before
    # Running it again grants nothing new.
    assert services.recompute_badges() == 0


def test_badge_progress_names_the_next_threshold(resident):
    support_many(resident, 6)
    progress = {p.badge.code: p for p in badge_progress(user=resident)}
    assert progress["supporter"].level == 1
    assert progress["supporter"].score == 6
    assert progress["supporter"].next_threshold == 15
    assert progress["reporter"].level == 0
    assert progress["reporter"].next_threshold == 1


def test_levels_from_total_points():
    assert level_progress(0).level.name == "Newcomer"
    middle = level_progress(100)
    assert middle.level.name == "Neighbor"
    assert middle.percent == 50 and middle.points_to_next == 50
    top = level_progress(10_000)
    assert top.next_level is None and top.percent == 100


def test_planner_and_volunteer_count_their_reasons(resident):
    services.award_points(user=resident, reason="comment_posted", source=resident)
    award = services.award_points(
        user=resident, reason="volunteer_hour", source=resident, amount=30
    )
    assert [(b.badge, b.level) for b in award.badges] == [("volunteer", 1)]
    assert levels(resident, "planner") == [1]

"""Explorer (neighborhoods) and Streak (weeks in a row) badges, with time travel:
entries are inserted with the date they happened, as the ledger allows."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from points import services
from points.badges import BADGES_BY_CODE, explorer_score, streak_score
from points.models import BadgeAward, PointsEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 1, 5)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def act(user, *, day: date, slug: str | None = None, reason="support_given"):
    """One civic action on ``day``, then the badge check an award makes."""
    source = UserFactory()
    entry = PointsEntry.objects.create(
        user=user,
        amount=1,
        reason=reason,
        source_type="accounts.user",
        source_id=str(source.pk),
        neighborhood_slug=slug,
        neighborhood_name=(slug or "").title(),
        created=at(day),
    )
    services.grant_earned_badges(user=user, reasons=[reason])
    return entry, source


def levels(user, code):
    return sorted(
        BadgeAward.objects.filter(user=user, badge=code).values_list("level", flat=True)
    )


def test_streak_score_counts_the_longest_run_of_iso_weeks():
    assert streak_score([]) == 0
    # Sunday then the next Monday: two ISO weeks in a row.
    assert streak_score([date(2026, 1, 11), date(2026, 1, 12)]) == 2
    # Two actions in one week count once; a missed week breaks the run.
    weeks = [MONDAY + timedelta(weeks=n) for n in (0, 0, 1, 2, 4, 5)]
    assert streak_score(weeks) == 3
    # Across the new year: 2026 has an ISO week 53, then week 1 of 2027.
    assert streak_score([date(2026, 12, 23), date(2026, 12, 30), date(2027, 1, 6)]) == 3


def test_explorer_score_counts_distinct_places():
    assert explorer_score(["a", "b", "a", None, ""]) == 2
    assert BADGES_BY_CODE["explorer"].thresholds == (1, 2, 3, 5, 8)
    assert BADGES_BY_CODE["streak"].thresholds == (2, 4, 8, 16, 52)


def test_explorer_levels_follow_new_neighborhoods(resident):
    for slug in ("roxbury", "roxbury", "fenway", "allston"):
        act(resident, day=MONDAY, slug=slug)
    assert levels(resident, "explorer") == [1, 2, 3]
    act(resident, day=MONDAY)  # no place: explores nothing
    assert levels(resident, "explorer") == [1, 2, 3]


def test_streak_levels_over_weeks_of_time_travel(resident):
    for week in range(3):
        act(resident, day=MONDAY + timedelta(weeks=week, days=week))
    assert levels(resident, "streak") == [1]
    act(resident, day=MONDAY + timedelta(weeks=3, days=6))  # a Sunday
    assert levels(resident, "streak") == [1, 2]
    act(resident, day=MONDAY + timedelta(weeks=5))  # a gap: run restarts
    assert levels(resident, "streak") == [1, 2]


def test_a_corrected_award_neither_explores_nor_extends_a_streak(resident):
    act(resident, day=MONDAY, slug="roxbury", reason="report_accepted")
    _, source = act(
        resident,
        day=MONDAY + timedelta(weeks=1),
        slug="fenway",
        reason="report_accepted",
    )
    services.reverse_points(
        user=resident, reason="report_accepted", source=source, why="duplicate"
    )
    BadgeAward.objects.filter(user=resident).delete()
    services.recompute_badges(users=[resident])
    assert levels(resident, "explorer") == [1]
    assert levels(resident, "streak") == []


def test_recompute_equals_incremental_for_explorer_and_streak():
    incremental = UserFactory()
    slugs = ["a", "b", "c", "d", "e", "f", "g", "h", "a"]
    days = [MONDAY + timedelta(weeks=n) for n in range(16)] + [
        MONDAY + timedelta(weeks=20)
    ]
    for n, day in enumerate(days):
        act(incremental, day=day, slug=slugs[n % len(slugs)])
    expected = {code: levels(incremental, code) for code in ("explorer", "streak")}
    assert expected == {"explorer": [1, 2, 3, 4, 5], "streak": [1, 2, 3, 4]}
    BadgeAward.objects.filter(user=incremental).delete()
    services.recompute_badges(users=[incremental])
    assert {code: levels(incremental, code) for code in expected} == expected


def test_award_points_checks_explorer_with_the_place_it_is_given(resident, source):
    award = services.award_points(
        user=resident,
        reason="report_accepted",
        source=source,
        neighborhood_slug="roxbury",
        neighborhood_name="Roxbury",
    )
    assert ("explorer", 1) in {(b.badge, b.level) for b in award.badges}

"""Badges and levels as data: what each badge counts and where its levels start.

Most badges score a count of ledger entries of one reason, less the
corrections of that reason. Explorer and Streak score every civic action
that still counts (an award not corrected) with a function of its own
(``explorer_score``, ``streak_score``). Either way a score is derived from
the ledger only, so badges can always be recomputed
(``manage.py recompute_badges``) and give what the awards gave one by one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from . import rules

# How a badge is scored: a count of its reason, or a function of all actions.
COUNT = "count"
NEIGHBORHOODS = "neighborhoods"
WEEK_STREAK = "week_streak"


@dataclass(frozen=True)
class Badge:
    code: str
    name: str
    description: str
    reason: str
    thresholds: tuple[int, ...]
    scoring: str = COUNT

    def counts(self, reason: str) -> bool:
        """Whether an award of ``reason`` can move this badge's score."""
        return self.scoring != COUNT or reason == self.reason

    def level_for(self, score: int) -> int:
        """The highest level whose threshold ``score`` reaches (0 for none)."""
        return sum(1 for threshold in self.thresholds if score >= threshold)

    def next_threshold(self, level: int) -> int | None:
        return self.thresholds[level] if level < len(self.thresholds) else None


BADGES: tuple[Badge, ...] = (
    Badge(
        code="reporter",
        name="Reporter",
        description="Reports the city accepted.",
        reason=rules.REPORT_ACCEPTED,
        thresholds=(1, 5, 10, 30, 60),
    ),
    Badge(
        code="fixer",
        name="Fixer",
        description="Fixes you confirmed on your own reports.",
        reason=rules.FIX_CONFIRMED,
        thresholds=(1, 5, 15, 30, 50),
    ),
    Badge(
        code="supporter",
        name="Supporter",
        description="Neighbors' reports you supported.",
        reason=rules.SUPPORT_GIVEN,
        thresholds=(5, 15, 50, 100, 500),
    ),
    # Counted from the ledger like the others, but nothing awards their
    # reasons yet: volunteering and planning discussions call award_points
    # once they are built.
    Badge(
        code="volunteer",
        name="Volunteer",
        description="Hours you volunteered at neighborhood events.",
        reason=rules.VOLUNTEER_HOUR,
        thresholds=(1, 10, 25, 50, 100),
    ),
    Badge(
        code="planner",
        name="Planner",
        description="Comments in neighborhood planning discussions.",
        reason=rules.COMMENT_POSTED,
        thresholds=(1, 10, 25, 50, 100),
    ),
    Badge(
        code="explorer",
        name="Explorer",
        description="Neighborhoods where your civic work counted.",
        reason="",
        thresholds=(1, 2, 3, 5, 8),
        scoring=NEIGHBORHOODS,
    ),
    Badge(
        code="streak",
        name="Streak",
        description="Weeks in a row with a civic action that counted.",
        reason="",
        thresholds=(2, 4, 8, 16, 52),
        scoring=WEEK_STREAK,
    ),
)
BADGES_BY_CODE: dict[str, Badge] = {badge.code: badge for badge in BADGES}


def explorer_score(neighborhood_slugs: Iterable[str | None]) -> int:
    """Distinct neighborhoods among the actions; work with no place is skipped."""
    return len({slug for slug in neighborhood_slugs if slug})


def streak_score(days: Iterable[date]) -> int:
    """The longest run of consecutive ISO weeks with at least one action.

    Weeks, not days, so a resident with a job is not punished for a busy
    Tuesday; the longest run, not the current one, because a level once
    reached is kept.
    """
    mondays = sorted({day - timedelta(days=day.weekday()) for day in days})
    best = run = 0
    previous = None
    for monday in mondays:
        run = run + 1 if previous and monday - previous == timedelta(weeks=1) else 1
        best = max(best, run)
        previous = monday
    return best


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    threshold: int


# Total points at which each level starts.
LEVELS: tuple[Level, ...] = (
    Level(1, "Newcomer", 0),
    Level(2, "Neighbor", 50),
    Level(3, "Helper", 150),
    Level(4, "Advocate", 400),
    Level(5, "Champion", 1000),
    Level(6, "Civic hero", 2500),
)


@dataclass(frozen=True)
class LevelProgress:
    level: Level
    next_level: Level | None
    points: int

    @property
    def percent(self) -> int:
        """How far from this level's start to the next one (100 at the top)."""
        if self.next_level is None:
            return 100
        span = self.next_level.threshold - self.level.threshold
        return min(100, max(0, (self.points - self.level.threshold) * 100 // span))

    @property
    def points_to_next(self) -> int | None:
        if self.next_level is None:
            return None
        return self.next_level.threshold - self.points


def level_progress(points: int) -> LevelProgress:
    """The level ``points`` reach and how far it is to the next one."""
    reached = [level for level in LEVELS if points >= level.threshold] or [LEVELS[0]]
    current = reached[-1]
    following = LEVELS[current.number] if current.number < len(LEVELS) else None
    return LevelProgress(level=current, next_level=following, points=points)

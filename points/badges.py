"""Badges and levels as data: what each badge counts and where its levels start.

A badge's score is a count of ledger entries of one reason, less the
corrections of that reason, so badges can always be recomputed from the
ledger (``manage.py recompute_badges``). Explorer (neighborhoods visited) and
Streak (days in a row) badges are not counts of one reason, so they wait for
the features and a score function of their own.
"""

from dataclasses import dataclass

from . import rules


@dataclass(frozen=True)
class Badge:
    code: str
    name: str
    description: str
    reason: str
    thresholds: tuple[int, ...]

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
)
BADGES_BY_CODE: dict[str, Badge] = {badge.code: badge for badge in BADGES}


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

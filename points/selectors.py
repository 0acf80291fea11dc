"""Reads of the ledger: balances, history, badges, levels and leaderboards.

Everything a page shows is computed here, so templates never run queries.
Leaderboards show only people who opted in, by display name, never with an
email or a place.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import User

from .badges import BADGES, Badge, LevelProgress, level_progress
from .models import REVERSAL_SUFFIX, BadgeAward, PointsEntry, PointsRule

LEADERBOARD_SIZE = 20
HISTORY_SIZE = 50


def total_points(*, user: User) -> int:
    """The balance: the sum of the ledger, corrections included."""
    return PointsEntry.objects.filter(user=user).aggregate(t=Sum("amount"))["t"] or 0


@dataclass(frozen=True)
class HistoryItem:
    amount: int
    label: str
    created: datetime
    url: str
    is_reversal: bool
    note: str


def points_history(*, user: User, limit: int = HISTORY_SIZE) -> list[HistoryItem]:
    """The person's latest entries with the rule's label and a link to what
    earned them, when that thing has a page."""
    entries = list(PointsEntry.objects.filter(user=user)[:limit])
    labels = dict(PointsRule.objects.values_list("reason", "label"))
    urls = _source_urls(entries)
    items = []
    for entry in entries:
        label = labels.get(entry.rule_reason, entry.rule_reason.replace("_", " "))
        if entry.is_reversal:
            label = f"Correction: {label}"
        items.append(
            HistoryItem(
                amount=entry.amount,
                label=label,
                created=entry.created,
                url=urls.get((entry.source_type, entry.source_id), ""),
                is_reversal=entry.is_reversal,
                note=entry.note,
            )
        )
    return items


def _source_urls(entries: list[PointsEntry]) -> dict[tuple[str, str], str]:
    """``get_absolute_url`` of each source, one query per source type.

    Sources are looked up by their model label, so points never imports the
    apps that award it.
    """
    ids_by_type: dict[str, set[str]] = {}
    for entry in entries:
        ids_by_type.setdefault(entry.source_type, set()).add(entry.source_id)
    urls = {}
    for label, ids in ids_by_type.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if not hasattr(model, "get_absolute_url"):
            continue
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            urls[(label, str(pk))] = obj.get_absolute_url()
    return urls


def badge_scores(*, user: User, badges: Iterable[Badge] = BADGES) -> dict[str, int]:
    """Each badge's score: its reason's awards less their corrections."""
    badges = list(badges)
    reasons = {badge.reason for badge in badges}
    aggregates = {}
    for reason in reasons:
        aggregates[f"{reason}__awards"] = Count("id", filter=Q(reason=reason))
        aggregates[f"{reason}__reversed"] = Count(
            "id", filter=Q(reason=reason + REVERSAL_SUFFIX)
        )
    counts = PointsEntry.objects.filter(user=user).aggregate(**aggregates)
    return {
        badge.code: (counts[f"{badge.reason}__awards"] or 0)
        - (counts[f"{badge.reason}__reversed"] or 0)
        for badge in badges
    }


@dataclass(frozen=True)
class BadgeProgress:
    badge: Badge
    level: int
    score: int
    next_threshold: int | None

    @property
    def max_level(self) -> int:
        return len(self.badge.thresholds)


def badge_progress(*, user: User) -> list[BadgeProgress]:
    """Each badge with the level reached (as awarded) and the next threshold."""
    scores = badge_scores(user=user)
    awarded: dict[str, int] = {}
    for code, level in BadgeAward.objects.filter(user=user).values_list(
        "badge", "level"
    ):
        awarded[code] = max(level, awarded.get(code, 0))
    result = []
    for badge in BADGES:
        level = awarded.get(badge.code, 0)
        result.append(
            BadgeProgress(
                badge=badge,
                level=level,
                score=max(scores[badge.code], 0),
                next_threshold=badge.next_threshold(level),
            )
        )
    return result


def user_level(*, user: User) -> LevelProgress:
    return level_progress(total_points(user=user))


PERIODS: dict[str, str] = {
    "week": "This week",
    "month": "This month",
    "all": "All time",
}


def period_start(period: str, *, now: datetime | None = None) -> datetime | None:
    """Monday 00:00 of this week, the 1st of this month (local time), or None."""
    today = timezone.localdate(now or timezone.now())
    if period == "week":
        day = today - timedelta(days=today.weekday())
    elif period == "month":
        day = today.replace(day=1)
    elif period == "all":
        return None
    else:
        raise ValueError(f"unknown period {period!r}")
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    name: str
    points: int


def city_leaderboard(
    *, period: str, limit: int = LEADERBOARD_SIZE, now: datetime | None = None
) -> list[LeaderboardRow]:
    """The top people who chose to appear on leaderboards, city-wide.

    Only the display name leaves this function: no id, email or place.
    """
    entries = PointsEntry.objects.filter(
        user__show_on_leaderboards=True,
        user__is_active=True,
        user__deleted_at__isnull=True,
    )
    since = period_start(period, now=now)
    if since is not None:
        entries = entries.filter(created__gte=since)
    totals = (
        entries.values("user_id", "user__display_name")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
        .order_by("-total", "user_id")[:limit]
    )
    return [
        LeaderboardRow(
            rank=position,
            name=row["user__display_name"] or "a resident",
            points=row["total"],
        )
        for position, row in enumerate(totals, start=1)
    ]


def active_rules() -> list[PointsRule]:
    """The rules as the public "how points work" page explains them."""
    return list(PointsRule.objects.filter(active=True))


def points_export(user: User) -> dict[str, Any]:
    """The person's ledger and badges, for their personal-data export."""
    return {
        "entries": [
            {
                "amount": e.amount,
                "reason": e.reason,
                "source": f"{e.source_type}:{e.source_id}",
                "note": e.note,
                "created": e.created.isoformat(),
            }
            for e in PointsEntry.objects.filter(user=user).order_by("created", "id")
        ],
        "badges": [
            {"badge": b.badge, "level": b.level, "created": b.created.isoformat()}
            for b in BadgeAward.objects.filter(user=user)
        ],
    }

"""Reads of the ledger: balances, history, badges, levels and leaderboards.

Everything a page shows is computed here, so templates never run queries.
Leaderboards show only people who opted in, by display name, never with an
email or a place.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from accounts.models import User

from .badges import (
    BADGES,
    COUNT,
    NEIGHBORHOODS,
    WEEK_STREAK,
    Badge,
    LevelProgress,
    explorer_score,
    level_progress,
    streak_score,
)
from .leaderboard_tables import local_day
from .models import (
    NO_NEIGHBORHOOD,
    REVERSAL_SUFFIX,
    BadgeAward,
    Campaign,
    PointsBalance,
    PointsDaily,
    PointsEntry,
    PointsHold,
    PointsNeighborhoodTotal,
    PointsRule,
)

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
    """Each badge's score: its reason's awards less their corrections, or for
    Explorer and Streak, its function of the actions that still count."""
    badges = list(badges)
    scores = _count_scores(user=user, badges=[b for b in badges if b.scoring == COUNT])
    others = [b for b in badges if b.scoring != COUNT]
    if others:
        actions = counted_actions(user=user)
        for badge in others:
            if badge.scoring == NEIGHBORHOODS:
                scores[badge.code] = explorer_score(
                    a.neighborhood_slug for a in actions
                )
            elif badge.scoring == WEEK_STREAK:
                scores[badge.code] = streak_score(
                    timezone.localdate(a.created) for a in actions
                )
    return scores


def counted_actions(*, user: User) -> list[PointsEntry]:
    """The person's awards that were not corrected: the civic actions that
    count for Explorer and Streak (a duplicate report explores nothing)."""
    entries = list(
        PointsEntry.objects.filter(user=user).only(
            "reason",
            "source_type",
            "source_id",
            "amount",
            "neighborhood_slug",
            "created",
        )
    )
    reversed_keys = {
        (e.rule_reason, e.source_type, e.source_id) for e in entries if e.is_reversal
    }
    return [
        e
        for e in entries
        if not e.is_reversal
        and e.amount > 0
        and (e.reason, e.source_type, e.source_id) not in reversed_keys
    ]


def _count_scores(*, user: User, badges: list[Badge]) -> dict[str, int]:
    if not badges:
        return {}
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
    return _person_board(period=period, limit=limit, now=now)


def leaderboard_for_neighborhood(
    *,
    slug: str,
    period: str,
    limit: int = LEADERBOARD_SIZE,
    now: datetime | None = None,
) -> list[LeaderboardRow]:
    """The top opted-in people by points earned for work in one neighborhood.

    Counts only entries tagged with that neighborhood, so a resident's work
    elsewhere does not lift them on a board they did not earn.
    """
    return _person_board(period=period, limit=limit, now=now, slug=slug)


def _days_since(since: datetime) -> tuple[date, date]:
    """The days from ``since`` on, as a closed range: the same rows as
    ``day >= since``, but with both bounds given, SQLite's planner (which
    keeps no histogram) takes a period for a small slice and uses the day
    index instead of reading every row."""
    return local_day(since), date.max


# Who may appear on a board, as a filter on a table with a ``user`` key.
_SHOWN = {
    "user__show_on_leaderboards": True,
    "user__is_active": True,
    "user__deleted_at__isnull": True,
}


def _person_board(
    *, period: str, limit: int, now: datetime | None, slug: str | None = None
) -> list[LeaderboardRow]:
    """Ranked by points in the period (ties: the earlier account first),
    read from the tables kept in step with the ledger: all time from the
    balance (or the per-neighborhood total), through an index on the total,
    so only the top rows are read; a week or a month sums that period's
    ``PointsDaily`` rows."""
    since = period_start(period, now=now)
    if since is None:
        table = (
            PointsBalance.objects.all()
            if slug is None
            else PointsNeighborhoodTotal.objects.filter(neighborhood_slug=slug)
        )
        totals = (
            table.filter(total__gt=0, **_SHOWN)
            .order_by("-total", "user_id")
            .values("user__display_name", "total")[:limit]
        )
    else:
        days = PointsDaily.objects.filter(day__range=_days_since(since), **_SHOWN)
        if slug is not None:
            days = days.filter(neighborhood_slug=slug)
        totals = (
            days.values("user_id", "user__display_name")
            .annotate(total=Sum("total"))
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


@dataclass(frozen=True)
class NeighborhoodChoice:
    slug: str
    name: str


def ledger_neighborhoods() -> list[NeighborhoodChoice]:
    """Neighborhoods that have points in the ledger, for the board selector.

    The name is the greatest one engagement stored with an entry there, so
    points needs no import of neighborhoods. Read from the per-neighborhood
    totals, which hold a row for every person and place in the ledger.
    """
    rows = (
        PointsNeighborhoodTotal.objects.values("neighborhood_slug")
        .annotate(name=Max("neighborhood_name"))
        .order_by("name", "neighborhood_slug")
    )
    return [
        NeighborhoodChoice(
            slug=row["neighborhood_slug"], name=row["name"] or row["neighborhood_slug"]
        )
        for row in rows
    ]


@dataclass(frozen=True)
class TeamRow:
    rank: int
    name: str
    points: int
    active_residents: int
    points_per_resident: float


def neighborhood_team_board(
    *, period: str, now: datetime | None = None
) -> list[TeamRow]:
    """Neighborhoods ranked by points per active resident in the period.

    Dividing by the people who took part (anyone with an entry there in the
    period, opted in or not) keeps big neighborhoods from winning on size
    alone. Only neighborhood names and numbers leave this function. Read from
    the per-neighborhood totals (all time) or the period's daily rows: each
    holds one row per person and place, even when a correction brought its
    total to zero, so counting rows counts the people who took part.
    """
    active = {"user__is_active": True, "user__deleted_at__isnull": True}
    since = period_start(period, now=now)
    if since is None:
        places = PointsNeighborhoodTotal.objects.filter(**active)
    else:
        places = PointsDaily.objects.filter(
            day__range=_days_since(since), **active
        ).exclude(neighborhood_slug=NO_NEIGHBORHOOD)
    rows = (
        places.values("neighborhood_slug")
        .annotate(
            total=Sum("total"),
            residents=Count("user", distinct=True),
            name=Max("neighborhood_name"),
        )
        .filter(total__gt=0)
    )
    scored = sorted(
        (
            (round(row["total"] / row["residents"], 1), row)
            for row in rows
            if row["residents"]
        ),
        key=lambda pair: (-pair[0], pair[1]["name"] or pair[1]["neighborhood_slug"]),
    )
    return [
        TeamRow(
            rank=position,
            name=row["name"] or row["neighborhood_slug"],
            points=row["total"],
            active_residents=row["residents"],
            points_per_resident=ratio,
        )
        for position, (ratio, row) in enumerate(scored, start=1)
    ]


# A day this many times the person's own average, and at least this many
# points, is worth a look: enough to catch scripted farming, not a busy
# Saturday of a regular.
FARMING_RATIO = 5
FARMING_MIN_POINTS = 50
BASELINE_DAYS = 30


@dataclass(frozen=True)
class FarmingSuspect:
    user_id: int
    name: str
    email: str
    last_day: int
    daily_average: float
    held: bool


def farming_suspects(
    *,
    now: datetime | None = None,
    ratio: int = FARMING_RATIO,
    min_points: int = FARMING_MIN_POINTS,
) -> list[FarmingSuspect]:
    """Accounts whose points in the last 24 hours exceed ``ratio`` times their
    own daily average over the 30 days before, and at least ``min_points``.

    Compared with the person's own history, not the city's, so a steady
    volunteer is not flagged for being busier than most. For staff only.
    """
    now = now or timezone.now()
    day_ago = now - timedelta(days=1)
    baseline_start = day_ago - timedelta(days=BASELINE_DAYS)
    rows = (
        PointsEntry.objects.filter(created__gte=baseline_start, created__lte=now)
        .values("user_id")
        .annotate(
            last_day=Sum("amount", filter=Q(created__gt=day_ago)),
            before=Sum("amount", filter=Q(created__lte=day_ago)),
        )
        .filter(last_day__gte=min_points)
    )
    flagged = []
    for row in rows:
        average = (row["before"] or 0) / BASELINE_DAYS
        if row["last_day"] > ratio * average:
            flagged.append((row["user_id"], row["last_day"], average))
    users = User.objects.in_bulk([user_id for user_id, _, _ in flagged])
    held = set(
        PointsHold.objects.filter(user_id__in=list(users)).values_list(
            "user_id", flat=True
        )
    )
    return sorted(
        (
            FarmingSuspect(
                user_id=user_id,
                name=users[user_id].display_name or "a resident",
                email=users[user_id].email,
                last_day=last_day,
                daily_average=round(average, 1),
                held=user_id in held,
            )
            for user_id, last_day, average in flagged
            if user_id in users
        ),
        key=lambda s: -s.last_day,
    )


@dataclass(frozen=True)
class HoldRow:
    user_id: int
    name: str
    email: str
    reason: str
    created: datetime


def current_holds() -> list[HoldRow]:
    """Every hold in place, newest first, for the staff review page."""
    return [
        HoldRow(
            user_id=hold.user_id,
            name=hold.user.display_name or "a resident",
            email=hold.user.email,
            reason=hold.reason,
            created=hold.created,
        )
        for hold in PointsHold.objects.select_related("user").order_by("-created")
    ]


def campaign_entries(*, campaign: Campaign):
    """The ledger entries that count for ``campaign``: its reasons (and their
    corrections, so a duplicate report does not count), in its time box and,
    if it names neighborhoods, in those."""
    reasons = list(campaign.reasons)
    entries = PointsEntry.objects.filter(
        reason__in=reasons + [r + REVERSAL_SUFFIX for r in reasons],
        created__gte=campaign.starts,
        created__lt=campaign.ends,
    )
    if campaign.neighborhood_slugs:
        entries = entries.filter(neighborhood_slug__in=campaign.neighborhood_slugs)
    return entries


def campaign_points(*, campaign: Campaign, user: User | None = None) -> int:
    """Points toward ``campaign``: one person's, or everyone's with no user."""
    entries = campaign_entries(campaign=campaign)
    if user is not None:
        entries = entries.filter(user=user)
    return max(entries.aggregate(t=Sum("amount"))["t"] or 0, 0)


def campaigns_counting(*, reason: str, at: datetime) -> list[Campaign]:
    """Campaigns running at ``at`` that count ``reason`` (filtered here, not
    in SQL, because SQLite cannot look inside a JSON list)."""
    running = Campaign.objects.filter(starts__lte=at, ends__gt=at)
    return [c for c in running if reason in c.reasons]


def running_campaigns(*, now: datetime | None = None) -> list[Campaign]:
    """Campaigns open now, soonest to end first, for the leaderboards page."""
    now = now or timezone.now()
    return list(Campaign.objects.filter(starts__lte=now, ends__gt=now).order_by("ends"))


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    community_points: int
    individual_points: int | None
    is_running: bool

    @property
    def community_percent(self) -> int:
        return min(100, self.community_points * 100 // self.campaign.community_goal)

    @property
    def individual_percent(self) -> int:
        points = self.individual_points or 0
        return min(100, points * 100 // self.campaign.individual_goal)

    @property
    def completed(self) -> bool:
        return (self.individual_points or 0) >= self.campaign.individual_goal


def campaign_progress(
    *, campaign: Campaign, user: User | None = None, now: datetime | None = None
) -> CampaignProgress:
    """The community's progress and, for a signed-in person, their own."""
    now = now or timezone.now()
    return CampaignProgress(
        campaign=campaign,
        community_points=campaign_points(campaign=campaign),
        individual_points=(
            campaign_points(campaign=campaign, user=user) if user else None
        ),
        is_running=campaign.starts <= now < campaign.ends,
    )


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


def campaigns_for_person(
    *, user: User, now: datetime | None = None
) -> list[CampaignProgress]:
    """Campaigns running now and those the person earned points in, with
    their own progress: the profile's "campaigns" section."""
    now = now or timezone.now()
    joined = {
        int(source_id)
        for source_id in PointsEntry.objects.filter(
            user=user, reason="campaign_completed"
        ).values_list("source_id", flat=True)
        if str(source_id).isdigit()
    }
    campaigns = Campaign.objects.filter(
        Q(starts__lte=now, ends__gt=now) | Q(pk__in=joined)
    ).order_by("-ends")
    return [
        campaign_progress(campaign=campaign, user=user, now=now)
        for campaign in campaigns
    ]

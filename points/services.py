"""The one way to award points, to correct an award, and to grant badges.

Callers (engagement, later campaigns and volunteering) say what happened by
naming a rule and the thing that earned it; the ledger's unique constraint
makes every award idempotent, so a retried or racing call awards once.
Awards that are refused (unverified email, a hold, a disabled rule, the
daily cap) are logged and return an ``Award`` with nothing created: a
missing point must never fail the civic action that earned it.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.selectors import has_verified_email
from activity import kinds
from activity.services import publish_on_commit

from . import leaderboard_tables
from .badges import BADGES, Badge
from .models import (
    REVERSAL_SUFFIX,
    BadgeAward,
    PointsBalance,
    PointsEntry,
    PointsHold,
    PointsRule,
)
from .rules import CAMPAIGN_COMPLETED, DEFAULT_RULES
from .selectors import badge_scores, campaign_points, campaigns_counting

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Award:
    """What ``award_points`` did: the entry (new or already there), whether it
    is new, the badge levels it earned, and why nothing was awarded if so."""

    entry: PointsEntry | None
    created: bool = False
    badges: list[BadgeAward] = field(default_factory=list)
    skipped: str = ""


def _source_key(source: models.Model) -> tuple[str, str]:
    if source.pk is None:
        raise ValueError("points need a saved source")
    return source._meta.label_lower, str(source.pk)


def ensure_default_rules() -> None:
    """Put back any default rule missing from the table; edited rules stay."""
    for reason, defaults in DEFAULT_RULES.items():
        PointsRule.objects.get_or_create(reason=reason, defaults=defaults)


def _rule_for(reason: str) -> PointsRule:
    """The rule of ``reason``; default rules missing from the table (a flushed
    database) are restored. An unknown reason is a programming error."""
    rule = PointsRule.objects.filter(reason=reason).first()
    if rule is not None:
        return rule
    if reason not in DEFAULT_RULES:
        raise ValueError(f"unknown points reason {reason!r}; add a PointsRule")
    ensure_default_rules()
    return PointsRule.objects.get(reason=reason)


def _find_entry(*, user: User, reason: str, key: tuple[str, str]):
    return PointsEntry.objects.filter(
        user=user, reason=reason, source_type=key[0], source_id=key[1]
    ).first()


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def is_held(*, user: User) -> bool:
    """Whether staff paused this person's awards."""
    return PointsHold.objects.filter(user=user).exists()


def place_hold(*, user: User, reason: str, created_by: User | None) -> PointsHold:
    """Pause ``user``'s awards while staff look into suspected farming; what
    they already earned stays, so a mistaken hold costs nothing once lifted."""
    hold = PointsHold.objects.filter(user=user).first()
    if hold is not None:
        return hold
    return PointsHold.objects.create(user=user, reason=reason, created_by=created_by)


def release_holds(*, user: User) -> int:
    """Lift every hold on ``user``; returns how many there were. Awards refused
    during the hold are not made up: the ledger records what counted."""
    count, _ = PointsHold.objects.filter(user=user).delete()
    return count


def award_points(
    *,
    user: User,
    reason: str,
    source: models.Model,
    amount: int | None = None,
    neighborhood_slug: str | None = None,
    neighborhood_name: str = "",
) -> Award:
    """Award ``reason``'s points (or ``amount``) to ``user`` for ``source``, once.

    Calling it again for the same (user, reason, source) returns the existing
    entry. Raises ``ValueError`` for a negative amount (corrections go through
    ``reverse_points``) or an unknown reason. ``neighborhood_slug`` and
    ``neighborhood_name`` say where the work happened, for the neighborhood
    boards and the Explorer badge; points stores them as text because it must
    not import neighborhoods.
    """
    if amount is not None and amount < 0:
        raise ValueError("a negative award is a correction: use reverse_points")
    key = _source_key(source)
    existing = _find_entry(user=user, reason=reason, key=key)
    if existing is not None:
        return Award(entry=existing)
    rule = _rule_for(reason)
    skipped = _why_not(user=user, rule=rule)
    if skipped:
        logger.info("no %s points for user %s: %s", reason, user.pk, skipped)
        return Award(entry=None, skipped=skipped)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction lives on
            entry = PointsEntry.objects.create(
                user=user,
                amount=rule.points if amount is None else amount,
                reason=reason,
                source_type=key[0],
                source_id=key[1],
                neighborhood_slug=neighborhood_slug or None,
                neighborhood_name=neighborhood_name if neighborhood_slug else "",
            )  # saving it moves the balance and the leaderboards' tables too
    except IntegrityError:  # a concurrent call awarded it first
        return Award(entry=_find_entry(user=user, reason=reason, key=key))
    earned = grant_earned_badges(user=user, reasons=[reason])
    _settle_campaigns(user=user, entry=entry)
    return Award(entry=entry, created=True, badges=earned)


def _settle_campaigns(*, user: User, entry: PointsEntry) -> None:
    """Award each running campaign's bonus once, when this entry brings the
    person to its individual goal. The bonus goes through ``award_points``
    with the campaign as its source, so the ledger's unique constraint keeps
    it to one per person and campaign, even when awards race."""
    for campaign in campaigns_counting(reason=entry.reason, at=entry.created):
        if (
            campaign.neighborhood_slugs
            and entry.neighborhood_slug not in campaign.neighborhood_slugs
        ):
            continue
        if campaign_points(campaign=campaign, user=user) >= campaign.individual_goal:
            award_points(
                user=user,
                reason=CAMPAIGN_COMPLETED,
                source=campaign,
                amount=campaign.bonus,
            )


def _why_not(*, user: User, rule: PointsRule) -> str:
    if not rule.active:
        return "the rule is disabled"
    if not has_verified_email(user=user):
        return "the email address is not verified"
    if is_held(user=user):
        return "awards are on hold"
    if rule.daily_cap is not None:
        today = PointsEntry.objects.filter(
            user=user, reason=rule.reason, created__gte=_start_of_today()
        ).count()
        if today >= rule.daily_cap:
            return "the daily cap is reached"
    return ""


def reverse_points(
    *, user: User, reason: str, source: models.Model, why: str
) -> PointsEntry | None:
    """Correct an award with a negative entry, once; None if there was no award.

    Used when the thing that earned points turns out not to count (a report
    closed as a duplicate). Badge levels already announced are kept.
    """
    key = _source_key(source)
    original = _find_entry(user=user, reason=reason, key=key)
    if original is None or original.amount == 0:
        return None
    correction_reason = reason + REVERSAL_SUFFIX
    existing = _find_entry(user=user, reason=correction_reason, key=key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            correction = PointsEntry.objects.create(
                user=user,
                amount=-original.amount,
                reason=correction_reason,
                source_type=key[0],
                source_id=key[1],
                note=why[:300],
                # The correction counts against the same neighborhood's board.
                neighborhood_slug=original.neighborhood_slug,
                neighborhood_name=original.neighborhood_name,
            )
            return correction
    except IntegrityError:
        return _find_entry(user=user, reason=correction_reason, key=key)


@dataclass(frozen=True)
class Reconciliation:
    """What ``reconcile_balances`` found: balances checked, drifted and
    repaired, and the leaderboard tables' rows that drifted (by table), all
    rebuilt from the ledger if ``repaired_tables``."""

    checked: int
    drifted: int
    repaired: int
    table_drift: dict[str, int] = field(default_factory=dict)
    repaired_tables: bool = False


def reconcile_balances(*, repair: bool = True) -> Reconciliation:
    """Compare each cached balance, and the leaderboards' tables, with the
    ledger and fix what drifted (a crash between writes, a manual edit, a
    restore). The ledger is the truth, so repairing only ever rewrites the
    derived rows: balances one by one, the rollups by a set-based rebuild."""
    sums = dict(
        PointsEntry.objects.values("user_id")
        .annotate(t=Sum("amount"))
        .values_list("user_id", "t")
    )
    cached = dict(PointsBalance.objects.values_list("user_id", "total"))
    drift = {
        user_id: sums.get(user_id, 0)
        for user_id in set(sums) | set(cached)
        if sums.get(user_id, 0) != cached.get(user_id)
    }
    table_drift = leaderboard_tables.drifted_rows()
    repaired = 0
    rebuilt = False
    if repair:
        now = timezone.now()
        for user_id, total in drift.items():
            with transaction.atomic():
                PointsBalance.objects.update_or_create(
                    user_id=user_id, defaults={"total": total, "updated": now}
                )
            repaired += 1
        if drift:
            logger.warning("repaired %d drifted points balance(s)", repaired)
        if any(table_drift.values()):
            # Balances were just repaired person by person (a person with no
            # entries keeps a zero row), so only the rollups are rebuilt.
            leaderboard_tables.rebuild_tables(balances=False)
            rebuilt = True
            logger.warning("rebuilt the leaderboard tables: %s drifted", table_drift)
    return Reconciliation(
        checked=len(set(sums) | set(cached)),
        drifted=len(drift),
        repaired=repaired,
        table_drift=table_drift,
        repaired_tables=rebuilt,
    )


def rebuild_leaderboard_tables() -> None:
    """Recompute the balances and the leaderboards' rollups from the ledger,
    set-based (one INSERT ... SELECT ... GROUP BY per table).

    For entries written around ``PointsEntry.save`` (a bulk load with COPY, a
    restore of the ledger alone): the boards read only these tables, so until
    this runs such entries show on no board. Concurrent awards wait for it.
    """
    leaderboard_tables.rebuild_tables()


def grant_earned_badges(
    *, user: User, reasons: Iterable[str] | None = None
) -> list[BadgeAward]:
    """Award every badge level ``user``'s ledger reaches and they lack yet.

    Each new level is announced once: publicly only if the person chose a
    public profile (``publish_on_commit`` enforces that), and always to them.
    """
    wanted = set(reasons) if reasons is not None else None
    badges = [b for b in BADGES if wanted is None or any(b.counts(r) for r in wanted)]
    if not badges:
        return []
    scores = badge_scores(user=user, badges=badges)
    have = set(
        BadgeAward.objects.filter(
            user=user, badge__in=[b.code for b in badges]
        ).values_list("badge", "level")
    )
    earned = []
    for badge in badges:
        for level in range(1, badge.level_for(scores[badge.code]) + 1):
            if (badge.code, level) in have:
                continue
            try:
                with transaction.atomic():
                    award = BadgeAward.objects.create(
                        user=user, badge=badge.code, level=level
                    )
            except IntegrityError:  # granted by a concurrent award
                continue
            _announce_badge(user=user, badge=badge, award=award)
            earned.append(award)
    return earned


def _announce_badge(*, user: User, badge: Badge, award: BadgeAward) -> None:
    publish_on_commit(
        kind=kinds.BADGE_EARNED,
        actor=user,
        target=None,
        neighborhood=None,
        summary=f"{user.public_name} earned the {badge.name} badge, "
        f"level {award.level}",
        data={"badge": badge.code, "level": award.level},
        public=True,
        recipients=[user],
    )


def recompute_badges(*, users: Iterable[User] | None = None) -> int:
    """Grant the badge levels the ledger earns that are missing (after a rule
    or threshold change, or a restore); returns how many were granted."""
    if users is None:
        users = User.objects.filter(points__isnull=False).distinct()
    return sum(len(grant_earned_badges(user=user)) for user in users)

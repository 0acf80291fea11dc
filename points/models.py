"""The points ledger, the rules that price civic work, holds and badge awards.

The ledger is append-only: an entry is never changed or removed, and a
correction is a negative entry, so every balance can be re-derived and
audited. The unique constraint on (user, reason, source) is what makes an
award idempotent, even when two requests race to make it.
"""

from django.conf import settings
from django.db import models, router, transaction
from django.urls import reverse
from django.utils import timezone

REVERSAL_SUFFIX = ":reversed"


class AppendOnlyError(Exception):
    """Raised on an attempt to change or remove a ledger entry."""


class PointsEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("points entries are never updated: add a correction")

    def delete(self):
        raise AppendOnlyError("points entries are never deleted: add a correction")


class PointsEntry(models.Model):
    """One award (or, with a negative amount, one correction) of points."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points"
    )
    amount = models.IntegerField()
    reason = models.CharField(max_length=60)
    source_type = models.CharField(max_length=100)
    source_id = models.CharField(max_length=64)
    note = models.CharField(max_length=300, blank=True)
    # Where the work happened, as told by the caller: points never imports
    # neighborhoods, so the slug and the name are stored, not a foreign key.
    neighborhood_slug = models.CharField(  # noqa: DJ001 (None: no place, not "")
        max_length=200, null=True, blank=True, db_index=True
    )
    neighborhood_name = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PointsEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "points entries"
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reason", "source_type", "source_id"],
                name="points_entry_once_per_source",
            )
        ]
        indexes = [models.Index(fields=["user", "reason", "created"])]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.reason} ({self.source_type}:{self.source_id})"

    def save(self, *args, **kwargs):
        """Write the entry and move the tables derived from it (the balance
        and the leaderboards' totals) in the same transaction, whoever writes
        it: the boards read those tables, never the whole ledger."""
        if not self._state.adding:
            raise AppendOnlyError("points entries are never updated: add a correction")
        from .leaderboard_tables import add_entry_to_tables

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if transaction.get_connection(using).in_atomic_block:
            super().save(*args, **kwargs)
            add_entry_to_tables(entry=self, using=using)
            return
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)
            add_entry_to_tables(entry=self, using=using)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("points entries are never deleted: add a correction")

    @property
    def is_reversal(self) -> bool:
        return self.reason.endswith(REVERSAL_SUFFIX)

    @property
    def rule_reason(self) -> str:
        """The rule this entry (or the award it corrects) belongs to."""
        return self.reason.removesuffix(REVERSAL_SUFFIX)


class PointsRule(models.Model):
    """What one kind of civic work is worth; edited by staff in the admin."""

    reason = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    points = models.PositiveIntegerField()
    daily_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="At most this many awards a day per person; empty for no cap.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-points", "label"]

    def __str__(self) -> str:
        return self.label


class PointsHold(models.Model):
    """While a person has a hold (suspected gaming), they earn nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_holds"
    )
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Hold on {self.user_id}: {self.reason[:40]}"


class BadgeAward(models.Model):
    """A badge level a person reached; each level is awarded (and announced) once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    badge = models.CharField(max_length=40)
    level = models.PositiveSmallIntegerField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["badge", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "badge", "level"], name="badge_level_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.badge} level {self.level}"


class PointsBalance(models.Model):
    """A cached balance, kept in step with the ledger in the same transaction
    as each entry (``PointsEntry.save``). The ledger stays the truth:
    ``manage.py reconcile_points`` repairs any drift. The all-time city
    board reads its top rows through the index on ``total``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="points_balance",
    )
    total = models.IntegerField(default=0)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["-total", "user"], name="points_balance_board")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.total}"


# Work tied to no place, in the tables below: "" rather than NULL, because
# unique constraints treat NULLs as distinct on SQLite and PostgreSQL alike.
NO_NEIGHBORHOOD = ""


class PointsDaily(models.Model):
    """A person's points on one local day in one neighborhood (or none),
    kept in step with the ledger like the balance.

    The week and month boards sum a period's rows rather than scanning the
    ledger. A row stays when its total falls to zero: the team board counts
    everyone who took part, and a corrected award was still taking part.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint leads with it
    )
    neighborhood_slug = models.CharField(max_length=200, blank=True)
    # The greatest name the day's entries carried, as the boards show it.
    neighborhood_name = models.CharField(max_length=200, blank=True)
    day = models.DateField(help_text="In the site's time zone, as periods are.")
    total = models.IntegerField(default=0)

    class Meta:
        verbose_name_plural = "points per day"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "neighborhood_slug", "day"],
                name="points_daily_once_per_place_and_day",
            )
        ]
        indexes = [
            models.Index(fields=["day"], name="points_daily_day"),
            models.Index(
                fields=["neighborhood_slug", "day"], name="points_daily_place_day"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.user_id} {self.neighborhood_slug or '-'} {self.day}: {self.total}"
        )


class PointsNeighborhoodTotal(models.Model):
    """A person's all-time points for work in one neighborhood, kept in step
    with the ledger like the balance: the all-time neighborhood boards read
    its top rows through an index, the team board sums it per neighborhood."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint leads with it
    )
    neighborhood_slug = models.CharField(max_length=200)
    neighborhood_name = models.CharField(max_length=200, blank=True)
    total = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "neighborhood_slug"],
                name="points_neighborhood_total_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["neighborhood_slug", "-total", "user"],
                name="points_neighborhood_board",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.neighborhood_slug}: {self.total}"


class Campaign(models.Model):
    """A time-boxed push on some kinds of civic work, optionally in some
    neighborhoods, with a goal for each person (who earns a bonus once on
    reaching it) and one for the whole community."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    starts = models.DateTimeField()
    ends = models.DateTimeField()
    reasons = models.JSONField(
        default=list, help_text='Rule reasons that count, e.g. ["support_given"].'
    )
    neighborhood_slugs = models.JSONField(
        default=list, blank=True, help_text="Empty for the whole city."
    )
    individual_goal = models.PositiveIntegerField(
        help_text="Points one person earns from these reasons to finish."
    )
    community_goal = models.PositiveIntegerField(
        help_text="Points everyone together earns from these reasons."
    )
    bonus = models.PositiveIntegerField(default=25)

    class Meta:
        ordering = ["-starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")),
                name="campaign_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("points:campaign", kwargs={"slug": self.slug})

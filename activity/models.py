"""What happened, for the public feed and for personal notifications.

``Activity`` is written once and never edited: the feed and the catch-up API
page by its id, so ids must only grow. It stores the neighborhood as plain
slug and name columns rather than a foreign key: ``activity`` sits below
``neighborhoods`` and must not depend on it, and a renamed or removed
neighborhood should not rewrite history.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import kinds


class Activity(models.Model):
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did it; empty for anonymous reports and for the city.",
    )
    target_type = models.CharField(
        max_length=100, blank=True, help_text="app_label.model of what it is about."
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_url = models.CharField(max_length=500, blank=True)
    neighborhood_slug = models.SlugField(max_length=200, blank=True)
    neighborhood_name = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(
        default=True, help_text="Shown in the public feed; otherwise personal only."
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["public", "id"], name="activity_public_id_idx"),
            models.Index(
                fields=["neighborhood_slug", "public", "id"],
                name="activity_nbhd_public_id_idx",
            ),
            models.Index(
                fields=["target_type", "target_id"], name="activity_target_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.summary}"

    @property
    def label(self) -> str:
        return kinds.label_for(self.kind)

    @property
    def actor_name(self) -> str | None:
        """The actor's public name, read now, so a deleted account shows as
        “a former resident” everywhere, old entries included."""
        return self.actor.public_name if self.actor_id else None


class Notification(models.Model):
    """One personal activity for one person, unread until they mark it read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="notifications"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "activity"], name="notification_once_per_user"
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx")
        ]

    def __str__(self) -> str:
        return f"{self.activity} for user {self.user_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

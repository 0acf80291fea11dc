"""Planning discussions: comments (one level of replies) on planning pages,
residents' flags, and the log of every moderation decision."""

from django.conf import settings
from django.db import models


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    # Three residents flagged it: hidden until an organizer or staff member
    # looks, so a pile-on cannot silence someone without a human decision.
    PENDING_REVIEW = "pending_review", "Hidden pending review"
    HIDDEN = "hidden", "Hidden by a moderator"


class Comment(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="discussion_comments",
    )
    # Copied from the page's neighborhood when posted, so the neighborhood feed
    # and moderation rights need no walk up the page tree.
    neighborhood = models.ForeignKey(
        "neighborhoods.Neighborhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="discussion_comments",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    body = models.TextField(max_length=4000)
    status = models.CharField(
        max_length=20, choices=CommentStatus.choices, default=CommentStatus.VISIBLE
    )
    is_official_response = models.BooleanField(default=False)
    official_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["page", "status", "created"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on page {self.page_id}"


class CommentFlag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="one_flag_per_comment_and_user"
            )
        ]

    def __str__(self) -> str:
        return f"Flag on comment {self.comment_id}"


class ModerationAction(models.TextChoices):
    AUTO_HIDDEN = "auto_hidden", "Hidden after flags"
    HIDDEN = "hidden", "Hidden"
    RESTORED = "restored", "Restored"
    MARKED_OFFICIAL = "marked_official", "Marked as the official response"
    UNMARKED_OFFICIAL = "unmarked_official", "No longer the official response"


class CommentModeration(models.Model):
    """Append-only: who did what to a comment, when and why."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="moderation_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    reason = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} comment {self.comment_id}"

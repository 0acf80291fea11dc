"""Quick polls on planning pages: single choice, one vote per verified account."""

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class Poll(Orderable):
    """Edited inline on its page in Wagtail, so it is published with the page
    and organizers need no rights beyond their page permissions."""

    page = ParentalKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="polls"
    )
    question = models.CharField(max_length=255)
    choices_text = models.TextField(
        "choices",
        help_text="One choice per line, between 2 and 8. Editing a line after "
        "people have voted keeps their votes on the old wording; remove it instead.",
    )
    closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional. After this, nobody can vote and everyone sees results.",
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("choices_text"),
        FieldPanel("closes_at"),
    ]

    def __str__(self) -> str:
        return self.question

    def clean(self) -> None:
        # Checked in the page editor, so a poll is never published with one
        # choice or twenty; the receiver then only has to sync what is valid.
        from django.core.exceptions import ValidationError

        from ..services.polls import validate_choices_text

        super().clean()
        try:
            validate_choices_text(self.choices_text)
        except ValidationError as exc:
            raise ValidationError({"choices_text": exc.messages}) from None


class PollChoice(models.Model):
    """One answer; rows are kept when an editor removes the line, so votes
    already cast still count and still say what people chose."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=255)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "label"], name="one_choice_per_poll_and_label"
            )
        ]

    def __str__(self) -> str:
        return self.label


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    choice = models.ForeignKey(
        PollChoice, on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"], name="one_vote_per_poll_and_user"
            )
        ]

    def __str__(self) -> str:
        return f"Vote on poll {self.poll_id}"

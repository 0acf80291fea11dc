"""What the staff workflow keeps besides the request itself: canned public
notes, residents' answers to "Is it fixed?", and which emails went out."""

from django.conf import settings
from django.db import models

from .catalogue import Service
from .requests import DetailedStatus, RequestPhoto, RequestUpdate, ServiceRequest


class ResponseTemplate(models.Model):
    """The public note offered when a request of ``service`` (or of any
    service, when empty) moves to ``detailed_status``; staff may edit it."""

    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response_templates",
    )
    detailed_status = models.CharField(max_length=20, choices=DetailedStatus.choices)
    text = models.TextField()

    class Meta:
        ordering = ["service", "detailed_status"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "detailed_status"],
                name="one_response_template_per_service_status",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service or 'Any service'}: {self.detailed_status}"


class FixAnswer(models.TextChoices):
    CONFIRMED = "confirmed", "Yes, it is fixed"
    DISPUTED = "disputed", "No, it is not fixed"


class FixConfirmation(models.Model):
    """A reporter's or supporter's answer to "Is it fixed?" for one closure.

    Keyed by the update that closed the request, so a request fixed again
    after a dispute can be asked again, but each closure takes one answer per
    person.
    """

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="fix_confirmations"
    )
    closure = models.ForeignKey(
        RequestUpdate, on_delete=models.CASCADE, related_name="fix_confirmations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.CharField(max_length=10, choices=FixAnswer.choices)
    note = models.TextField(blank=True)
    photo = models.ForeignKey(
        RequestPhoto, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField()

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "user"], name="one_fix_answer_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.answer} {self.request_id}"


class SentEmail(models.Model):
    """A marker per email that left, so a retried task never sends it twice.

    ``key`` names the email, e.g. ``update:12:user:7``.
    """

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key

"""Volunteer events. Sign-ups live here, beside the shifts they fill, because
shifts are part of the EventPage that organizers edit in Wagtail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock


class EventPage(Page):
    summary = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location_name = models.CharField(
        max_length=200,
        help_text="Where to meet, e.g. 'Dudley Town Common, by the gazebo'.",
    )
    address = models.CharField(max_length=255, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        MultiFieldPanel(
            [
                FieldPanel("location_name"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading="Place",
        ),
        FieldPanel("body"),
        InlinePanel("shifts", label="Shifts", min_num=1),
    ]
    parent_page_types = ["cms.NeighborhoodPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("location_name"),
        index.SearchField("body"),
        index.FilterField("starts_at"),
    ]

    class Meta:
        verbose_name = "volunteer event"

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The event must end after it starts."})


class EventShift(Orderable):
    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="shifts")
    title = models.CharField(max_length=200, help_text="e.g. 'Morning clean-up crew'.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(
        help_text="How many volunteers this shift needs."
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("capacity"),
    ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A shift must end after it starts."})
        if self.capacity == 0:
            raise ValidationError({"capacity": "A shift needs at least one volunteer."})


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", "Signed up"
    CANCELLED = "cancelled", "Cancelled"


class EventSignup(models.Model):
    shift = models.ForeignKey(
        EventShift, on_delete=models.CASCADE, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_signups"
    )
    status = models.CharField(
        max_length=20, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP
    )
    created = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            # A person holds at most one live seat on a shift; cancelled rows
            # stay as history and do not block signing up again.
            models.UniqueConstraint(
                fields=["shift", "user"],
                condition=models.Q(status="signed_up"),
                name="one_live_signup_per_shift_and_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.shift}"

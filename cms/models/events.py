"""Volunteer events. Sign-ups live here, beside the shifts they fill, because
shifts are part of the EventPage that organizers edit in Wagtail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
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

    def get_context(self, request, *args, **kwargs):
        from cms.events.selectors import event_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(page=self, user=request.user))
        return context


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


class EventCheckIn(models.Model):
    """One check-in of a volunteer by an organizer: who, when, and whether it
    was undone.

    A row per check-in (not only two columns on the signup) because an undone
    check-in keeps its points corrections: checking the person in again must
    award again, and the ledger awards once per source.
    """

    signup = models.ForeignKey(
        EventSignup, on_delete=models.CASCADE, related_name="check_ins"
    )
    checked_in_at = models.DateTimeField(default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signup"],
                condition=models.Q(undone_at__isnull=True),
                name="one_standing_check_in_per_signup",
            )
        ]

    def __str__(self) -> str:
        return f"check-in of {self.signup}"

    def get_absolute_url(self) -> str:
        """The event's page: where the points history links this award."""
        return self.signup.shift.event.get_url() or ""


class _WithEvent(models.Manager):
    """Loads the event along: the points history links each hour to its event
    page, and would otherwise ask four queries per hour."""

    def get_queryset(self):
        return super().get_queryset().select_related("check_in__signup__shift__event")


class VolunteerHour(models.Model):
    """One hour of a check-in, and the source of one ``volunteer_hour`` points
    entry: so the ledger, the rule's daily cap and the Volunteer badge all
    count hours, as the rule says."""

    check_in = models.ForeignKey(
        EventCheckIn, on_delete=models.CASCADE, related_name="hours"
    )
    number = models.PositiveSmallIntegerField()

    objects = _WithEvent()

    class Meta:
        ordering = ["check_in", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_in", "number"], name="one_row_per_check_in_hour"
            )
        ]

    def __str__(self) -> str:
        return f"hour {self.number} of {self.check_in}"

    def get_absolute_url(self) -> str:
        return self.check_in.get_absolute_url()

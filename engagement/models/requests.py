"""A reported problem, its history, its photos and the people who care about it."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from .catalogue import Service

MAX_DESCRIPTION_LENGTH = 4000
_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud safely


def new_public_id() -> str:
    """A short id a resident can read over the phone, unguessable in sequence."""
    return "CP-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class DetailedStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    FIXED = "fixed", "Fixed"
    DUPLICATE = "duplicate", "Duplicate of another request"
    NOT_CITY = "not_city", "Not the city's responsibility"
    REFERRED = "referred", "Referred to another agency"
    NO_ACTION = "no_action", "No further action"


class FixStatus(models.TextChoices):
    """What the reporter and supporters said of a fix (closed as fixed only)."""

    NONE = "", "Not applicable"
    PENDING = "pending", "Awaiting confirmation"
    VERIFIED = "verified", "Fix confirmed"
    DISPUTED = "disputed", "Fix disputed"
    UNCONFIRMED = "unconfirmed", "Unconfirmed"


class Priority(models.IntegerChoices):
    LOW = 0, "Low"
    NORMAL = 1, "Normal"
    HIGH = 2, "High"
    URGENT = 3, "Urgent"


class Source(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "Open311 API"
    IMPORT = "import", "Import"
    STAFF = "staff", "Staff"


class ServiceRequest(models.Model):
    """One reported problem at one place (an Open311 service request)."""

    public_id = models.CharField(max_length=40, unique=True, default=new_public_id)
    external_id = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="The id in the system it was imported from.",
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="requests"
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    detailed_status = models.CharField(
        max_length=20, choices=DetailedStatus.choices, default=DetailedStatus.NEW
    )
    status_notes = models.TextField(blank=True)
    description = models.TextField(blank=True, max_length=MAX_DESCRIPTION_LENGTH)
    lat = models.FloatField()
    long = models.FloatField()
    # What public output shows: the exact point, or a coarsened one for
    # sensitive services. Maps and the API read only these.
    public_lat = models.FloatField()
    public_long = models.FloatField()
    address = models.CharField(max_length=300, blank=True)
    neighborhood = models.ForeignKey(
        "neighborhoods.Neighborhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    attributes = models.JSONField(default=dict, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_requests",
    )
    anonymous = models.BooleanField(
        default=False, help_text="The reporter's name is hidden publicly."
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    agency_responsible = models.CharField(max_length=200, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    requested_datetime = models.DateTimeField(db_index=True)
    updated_datetime = models.DateTimeField()
    expected_datetime = models.DateTimeField(null=True, blank=True)
    closed_datetime = models.DateTimeField(null=True, blank=True)
    # The staff workflow (see engagement.services.workflow).
    acknowledged_datetime = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(
        max_length=20, choices=ClosureReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, default=Priority.NORMAL
    )
    reopened = models.BooleanField(
        default=False, help_text="Back in the queue after a disputed fix."
    )
    fix_status = models.CharField(
        max_length=12, choices=FixStatus.choices, blank=True, default=FixStatus.NONE
    )
    on_time = models.BooleanField(
        null=True,
        blank=True,
        help_text="Closed by its expected time; unknown without a service level.",
    )
    overdue_notified_datetime = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_datetime"]
        indexes = [
            # The street-level map reads the newest requests in a small box:
            # with every column it selects and sorts by in the index, it never
            # visits the table (an index-only scan on PostgreSQL, a covering
            # index on SQLite). Its leading columns serve any box query.
            models.Index(
                fields=[
                    "public_lat",
                    "public_long",
                    "requested_datetime",
                    "id",
                    "status",
                    "service",
                    "public_id",
                ],
                name="sr_public_point_cover",
            ),
            models.Index(
                fields=["service", "status", "requested_datetime"],
                name="sr_service_status_time",
            ),
            models.Index(
                fields=["status", "requested_datetime"], name="sr_status_time"
            ),
            models.Index(
                fields=["neighborhood", "requested_datetime"], name="sr_nbhd_time"
            ),
            models.Index(fields=["status", "closed_datetime"], name="sr_status_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id}: {self.service.name}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:request_detail", args=[self.public_id])

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def public_reporter_name(self) -> str | None:
        """The reporter's public name, or None when hidden or unknown."""
        if self.anonymous or self.reporter is None:
            return None
        return self.reporter.public_name


def photo_upload_to(instance: "RequestPhoto", filename: str) -> str:
    # The name is always ours: the uploaded file's name is never trusted or kept.
    return f"requests/{secrets.token_hex(16)}.{filename.rsplit('.', 1)[-1]}"


class RequestPhoto(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", "Reported"
        AFTER = "after", "After the fix"

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        upload_to=photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BEFORE)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} photo of {self.request_id}"


class RequestUpdate(models.Model):
    """One step in a request's public history."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField()
    status = models.CharField(max_length=10, choices=RequestStatus.choices)
    detailed_status = models.CharField(max_length=20, choices=DetailedStatus.choices)
    public_note = models.TextField(blank=True)
    photo = models.ForeignKey(
        RequestPhoto,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.detailed_status} at {self.created:%Y-%m-%d}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="follows"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "request"], name="one_follow")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.request_id}"


class Support(models.Model):
    """ "Me too": one per account and request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="supports"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "request"], name="one_support")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.request_id}"

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from . import geometry


class Neighborhood(models.Model):
    """A named area of the city, with its boundary as GeoJSON.

    The bounding box duplicates what the boundary already says, on purpose:
    four indexed float columns let a database (or the in-memory lookup) rule
    out most neighborhoods for a point before any polygon test.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    boundary = models.JSONField(
        help_text="GeoJSON Polygon or MultiPolygon, in WGS84 longitude/latitude."
    )
    min_lat = models.FloatField(editable=False)
    min_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    population = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["min_lat", "max_lat", "min_lon", "max_lon"],
                name="neighborhood_bbox_idx",
            )
        ]

    BOUNDING_BOX_FIELDS = ("min_lat", "min_lon", "max_lat", "max_lon")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Derived here, not by callers, so the box can never disagree with the
        # boundary it summarises (a stale box would hide a neighborhood).
        update_fields = kwargs.get("update_fields")
        if "boundary" not in self.get_deferred_fields() and (
            update_fields is None or "boundary" in update_fields
        ):
            self.min_lon, self.min_lat, self.max_lon, self.max_lat = geometry.bounds(
                self.boundary
            )
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.BOUNDING_BOX_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("neighborhoods:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # Admin edits go through here; the importer checks more thoroughly.
        if not isinstance(self.boundary, dict) or (
            self.boundary.get("type") not in geometry.POLYGONAL_TYPES
        ):
            raise ValidationError(
                {"boundary": "The boundary must be a GeoJSON Polygon or MultiPolygon."}
            )
        try:
            geom = geometry.to_shape(self.boundary)
        except geometry.GeometryError as exc:
            raise ValidationError({"boundary": str(exc)}) from exc
        if not geom.is_valid or not geometry.is_lon_lat(geom):
            raise ValidationError(
                {"boundary": "The boundary is not a valid longitude/latitude polygon."}
            )

    @property
    def area_m2(self) -> float:
        """Area on the ground in square metres."""
        return geometry.geodesic_area_m2(self.boundary)

    @property
    def area_km2(self) -> float:
        return self.area_m2 / 1_000_000

    @property
    def area_sq_miles(self) -> float:
        return self.area_m2 / geometry.SQUARE_METERS_PER_SQUARE_MILE

    @property
    def area_acres(self) -> float:
        return self.area_m2 / geometry.SQUARE_METERS_PER_ACRE


class GroupRole(models.TextChoices):
    MEMBER = "member", "Member"
    ORGANIZER = "organizer", "Organizer"


class NeighborhoodGroup(models.Model):
    """The residents' group of one neighborhood.

    One per neighborhood: organizers edit that neighborhood's pages, moderate
    its discussions and run its events, and nothing of any other neighborhood.
    """

    neighborhood = models.OneToOneField(
        Neighborhood, on_delete=models.CASCADE, related_name="group"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(
        blank=True, help_text="What the group does, who it is for, when it meets."
    )
    members = models.ManyToManyField(
        "accounts.User",
        through="GroupMembership",
        related_name="neighborhood_groups",
        blank=True,
    )
    created = models.DateTimeField(auto_now_add=True)
    # The Django auth group that carries the organizers' Wagtail permissions;
    # a link rather than a name, so renaming a neighborhood keeps it.
    organizers_auth_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="neighborhood_group",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(
        NeighborhoodGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(
        max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "-role", "joined"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], name="one_membership_per_group_and_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role})"

"""Reads about neighborhoods: listing them, and which one a point is in."""

import hashlib
import logging
from collections.abc import Sequence

from django.core.cache import cache

from . import boundary_index, geometry
from .models import Neighborhood

logger = logging.getLogger(__name__)

# About 5 m: boundaries stay true at city zoom and the page stays light.
_OVERVIEW_TOLERANCE_DEGREES = 0.00005
_OVERVIEW_DIGITS = 5
# About 1 m: one neighborhood, looked at street by street.
_DETAIL_TOLERANCE_DEGREES = 0.00001
_DETAIL_DIGITS = 6
_OVERVIEW_CACHE_SECONDS = 60 * 60


def neighborhood_containing(*, lat: float, lon: float) -> Neighborhood | None:
    """The neighborhood a point falls in, or ``None`` outside all of them.

    A point exactly on a boundary counts as inside (shapely ``covers``, not
    ``contains``): a report on the street that is the city line should still
    reach a neighborhood. A point on an edge two neighborhoods share gets the
    first of them by name, so the same point always gets the same answer.

    Served from prepared shapes cached in this process (see
    ``boundary_index``): no query per call, which matters when importing
    thousands of 311 records.
    """
    return boundary_index.find(lat=lat, lon=lon)


def list_neighborhoods() -> list[Neighborhood]:
    """All neighborhoods by name, without their boundaries (megabytes of JSON
    that a list does not need). A list, so templates cannot run the query."""
    return list(Neighborhood.objects.defer("boundary"))


def get_neighborhood(*, slug: str) -> Neighborhood | None:
    """The neighborhood with this slug, boundary included, or ``None``."""
    return Neighborhood.objects.filter(slug=slug).first()


def neighborhoods_map_data(*, neighborhoods: Sequence[Neighborhood]) -> dict:
    """A GeoJSON FeatureCollection of simplified boundaries for an overview
    map, each feature with its name and page URL.

    Simplifying every boundary takes a noticeable fraction of a second, so the
    result is cached under a key that changes whenever any of these
    neighborhoods is saved.
    """
    if not neighborhoods:
        return {"type": "FeatureCollection", "features": []}
    signature = "|".join(f"{n.pk}:{n.updated.isoformat()}" for n in neighborhoods)
    key = "neighborhoods:overview:" + hashlib.sha256(signature.encode()).hexdigest()
    cached = _cache_get(key)
    if cached is not None:
        return cached
    boundaries = dict(
        Neighborhood.objects.filter(pk__in=[n.pk for n in neighborhoods]).values_list(
            "pk", "boundary"
        )
    )
    features = [
        _feature(
            n,
            boundary=geometry.simplified_geojson(
                boundaries[n.pk],
                tolerance=_OVERVIEW_TOLERANCE_DEGREES,
                digits=_OVERVIEW_DIGITS,
            ),
        )
        for n in neighborhoods
        if n.pk in boundaries
    ]
    data = {"type": "FeatureCollection", "features": features}
    _cache_set(key, data, timeout=_OVERVIEW_CACHE_SECONDS)
    return data


def neighborhood_map_data(*, neighborhood: Neighborhood) -> dict:
    """A GeoJSON FeatureCollection with this one neighborhood's boundary,
    lightly simplified for drawing."""
    boundary = geometry.simplified_geojson(
        neighborhood.boundary,
        tolerance=_DETAIL_TOLERANCE_DEGREES,
        digits=_DETAIL_DIGITS,
    )
    return {"type": "FeatureCollection", "features": [_feature(neighborhood, boundary)]}


def _feature(neighborhood: Neighborhood, boundary: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": boundary,
        "properties": {
            "name": neighborhood.name,
            "slug": neighborhood.slug,
            "url": neighborhood.get_absolute_url(),
        },
    }


def _cache_get(key: str) -> dict | None:
    # A broken cache slows the page down; it must not break it.
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Cache read failed for %s", key)
        return None


def _cache_set(key: str, value: dict, *, timeout: int) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.exception("Cache write failed for %s", key)


def is_organizer(*, user, neighborhood: Neighborhood) -> bool:
    """Whether ``user`` organizes the group of ``neighborhood``."""
    from .models import GroupMembership, GroupRole

    if not getattr(user, "is_authenticated", False):
        return False
    return GroupMembership.objects.filter(
        group__neighborhood=neighborhood, user=user, role=GroupRole.ORGANIZER
    ).exists()


def can_moderate_neighborhood(*, user, neighborhood: Neighborhood | None) -> bool:
    """City staff moderate everywhere; organizers only their own neighborhood."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return neighborhood is not None and is_organizer(
        user=user, neighborhood=neighborhood
    )


def group_for(*, neighborhood: Neighborhood):
    """The group of ``neighborhood``, or ``None`` if it has none yet."""
    from .models import NeighborhoodGroup

    return NeighborhoodGroup.objects.filter(neighborhood=neighborhood).first()


def active_organizers(*, group) -> list:
    """The people who organize ``group`` now, longest-serving first.

    Closed accounts are left out: they can no longer act for the group.
    """
    from .models import GroupRole

    return [
        m.user
        for m in group.memberships.filter(
            role=GroupRole.ORGANIZER,
            user__is_active=True,
            user__deleted_at__isnull=True,
        )
        .select_related("user")
        .order_by("joined", "pk")
    ]


def group_panel(*, neighborhood: Neighborhood, user) -> dict:
    """What the group box on a neighborhood's page shows to ``user``.

    Everything the template needs, so it runs no query: organizers appear by
    their public names only (never an email), members only as a count.
    ``group`` is ``None`` for a neighborhood that has no group yet.
    """
    from urllib.parse import urlencode

    from django.urls import reverse

    from .models import GroupMembership, GroupRole

    group = group_for(neighborhood=neighborhood)
    page_url = neighborhood.get_absolute_url()
    panel = {
        "neighborhood": neighborhood,
        "group": group,
        "signed_in": bool(getattr(user, "is_authenticated", False)),
        "login_url": reverse("account_login") + "?" + urlencode({"next": page_url}),
    }
    if group is None:
        return panel
    membership = None
    if panel["signed_in"]:
        membership = GroupMembership.objects.filter(group=group, user=user).first()
    organizers = active_organizers(group=group)
    is_organizer = membership is not None and membership.role == GroupRole.ORGANIZER
    panel.update(
        {
            "name": group.name,
            "description": group.description,
            "organizer_names": [o.public_name for o in organizers],
            "member_count": group.memberships.filter(
                user__is_active=True, user__deleted_at__isnull=True
            ).count(),
            "is_member": membership is not None,
            "is_organizer": is_organizer,
            # The last organizer is told why leaving is refused before trying.
            "is_last_organizer": is_organizer
            and [o.pk for o in organizers] == [user.pk],
            "join_url": reverse("groups:join", kwargs={"slug": neighborhood.slug}),
            "leave_url": reverse("groups:leave", kwargs={"slug": neighborhood.slug}),
            "admin_url": reverse("wagtailadmin_home") if is_organizer else "",
        }
    )
    return panel

"""Reads of the feed and of notifications, and the one shape of a feed message.

Every public read goes through ``_public_activity`` so the feed page, the
catch-up API and the home and neighborhood sections agree on what the public
may see, including the consent rule of ``kinds.CONSENT_KINDS``.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import User

from . import kinds
from .models import Activity, Notification

FEED_SIZE = 30
# Enough for a phone that slept through a busy hour; a client that missed more
# asks again with the last id it got (the API says ``more``).
CATCH_UP_LIMIT = 100
NOTIFICATIONS_PAGE_SIZE = 50


def _public_activity(*, neighborhood_slug: str | None = None) -> QuerySet[Activity]:
    """Public entries, minus person-centred ones whose person has since hidden
    their profile (or deleted their account): consent is checked on every read,
    not only when the entry was written."""
    queryset = (
        Activity.objects.filter(public=True)
        .filter(~Q(kind__in=kinds.CONSENT_KINDS) | Q(actor__public_profile=True))
        .select_related("actor")
    )
    if neighborhood_slug:
        queryset = queryset.filter(neighborhood_slug=neighborhood_slug)
    return queryset


def latest_public_activity(
    *,
    neighborhood_slug: str | None = None,
    limit: int = FEED_SIZE,
    before_id: int | None = None,
) -> list[Activity]:
    """The newest public entries first, city-wide or for one neighborhood;
    ``before_id`` pages back through the archive by id, which (unlike page
    numbers) does not shift while new entries arrive."""
    queryset = _public_activity(neighborhood_slug=neighborhood_slug)
    if before_id is not None:
        queryset = queryset.filter(id__lt=before_id)
    return list(queryset.order_by("-id")[:limit])


@dataclass(frozen=True)
class FeedPage:
    items: list[Activity]
    older_than: int | None  # the ``before`` of the next archive page, if any


def public_feed_page(
    *,
    neighborhood_slug: str | None = None,
    before_id: int | None = None,
    size: int = FEED_SIZE,
) -> FeedPage:
    """One page of the feed and whether older entries exist (one query)."""
    items = latest_public_activity(
        neighborhood_slug=neighborhood_slug, limit=size + 1, before_id=before_id
    )
    if len(items) > size:
        return FeedPage(items=items[:size], older_than=items[size - 1].id)
    return FeedPage(items=items, older_than=None)


def public_activity_after(
    *,
    after_id: int,
    neighborhood_slug: str | None = None,
    limit: int = CATCH_UP_LIMIT,
) -> list[Activity]:
    """Public entries newer than ``after_id``, oldest first, so a client that
    was offline can append them in order and resume from the last one."""
    queryset = _public_activity(neighborhood_slug=neighborhood_slug)
    return list(queryset.filter(id__gt=after_id).order_by("id")[:limit])


def unread_notifications(*, user: User) -> QuerySet[Notification]:
    """The person's unread notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(user=user, read_at__isnull=True)
        .select_related("activity", "activity__actor")
        .order_by("-id")
    )


def unread_count(*, user: User) -> int:
    """The number on the bell; zero for someone not signed in."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def recent_notifications(
    *, user: User, limit: int = NOTIFICATIONS_PAGE_SIZE
) -> list[Notification]:
    """The person's latest notifications, read or not, newest first."""
    return list(
        Notification.objects.filter(user=user)
        .select_related("activity", "activity__actor")
        .order_by("-id")[:limit]
    )


def message_for(activity: Activity, /) -> dict[str, Any]:
    """The JSON message of ``activity``, the same over the websocket and the API.

    Only public columns go in, and the actor only as their public name.
    """
    return {
        "kind": activity.kind,
        "id": activity.id,
        "created": activity.created.isoformat(),
        "summary": activity.summary,
        "url": activity.target_url or None,
        "neighborhood": (
            {"slug": activity.neighborhood_slug, "name": activity.neighborhood_name}
            if activity.neighborhood_slug
            else None
        ),
        "actor": activity.actor_name,
        "data": activity.data,
    }


def notifications_export(user: User) -> list[dict[str, Any]]:
    """The person's notifications for their personal-data export."""
    return [
        {
            "kind": n.activity.kind,
            "summary": n.activity.summary,
            "url": n.activity.target_url or None,
            "created": n.activity.created.isoformat(),
            "read_at": n.read_at.isoformat() if n.read_at else None,
        }
        for n in Notification.objects.filter(user=user)
        .select_related("activity")
        .order_by("id")
    ]

"""Template tags for the feed sections and the notification bell.

Pages pass a ``FeedPage`` they got from ``activity.selectors`` in their view
or ``get_context``; the feed markup lives in one template wherever it
appears. The header has no view of its own, so the bell tag reads the unread
count itself (one query).
"""

import json

from django import template
from django.urls import reverse

from .. import kinds, selectors

register = template.Library()


@register.inclusion_tag("activity/includes/feed.html", takes_context=True)
def activity_feed(
    context,
    page: selectors.FeedPage,
    *,
    neighborhood_slug: str | None = None,
    title: str = "",
    labelledby: str = "",
    live: bool = True,
    archive: bool = False,
    show_neighborhood: bool | None = None,
    link_to_feed: bool = False,
    empty_text: str = "Nothing has happened here yet. New activity will appear "
    "in this list.",
) -> dict:
    """A feed section: the server-rendered list, and what the script needs to
    keep it live (websocket path, catch-up URL, newest id, kind labels)."""
    feed_url = reverse("activity:feed")
    query = f"neighborhood={neighborhood_slug}&" if neighborhood_slug else ""
    newest_id = page.items[0].id if page.items else 0
    return {
        "items": page.items,
        "title": title,
        "labelledby": labelledby,
        "live": live and not archive,
        "archive": archive,
        "show_neighborhood": (
            not neighborhood_slug if show_neighborhood is None else show_neighborhood
        ),
        "empty_text": empty_text,
        "socket_path": (
            f"/ws/activity/{neighborhood_slug}/"
            if neighborhood_slug
            else "/ws/activity/"
        ),
        "catch_up_url": reverse("activity:api")
        + (f"?neighborhood={neighborhood_slug}" if neighborhood_slug else ""),
        "newest_id": newest_id,
        "kind_labels": json.dumps(kinds.LABELS),
        "older_url": (
            f"{feed_url}?{query}before={page.older_than}" if page.older_than else ""
        ),
        "newer_url": f"{feed_url}?{query}".rstrip("?&") if archive else "",
        "feed_url": f"{feed_url}?{query}".rstrip("?&") if link_to_feed else "",
    }


@register.inclusion_tag("activity/includes/bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The header's bell for the signed-in person, with their unread count."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = selectors.unread_count(user=user) if user is not None else 0
    return {"user": user, "unread": count}

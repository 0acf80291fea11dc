"""The feed page, its catch-up API, and the signed-in person's notifications.

Views only parse input and call selectors and services.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,200}")


def _whole_number(value: str | None) -> int | None:
    """A non-negative integer from a query string, or None if it is not one."""
    if value is None or not value.isascii() or not value.isdigit():
        return None
    return int(value)


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """``/activity``: the latest entries live, or an archive page (``?before=``)."""
    slug = request.GET.get("neighborhood") or None
    if slug is not None and not SLUG_RE.fullmatch(slug):
        raise Http404("No such neighborhood")
    raw_before = request.GET.get("before")
    before = _whole_number(raw_before)
    if raw_before is not None and before is None:
        raise Http404("No such page of activity")
    page = selectors.public_feed_page(neighborhood_slug=slug, before_id=before)
    return render(
        request,
        "activity/activity_feed.html",
        {
            "page": page,
            "archive": before is not None,
            "neighborhood_slug": slug,
            "neighborhood_name": (
                page.items[0].neighborhood_name if slug and page.items else slug
            ),
        },
    )


def _bad_request(reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=400)


@never_cache
@require_GET
def activity_after(request: HttpRequest) -> JsonResponse:
    """``GET /api/activity?after=<id>[&neighborhood=<slug>]``: what a client
    missed while its websocket was down, oldest first, at most
    ``CATCH_UP_LIMIT`` at a time; ``more`` says to ask again from the last id.

    An unknown neighborhood is not an error: it simply has no activity.
    """
    raw_after = request.GET.get("after")
    if raw_after is None:
        return _bad_request(
            "'after' is required: the id of the newest entry you have (0 for all)."
        )
    after = _whole_number(raw_after)
    if after is None:
        return _bad_request("'after' must be a whole number, 0 or more.")
    slug = request.GET.get("neighborhood") or None
    if slug is not None and not SLUG_RE.fullmatch(slug):
        return _bad_request("'neighborhood' must be a neighborhood slug.")
    limit = selectors.CATCH_UP_LIMIT
    items = selectors.public_activity_after(
        after_id=after, neighborhood_slug=slug, limit=limit + 1
    )
    return JsonResponse(
        {
            "results": [selectors.message_for(a) for a in items[:limit]],
            "more": len(items) > limit,
        }
    )


@never_cache
@require_GET
def unread_count(request: HttpRequest) -> JsonResponse:
    """``GET /api/notifications/unread``: the bell's number, refreshed after a
    reconnect (notifications may have been read in another tab meanwhile)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to see your notifications."}, status=401)
    return JsonResponse({"unread": selectors.unread_count(user=request.user)})


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "activity/notifications.html",
        {
            "notifications": selectors.recent_notifications(user=request.user),
            "unread": selectors.unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (``notification=<id>``) or, without one, all."""
    raw_ids = request.POST.getlist("notification")
    ids = [n for n in (_whole_number(raw) for raw in raw_ids) if n is not None]
    if raw_ids and not ids:
        return redirect("activity:notifications")
    changed = services.mark_notifications_read(
        user=request.user, notification_ids=ids or None
    )
    if changed:
        messages.success(
            request,
            "Notification marked as read."
            if changed == 1
            else f"{changed} notifications marked as read.",
        )
    return redirect("activity:notifications")

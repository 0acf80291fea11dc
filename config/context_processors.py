"""Template context every page needs: the site navigation."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# (label, URL name). An entry shows only once its feature's URL exists, so the
# navigation never links to a page that is not there.
NAVIGATION = [
    ("Map", "engagement:map"),
    ("Report a problem", "engagement:report"),
    ("Neighborhoods", "neighborhoods:index"),
    ("City updates", "cms:updates"),
    ("Activity", "activity:feed"),
    ("Leaderboards", "points:leaderboards"),
    ("Performance", "engagement:performance"),
]


def _resolved_navigation() -> list[tuple[str, str]]:
    items = []
    for label, name in NAVIGATION:
        try:
            items.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    return items


def _staff_navigation(request: HttpRequest) -> list[tuple[str, str]]:
    """The staff queue, for people who work in a department's queue only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    from engagement.selectors.staff import is_staff_member

    if not is_staff_member(user=user):
        return []
    try:
        return [("Staff queue", reverse("engagement:staff_queue"))]
    except NoReverseMatch:
        return []


def _moderation_navigation(request: HttpRequest) -> list[tuple[str, str]]:
    """The discussion moderation queue, for staff and neighborhood organizers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    from engagement.selectors.discussions import can_use_moderation_queue

    if not can_use_moderation_queue(user=user):
        return []
    return [("Moderation", reverse("engagement:moderation_queue"))]


def site_navigation(request: HttpRequest) -> dict:
    items = (
        _resolved_navigation()
        + _staff_navigation(request)
        + _moderation_navigation(request)
    )
    path = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "current": path.startswith(url)}
            for label, url in items
        ]
    }

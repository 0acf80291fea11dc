"""Leaderboards, the "how points work" page and a person's own points.

Views only call selectors; the pages hold no queries.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .badges import BADGES, LEVELS


@require_GET
def leaderboards(request: HttpRequest) -> HttpResponse:
    """``/leaderboards``: city-wide, this week, this month and all time."""
    boards = [
        {
            "period": period,
            "label": label,
            "rows": selectors.city_leaderboard(period=period),
        }
        for period, label in selectors.PERIODS.items()
    ]
    return render(request, "points/leaderboards.html", {"boards": boards})


@require_GET
def how_points_work(request: HttpRequest) -> HttpResponse:
    """The rules as they stand, so nobody has to guess what counts."""
    return render(
        request,
        "points/how_points_work.html",
        {"rules": selectors.active_rules(), "badges": BADGES, "levels": LEVELS},
    )


@login_required
@require_GET
def profile_points(request: HttpRequest) -> HttpResponse:
    """``/profile/points``: the person's history, badges and level (only theirs)."""
    user = request.user
    return render(
        request,
        "points/profile_points.html",
        {
            "progress": selectors.user_level(user=user),
            "history": selectors.points_history(user=user),
            "badges": selectors.badge_progress(user=user),
        },
    )

"""Leaderboards, the "how points work" page and a person's own points.

Views only call selectors; the pages hold no queries.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User

from . import selectors, services
from .badges import BADGES, LEVELS
from .models import Campaign


@require_GET
def leaderboards(request: HttpRequest) -> HttpResponse:
    """``/leaderboards``: city-wide or one neighborhood's (``?neighborhood=``),
    this week, this month and all time, and the neighborhoods' team board."""
    neighborhoods = selectors.ledger_neighborhoods()
    chosen = next(
        (n for n in neighborhoods if n.slug == request.GET.get("neighborhood")), None
    )
    boards = [
        {
            "period": period,
            "label": label,
            "rows": (
                selectors.leaderboard_for_neighborhood(slug=chosen.slug, period=period)
                if chosen
                else selectors.city_leaderboard(period=period)
            ),
        }
        for period, label in selectors.PERIODS.items()
    ]
    teams = [
        {
            "period": period,
            "label": label,
            "rows": selectors.neighborhood_team_board(period=period),
        }
        for period, label in selectors.PERIODS.items()
    ]
    return render(
        request,
        "points/leaderboards.html",
        {
            "boards": boards,
            "teams": teams,
            "neighborhoods": neighborhoods,
            "chosen": chosen,
            "campaigns": selectors.running_campaigns(),
        },
    )


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
            "campaigns": selectors.campaigns_for_person(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_review(request: HttpRequest) -> HttpResponse:
    """``/staff/points/review``: accounts earning far above their own average,
    with a hold (and a release) button. Staff only."""
    if not request.user.is_staff:
        raise PermissionDenied
    if request.method == "POST":
        person = get_object_or_404(User, pk=request.POST.get("user_id"))
        if request.POST.get("action") == "hold":
            services.place_hold(
                user=person,
                reason=request.POST.get("reason")
                or "Points far above this person's own average.",
                created_by=request.user,
            )
            messages.success(request, f"Awards to {person.public_name} are on hold.")
        elif request.POST.get("action") == "release":
            services.release_holds(user=person)
            messages.success(request, f"Awards to {person.public_name} resumed.")
        return redirect("points:staff_review")
    return render(
        request,
        "points/staff_review.html",
        {
            "suspects": selectors.farming_suspects(),
            "holds": selectors.current_holds(),
            "ratio": selectors.FARMING_RATIO,
            "min_points": selectors.FARMING_MIN_POINTS,
        },
    )


@require_GET
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    """A campaign's page: what counts, the community's progress and, for a
    signed-in person, their own, with the bonus it earns."""
    chosen = get_object_or_404(Campaign, slug=slug)
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "points/campaign.html",
        {"progress": selectors.campaign_progress(campaign=chosen, user=user)},
    )

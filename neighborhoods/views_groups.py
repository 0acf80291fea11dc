"""Joining and leaving a neighborhood group: two buttons on the neighborhood page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.ratelimits import RateLimited

from . import groups, selectors


def _error_text(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _group_or_404(slug: str):
    neighborhood = selectors.get_neighborhood(slug=slug)
    if neighborhood is None:
        raise Http404("No such neighborhood")
    return neighborhood, groups.ensure_group(neighborhood=neighborhood)


def _back(neighborhood) -> HttpResponse:
    return redirect(neighborhood.get_absolute_url() + "#group")


def _to_login(neighborhood) -> HttpResponse:
    next_url = neighborhood.get_absolute_url() + "#group"
    return redirect(reverse("account_login") + "?" + urlencode({"next": next_url}))


@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    neighborhood, group = _group_or_404(slug)
    if not request.user.is_authenticated:
        return _to_login(neighborhood)
    try:
        _membership, created = groups.join_group(group=group, user=request.user)
    except (PermissionDenied, RateLimited) as exc:
        messages.error(request, _error_text(exc))
    else:
        if created:
            messages.success(
                request,
                f"Welcome to {group.name}! You'll find its planning topics, "
                "discussions and events on this page.",
            )
        else:
            messages.info(request, f"You are already a member of {group.name}.")
    return _back(neighborhood)


@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    neighborhood, group = _group_or_404(slug)
    if not request.user.is_authenticated:
        return _to_login(neighborhood)
    try:
        left = groups.leave_group(group=group, user=request.user)
    except (ValidationError, RateLimited) as exc:
        messages.error(request, _error_text(exc))
    else:
        if left:
            messages.success(
                request,
                f"You have left {group.name}. You can join again at any time.",
            )
        else:
            messages.info(request, f"You are not a member of {group.name}.")
    return _back(neighborhood)

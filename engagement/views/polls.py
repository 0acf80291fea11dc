"""Voting in a quick poll; the poll and its results live on the planning page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.ratelimits import RateLimited

from ..selectors.polls import poll_for_vote
from ..services.polls import vote


@require_POST
def poll_vote(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = poll_for_vote(poll_id=poll_id)
    if poll is None or not poll.page.live:
        raise Http404("No such poll")
    back = (poll.page.get_url() or "/") + f"#poll-{poll.pk}"
    if not request.user.is_authenticated:
        return redirect(reverse("account_login") + "?" + urlencode({"next": back}))
    try:
        vote(user=request.user, poll=poll, choice_id=request.POST.get("choice"))
    except (ValidationError, PermissionDenied, RateLimited) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(request, "Thank you: your vote is counted.")
    return redirect(back)

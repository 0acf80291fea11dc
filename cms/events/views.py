"""What people do on an event page: sign up, cancel, download it, check in."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from accounts.ratelimits import RateLimited

from . import ical as ical_format
from . import selectors, services


def _error_text(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _to_login(next_url: str) -> HttpResponse:
    return redirect(reverse("account_login") + "?" + urlencode({"next": next_url}))


def _event_url(shift) -> str:
    return (shift.event.get_url() or "/") + f"#shift-{shift.pk}"


def _live_shift_or_404(shift_id: int):
    shift = selectors.live_shift(shift_id=shift_id)
    if shift is None:
        raise Http404("No such shift")
    return shift


@require_POST
def sign_up(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = _live_shift_or_404(shift_id)
    if not request.user.is_authenticated:
        return _to_login(shift.event.get_url() or "/")
    try:
        services.sign_up(shift=shift, user=request.user)
    except (ValidationError, PermissionDenied, RateLimited) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            f"You're signed up for “{shift.title}”. Thank you! Add the event to "
            "your calendar so you don't miss it.",
        )
    return redirect(_event_url(shift))


@require_POST
def cancel(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = _live_shift_or_404(shift_id)
    if not request.user.is_authenticated:
        return _to_login(shift.event.get_url() or "/")
    try:
        services.cancel_signup(shift=shift, user=request.user)
    except (ValidationError, RateLimited) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            f"Your place on “{shift.title}” is cancelled and free for someone "
            "else. You can sign up again while places are left.",
        )
    return redirect(_event_url(shift))


@require_GET
def ical(request: HttpRequest, page_id: int) -> HttpResponse:
    event = selectors.live_event(page_id=page_id)
    if event is None:
        raise Http404("No such event")
    body = ical_format.event_calendar(
        event=event,
        url=request.build_absolute_uri(event.get_url(request) or "/"),
        domain=request.get_host().split(":")[0] or "civicpulse",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = (slugify(event.title) or "event") + ".ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _forbidden(request: HttpRequest, event, message: str) -> HttpResponse:
    return render(
        request,
        "cms/events/forbidden.html",
        {"event": event, "message": message},
        status=403,
    )


@require_GET
def check_in_roster(request: HttpRequest, page_id: int) -> HttpResponse:
    event = selectors.live_event(page_id=page_id)
    if event is None:
        raise Http404("No such event")
    if not request.user.is_authenticated:
        return _to_login(request.get_full_path())
    neighborhood = selectors.event_neighborhood(page=event)
    if not selectors.can_check_in(user=request.user, page=event):
        where = neighborhood.name if neighborhood else "this neighborhood"
        return _forbidden(
            request,
            event,
            f"Only the organizers of {where} and city staff can check volunteers "
            "in at this event.",
        )
    return render(
        request,
        "cms/events/check_in.html",
        {
            "event": event,
            "neighborhood": neighborhood,
            "roster": selectors.check_in_roster(page=event),
        },
    )


def _check_in_action(request: HttpRequest, signup_id: int, *, undo: bool):
    signup = selectors.signup_for_check_in(signup_id=signup_id)
    if signup is None:
        raise Http404("No such sign-up")
    event = signup.shift.event
    roster_url = reverse("events:check_in", kwargs={"page_id": event.pk})
    if not request.user.is_authenticated:
        return _to_login(roster_url)
    name = signup.user.public_name
    try:
        if undo:
            done = services.undo_check_in(signup=signup, organizer=request.user)
        else:
            done = services.check_in(signup=signup, organizer=request.user)
    except PermissionDenied as exc:
        return _forbidden(request, event, _error_text(exc))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        if undo and done is None:
            messages.info(request, f"{name} was not checked in.")
        elif undo:
            messages.success(
                request, f"Check-in of {name} undone; their points are taken back."
            )
        else:
            messages.success(request, f"{name} is checked in.")
    return redirect(f"{roster_url}#signup-{signup.pk}")


@require_POST
def check_in(request: HttpRequest, signup_id: int) -> HttpResponse:
    return _check_in_action(request, signup_id, undo=False)


@require_POST
def undo_check_in(request: HttpRequest, signup_id: int) -> HttpResponse:
    return _check_in_action(request, signup_id, undo=True)

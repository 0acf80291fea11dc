"""Writes on volunteer events: sign-ups, cancellations, check-ins, announcements.

Seats are counted under a lock on the shift row, so two people racing for
the last seat cannot both get it: on PostgreSQL ``select_for_update`` makes
the second wait for the first to commit and then count again; on SQLite the
write transaction (``BEGIN IMMEDIATE``) serialises them anyway. The partial
unique constraint on live sign-ups backs up the "already signed up" check.
"""

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.ratelimits import consume
from accounts.selectors import has_verified_email
from activity import kinds
from activity.services import publish_on_commit
from points.rules import VOLUNTEER_HOUR
from points.services import award_points, reverse_points

from ..models import (
    EventCheckIn,
    EventPage,
    EventShift,
    EventSignup,
    SignupStatus,
    VolunteerHour,
)
from . import selectors

# Sign-ups and cancellations per person and hour: plenty for a real person,
# and a stop to a script that toggles a seat to spam the feed.
SIGNUP_CHANGES_PER_HOUR = 30


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F')}, {date_format(local, 'G:i')}"


def sign_up(*, shift: EventShift, user: User) -> EventSignup:
    """Give ``user`` a seat on ``shift``.

    Raises ``PermissionDenied`` for an unconfirmed email address,
    ``ValidationError`` (with a message for the person) when the shift has
    started, is full, or already has them, and ``RateLimited`` past the
    hourly limit; nothing is saved then.
    """
    if not has_verified_email(user=user):
        raise PermissionDenied(
            "Please confirm your email address before you sign up to volunteer."
        )
    consume(
        action="event_signup",
        key=str(user.pk),
        limit=SIGNUP_CHANGES_PER_HOUR,
        period_seconds=3600,
    )
    try:
        with transaction.atomic():
            locked = (
                EventShift.objects.select_for_update(of=("self",))
                .select_related("event")
                .get(pk=shift.pk)
            )
            event = locked.event
            now = timezone.now()
            if not event.live:
                raise ValidationError("This event is not open for sign-ups.")
            if locked.starts_at <= now or event.ends_at <= now:
                raise ValidationError(
                    f"“{locked.title}” has already started, so it no longer takes "
                    "sign-ups. Please look for another shift or event."
                )
            if EventSignup.objects.filter(
                shift=locked, user=user, status=SignupStatus.SIGNED_UP
            ).exists():
                raise ValidationError("You are already signed up for this shift.")
            taken = EventSignup.objects.filter(
                shift=locked, status=SignupStatus.SIGNED_UP
            ).count()
            if taken >= locked.capacity:
                raise ValidationError(
                    f"Sorry, “{locked.title}” is full: all {locked.capacity} places "
                    "are taken. Another shift may still have room."
                )
            signup = EventSignup.objects.create(shift=locked, user=user)
            announce_if_filling(event=event)
    except IntegrityError as exc:  # a double click that raced past the check
        raise ValidationError("You are already signed up for this shift.") from exc
    return signup


def cancel_signup(*, shift: EventShift, user: User) -> EventSignup:
    """Give up ``user``'s seat on ``shift`` so someone else can take it.

    Only before the shift starts (after that the organizer needs to know who
    is coming) and not once checked in. The row stays, marked cancelled.
    """
    consume(
        action="event_signup",
        key=str(user.pk),
        limit=SIGNUP_CHANGES_PER_HOUR,
        period_seconds=3600,
    )
    with transaction.atomic():
        locked = EventShift.objects.select_for_update().get(pk=shift.pk)
        signup = EventSignup.objects.filter(
            shift=locked, user=user, status=SignupStatus.SIGNED_UP
        ).first()
        if signup is None:
            raise ValidationError("You are not signed up for this shift.")
        if signup.checked_in_at is not None:
            raise ValidationError(
                "You are already checked in for this shift, so it cannot be cancelled."
            )
        if locked.starts_at <= timezone.now():
            raise ValidationError(
                f"“{locked.title}” has already started, so it can no longer be "
                "cancelled here. Please tell the organizer if you cannot come."
            )
        signup.status = SignupStatus.CANCELLED
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["status", "cancelled_at"])
    return signup


def shift_hours(*, shift: EventShift) -> int:
    """Whole hours a shift counts for: its length rounded up, at least one."""
    seconds = (shift.ends_at - shift.starts_at).total_seconds()
    return max(1, math.ceil(seconds / 3600))


def _require_organizer(*, organizer: User, event: EventPage) -> None:
    if not selectors.can_check_in(user=organizer, page=event):
        neighborhood = selectors.event_neighborhood(page=event)
        where = neighborhood.name if neighborhood else "this neighborhood"
        raise PermissionDenied(
            f"Only the organizers of {where} and city staff can check volunteers "
            "in at this event."
        )


def check_in(*, signup: EventSignup, organizer: User) -> EventCheckIn:
    """Record that the person came, and award their volunteer hours.

    One ``volunteer_hour`` entry per hour of the shift (see ``shift_hours``),
    each with its own ``VolunteerHour`` row as source, so the rule's daily
    cap and the Volunteer badge count hours. Opens on the day of the shift
    (``selectors.check_in_open``). Checking in someone already checked in
    (a double click) returns the standing check-in and awards nothing more.
    """
    event = signup.shift.event
    _require_organizer(organizer=organizer, event=event)
    with transaction.atomic():
        locked = (
            EventSignup.objects.select_for_update(of=("self",))
            .select_related("shift", "user")
            .get(pk=signup.pk)
        )
        if locked.status != SignupStatus.SIGNED_UP:
            raise ValidationError(
                "This person cancelled their place, so they cannot be checked in."
            )
        standing = locked.check_ins.filter(undone_at__isnull=True).first()
        if standing is not None:
            return standing
        if not selectors.check_in_open(shift=locked.shift):
            raise ValidationError(
                f"Check-in for “{locked.shift.title}” opens on the day of the shift "
                f"({_when(locked.shift.starts_at)})."
            )
        now = timezone.now()
        record = EventCheckIn.objects.create(
            signup=locked, checked_in_at=now, checked_in_by=organizer
        )
        locked.checked_in_at = now
        locked.checked_in_by = organizer
        locked.save(update_fields=["checked_in_at", "checked_in_by"])
        neighborhood = selectors.event_neighborhood(page=event)
        for number in range(1, shift_hours(shift=locked.shift) + 1):
            award_points(
                user=locked.user,
                reason=VOLUNTEER_HOUR,
                source=VolunteerHour.objects.create(check_in=record, number=number),
                neighborhood_slug=neighborhood.slug if neighborhood else None,
                neighborhood_name=neighborhood.name if neighborhood else "",
            )
    signup.checked_in_at, signup.checked_in_by = now, organizer
    return record


def undo_check_in(*, signup: EventSignup, organizer: User) -> EventCheckIn | None:
    """Take back a check-in made by mistake, and its points (a correction
    entry: the ledger never forgets). None if the person was not checked in."""
    event = signup.shift.event
    _require_organizer(organizer=organizer, event=event)
    with transaction.atomic():
        locked = (
            EventSignup.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=signup.pk)
        )
        standing = locked.check_ins.filter(undone_at__isnull=True).first()
        if standing is None:
            return None
        standing.undone_at = timezone.now()
        standing.undone_by = organizer
        standing.save(update_fields=["undone_at", "undone_by"])
        locked.checked_in_at = None
        locked.checked_in_by = None
        locked.save(update_fields=["checked_in_at", "checked_in_by"])
        for hour in standing.hours.all():
            reverse_points(
                user=locked.user,
                reason=VOLUNTEER_HOUR,
                source=hour,
                why="The organizer undid the check-in.",
            )
    signup.checked_in_at = signup.checked_in_by = None
    return standing


def _where(event: EventPage) -> tuple[object, str]:
    neighborhood = selectors.event_neighborhood(page=event)
    return neighborhood, f" in {neighborhood.name}" if neighborhood else ""


def announce_if_filling(*, event: EventPage) -> None:
    """Tell the neighborhood once when the event passes 80 % of its seats."""
    taken, capacity = selectors.seats_taken(page=event)
    if not selectors.is_filling(taken=taken, capacity=capacity):
        return
    if selectors.already_announced(page=event, kind=kinds.EVENT_FILLING):
        return
    neighborhood, where = _where(event)
    left = capacity - taken
    places = "1 place" if left == 1 else f"{left} places"
    publish_on_commit(
        kind=kinds.EVENT_FILLING,
        actor=None,
        target=event,
        neighborhood=neighborhood,
        summary=f"“{event.title}”{where} is filling up: {places} left",
        data={"seats_left": left, "capacity": capacity},
    )


def announce_event(*, event: EventPage) -> bool:
    """Put a newly published event in the feed, once; past events stay quiet.

    Returns whether it was announced now.
    """
    if event.ends_at <= timezone.now():
        return False
    if selectors.already_announced(page=event, kind=kinds.EVENT_ANNOUNCED):
        return False
    neighborhood, where = _where(event)
    publish_on_commit(
        kind=kinds.EVENT_ANNOUNCED,
        actor=None,
        target=event,
        neighborhood=neighborhood,
        summary=f"Volunteers wanted{where}: “{event.title}” on "
        f"{_when(event.starts_at)}",
        data={"starts_at": event.starts_at.isoformat()},
    )
    return True

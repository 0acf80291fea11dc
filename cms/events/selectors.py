"""Reads about volunteer events: what an event page shows, and the roster."""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import has_verified_email
from activity.models import Activity
from neighborhoods.models import Neighborhood
from neighborhoods.selectors import can_moderate_neighborhood

from ..models import EventPage, EventShift, EventSignup, SignupStatus

# An event "fills up" (and says so in the feed, once) at this share of seats.
FILLING_NUMERATOR, FILLING_DENOMINATOR = 4, 5  # 80 %

LIVE = Q(signups__status=SignupStatus.SIGNED_UP)


@dataclass(frozen=True)
class ShiftState:
    """One shift as a person sees it: seats left, and what they may do."""

    shift: EventShift
    taken: int
    my_signup: EventSignup | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def capacity(self) -> int:
        return self.shift.capacity

    @property
    def seats_left(self) -> int:
        return max(0, self.shift.capacity - self.taken)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def has_started(self) -> bool:
        return self.shift.starts_at <= self.now

    @property
    def can_sign_up(self) -> bool:
        return not (self.my_signup or self.is_full or self.has_started)

    @property
    def can_cancel(self) -> bool:
        return bool(
            self.my_signup and not self.has_started and not self.my_signup.checked_in_at
        )


@dataclass(frozen=True)
class RosterShift:
    shift: EventShift
    signups: list[EventSignup]
    check_in_open: bool

    @property
    def checked_in(self) -> int:
        return sum(1 for signup in self.signups if signup.checked_in_at)


def live_event(*, page_id: int) -> EventPage | None:
    """The published event with this page id, or None."""
    return EventPage.objects.live().filter(pk=page_id).first()


def live_shift(*, shift_id: int) -> EventShift | None:
    """A shift of a published event, with its event, or None."""
    return (
        EventShift.objects.select_related("event")
        .filter(pk=shift_id, event__live=True)
        .first()
    )


def signup_for_check_in(*, signup_id: int) -> EventSignup | None:
    """A live signup of a published event, with its shift, event and person."""
    return (
        EventSignup.objects.select_related("shift__event", "user")
        .filter(pk=signup_id, status=SignupStatus.SIGNED_UP, shift__event__live=True)
        .first()
    )


def event_neighborhood(*, page: EventPage) -> Neighborhood | None:
    """The neighborhood of the NeighborhoodPage the event sits under, without
    its boundary (megabytes an event never needs)."""
    if page.depth is None or page.depth <= 1:
        return None
    parent_path = page.path[: -page.steplen]
    return Neighborhood.objects.defer("boundary").filter(page__path=parent_path).first()


def can_check_in(*, user: User, page: EventPage) -> bool:
    """City staff everywhere; a group's organizers for their neighborhood's events."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_moderate_neighborhood(
        user=user, neighborhood=event_neighborhood(page=page)
    )


def shift_states(
    *, page: EventPage, user: User | None = None, now: datetime | None = None
) -> list[ShiftState]:
    """Each shift in order, with how many seats are taken and the person's signup."""
    now = now or timezone.now()
    shifts = list(
        EventShift.objects.filter(event=page)
        .annotate(taken=Count("signups", filter=LIVE))
        .order_by("sort_order", "starts_at", "pk")
    )
    mine: dict[int, EventSignup] = {}
    if user is not None and user.is_authenticated:
        mine = {
            signup.shift_id: signup
            for signup in EventSignup.objects.filter(
                shift__event=page, user=user, status=SignupStatus.SIGNED_UP
            )
        }
    return [
        ShiftState(shift=s, taken=s.taken, my_signup=mine.get(s.pk), now=now)
        for s in shifts
    ]


def seats_taken(*, page: EventPage) -> tuple[int, int]:
    """(live signups, total capacity) over all the event's shifts."""
    states = shift_states(page=page)
    return sum(s.taken for s in states), sum(s.capacity for s in states)


def is_filling(*, taken: int, capacity: int) -> bool:
    return capacity > 0 and taken * FILLING_DENOMINATOR >= capacity * FILLING_NUMERATOR


def already_announced(*, page: EventPage, kind: str) -> bool:
    """Whether the feed already has this kind of entry about this event."""
    return Activity.objects.filter(
        kind=kind, target_type=EventPage._meta.label_lower, target_id=str(page.pk)
    ).exists()


def event_context(*, page: EventPage, user: User) -> dict:
    """Everything ``templates/cms/event_page.html`` shows, so it runs no query."""
    now = timezone.now()
    parent = page.get_parent()
    neighborhood = event_neighborhood(page=page)
    signed_in = bool(getattr(user, "is_authenticated", False))
    states = shift_states(page=page, user=user if signed_in else None, now=now)
    page_url = page.get_url() or "/"
    organizer = signed_in and can_moderate_neighborhood(
        user=user, neighborhood=neighborhood
    )
    return {
        "neighborhood": neighborhood,
        "neighborhood_page": parent,
        "shifts": states,
        "is_past": page.ends_at <= now,
        "has_started": page.starts_at <= now,
        "signed_in": signed_in,
        "verified": has_verified_email(user=user) if signed_in else False,
        "login_url": reverse("account_login") + "?" + urlencode({"next": page_url}),
        "ics_url": reverse("events:ical", kwargs={"page_id": page.pk}),
        "check_in_url": (
            reverse("events:check_in", kwargs={"page_id": page.pk}) if organizer else ""
        ),
        "map_point": (
            {"lat": page.latitude, "lon": page.longitude, "name": page.location_name}
            if page.latitude is not None and page.longitude is not None
            else None
        ),
        "total_taken": sum(s.taken for s in states),
        "total_capacity": sum(s.capacity for s in states),
    }


def check_in_open(*, shift: EventShift, now: datetime | None = None) -> bool:
    """Check-in opens at midnight (city time) of the shift's day.

    Not only at the start time: volunteers arrive early and organizers check
    them in as they come. Never before that day, so nobody earns points for a
    shift that has not happened; no end, so a paper list can be entered later.
    """
    now = now or timezone.now()
    return timezone.localdate(shift.starts_at) <= timezone.localdate(now)


def check_in_roster(*, page: EventPage) -> list[RosterShift]:
    """Each shift with the people signed up for it, by the time they signed up."""
    now = timezone.now()
    shifts = list(EventShift.objects.filter(event=page).order_by("sort_order", "pk"))
    by_shift: dict[int, list[EventSignup]] = {s.pk: [] for s in shifts}
    for signup in (
        EventSignup.objects.filter(shift__event=page, status=SignupStatus.SIGNED_UP)
        .select_related("user")
        .order_by("created", "pk")
    ):
        by_shift[signup.shift_id].append(signup)
    return [
        RosterShift(
            shift=s,
            signups=by_shift[s.pk],
            check_in_open=check_in_open(shift=s, now=now),
        )
        for s in shifts
    ]


def upcoming_events(*, parent, limit: int = 5) -> list[EventPage]:
    """The next published events under ``parent`` (a NeighborhoodPage), soonest
    first, for the neighborhood's page; events still running count."""
    return list(
        EventPage.objects.live()
        .child_of(parent)
        .filter(ends_at__gt=timezone.now())
        .order_by("starts_at")[:limit]
    )

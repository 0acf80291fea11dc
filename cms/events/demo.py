"""Demo volunteer events: a few upcoming events in three neighborhoods, one
nearly full, so the event pages, the feed and check-in have something to show."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from neighborhoods.geometry import to_shape
from neighborhoods.models import Neighborhood

from ..models import EventPage, EventShift, EventSignup, NeighborhoodPage
from . import services

DEMO_RESIDENT_EMAIL = "resident@civicpulse.local"  # accounts.demo's resident
DEMO_VOLUNTEERS = (
    ("maya@volunteers.civicpulse.local", "Maya T."),
    ("jon@volunteers.civicpulse.local", "Jon K."),
    ("priya@volunteers.civicpulse.local", "Priya S."),
    ("luis@volunteers.civicpulse.local", "Luis M."),
    ("ana@volunteers.civicpulse.local", "Ana B."),
)


@dataclass(frozen=True)
class DemoShift:
    title: str
    start_hour: int
    end_hour: int
    capacity: int
    demo_signups: int = 0


@dataclass(frozen=True)
class DemoEvent:
    neighborhood: str
    slug: str
    title: str
    summary: str
    location_name: str
    address: str
    days_ahead: int
    shifts: tuple[DemoShift, ...]


DEMO_EVENTS = (
    DemoEvent(
        neighborhood="Dorchester",
        slug="town-field-clean-up",
        title="Town Field clean-up",
        summary="Litter pick, leaf raking and bulb planting around the "
        "playground and the courts. Gloves, rakes and coffee provided.",
        location_name="Town Field, by the playground gate",
        address="Fields Corner, Dorchester Ave, Boston",
        days_ahead=6,
        shifts=(
            DemoShift("Morning clean-up crew", 9, 12, 12, demo_signups=2),
            DemoShift("Planting crew", 12, 15, 8),
        ),
    ),
    DemoEvent(
        neighborhood="Jamaica Plain",
        slug="jamaica-pond-shoreline-sweep",
        title="Jamaica Pond shoreline sweep",
        summary="Clear litter from the shoreline path before winter. Meet at "
        "the boathouse; bags and grabbers provided.",
        location_name="Jamaica Pond boathouse",
        address="507 Jamaicaway, Boston",
        days_ahead=9,
        shifts=(DemoShift("Shoreline crew", 10, 13, 6, demo_signups=5),),
    ),
    DemoEvent(
        neighborhood="Roxbury",
        slug="dudley-common-mural-repaint",
        title="Dudley Town Common mural repaint",
        summary="Help local artists repaint the mural wall: prep, painting "
        "and clean-up. No experience needed.",
        location_name="Dudley Town Common, by the gazebo",
        address="Dudley St, Roxbury, Boston",
        days_ahead=13,
        shifts=(
            DemoShift("Wall prep", 9, 11, 6, demo_signups=1),
            DemoShift("Painting", 11, 15, 10),
            DemoShift("Brush wash and clean-up", 15, 16, 4),
        ),
    ),
    DemoEvent(
        neighborhood="Dorchester",
        slug="community-fridge-restock",
        title="Community fridge restock",
        summary="Sort donations and restock the neighborhood's community "
        "fridges on a Saturday morning.",
        location_name="Fields Corner community fridge",
        address="1452 Dorchester Ave, Boston",
        days_ahead=20,
        shifts=(DemoShift("Sorting and restocking", 10, 12, 4),),
    ),
)


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _volunteers() -> list[User]:
    from allauth.account.models import EmailAddress

    people = []
    for email, name in DEMO_VOLUNTEERS:
        person, created = User.objects.get_or_create(
            email=email, defaults={"display_name": name}
        )
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=person, email=email, defaults={"verified": True, "primary": True}
            )
        people.append(person)
    return people


def _parent_for(name: str) -> NeighborhoodPage | None:
    neighborhood = Neighborhood.objects.filter(name=name).first()
    if neighborhood is None:
        return None
    page = NeighborhoodPage.objects.filter(neighborhood=neighborhood).first()
    if page is None:
        from cms.services import ensure_neighborhood_page

        page = ensure_neighborhood_page(neighborhood=neighborhood)
    return page


def _place_in(neighborhood: Neighborhood) -> tuple[float, float]:
    """A point surely inside the neighborhood (not its centroid, which may
    fall outside a crescent-shaped boundary)."""
    point = to_shape(neighborhood.boundary).representative_point()
    return round(point.y, 6), round(point.x, 6)


@transaction.atomic
def create_demo_events() -> int:
    """Create the demo events that are missing; returns how many were created.

    Idempotent: an event already there (by its slug under its neighborhood's
    page) is left alone, dates included. Neighborhoods missing from the
    database are skipped.
    """
    volunteers = _volunteers()
    resident = User.objects.filter(email=DEMO_RESIDENT_EMAIL).first()
    today = timezone.localdate()
    created = 0
    for spec in DEMO_EVENTS:
        parent = _parent_for(spec.neighborhood)
        if parent is None:
            continue
        if EventPage.objects.child_of(parent).filter(slug=spec.slug).exists():
            continue
        day = today + timedelta(days=spec.days_ahead)
        lat, lon = _place_in(parent.neighborhood)
        event = EventPage(
            title=spec.title,
            slug=spec.slug,
            summary=spec.summary,
            location_name=spec.location_name,
            address=spec.address,
            latitude=lat,
            longitude=lon,
            starts_at=_at(day, min(s.start_hour for s in spec.shifts)),
            ends_at=_at(day, max(s.end_hour for s in spec.shifts)),
            live=False,
        )
        for order, shift in enumerate(spec.shifts):
            event.shifts.add(
                EventShift(
                    sort_order=order,
                    title=shift.title,
                    starts_at=_at(day, shift.start_hour),
                    ends_at=_at(day, shift.end_hour),
                    capacity=shift.capacity,
                )
            )
        parent.add_child(instance=event)
        event.save_revision().publish()
        shifts = {shift.title: shift for shift in event.shifts.all()}
        for demo_shift in spec.shifts:
            people = volunteers[: demo_shift.demo_signups]
            if resident is not None and people:
                # The demo resident sees "You're signed up" on one shift.
                people = [resident, *people[:-1]]
                resident = None
            for person in people:
                EventSignup.objects.create(shift=shifts[demo_shift.title], user=person)
        services.announce_if_filling(event=event)
        created += 1
    return created

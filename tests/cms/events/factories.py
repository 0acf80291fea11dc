"""Build the page tree an event lives in: home → neighborhoods → one
neighborhood → event, with its shifts, published as an editor would."""

from datetime import datetime, timedelta

from django.utils import timezone

from cms.models import (
    EventPage,
    EventShift,
    EventSignup,
    NeighborhoodIndexPage,
    NeighborhoodPage,
)
from cms.services import ensure_home_page
from neighborhoods.models import GroupMembership, GroupRole, NeighborhoodGroup
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory


def neighborhood_page(neighborhood=None) -> NeighborhoodPage:
    """The neighborhood's page, created (with the index) if it is missing."""
    neighborhood = neighborhood or NeighborhoodFactory()
    existing = NeighborhoodPage.objects.filter(neighborhood=neighborhood).first()
    if existing is not None:
        return existing
    index = NeighborhoodIndexPage.objects.first()
    if index is None:
        index = ensure_home_page().add_child(
            instance=NeighborhoodIndexPage(title="Neighborhoods", slug="neighborhoods")
        )
    page = index.add_child(
        instance=NeighborhoodPage(
            title=neighborhood.name,
            slug=f"hood-{neighborhood.slug}",
            neighborhood=neighborhood,
        )
    )
    page.save_revision().publish()
    return page


def make_event(
    *,
    neighborhood=None,
    title: str = "Franklin Park clean-up",
    starts_at: datetime | None = None,
    hours: int = 3,
    shifts: list[dict] | None = None,
    publish: bool = True,
    **fields,
) -> EventPage:
    """A published event a week from now (by default) with one shift of 10.

    ``shifts`` items are EventShift fields; missing times default to the
    event's times.
    """
    parent = neighborhood_page(neighborhood)
    starts_at = starts_at or timezone.now() + timedelta(days=7)
    ends_at = starts_at + timedelta(hours=hours)
    values = {
        "summary": "Pick up litter and plant bulbs along the paths.",
        "location_name": "Franklin Park, by the golf house",
        "address": "1 Circuit Dr, Boston",
        "latitude": 42.305,
        "longitude": -71.095,
        **fields,
    }
    count = EventPage.objects.count()
    event = EventPage(
        title=title,
        slug=f"event-{count + 1}-{int(starts_at.timestamp())}",
        starts_at=starts_at,
        ends_at=ends_at,
        live=False,
        **values,
    )
    for order, spec in enumerate(shifts or [{"title": "Morning crew", "capacity": 10}]):
        spec = {"starts_at": starts_at, "ends_at": ends_at, "sort_order": order, **spec}
        event.shifts.add(EventShift(**spec))
    parent.add_child(instance=event)
    if publish:
        event.save_revision().publish()
        event.refresh_from_db()
    return event


def organizer_of(neighborhood) -> object:
    """A verified person who organizes the neighborhood's group."""
    group, _ = NeighborhoodGroup.objects.get_or_create(
        neighborhood=neighborhood, defaults={"name": f"Friends of {neighborhood.name}"}
    )
    person = UserFactory()
    GroupMembership.objects.create(group=group, user=person, role=GroupRole.ORGANIZER)
    return person


def running_event(**kwargs) -> EventPage:
    """An event that started ten minutes ago, so check-in is open whatever
    the time of day (one starting soon may fall on tomorrow near midnight)."""
    return make_event(starts_at=timezone.now() - timedelta(minutes=10), **kwargs)


def signed_up(*, shift: EventShift, user) -> EventSignup:
    """A seat taken before the shift started (sign_up refuses started shifts)."""
    return EventSignup.objects.create(shift=shift, user=user)

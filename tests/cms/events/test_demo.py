import pytest
from django.utils import timezone

from cms.events.demo import DEMO_EVENTS, create_demo_events
from cms.events.selectors import event_neighborhood, shift_states
from cms.models import EventPage
from neighborhoods.demo import load_demo_neighborhoods
from neighborhoods.selectors import neighborhood_containing

pytestmark = pytest.mark.django_db


def test_demo_events_are_upcoming_placed_in_their_neighborhood_and_idempotent():
    load_demo_neighborhoods()
    assert create_demo_events() == len(DEMO_EVENTS)
    assert create_demo_events() == 0
    events = list(EventPage.objects.live())
    assert len(events) == len(DEMO_EVENTS)
    neighborhoods = set()
    nearly_full = 0
    for event in events:
        assert event.starts_at > timezone.now()
        neighborhood = event_neighborhood(page=event)
        neighborhoods.add(neighborhood.slug)
        inside = neighborhood_containing(lat=event.latitude, lon=event.longitude)
        assert inside == neighborhood
        states = shift_states(page=event)
        assert 1 <= len(states) <= 3
        nearly_full += any(0 < s.seats_left <= 1 for s in states)
    assert len(neighborhoods) == 3
    assert nearly_full == 1

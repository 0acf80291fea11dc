"""Signing up, cancelling and checking in: what volunteers and organizers
notice (a seat, a clear refusal, points once)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.ratelimits import RateLimited
from activity import kinds
from activity.models import Activity
from cms.events import services
from cms.events.selectors import shift_states
from cms.models import EventShift, EventSignup, SignupStatus
from points.models import BadgeAward, PointsEntry
from points.rules import VOLUNTEER_HOUR
from points.selectors import total_points
from tests.factories import UserFactory

from .factories import make_event, organizer_of, running_event, signed_up

pytestmark = pytest.mark.django_db


def only_shift(event):
    return event.shifts.get()


def test_a_resident_signs_up_and_takes_a_seat(resident):
    event = make_event()
    shift = only_shift(event)
    signup = services.sign_up(shift=shift, user=resident)
    assert signup.status == SignupStatus.SIGNED_UP
    state = shift_states(page=event, user=resident)[0]
    assert (state.seats_left, state.my_signup) == (9, signup)


def test_signing_up_twice_is_refused_with_a_clear_message(resident):
    shift = only_shift(make_event())
    services.sign_up(shift=shift, user=resident)
    with pytest.raises(ValidationError, match="already signed up for this shift"):
        services.sign_up(shift=shift, user=resident)
    assert EventSignup.objects.filter(user=resident).count() == 1


def test_a_full_shift_refuses_the_next_person():
    shift = only_shift(make_event(shifts=[{"title": "Crew", "capacity": 2}]))
    for person in UserFactory.create_batch(2):
        services.sign_up(shift=shift, user=person)
    with pytest.raises(ValidationError, match="full"):
        services.sign_up(shift=shift, user=UserFactory())
    assert EventSignup.objects.filter(shift=shift).count() == 2


def test_a_started_shift_takes_no_signups(resident):
    event = make_event(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="already started"):
        services.sign_up(shift=only_shift(event), user=resident)


def test_a_later_shift_of_a_running_event_still_takes_signups(resident):
    start = timezone.now() - timedelta(hours=1)
    event = make_event(
        starts_at=start,
        hours=6,
        shifts=[
            {"title": "Morning", "capacity": 5, "ends_at": start + timedelta(hours=3)},
            {
                "title": "Afternoon",
                "capacity": 5,
                "starts_at": start + timedelta(hours=3),
            },
        ],
    )
    afternoon = event.shifts.get(title="Afternoon")
    assert services.sign_up(shift=afternoon, user=resident).pk


def test_an_unverified_person_is_asked_to_confirm_their_email():
    person = UserFactory(verified=False)
    with pytest.raises(PermissionDenied, match="confirm your email"):
        services.sign_up(shift=only_shift(make_event()), user=person)
    assert not EventSignup.objects.exists()


def test_cancel_frees_the_seat_and_signing_up_again_works(resident):
    event = make_event(shifts=[{"title": "Crew", "capacity": 1}])
    shift = only_shift(event)
    services.sign_up(shift=shift, user=resident)
    services.cancel_signup(shift=shift, user=resident)
    assert shift_states(page=event)[0].seats_left == 1
    again = services.sign_up(shift=shift, user=resident)
    assert again.status == SignupStatus.SIGNED_UP
    assert EventSignup.objects.filter(user=resident).count() == 2  # history kept


def test_cancelling_without_a_signup_or_after_the_start_is_refused(resident):
    shift = only_shift(make_event())
    with pytest.raises(ValidationError, match="not signed up"):
        services.cancel_signup(shift=shift, user=resident)
    services.sign_up(shift=shift, user=resident)
    EventShift.objects.filter(pk=shift.pk).update(
        starts_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="tell the organizer"):
        services.cancel_signup(shift=shift, user=resident)


def test_signups_are_rate_limited(resident, settings):
    event = make_event(shifts=[{"title": f"Crew {n}", "capacity": 5} for n in range(3)])
    shift = event.shifts.first()
    for _ in range(services.SIGNUP_CHANGES_PER_HOUR // 2):
        services.sign_up(shift=shift, user=resident)
        services.cancel_signup(shift=shift, user=resident)
    with pytest.raises(RateLimited):
        services.sign_up(shift=shift, user=resident)


def _checked_in_setup(*, hours=3):
    event = running_event(hours=hours)
    volunteer = UserFactory()
    signup = signed_up(shift=only_shift(event), user=volunteer)
    organizer = organizer_of(event.get_parent().specific.neighborhood)
    return event, volunteer, signup, organizer


def test_check_in_awards_an_entry_per_hour_of_the_shift_once():
    event, volunteer, signup, organizer = _checked_in_setup(hours=3)
    services.check_in(signup=signup, organizer=organizer)
    services.check_in(signup=signup, organizer=organizer)  # a double click
    entries = PointsEntry.objects.filter(user=volunteer, reason=VOLUNTEER_HOUR)
    assert [e.amount for e in entries] == [15, 15, 15]
    slug = event.get_parent().specific.neighborhood.slug
    assert {e.neighborhood_slug for e in entries} == {slug}
    assert total_points(user=volunteer) == 45
    badge = BadgeAward.objects.get(user=volunteer, badge="volunteer")
    assert badge.level == 1
    signup.refresh_from_db()
    assert signup.checked_in_by == organizer


def test_a_short_shift_counts_as_one_hour_and_a_part_hour_rounds_up():
    _, volunteer, signup, organizer = _checked_in_setup(hours=1)
    EventShift.objects.filter(pk=signup.shift_id).update(
        ends_at=signup.shift.starts_at + timedelta(minutes=20)
    )
    signup.refresh_from_db()
    services.check_in(signup=signup, organizer=organizer)
    assert total_points(user=volunteer) == 15
    signup.shift.ends_at = signup.shift.starts_at + timedelta(minutes=150)
    assert services.shift_hours(shift=signup.shift) == 3


def test_undo_takes_the_points_back_and_a_new_check_in_awards_again():
    _, volunteer, signup, organizer = _checked_in_setup(hours=2)
    services.check_in(signup=signup, organizer=organizer)
    assert total_points(user=volunteer) == 30
    assert services.undo_check_in(signup=signup, organizer=organizer) is not None
    signup.refresh_from_db()
    assert signup.checked_in_at is None
    assert total_points(user=volunteer) == 0
    assert services.undo_check_in(signup=signup, organizer=organizer) is None
    services.check_in(signup=signup, organizer=organizer)
    assert total_points(user=volunteer) == 30


def test_check_in_waits_for_the_day_of_the_shift():
    event = make_event(starts_at=timezone.now() + timedelta(days=3))
    signup = services.sign_up(shift=only_shift(event), user=UserFactory())
    organizer = organizer_of(event.get_parent().specific.neighborhood)
    with pytest.raises(ValidationError, match="opens on the day"):
        services.check_in(signup=signup, organizer=organizer)


def test_another_neighborhoods_organizer_cannot_check_in():
    _, volunteer, signup, _ = _checked_in_setup()
    elsewhere = organizer_of(
        make_event(title="Elsewhere").get_parent().specific.neighborhood
    )
    with pytest.raises(PermissionDenied, match="Only the organizers of"):
        services.check_in(signup=signup, organizer=elsewhere)
    with pytest.raises(PermissionDenied):
        services.check_in(signup=signup, organizer=volunteer)
    assert not PointsEntry.objects.filter(user=volunteer).exists()


def test_city_staff_may_check_in_anywhere():
    _, volunteer, signup, _ = _checked_in_setup()
    staff = UserFactory(is_staff=True)
    services.check_in(signup=signup, organizer=staff)
    assert total_points(user=volunteer) == 45


def test_publishing_an_event_announces_it_once_without_names(
    django_capture_on_commit_callbacks,
):
    event = make_event(title="Tree planting")
    event.save_revision().publish()  # republishing an edit
    announced = Activity.objects.filter(kind=kinds.EVENT_ANNOUNCED)
    assert announced.count() == 1
    entry = announced.get()
    assert "Tree planting" in entry.summary
    assert entry.neighborhood_slug == event.get_parent().specific.neighborhood.slug
    assert entry.target_url == event.url


def test_an_event_past_eighty_percent_says_it_is_filling_once():
    event = make_event(shifts=[{"title": "Crew", "capacity": 5}])
    shift = only_shift(event)
    people = UserFactory.create_batch(5, display_name="Secret Name")
    for person in people[:3]:
        services.sign_up(shift=shift, user=person)
    assert not Activity.objects.filter(kind=kinds.EVENT_FILLING).exists()
    services.sign_up(shift=shift, user=people[3])  # 4 of 5: 80 %
    services.sign_up(shift=shift, user=people[4])
    filling = Activity.objects.filter(kind=kinds.EVENT_FILLING)
    assert filling.count() == 1
    assert "1 place left" in filling.get().summary
    assert "Secret Name" not in filling.get().summary
    assert filling.get().actor is None


def test_upcoming_events_lists_the_next_events_of_a_neighborhood():
    from cms.events.selectors import upcoming_events

    later = make_event(title="Later", starts_at=timezone.now() + timedelta(days=9))
    parent = later.get_parent()
    neighborhood = parent.specific.neighborhood
    sooner = make_event(
        neighborhood=neighborhood,
        title="Sooner",
        starts_at=timezone.now() + timedelta(days=2),
    )
    make_event(
        neighborhood=neighborhood,
        title="Over",
        starts_at=timezone.now() - timedelta(days=2),
    )
    make_event(neighborhood=neighborhood, title="Draft", publish=False)
    assert upcoming_events(parent=parent) == [sooner, later]

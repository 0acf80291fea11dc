"""Quick polls: choices follow the editor's text; one vote per account."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.services import delete_account, export_personal_data
from engagement.models import Poll, PollChoice, PollVote
from engagement.selectors.polls import polls_for_page
from engagement.services.polls import vote
from tests.factories import UserFactory

from .planning_factories import planning_topic


@pytest.fixture
def topic(db):
    return planning_topic(
        polls=[("Which crossing first?", ["Centre St", "Green St", " Centre St ", ""])]
    )


@pytest.fixture
def poll(topic):
    return Poll.objects.get(page=topic)


def _labels(poll, **filters):
    return list(poll.choices.filter(**filters).values_list("label", flat=True))


def test_publishing_creates_the_choices_once_each(poll):
    assert _labels(poll) == ["Centre St", "Green St"]


def test_removed_lines_are_kept_inactive_with_their_votes(poll):
    green = poll.choices.get(label="Green St")
    vote(user=UserFactory(), poll=poll, choice_id=green.pk)
    poll.choices_text = "Centre St\nWashington St"
    poll.save()
    assert _labels(poll, is_active=True) == ["Centre St", "Washington St"]
    green.refresh_from_db()
    assert not green.is_active and green.votes.count() == 1
    poll.choices_text = "Green St\nCentre St"
    poll.save()
    assert _labels(poll, is_active=True) == ["Green St", "Centre St"]


def test_the_editor_is_told_about_too_few_or_too_many_choices(poll):
    poll.choices_text = "Only one"
    with pytest.raises(ValidationError) as exc:
        poll.full_clean()
    assert "between 2 and 8" in str(exc.value)
    poll.choices_text = "\n".join(f"Choice {i}" for i in range(9))
    with pytest.raises(ValidationError):
        poll.full_clean()


def test_a_verified_resident_votes_once(poll):
    resident = UserFactory()
    centre = poll.choices.get(label="Centre St")
    vote(user=resident, poll=poll, choice_id=centre.pk)
    with pytest.raises(ValidationError, match="already voted"):
        vote(user=resident, poll=poll, choice_id=centre.pk)
    assert PollVote.objects.count() == 1


def test_the_database_refuses_a_second_vote(poll):
    resident = UserFactory()
    centre, green = poll.choices.all()
    PollVote.objects.create(poll=poll, choice=centre, user=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(poll=poll, choice=green, user=resident)


def test_unverified_people_cannot_vote(poll):
    with pytest.raises(PermissionDenied):
        vote(
            user=UserFactory(verified=False),
            poll=poll,
            choice_id=poll.choices.first().pk,
        )


def test_no_vote_after_close(poll):
    poll.closes_at = timezone.now() - timedelta(minutes=1)
    poll.save()
    with pytest.raises(ValidationError, match="closed"):
        vote(user=UserFactory(), poll=poll, choice_id=poll.choices.first().pk)


def test_inactive_or_foreign_choices_are_refused(poll, topic):
    poll.choices_text = "Centre St\nWashington St"
    poll.save()
    green = poll.choices.get(label="Green St")
    with pytest.raises(ValidationError, match="no longer available"):
        vote(user=UserFactory(), poll=poll, choice_id=green.pk)
    other = planning_topic(title="Another topic", polls=[("Another?", ["Yes", "No"])])
    foreign = PollChoice.objects.filter(poll__page=other).first()
    with pytest.raises(ValidationError):
        vote(user=UserFactory(), poll=poll, choice_id=foreign.pk)
    with pytest.raises(ValidationError):
        vote(user=UserFactory(), poll=poll, choice_id="not a number")
    assert not PollVote.objects.exists()


def test_results_show_after_voting_or_at_close(poll, topic):
    resident = UserFactory()
    centre = poll.choices.get(label="Centre St")
    vote(user=UserFactory(), poll=poll, choice_id=centre.pk)
    before = polls_for_page(page=topic, user=resident)[0]
    assert before["can_vote"] and not before["show_results"]
    assert before["results"] == []
    green = poll.choices.get(label="Green St")
    vote(user=resident, poll=poll, choice_id=green.pk)
    after = polls_for_page(page=topic, user=resident)[0]
    assert after["show_results"] and not after["can_vote"]
    assert [
        (r["label"], r["count"], r["percent"], r["is_mine"]) for r in after["results"]
    ] == [("Centre St", 1, 50, False), ("Green St", 1, 50, True)]
    from django.contrib.auth.models import AnonymousUser

    anonymous = polls_for_page(page=topic, user=AnonymousUser())[0]
    assert not anonymous["show_results"] and not anonymous["can_vote"]
    poll.closes_at = timezone.now() - timedelta(seconds=1)
    poll.save()
    closed = polls_for_page(page=topic, user=AnonymousUser())[0]
    assert closed["show_results"] and closed["total"] == 2


def test_voting_on_the_page(client, poll, topic):
    resident = UserFactory()
    client.force_login(resident)
    html = client.get(topic.get_url()).content.decode()
    assert "Which crossing first?" in html and 'type="radio"' in html
    url = reverse("engagement:poll_vote", kwargs={"poll_id": poll.pk})
    centre = poll.choices.get(label="Centre St")
    response = client.post(url, {"choice": centre.pk})
    assert response["Location"].endswith(f"#poll-{poll.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "your vote is counted" in html and "100% (1 vote)" in html
    response = client.post(url, {"choice": centre.pk}, follow=True)
    assert "You have already voted in this poll." in response.content.decode()
    assert PollVote.objects.count() == 1


def test_visitors_are_asked_to_sign_in(client, poll, topic):
    html = client.get(topic.get_url()).content.decode()
    assert (
        "Sign in to vote" in html and "%" not in html.split("polls-heading")[1][:2000]
    )
    url = reverse("engagement:poll_vote", kwargs={"poll_id": poll.pk})
    response = client.post(url, {"choice": poll.choices.first().pk})
    assert reverse("account_login") in response["Location"]


def test_export_and_erasure_of_votes(poll):
    resident = UserFactory()
    vote(user=resident, poll=poll, choice_id=poll.choices.first().pk)
    data = export_personal_data(user=resident)
    assert data["poll_votes"] == [
        {
            "poll": "Which crossing first?",
            "choice": "Centre St",
            "created": PollVote.objects.get().created.isoformat(),
        }
    ]
    delete_account(user=resident)
    assert not PollVote.objects.exists()

"""A demo conversation on the Nubian Square planning topic: a resident's
comment, the organizer's official reply, and the resident's poll vote.

Runs after the demo pages and groups exist; idempotent (nothing is added to a
page that already has comments)."""

from django.db import transaction
from wagtail.models import Page

from accounts.models import User

from .models import Comment, Poll, PollVote
from .services.discussions import post_comment, set_official_response
from .services.polls import vote

DEMO_TOPIC_SLUG = "dudley-square-safer-crossings"


@transaction.atomic
def create_demo_discussion(
    *,
    resident_email: str = "resident@civicpulse.local",
    organizer_email: str = "organizer@civicpulse.local",
) -> int:
    """Post the demo comments once; returns how many were posted now."""
    page = Page.objects.live().filter(slug=DEMO_TOPIC_SLUG).first()
    resident = User.objects.filter(email=resident_email).first()
    organizer = User.objects.filter(email=organizer_email).first()
    if page is None or resident is None or organizer is None:
        return 0
    page = page.specific
    if Comment.objects.filter(page=page).exists():
        return 0
    comment = post_comment(
        user=resident,
        page=page,
        body="The crossing at Washington and Dudley Streets is the one my kids "
        "use to get to school. Cars turn fast there; please start with it.\n\n"
        "The city's crash map shows it too: https://www.boston.gov/",
    )
    reply = post_comment(
        user=organizer,
        page=page,
        parent=comment,
        body="Thank you, Rosa. The group will bring this crossing to the city's "
        "walk-through next month; we will post what they say here.",
    )
    set_official_response(actor=organizer, comment=reply, official=True)
    poll = Poll.objects.filter(page=page).first()
    if poll is not None and not PollVote.objects.filter(poll=poll, user=resident):
        choice = poll.choices.filter(is_active=True).first()
        if choice is not None:
            vote(user=resident, poll=poll, choice_id=choice.pk)
    return 2

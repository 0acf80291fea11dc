"""Quick polls: keeping choices in step with the editor's text, and voting."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.ratelimits import consume
from accounts.selectors import has_verified_email

from ..models import Poll, PollChoice, PollVote
from ..text import clean_text

MIN_CHOICES = 2
MAX_CHOICES = 8
LABEL_MAX_LENGTH = PollChoice._meta.get_field("label").max_length
VOTES_PER_HOUR = 60
ALREADY_VOTED_MESSAGE = "You have already voted in this poll."


def choice_labels(text: str) -> list[str]:
    """The choices an editor typed: one a line, trimmed, blank lines and
    repeats dropped, in the order typed."""
    labels: list[str] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        label = clean_text(line)[:LABEL_MAX_LENGTH]
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            labels.append(label)
    return labels


def validate_choices_text(text: str) -> list[str]:
    labels = choice_labels(text)
    if not MIN_CHOICES <= len(labels) <= MAX_CHOICES:
        raise ValidationError(
            f"A poll needs between {MIN_CHOICES} and {MAX_CHOICES} different "
            f"choices, one per line (this one has {len(labels)})."
        )
    return labels


@transaction.atomic
def sync_poll_choices(*, poll: Poll) -> list[PollChoice]:
    """Make the poll's choices match its ``choices_text``.

    A removed line is deactivated, not deleted, so the votes already cast
    for it still count and still say what people chose; a line typed again
    comes back with its votes. Only the first ``MAX_CHOICES`` lines count.
    """
    labels = choice_labels(poll.choices_text)[:MAX_CHOICES]
    existing = {c.label.casefold(): c for c in PollChoice.objects.filter(poll=poll)}
    wanted = set()
    active = []
    for position, label in enumerate(labels):
        key = label.casefold()
        wanted.add(key)
        choice = existing.get(key)
        if choice is None:
            choice = PollChoice.objects.create(
                poll=poll, label=label, position=position, is_active=True
            )
        elif (
            choice.position != position or not choice.is_active or choice.label != label
        ):
            choice.position = position
            choice.is_active = True
            choice.label = label
            choice.save(update_fields=["position", "is_active", "label"])
        active.append(choice)
    stale = [c.pk for key, c in existing.items() if key not in wanted and c.is_active]
    if stale:
        PollChoice.objects.filter(pk__in=stale).update(is_active=False)
    return active


def poll_is_closed(*, poll: Poll, now=None) -> bool:
    return poll.closes_at is not None and (now or timezone.now()) >= poll.closes_at


def vote(*, user: User, poll: Poll, choice_id) -> PollVote:
    """Cast ``user``'s one vote in ``poll``.

    The database's unique constraint is the guard: two tabs racing each other
    still record one vote. Raises ``PermissionDenied`` (not signed in,
    unverified), ``ValidationError`` (closed, no such choice, voted already)
    or ``RateLimited``.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to vote.")
    if not has_verified_email(user=user):
        raise PermissionDenied(
            "Please confirm your email address before voting: we sent you a link."
        )
    if poll_is_closed(poll=poll):
        raise ValidationError("This poll is closed; the results are final.")
    if not getattr(poll.page, "live", False):
        raise ValidationError("This poll is not published.")
    try:
        choice_pk = int(choice_id)
    except (TypeError, ValueError):
        raise ValidationError("Please choose one of the answers.") from None
    choice = PollChoice.objects.filter(poll=poll, pk=choice_pk, is_active=True).first()
    if choice is None:
        raise ValidationError(
            "That answer is no longer available; please choose another."
        )
    consume(
        action="poll-vote", key=str(user.pk), limit=VOTES_PER_HOUR, period_seconds=3600
    )
    try:
        with transaction.atomic():
            return PollVote.objects.create(poll=poll, choice=choice, user=user)
    except IntegrityError:
        raise ValidationError(ALREADY_VOTED_MESSAGE) from None


def export_votes(user: User) -> list[dict]:
    """The person's poll votes, for their personal-data export."""
    return [
        {
            "poll": v.poll.question,
            "choice": v.choice.label,
            "created": v.created.isoformat(),
        }
        for v in PollVote.objects.filter(user=user)
        .select_related("poll", "choice")
        .order_by("pk")
    ]


def erase_votes(user: User) -> None:
    """On account deletion: a vote ties a person to an opinion, so it goes
    (the result loses one vote rather than keep a link to them)."""
    PollVote.objects.filter(user=user).delete()

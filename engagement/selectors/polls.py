"""Reads for quick polls: what one person sees of a page's polls."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import has_verified_email

from ..models import Poll, PollChoice, PollVote


def polls_for_page(*, page, user) -> list:
    """The page's polls as ``user`` sees them.

    Results (counts and whole percentages) show once the person has voted or
    the poll has closed, so early results do not sway the vote; until then a
    signed-in resident sees the choices to pick from.
    """
    if not page.pk:
        return []
    polls = list(Poll.objects.filter(page_id=page.pk).order_by("sort_order", "pk"))
    if not polls:
        return []
    signed_in = bool(getattr(user, "is_authenticated", False))
    verified = signed_in and has_verified_email(user=user)
    poll_ids = [p.pk for p in polls]
    choices: dict[int, list[PollChoice]] = {}
    for choice in PollChoice.objects.filter(poll_id__in=poll_ids).annotate(
        vote_count=Count("votes")
    ):
        choices.setdefault(choice.poll_id, []).append(choice)
    my_votes = {}
    if signed_in:
        my_votes = dict(
            PollVote.objects.filter(user=user, poll_id__in=poll_ids).values_list(
                "poll_id", "choice_id"
            )
        )
    page_url = page.get_url() or "/"
    now = timezone.now()
    result = []
    for poll in polls:
        poll_choices = choices.get(poll.pk, [])
        is_closed = poll.closes_at is not None and now >= poll.closes_at
        my_choice = my_votes.get(poll.pk)
        total = sum(c.vote_count for c in poll_choices)
        show_results = is_closed or my_choice is not None
        results = []
        if show_results:
            results = [
                {
                    "label": c.label,
                    "count": c.vote_count,
                    "percent": round(100 * c.vote_count / total) if total else 0,
                    "is_mine": c.pk == my_choice,
                    "is_active": c.is_active,
                }
                for c in poll_choices
                # A withdrawn answer still shows if people chose it.
                if c.is_active or c.vote_count
            ]
        result.append(
            {
                "id": poll.pk,
                "anchor": f"poll-{poll.pk}",
                "question": poll.question,
                "closes_at": poll.closes_at,
                "is_closed": is_closed,
                "choices": [
                    {"id": c.pk, "label": c.label} for c in poll_choices if c.is_active
                ],
                "has_voted": my_choice is not None,
                "show_results": show_results,
                "results": results,
                "total": total,
                "can_vote": (
                    verified and not is_closed and my_choice is None and page.live
                ),
                "signed_in": signed_in,
                "verified": verified,
                "vote_url": reverse(
                    "engagement:poll_vote", kwargs={"poll_id": poll.pk}
                ),
                "login_url": reverse("account_login")
                + "?"
                + urlencode({"next": f"{page_url}#poll-{poll.pk}"}),
            }
        )
    return result


def poll_for_vote(*, poll_id: int) -> Poll | None:
    return Poll.objects.select_related("page").filter(pk=poll_id).first()

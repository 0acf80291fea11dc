"""Planning discussions: posting, editing, flagging and moderating comments.

Each write runs in one transaction; the feed entry, the reply notification and
the points are recorded inside it and broadcast only after commit, so a
refused comment announces nothing and awards nothing.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.ratelimits import consume
from accounts.selectors import has_verified_email
from activity import kinds
from activity.services import publish_on_commit
from neighborhoods.models import Neighborhood
from neighborhoods.selectors import can_moderate_neighborhood
from points import rules
from points.services import award_points, reverse_points

from ..models import (
    Comment,
    CommentFlag,
    CommentModeration,
    CommentStatus,
    ModerationAction,
)
from ..text import clean_text

MAX_COMMENT_LENGTH = Comment._meta.get_field("body").max_length
EDIT_WINDOW = timedelta(minutes=15)
DUPLICATE_WINDOW = timedelta(minutes=10)
# Three different people, so one grudge cannot hide a neighbor's comment.
FLAGS_TO_HIDE = 3
# A flood is stopped early (per minute) and a long campaign later (per hour).
COMMENTS_PER_MINUTE = 5
COMMENTS_PER_HOUR = 30
FLAGS_PER_HOUR = 20
MAX_REASON_LENGTH = CommentModeration._meta.get_field("reason").max_length

UNVERIFIED_MESSAGE = (
    "Please confirm your email address before joining the discussion: we sent "
    "you a link."
)
CLOSED_MESSAGE = "This discussion is closed to new comments."


def discussion_is_open(*, page) -> bool:
    """Whether ``page`` takes comments: a live page whose type has a
    discussion (duck-typed, engagement must not import cms) that is open."""
    if page is None or not page.live:
        return False
    return getattr(page.specific, "discussion_open", None) is True


def neighborhood_of_page(*, page) -> Neighborhood | None:
    """The neighborhood whose page is ``page`` or one of its ancestors."""
    ancestor_ids = page.get_ancestors(inclusive=True).values("pk")
    return Neighborhood.objects.filter(page__pk__in=ancestor_ids).first()


def can_moderate_comment(*, user, comment: Comment) -> bool:
    return can_moderate_neighborhood(user=user, neighborhood=comment.neighborhood)


def _clean_body(body: str) -> str:
    body = clean_text(body)
    if not body:
        raise ValidationError({"body": "Please write something before posting."})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {
                "body": f"Please keep comments under {MAX_COMMENT_LENGTH} "
                f"characters (this one has {len(body)})."
            }
        )
    return body


def _check_poster(user: User) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to join the discussion.")
    if not has_verified_email(user=user):
        raise PermissionDenied(UNVERIFIED_MESSAGE)


def post_comment(
    *, user: User, page, body: str, parent: Comment | None = None
) -> Comment:
    """Post a comment, or a reply, on a planning page.

    Replies have one level: a reply to a reply joins the thread of its
    top-level comment, so threads stay readable on a phone. The same words
    posted again within ``DUPLICATE_WINDOW`` return the first comment. Raises
    ``PermissionDenied`` (not signed in, unverified), ``ValidationError``
    (closed discussion, empty or long text, a reply to something gone) or
    ``RateLimited``; nothing is saved then.
    """
    _check_poster(user)
    if not discussion_is_open(page=page):
        raise ValidationError(CLOSED_MESSAGE)
    body = _clean_body(body)
    if parent is not None:
        if parent.page_id != page.pk:
            raise ValidationError("You can only reply to a comment on this page.")
        if parent.parent_id is not None:
            parent = parent.parent
        if parent.status != CommentStatus.VISIBLE:
            raise ValidationError(
                "That comment is hidden, so it no longer takes replies."
            )
    # A double click, or a resubmitted form after a slow response, must not
    # post the same words twice: the first comment is the answer.
    duplicate = Comment.objects.filter(
        page_id=page.pk,
        author=user,
        parent=parent,
        body=body,
        created__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if duplicate is not None:
        return duplicate
    # Counted only once the comment would be accepted: a typo does not use up
    # someone's allowance. The minute window first, as floods hit it first.
    consume(
        action="comment-minute",
        key=str(user.pk),
        limit=COMMENTS_PER_MINUTE,
        period_seconds=60,
    )
    consume(
        action="comment-hour",
        key=str(user.pk),
        limit=COMMENTS_PER_HOUR,
        period_seconds=3600,
    )
    neighborhood = neighborhood_of_page(page=page)
    with transaction.atomic():
        comment = Comment.objects.create(
            page=page, neighborhood=neighborhood, author=user, parent=parent, body=body
        )
        title = page.title
        # The author is named in the feed only when they chose a public
        # profile; otherwise the entry says what happened, not who did it.
        publish_on_commit(
            kind=kinds.COMMENT_POSTED,
            actor=user if user.public_profile else None,
            target=page,
            neighborhood=neighborhood,
            summary=f"New comment on “{title}”",
            data={"page_id": page.pk, "comment_id": comment.pk},
        )
        if parent is not None and parent.author_id != user.pk:
            publish_on_commit(
                kind=kinds.COMMENT_REPLY,
                actor=None,
                target=page,
                neighborhood=neighborhood,
                summary=f"Someone replied to your comment on “{title}”",
                data={"page_id": page.pk, "comment_id": comment.pk},
                public=False,
                recipients=[parent.author],
            )
        award_points(
            user=user,
            reason=rules.COMMENT_POSTED,
            source=comment,
            neighborhood_slug=neighborhood.slug if neighborhood else None,
            neighborhood_name=neighborhood.name if neighborhood else "",
        )
    return comment


def can_edit_comment(*, user, comment: Comment, now=None) -> bool:
    now = now or timezone.now()
    return (
        getattr(user, "is_authenticated", False)
        and comment.author_id == user.pk
        and comment.status != CommentStatus.HIDDEN
        and now - comment.created <= EDIT_WINDOW
    )


def edit_comment(*, user: User, comment: Comment, body: str) -> Comment:
    """The author corrects their comment within 15 minutes of posting; after
    that, others may have replied to what it said."""
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the person who wrote this comment can edit it.")
    if comment.status == CommentStatus.HIDDEN:
        raise PermissionDenied("A moderator hid this comment, so it cannot be edited.")
    if timezone.now() - comment.created > EDIT_WINDOW:
        raise ValidationError(
            "Comments can be edited for 15 minutes after posting, and that time "
            "has passed. You can post a new comment instead."
        )
    comment.body = _clean_body(body)
    comment.edited = timezone.now()
    comment.save(update_fields=["body", "edited"])
    return comment


def flag_comment(*, user: User, comment: Comment, reason: str = "") -> CommentFlag:
    """A resident asks moderators to look at a comment.

    At ``FLAGS_TO_HIDE`` flags the comment is hidden pending review, and the
    log says so; a moderator decides whether it comes back.
    """
    _check_poster(user)
    if comment.author_id == user.pk:
        raise ValidationError("You cannot flag your own comment; you can edit it.")
    if comment.status != CommentStatus.VISIBLE:
        raise ValidationError("This comment is already hidden while moderators look.")
    consume(
        action="comment-flag",
        key=str(user.pk),
        limit=FLAGS_PER_HOUR,
        period_seconds=3600,
    )
    try:
        with transaction.atomic():
            flag = CommentFlag.objects.create(
                comment=comment, user=user, reason=clean_text(reason)[:200]
            )
    except IntegrityError:
        raise ValidationError(
            "You have already flagged this comment; moderators will look at it."
        ) from None
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if (
            locked.status == CommentStatus.VISIBLE
            and locked.flags.count() >= FLAGS_TO_HIDE
        ):
            locked.status = CommentStatus.PENDING_REVIEW
            locked.save(update_fields=["status"])
            CommentModeration.objects.create(
                comment=locked,
                actor=None,
                action=ModerationAction.AUTO_HIDDEN,
                reason=f"Flagged by {FLAGS_TO_HIDE} people.",
            )
        comment.status = locked.status
    return flag


def _check_moderator(actor: User, comment: Comment) -> None:
    if not can_moderate_comment(user=actor, comment=comment):
        raise PermissionDenied(
            "Only city staff and the organizers of this neighborhood's group can "
            "moderate its discussions."
        )


def _clean_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError(
            {"reason": "Please give a reason; the author and other moderators see it."}
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Please keep the reason under {MAX_REASON_LENGTH} characters."}
        )
    return reason


@transaction.atomic
def hide_comment(*, actor: User, comment: Comment, reason: str) -> Comment:
    """A moderator hides a comment, with a reason that is logged; the points
    it earned are taken back, since it did not count."""
    _check_moderator(actor, comment)
    reason = _clean_reason(reason)
    comment.status = CommentStatus.HIDDEN
    comment.save(update_fields=["status"])
    CommentModeration.objects.create(
        comment=comment, actor=actor, action=ModerationAction.HIDDEN, reason=reason
    )
    reverse_points(
        user=comment.author,
        reason=rules.COMMENT_POSTED,
        source=comment,
        why=f"Comment hidden by a moderator: {reason}",
    )
    return comment


@transaction.atomic
def restore_comment(*, actor: User, comment: Comment, reason: str) -> Comment:
    """A moderator shows a hidden or flagged comment again, with a reason."""
    _check_moderator(actor, comment)
    reason = _clean_reason(reason)
    if comment.status == CommentStatus.VISIBLE:
        raise ValidationError("This comment is already visible.")
    comment.status = CommentStatus.VISIBLE
    comment.save(update_fields=["status"])
    CommentModeration.objects.create(
        comment=comment, actor=actor, action=ModerationAction.RESTORED, reason=reason
    )
    return comment


@transaction.atomic
def set_official_response(*, actor: User, comment: Comment, official: bool) -> Comment:
    """Staff or an organizer marks (or unmarks) a comment as the group's or
    the city's answer, so residents find it among many."""
    _check_moderator(actor, comment)
    if official and comment.status != CommentStatus.VISIBLE:
        raise ValidationError("Only a visible comment can be the official response.")
    if comment.is_official_response == official:
        return comment
    comment.is_official_response = official
    comment.official_marked_by = actor if official else None
    comment.save(update_fields=["is_official_response", "official_marked_by"])
    CommentModeration.objects.create(
        comment=comment,
        actor=actor,
        action=(
            ModerationAction.MARKED_OFFICIAL
            if official
            else ModerationAction.UNMARKED_OFFICIAL
        ),
    )
    return comment


def export_discussions(user: User) -> dict:
    """The person's comments and flags, for their personal-data export."""
    return {
        "comments": [
            {
                "id": c.pk,
                "page_id": c.page_id,
                "reply_to": c.parent_id,
                "body": c.body,
                "status": c.status,
                "created": c.created.isoformat(),
                "edited": c.edited.isoformat() if c.edited else None,
            }
            for c in Comment.objects.filter(author=user).order_by("pk")
        ],
        "flags": [
            {
                "comment_id": f.comment_id,
                "reason": f.reason,
                "created": f.created.isoformat(),
            }
            for f in CommentFlag.objects.filter(user=user).order_by("pk")
        ],
    }


def erase_discussions(user: User) -> None:
    """On account deletion: flags are private and go; comments are public
    contributions and stay, shown as by “a former resident”. A comment that
    was never public (hidden or pending) and has no replies goes too."""
    CommentFlag.objects.filter(user=user).delete()
    Comment.objects.filter(author=user, replies__isnull=True).exclude(
        status=CommentStatus.VISIBLE
    ).delete()

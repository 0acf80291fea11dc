"""Reads for planning discussions: what one person sees of a page's comments,
and the moderation queue.

Everything a template needs is computed here, so the templates run no query,
and comment text is turned into safe HTML in one place (``comment_html``).
"""

import re
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from accounts.selectors import has_verified_email
from neighborhoods.models import GroupMembership, GroupRole
from neighborhoods.selectors import can_moderate_neighborhood

from ..models import (
    Comment,
    CommentFlag,
    CommentModeration,
    CommentStatus,
    ModerationAction,
)
from ..services.discussions import (
    EDIT_WINDOW,
    discussion_is_open,
    neighborhood_of_page,
)

MODERATION_PAGE_SIZE = 25
THREADS_PER_PAGE = 20
# Only web links become links: never javascript:, data: or mailto:.
_URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}\u2019\u201d'\""


def comment_html(text: str) -> SafeString:
    """Plain text as safe HTML: everything escaped, http(s) links made links
    (``nofollow ugc``, so spam earns nothing), paragraphs and line breaks kept."""
    parts = []
    position = 0
    for match in _URL_RE.finditer(text):
        url = match.group(0)
        trailing = ""
        while url and url[-1] in _TRAILING_PUNCTUATION:
            # A closing parenthesis that the URL opened belongs to it.
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            trailing = url[-1] + trailing
            url = url[:-1]
        if len(url) <= len("https://"):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(
            f'<a href="{escape(url)}" rel="nofollow ugc noopener">{escape(url)}</a>'
        )
        parts.append(escape(trailing))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe(linebreaks("".join(parts)))  # noqa: S308 - escaped above


def _login_url(next_url: str) -> str:
    return reverse("account_login") + "?" + urlencode({"next": next_url})


def _thread_order(comment: Comment) -> tuple:
    # Official responses first, where people look; then the newest threads,
    # so a new comment shows at the top of the planning page.
    return (not comment.is_official_response, -comment.created.timestamp(), -comment.pk)


def discussion_for_page(*, page, user, thread_page=None) -> dict:
    """What ``user`` sees of the discussion on ``page``: threads of comments
    with one level of replies, and what they may do with each, one page of
    ``THREADS_PER_PAGE`` threads at a time (``thread_page``, default the first).

    Hidden comments are left out, except where replies still hang off them
    (a placeholder says why) and for their author and the moderators, who
    see them with a note.
    """
    signed_in = bool(getattr(user, "is_authenticated", False))
    if not page.pk:  # a preview of a page never saved: nothing to show yet
        return {"page": page, "threads": [], "count": 0, "is_open": False}
    page_url = page.get_url() or "/"
    is_open = discussion_is_open(page=page)
    verified = signed_in and has_verified_email(user=user)
    neighborhood = neighborhood_of_page(page=page)
    is_moderator = signed_in and can_moderate_neighborhood(
        user=user, neighborhood=neighborhood
    )
    comments = list(
        Comment.objects.filter(page_id=page.pk)
        .select_related("author")
        .order_by("created", "id")
    )
    hidden_reasons = _hidden_reasons(comments)
    flagged_ids = set()
    if signed_in:
        flagged_ids = set(
            CommentFlag.objects.filter(user=user, comment__page_id=page.pk).values_list(
                "comment_id", flat=True
            )
        )
    now = timezone.now()
    context = {
        "user": user,
        "signed_in": signed_in,
        "verified": verified,
        "is_open": is_open,
        "is_moderator": is_moderator,
        "flagged_ids": flagged_ids,
        "hidden_reasons": hidden_reasons,
        "now": now,
    }
    replies: dict[int, list[dict]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            item = _item(comment, **context)
            if item is not None:
                replies.setdefault(comment.parent_id, []).append(item)
    threads = []
    for comment in sorted(
        (c for c in comments if c.parent_id is None), key=_thread_order
    ):
        thread_replies = replies.get(comment.pk, [])
        item = _item(comment, **context, has_visible_replies=bool(thread_replies))
        if item is not None:
            threads.append({"comment": item, "replies": thread_replies})
    visible_count = sum(1 for c in comments if c.status == CommentStatus.VISIBLE)
    paginated = Paginator(threads, THREADS_PER_PAGE).get_page(thread_page)
    all_url = reverse("engagement:discussion", kwargs={"page_id": page.pk})
    return {
        "page": page,
        "page_url": page_url,
        "threads": list(paginated.object_list),
        "pagination": {
            "number": paginated.number,
            "num_pages": paginated.paginator.num_pages,
            "previous_url": (
                f"{all_url}?page={paginated.previous_page_number()}#discussion"
                if paginated.has_previous()
                else ""
            ),
            "next_url": (
                f"{all_url}?page={paginated.next_page_number()}#discussion"
                if paginated.has_next()
                else ""
            ),
        },
        "count": visible_count,
        "is_open": is_open,
        "signed_in": signed_in,
        "verified": verified,
        "can_post": is_open and verified,
        "is_moderator": is_moderator,
        "login_url": _login_url(page_url + "#discussion"),
        "post_url": reverse("engagement:comment_post", kwargs={"page_id": page.pk}),
        "moderation_url": reverse("engagement:moderation_queue"),
        "max_length": Comment._meta.get_field("body").max_length,
    }


def _hidden_reasons(comments: list[Comment]) -> dict[int, str]:
    """The latest moderator's reason for each hidden comment, in one query."""
    hidden = [c.pk for c in comments if c.status == CommentStatus.HIDDEN]
    if not hidden:
        return {}
    reasons: dict[int, str] = {}
    for entry in CommentModeration.objects.filter(
        comment_id__in=hidden, action=ModerationAction.HIDDEN
    ).order_by("created", "id"):
        reasons[entry.comment_id] = entry.reason
    return reasons


def _item(
    comment: Comment,
    *,
    user,
    signed_in: bool,
    verified: bool,
    is_open: bool,
    is_moderator: bool,
    flagged_ids: set,
    hidden_reasons: dict,
    now,
    has_visible_replies: bool = False,
) -> dict | None:
    is_author = signed_in and comment.author_id == user.pk
    visible = comment.status == CommentStatus.VISIBLE
    note = ""
    if comment.status == CommentStatus.PENDING_REVIEW:
        note = "Hidden pending review: several people flagged this comment."
    elif comment.status == CommentStatus.HIDDEN:
        reason = hidden_reasons.get(comment.pk, "")
        note = "This comment was hidden by a moderator" + (
            f": {reason}" if reason else "."
        )
    shows_text = visible or is_author or is_moderator
    if not shows_text:
        if not has_visible_replies:
            return None
        return {
            "id": comment.pk,
            "anchor": f"comment-{comment.pk}",
            "placeholder": note,
        }
    pk = comment.pk
    return {
        "id": pk,
        "anchor": f"comment-{pk}",
        "placeholder": "",
        "author_name": comment.author.public_name,
        "body_html": comment_html(comment.body),
        "created": comment.created,
        "edited": comment.edited,
        "status": comment.status,
        "note": note,
        "is_official": comment.is_official_response and visible,
        "is_own": is_author,
        "is_reply": comment.parent_id is not None,
        "can_reply": is_open and visible and verified,
        "reply_url": reverse(
            "engagement:comment_post", kwargs={"page_id": comment.page_id}
        )
        + f"?reply_to={comment.parent_id or pk}",
        "reply_to": comment.parent_id or pk,
        "can_edit": is_author
        and comment.status != CommentStatus.HIDDEN
        and now - comment.created <= EDIT_WINDOW,
        "edit_url": reverse("engagement:comment_edit", kwargs={"comment_id": pk}),
        "can_flag": verified and visible and not is_author and pk not in flagged_ids,
        "flagged": pk in flagged_ids,
        "flag_url": reverse("engagement:comment_flag", kwargs={"comment_id": pk}),
        "can_moderate": is_moderator,
        "hide_url": reverse("engagement:comment_hide", kwargs={"comment_id": pk}),
        "restore_url": reverse("engagement:comment_restore", kwargs={"comment_id": pk}),
        "official_url": reverse(
            "engagement:comment_official", kwargs={"comment_id": pk}
        ),
    }


def comment_for_action(*, comment_id: int) -> Comment | None:
    """A comment with what the views need to check rights and redirect."""
    return (
        Comment.objects.select_related("page", "neighborhood", "author", "parent")
        .filter(pk=comment_id)
        .first()
    )


def comment_url(comment: Comment) -> str:
    """Where the comment shows: on the planning page if its thread is among
    the first ``THREADS_PER_PAGE``, else on the page of the full discussion
    that holds it."""
    top = comment.parent or comment
    threads = sorted(
        Comment.objects.filter(page_id=comment.page_id, parent__isnull=True).only(
            "pk", "created", "is_official_response"
        ),
        key=_thread_order,
    )
    position = next((i for i, c in enumerate(threads) if c.pk == top.pk), 0)
    number = position // THREADS_PER_PAGE + 1
    anchor = f"#comment-{comment.pk}"
    if number == 1:
        return (comment.page.get_url() or "/") + anchor
    url = reverse("engagement:discussion", kwargs={"page_id": comment.page_id})
    return f"{url}?page={number}{anchor}"


def moderation_queue(*, user, page_number=1, status: str = "") -> PaginatorPage:
    """Comments waiting for a decision (flagged) and hidden ones, newest
    first: everywhere for staff, the user's own neighborhoods for organizers."""
    queryset = (
        Comment.objects.exclude(status=CommentStatus.VISIBLE)
        .select_related("author", "page", "neighborhood")
        .annotate(flag_count=Count("flags"))
        .order_by("-created", "-id")
    )
    if status in (CommentStatus.PENDING_REVIEW, CommentStatus.HIDDEN):
        queryset = queryset.filter(status=status)
    if not (user.is_staff or user.is_superuser):
        hoods = GroupMembership.objects.filter(
            user=user, role=GroupRole.ORGANIZER
        ).values("group__neighborhood")
        queryset = queryset.filter(Q(neighborhood__in=hoods))
    page = Paginator(queryset, MODERATION_PAGE_SIZE).get_page(page_number)
    page.object_list = [
        {
            "id": c.pk,
            "author_name": c.author.public_name,
            "body_html": comment_html(c.body),
            "created": c.created,
            "status": c.status,
            "status_label": c.get_status_display(),
            "flag_count": c.flag_count,
            "page_title": c.page.title,
            "url": comment_url(c),
            "neighborhood": c.neighborhood.name if c.neighborhood else "",
            "hide_url": reverse("engagement:comment_hide", kwargs={"comment_id": c.pk}),
            "restore_url": reverse(
                "engagement:comment_restore", kwargs={"comment_id": c.pk}
            ),
        }
        for c in page.object_list
    ]
    return page


def can_use_moderation_queue(*, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return GroupMembership.objects.filter(user=user, role=GroupRole.ORGANIZER).exists()

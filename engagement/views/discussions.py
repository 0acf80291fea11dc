"""What people do in a planning discussion, and the moderation queue.

The forms live on the planning page (``engagement/discussions/section.html``)
and post here; a refused comment comes back on a small page of its own with
the error and every word that was typed, which also serves browsers without
JavaScript.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from accounts.ratelimits import RateLimited
from accounts.selectors import has_verified_email

from ..forms_discussions import CommentForm, ReasonForm
from ..models import Comment, CommentStatus
from ..selectors import discussions as selectors
from ..services import discussions as services


def _error_text(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _to_login(next_url: str) -> HttpResponse:
    return redirect(reverse("account_login") + "?" + urlencode({"next": next_url}))


def _live_page_or_404(page_id: int) -> Page:
    page = Page.objects.live().filter(pk=page_id).first()
    if page is None:
        raise Http404("No such page")
    return page.specific


def _comment_or_404(comment_id: int) -> Comment:
    comment = selectors.comment_for_action(comment_id=comment_id)
    if comment is None or not comment.page.live:
        raise Http404("No such comment")
    return comment


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_GET
def discussion_page(request: HttpRequest, page_id: int) -> HttpResponse:
    """The whole discussion of a planning page, page by page; the planning
    page itself shows the first threads."""
    page = _live_page_or_404(page_id)
    if getattr(page, "discussion_open", None) is None:
        raise Http404("This page has no discussion")
    return render(
        request,
        "engagement/discussions/page.html",
        {
            "topic": page,
            "discussion": selectors.discussion_for_page(
                page=page, user=request.user, thread_page=request.GET.get("page")
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def comment_post(request: HttpRequest, page_id: int) -> HttpResponse:
    """Post a comment or a reply; GET shows the same form on its own page."""
    page = _live_page_or_404(page_id)
    page_url = page.get_url() or "/"
    if not request.user.is_authenticated:
        return _to_login(page_url + "#discussion")
    parent = None
    reply_to = request.POST.get("reply_to") or request.GET.get("reply_to")
    if reply_to:
        try:
            parent = Comment.objects.filter(pk=int(reply_to), page_id=page.pk).first()
        except ValueError:
            parent = None
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = services.post_comment(
                    user=request.user,
                    page=page,
                    body=form.cleaned_data["body"],
                    parent=parent,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            except RateLimited as exc:
                form.add_error(
                    None,
                    f"{exc} Your comment is kept below so you can post it then.",
                )
                status = 429
            else:
                messages.success(
                    request,
                    "Your reply is posted." if parent else "Your comment is posted.",
                )
                return redirect(selectors.comment_url(comment))
        else:
            status = 400
    else:
        form = CommentForm(initial={"reply_to": parent.pk if parent else None})
    verified = has_verified_email(user=request.user)
    return render(
        request,
        "engagement/discussions/comment_form.html",
        {
            "topic": page,
            "topic_url": page_url,
            "form": form,
            "parent": parent
            if parent and parent.status == CommentStatus.VISIBLE
            else None,
            "parent_html": selectors.comment_html(parent.body) if parent else "",
            "is_open": services.discussion_is_open(page=page),
            "verified": verified,
        },
        status=status if verified else 403,
    )


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(comment_id)
    back = selectors.comment_url(comment)
    if not request.user.is_authenticated:
        return _to_login(back)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote this comment can edit it.")
    if request.method == "GET" and not services.can_edit_comment(
        user=request.user, comment=comment
    ):
        messages.error(
            request,
            "Comments can be edited for 15 minutes after posting, and that "
            "time has passed.",
        )
        return redirect(back)
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.edit_comment(
                    user=request.user, comment=comment, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, "Your comment is updated.")
                return redirect(back)
        else:
            status = 400
    else:
        form = CommentForm(initial={"body": comment.body})
    return render(
        request,
        "engagement/discussions/comment_edit.html",
        {"comment": comment, "form": form, "back_url": back},
        status=status,
    )


@require_POST
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(comment_id)
    back = selectors.comment_url(comment)
    if not request.user.is_authenticated:
        return _to_login(back)
    try:
        services.flag_comment(
            user=request.user, comment=comment, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied, RateLimited) as exc:
        messages.error(request, _error_text(exc))
    else:
        if comment.status == CommentStatus.PENDING_REVIEW:
            messages.success(
                request,
                "Thank you. Several people flagged this comment, so it is hidden "
                "until a moderator looks at it.",
            )
        else:
            messages.success(
                request, "Thank you. The neighborhood's moderators will look at it."
            )
    return redirect(back)


def _moderate(request: HttpRequest, comment_id: int, *, action: str) -> HttpResponse:
    comment = _comment_or_404(comment_id)
    back = request.POST.get("next") or selectors.comment_url(comment)
    if not back.startswith("/") or back.startswith("//"):
        back = selectors.comment_url(comment)
    if not request.user.is_authenticated:
        return _to_login(back)
    context = {
        "comment": comment,
        "comment_html": selectors.comment_html(comment.body),
        "action": action,
        "back_url": back,
    }
    if not services.can_moderate_comment(user=request.user, comment=comment):
        context["refused"] = (
            "Only city staff and the organizers of this neighborhood's group can "
            "moderate its discussions."
        )
        return render(
            request, "engagement/moderation/reason_form.html", context, status=403
        )
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            service = (
                services.hide_comment if action == "hide" else services.restore_comment
            )
            try:
                service(
                    actor=request.user,
                    comment=comment,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    "The comment is hidden; the reason is logged."
                    if action == "hide"
                    else "The comment is visible again; the reason is logged.",
                )
                return redirect(back)
        status = 400
    context["form"] = form
    return render(
        request, "engagement/moderation/reason_form.html", context, status=status
    )


@require_http_methods(["GET", "POST"])
def comment_hide(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, action="hide")


@require_http_methods(["GET", "POST"])
def comment_restore(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, action="restore")


@require_POST
def comment_official(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(comment_id)
    back = selectors.comment_url(comment)
    if not request.user.is_authenticated:
        return _to_login(back)
    official = request.POST.get("official") == "1"
    try:
        services.set_official_response(
            actor=request.user, comment=comment, official=official
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(back)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            "Marked as the official response."
            if official
            else "No longer marked as the official response.",
        )
    return redirect(back)


@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _to_login(request.get_full_path())
    if not selectors.can_use_moderation_queue(user=request.user):
        return render(
            request, "engagement/moderation/queue.html", {"refused": True}, status=403
        )
    status = request.GET.get("status", "")
    page = selectors.moderation_queue(
        user=request.user, page_number=request.GET.get("page", 1), status=status
    )
    return render(
        request,
        "engagement/moderation/queue.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": [
                ("", "All"),
                (CommentStatus.PENDING_REVIEW, "Flagged, waiting for review"),
                (CommentStatus.HIDDEN, "Hidden by a moderator"),
            ],
            "next_url": request.get_full_path(),
        },
    )

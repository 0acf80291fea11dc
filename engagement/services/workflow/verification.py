"""Verified closure: the reporter and supporters say whether a fix worked."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from activity import kinds
from activity.services import publish_on_commit
from points.services import award_points

from ...models import (
    ClosureReason,
    DetailedStatus,
    FixAnswer,
    FixConfirmation,
    FixStatus,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
)
from ...selectors.staff import latest_closure, may_answer_fix
from ..photos import clean_photo
from ..requests import public_request_data
from .status import announce_change, record_change

MAX_NOTE = 2000


def _check_can_answer(user: User, request: ServiceRequest):
    if not may_answer_fix(user=user, request=request):
        raise PermissionDenied(
            "Only the person who reported this, or a supporter, can say if it is fixed."
        )
    # The page may be old: answer against the request as it is now.
    request.refresh_from_db(fields=["status", "closure_reason", "fix_status"])
    closure = latest_closure(request=request)
    if (
        request.status != RequestStatus.CLOSED
        or request.closure_reason != ClosureReason.FIXED
        or request.fix_status != FixStatus.PENDING
        or closure is None
    ):
        raise ValidationError("This request is not waiting for a confirmation.")
    if FixConfirmation.objects.filter(closure=closure, user_id=user.pk).exists():
        raise ValidationError("You have already answered for this fix. Thank you.")
    return closure


def confirm_fix(
    *, user: User, request: ServiceRequest, now: datetime | None = None
) -> FixConfirmation:
    """The reporter or a supporter says the fix worked: it counts as verified."""
    closure = _check_can_answer(user, request)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            answer = FixConfirmation.objects.create(
                request=request,
                closure=closure,
                user=user,
                answer=FixAnswer.CONFIRMED,
                created=now,
            )
            request.fix_status = FixStatus.VERIFIED
            request.updated_datetime = now
            request.save(update_fields=["fix_status", "updated_datetime"])
            if request.reporter_id == user.pk:
                award_points(
                    user=user,
                    reason="fix_confirmed",
                    source=request,
                    neighborhood_slug=getattr(request.neighborhood, "slug", None),
                    neighborhood_name=getattr(request.neighborhood, "name", ""),
                )
            place = request.neighborhood.name if request.neighborhood else "the city"
            publish_on_commit(
                kind=kinds.FIX_VERIFIED,
                actor=None,
                target=request,
                neighborhood=request.neighborhood,
                summary=f"{request.service.name} in {place}: fix confirmed by a "
                "neighbor",
                data=public_request_data(request),
            )
    except IntegrityError:  # a double click
        raise ValidationError(
            "You have already answered for this fix. Thank you."
        ) from None
    return answer


def dispute_fix(
    *,
    user: User,
    request: ServiceRequest,
    note: str,
    photo: UploadedFile | None = None,
    now: datetime | None = None,
) -> FixConfirmation:
    """The reporter or a supporter says it is not fixed: the request reopens.

    It goes back to the queue flagged ``reopened``, in progress if a worker
    holds it and acknowledged otherwise, and the dispute shows on its page.
    """
    closure = _check_can_answer(user, request)
    errors = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = "Please tell the city what is still wrong."
    elif len(note) > MAX_NOTE:
        errors["note"] = f"Please keep it under {MAX_NOTE} characters."
    cleaned = None
    if photo is not None:
        try:
            cleaned = clean_photo(photo)
        except ValidationError as exc:
            errors["photo"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            saved_photo = None
            if cleaned is not None:
                saved_photo = RequestPhoto.objects.create(
                    request=request,
                    image=cleaned.content,
                    kind=RequestPhoto.Kind.BEFORE,
                    uploaded_by=user,
                )
            answer = FixConfirmation.objects.create(
                request=request,
                closure=closure,
                user=user,
                answer=FixAnswer.DISPUTED,
                note=note,
                photo=saved_photo,
                created=now,
            )
            _reopen(request=request, user=user, note=note, photo=saved_photo, now=now)
    except IntegrityError:
        raise ValidationError(
            "You have already answered for this fix. Thank you."
        ) from None
    return answer


def _reopen(
    *,
    request: ServiceRequest,
    user: User,
    note: str,
    photo: RequestPhoto | None,
    now: datetime | None = None,
) -> RequestUpdate:
    """Back to the queue after a dispute; the one status change not made by
    staff, so it lives next to ``change_request_status`` in this package."""
    now = now or timezone.now()
    request.status = RequestStatus.OPEN
    request.detailed_status = (
        DetailedStatus.IN_PROGRESS
        if request.assigned_to_id
        else DetailedStatus.ACKNOWLEDGED
    )
    request.reopened = True
    request.fix_status = FixStatus.DISPUTED
    request.closed_datetime = None
    request.on_time = None
    request.closure_reason = ""
    update = record_change(
        request=request,
        author=user,
        note=f"Reopened: a neighbor says it is not fixed. “{note}”",
        photo=photo,
        now=now,
    )
    place = request.neighborhood.name if request.neighborhood else "the city"
    announce_change(
        request=request,
        update=update,
        actor=user,
        public_kind=kinds.FIX_DISPUTED,
        public_summary=f"{request.service.name} in {place}: a neighbor says it is "
        "not fixed, so it is reopened",
    )
    return update

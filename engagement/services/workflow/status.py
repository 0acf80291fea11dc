"""Changing a request's status: the only code that writes ``status``,
``detailed_status`` and the timestamps and activity that go with them."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from activity import kinds
from activity.services import publish_on_commit
from points import services as points

from ...models import (
    ClosureReason,
    DetailedStatus,
    FixStatus,
    Follow,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
    Support,
)
from ...selectors.staff import can_work_on, fix_recipients, followers
from ...selectors.staff import response_template_text as template_text
from ..photos import clean_photo
from ..requests import public_request_data

# Where a request may go next. Closed is final for staff: only a disputed
# fix reopens a request (see ``verification.dispute_fix``).
ALLOWED = {
    DetailedStatus.NEW: {
        DetailedStatus.ACKNOWLEDGED,
        DetailedStatus.IN_PROGRESS,
        DetailedStatus.CLOSED,
    },
    DetailedStatus.ACKNOWLEDGED: {DetailedStatus.IN_PROGRESS, DetailedStatus.CLOSED},
    DetailedStatus.IN_PROGRESS: {DetailedStatus.ACKNOWLEDGED, DetailedStatus.CLOSED},
    DetailedStatus.CLOSED: set(),
}
DEFAULT_NOTES = {
    DetailedStatus.ACKNOWLEDGED: "The city has received this request.",
    DetailedStatus.IN_PROGRESS: "A crew is working on this.",
    DetailedStatus.CLOSED: "This request is closed.",
}
WORKFLOW_FIELDS = [
    "status",
    "detailed_status",
    "status_notes",
    "updated_datetime",
    "acknowledged_datetime",
    "closure_reason",
    "closed_datetime",
    "on_time",
    "fix_status",
    "duplicate_of",
    "reopened",
]
CLOSURE_NOTES = {
    ClosureReason.FIXED: "Fixed.",
    ClosureReason.DUPLICATE: "Closed as a duplicate of {original}.",
    ClosureReason.NOT_CITY: "This is not the city's responsibility.",
    ClosureReason.REFERRED: "Referred to the agency responsible.",
    ClosureReason.NO_ACTION: "No further action is needed.",
}


def change_request_status(
    *,
    actor: User,
    request: ServiceRequest,
    to_status: str,
    note: str = "",
    photo: UploadedFile | None = None,
    closure_reason: str = "",
    duplicate_of: ServiceRequest | None = None,
    now: datetime | None = None,
) -> RequestUpdate:
    """Move ``request`` one step along new → acknowledged → in progress → closed.

    Only staff of the request's department may (``PermissionDenied``). Bad
    input (a step not allowed, closing without a reason, fixed without an
    after-photo, a duplicate of itself or of a closed request) raises
    ``ValidationError`` keyed by field, and nothing is changed. The public
    note falls back to the service's response template, so residents always
    read why. Returns the new ``RequestUpdate``.
    """
    if not can_work_on(user=actor, request=request):
        raise PermissionDenied(
            "Only staff of the department that handles this request can change it."
        )
    errors: dict[str, str] = {}
    if to_status not in DetailedStatus.values:
        raise ValidationError({"to_status": "Please choose a status."})
    if to_status == request.detailed_status:
        errors["to_status"] = (
            f"This request is already {request.get_detailed_status_display().lower()}."
        )
    elif to_status not in ALLOWED[DetailedStatus(request.detailed_status)]:
        errors["to_status"] = "A closed request cannot be changed by staff."
    closing = to_status == DetailedStatus.CLOSED
    if closing:
        errors.update(_closure_errors(request, closure_reason, duplicate_of, photo))
    elif closure_reason or duplicate_of is not None:
        errors["closure_reason"] = "A closure reason is only for closing a request."
    cleaned = None
    if photo is not None:
        try:
            cleaned = clean_photo(photo)
        except ValidationError as exc:
            errors["photo"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)

    note = (note or "").strip() or _default_note(
        request, to_status, closure_reason, duplicate_of
    )
    now = now or timezone.now()
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.detailed_status != request.detailed_status:
            raise ValidationError(
                {"to_status": "Someone else changed this request; please reload."}
            )
        saved_photo = None
        if cleaned is not None:
            saved_photo = RequestPhoto.objects.create(
                request=request,
                image=cleaned.content,
                kind=RequestPhoto.Kind.AFTER,
                uploaded_by=actor,
            )
        first_acknowledgement = request.acknowledged_datetime is None
        if first_acknowledgement:
            request.acknowledged_datetime = now
        if closing:
            request.status = RequestStatus.CLOSED
            request.closure_reason = closure_reason
            request.closed_datetime = now
            request.on_time = (
                now <= request.expected_datetime if request.expected_datetime else None
            )
            request.fix_status = (
                FixStatus.PENDING
                if closure_reason == ClosureReason.FIXED
                else FixStatus.NONE
            )
            if closure_reason == ClosureReason.DUPLICATE:
                request.duplicate_of = duplicate_of
        request.detailed_status = to_status
        update = record_change(
            request=request, author=actor, note=note, photo=saved_photo, now=now
        )
        if closing and closure_reason == ClosureReason.DUPLICATE:
            _merge_into_original(duplicate=request, original=duplicate_of)
        _settle_report_points(request=request, to_status=to_status)
        announce_change(
            request=request,
            update=update,
            actor=actor,
            public_kind=(
                kinds.REQUEST_CLOSED
                if closing
                else kinds.REQUEST_ACKNOWLEDGED
                if first_acknowledgement
                else None
            ),
        )
    return update


def record_change(
    *,
    request: ServiceRequest,
    author: User | None,
    note: str,
    photo: RequestPhoto | None,
    now: datetime,
) -> RequestUpdate:
    """Save the workflow fields already set on ``request`` and write the
    public history entry: the one way both staff changes and a resident's
    dispute land, so the two can never record a change differently."""
    request.status_notes = note
    request.updated_datetime = now
    # Named fields only: support_count moves under our feet (F() updates).
    request.save(update_fields=WORKFLOW_FIELDS)
    return RequestUpdate.objects.create(
        request=request,
        author=author,
        created=now,
        status=request.status,
        detailed_status=request.detailed_status,
        public_note=note,
        photo=photo,
    )


def _settle_report_points(*, request: ServiceRequest, to_status: str) -> None:
    """The reporter earns points once the city takes the report on (or fixes
    it straight away), and loses them if it turns out to be a duplicate or
    not the city's to fix. Awards are idempotent, so repeats change nothing."""
    if request.reporter_id is None:
        return
    taken_on = to_status in (DetailedStatus.ACKNOWLEDGED, DetailedStatus.IN_PROGRESS)
    fixed_at_once = (
        to_status == DetailedStatus.CLOSED
        and request.closure_reason == ClosureReason.FIXED
    )
    if taken_on or fixed_at_once:
        points.award_points(
            user=request.reporter,
            reason="report_accepted",
            source=request,
            neighborhood_slug=getattr(request.neighborhood, "slug", None),
            neighborhood_name=getattr(request.neighborhood, "name", ""),
        )
    elif to_status == DetailedStatus.CLOSED and request.closure_reason in (
        ClosureReason.DUPLICATE,
        ClosureReason.NOT_CITY,
    ):
        points.reverse_points(
            user=request.reporter,
            reason="report_accepted",
            source=request,
            why=f"Closed: {request.get_closure_reason_display().lower()}",
        )


def _closure_errors(
    request: ServiceRequest,
    closure_reason: str,
    duplicate_of: ServiceRequest | None,
    photo: UploadedFile | None,
) -> dict[str, str]:
    if closure_reason not in ClosureReason.values:
        return {"closure_reason": "Please say why the request is closed."}
    errors = {}
    if closure_reason == ClosureReason.FIXED and photo is None:
        errors["photo"] = "Please add a photo of the fixed problem."
    if closure_reason == ClosureReason.DUPLICATE:
        if duplicate_of is None:
            errors["duplicate_of"] = "Please give the number of the original request."
        elif duplicate_of.pk == request.pk:
            errors["duplicate_of"] = "A request cannot be a duplicate of itself."
        elif duplicate_of.duplicate_of_id is not None or (
            duplicate_of.status != RequestStatus.OPEN
        ):
            errors["duplicate_of"] = (
                f"{duplicate_of.public_id} is closed or is itself a duplicate; "
                "please link the open original."
            )
    elif duplicate_of is not None:
        errors["duplicate_of"] = "Only a duplicate links to an original request."
    return errors


def _default_note(
    request: ServiceRequest,
    to_status: str,
    closure_reason: str,
    duplicate_of: ServiceRequest | None,
) -> str:
    text = template_text(service_id=request.service_id, detailed_status=to_status)
    if text:
        return text
    if to_status == DetailedStatus.CLOSED:
        original = duplicate_of.public_id if duplicate_of else ""
        return CLOSURE_NOTES[ClosureReason(closure_reason)].format(original=original)
    return DEFAULT_NOTES[DetailedStatus(to_status)]


def _merge_into_original(*, duplicate: ServiceRequest, original: ServiceRequest):
    """The original inherits the duplicate's reporter, supporters and followers.

    Someone already supporting (or who reported) the original is counted
    once; the counts are recomputed from the rows, not added up.
    """
    already = set(
        Support.objects.filter(request=original).values_list("user_id", flat=True)
    )
    if original.reporter_id:
        already.add(original.reporter_id)
    movers = [
        s for s in Support.objects.filter(request=duplicate) if s.user_id not in already
    ]
    Support.objects.filter(pk__in=[s.pk for s in movers]).update(request=original)
    Support.objects.filter(request=duplicate).delete()
    moved = {s.user_id for s in movers}
    if duplicate.reporter_id and duplicate.reporter_id not in already | moved:
        Support.objects.create(user_id=duplicate.reporter_id, request=original)
    following = set(
        Follow.objects.filter(request=original).values_list("user_id", flat=True)
    )
    Follow.objects.bulk_create(
        [
            Follow(user_id=user_id, request=original)
            for user_id in Follow.objects.filter(request=duplicate)
            .exclude(user_id__in=following)
            .values_list("user_id", flat=True)
        ]
    )
    for target in (original, duplicate):
        ServiceRequest.objects.filter(pk=target.pk).update(
            support_count=Support.objects.filter(request_id=target.pk).count()
        )
    original.refresh_from_db(fields=["support_count"])
    duplicate.support_count = 0


def announce_change(
    *,
    request: ServiceRequest,
    update: RequestUpdate,
    actor: User | None,
    public_kind: str | None,
    public_summary: str = "",
) -> None:
    """The feed entry, followers' notifications and emails of one change.

    The city acts as itself in public (``actor=None``): a worker's name is
    not the public's business.
    """
    data = {
        **public_request_data(request),
        "detailed_status": request.detailed_status,
        "closure_reason": request.closure_reason,
    }
    place = request.neighborhood.name if request.neighborhood else "the city"
    label = request.get_detailed_status_display().lower()
    if public_kind is not None:
        publish_on_commit(
            kind=public_kind,
            actor=None,
            target=request,
            neighborhood=request.neighborhood,
            summary=public_summary or f"{request.service.name} in {place}: {label}",
            data=data,
        )
    asked = []
    if request.fix_status == FixStatus.PENDING and (
        request.detailed_status == DetailedStatus.CLOSED
    ):
        asked = [p for p in fix_recipients(request=request) if p.pk != actor_pk(actor)]
        if asked:
            publish_on_commit(
                kind=kinds.REQUEST_CHANGED,
                actor=None,
                target=request,
                neighborhood=request.neighborhood,
                summary=f"{request.service.name} ({request.public_id}) is marked "
                "fixed. Is it fixed? Please tell us.",
                data={**data, "ask_fix": True},
                public=False,
                recipients=asked,
            )
    asked_ids = {p.pk for p in asked}
    others = [
        p
        for p in followers(request=request)
        if p.pk not in asked_ids and p.pk != actor_pk(actor)
    ]
    if others:
        publish_on_commit(
            kind=kinds.REQUEST_CHANGED,
            actor=None,
            target=request,
            neighborhood=request.neighborhood,
            summary=f"{request.service.name} ({request.public_id}) is now {label}.",
            data=data,
            public=False,
            recipients=others,
        )
    from ...tasks_workflow import send_status_change_emails

    send_status_change_emails.delay_on_commit(update.pk)


def actor_pk(actor: User | None) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None

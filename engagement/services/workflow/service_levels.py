"""Service levels over time: overdue requests and fixes nobody answered."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from activity import kinds
from activity.services import publish_on_commit

from ...models import FixStatus, RequestStatus, ServiceRequest
from ...selectors.staff import department_leads


def flag_overdue_requests(*, now: datetime | None = None) -> list[int]:
    """Mark open requests past their expected time and tell the leads, once.

    The conditional update claims each request, so two overlapping beat runs
    never notify twice. Returns the ids flagged by this run.
    """
    now = now or timezone.now()
    candidates = list(
        ServiceRequest.objects.filter(
            status=RequestStatus.OPEN,
            expected_datetime__lt=now,
            overdue_notified_datetime__isnull=True,
        ).values_list("pk", flat=True)
    )
    flagged = []
    from ...tasks_workflow import send_overdue_email

    for pk in candidates:
        with transaction.atomic():
            claimed = ServiceRequest.objects.filter(
                pk=pk, overdue_notified_datetime__isnull=True
            ).update(overdue_notified_datetime=now)
            if not claimed:
                continue
            request = ServiceRequest.objects.select_related(
                "service", "neighborhood"
            ).get(pk=pk)
            leads = department_leads(department_id=request.service.department_id)
            if leads:
                publish_on_commit(
                    kind=kinds.REQUEST_CHANGED,
                    actor=None,
                    target=request,
                    neighborhood=request.neighborhood,
                    summary=f"Overdue: {request.service.name} ({request.public_id}) "
                    "is past its expected time.",
                    data={"public_id": request.public_id, "overdue": True},
                    public=False,
                    recipients=leads,
                )
                send_overdue_email.delay_on_commit(pk)
            flagged.append(pk)
    return flagged


def expire_unconfirmed_fixes(*, now: datetime | None = None) -> int:
    """Fixes nobody confirmed or disputed within FIX_CONFIRMATION_DAYS become
    ``unconfirmed``, so performance figures do not count them as verified.
    ``updated_datetime`` moves too: cached figures key on it."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FIX_CONFIRMATION_DAYS)
    return ServiceRequest.objects.filter(
        fix_status=FixStatus.PENDING,
        status=RequestStatus.CLOSED,
        closed_datetime__lte=cutoff,
    ).update(fix_status=FixStatus.UNCONFIRMED, updated_datetime=now)

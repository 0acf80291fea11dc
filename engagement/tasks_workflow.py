"""Email and periodic work of the staff workflow, queued on commit.

Every email is keyed (``SentEmail``) before it leaves and marked sent after,
so a retried task skips what already went out.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import EmailUpdates

from .models import RequestUpdate, SentEmail, ServiceRequest
from .selectors.staff import (
    department_leads,
    digest_subscribers,
    fix_recipients,
    followers,
    updates_for_digest,
)
from .services import workflow

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def _send_once(*, key: str, subject: str, body: str, to: str) -> bool:
    marker, _ = SentEmail.objects.get_or_create(key=key)
    if marker.sent_at is not None:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    marker.sent_at = timezone.now()
    marker.save(update_fields=["sent_at"])
    return True


def _url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@shared_task(**RETRY)
def send_status_change_emails(update_id: int) -> int:
    """Email followers (and, for a fix, the reporter and supporters) about
    one change; returns how many emails left in this run."""
    update = (
        RequestUpdate.objects.select_related(
            "request", "request__service", "request__reporter", "author"
        )
        .filter(pk=update_id)
        .first()
    )
    if update is None:
        return 0
    request = update.request
    asked = {
        p.pk: p for p in (fix_recipients(request=request) if _asks_fix(update) else [])
    }
    people = {p.pk: p for p in followers(request=request)} | asked
    sent = 0
    for person in people.values():
        if person.pk == update.author_id or person.is_deleted or not person.email:
            continue
        if person.email_updates == EmailUpdates.DAILY:
            continue  # in tomorrow's digest (send_daily_digests)
        body = render_to_string(
            "engagement/email/status_changed.txt",
            {
                "request": request,
                "update": update,
                "person": person,
                "ask_fix": person.pk in asked,
                "url": _url(request.get_absolute_url()),
                "unsubscribe_url": _url(
                    reverse(
                        "engagement:unsubscribe",
                        args=[
                            workflow.unsubscribe_token(
                                user_id=person.pk, request_id=request.pk
                            )
                        ],
                    )
                ),
            },
        )
        sent += _send_once(
            key=f"update:{update.pk}:user:{person.pk}",
            subject=f"[CivicPulse] {request.public_id} is "
            f"{update.get_detailed_status_display().lower()}",
            body=body,
            to=person.email,
        )
    return sent


def _asks_fix(update: RequestUpdate) -> bool:
    request = update.request
    return (
        update.detailed_status == "closed"
        and request.fix_status == "pending"
        and request.closure_reason == "fixed"
    )


@shared_task(**RETRY)
def send_daily_digests(*, now_iso: str | None = None) -> int:
    """Beat, once a day: one email per subscriber listing the last day's
    changes to the requests they follow. Keyed by person and day, so a retry
    or a second run the same day sends nothing more."""
    from datetime import datetime, timedelta

    now = datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    since = now - timedelta(days=1)
    day = timezone.localdate(now).isoformat()
    sent = 0
    for person in digest_subscribers():
        if not person.email:
            continue
        updates = updates_for_digest(user=person, since=since, until=now)
        if not updates:
            continue
        body = render_to_string(
            "engagement/email/daily_digest.txt",
            {
                "person": person,
                "updates": [
                    {"update": u, "url": _url(u.request.get_absolute_url())}
                    for u in updates
                ],
                "profile_url": _url(reverse("accounts:profile")),
            },
        )
        sent += _send_once(
            key=f"digest:{day}:user:{person.pk}",
            subject=f"[CivicPulse] {len(updates)} update"
            f"{'' if len(updates) == 1 else 's'} on requests you follow",
            body=body,
            to=person.email,
        )
    return sent


@shared_task(**RETRY)
def send_overdue_email(request_id: int) -> int:
    """Tell the department's leads that a request is past its expected time."""
    request = (
        ServiceRequest.objects.select_related("service").filter(pk=request_id).first()
    )
    if request is None:
        return 0
    sent = 0
    for lead in department_leads(department_id=request.service.department_id):
        body = render_to_string(
            "engagement/email/overdue.txt",
            {
                "request": request,
                "person": lead,
                "url": _url(
                    reverse("engagement:staff_request", args=[request.public_id])
                ),
            },
        )
        sent += _send_once(
            key=f"overdue:{request.pk}:user:{lead.pk}",
            subject=f"[CivicPulse] Overdue: {request.public_id}",
            body=body,
            to=lead.email,
        )
    return sent


@shared_task
def flag_overdue_requests() -> int:
    """Beat: flag overdue open requests and notify their leads once."""
    return len(workflow.flag_overdue_requests())


@shared_task
def expire_unconfirmed_fixes() -> int:
    """Beat: fixes unanswered past FIX_CONFIRMATION_DAYS become unconfirmed."""
    return workflow.expire_unconfirmed_fixes()

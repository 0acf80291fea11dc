"""Background work on service requests, queued on commit."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import ServiceRequest


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_report_receipt(request_id: int) -> bool:
    """Email the reporter a receipt with the request's number and link.

    Safe to run twice for one request only in the sense that it sends the
    same receipt; Celery acks late, so a crash mid-send may repeat it.
    """
    request = (
        ServiceRequest.objects.select_related("service", "reporter")
        .filter(pk=request_id)
        .first()
    )
    if request is None or request.reporter is None or request.reporter.is_deleted:
        return False
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + request.get_absolute_url()
    body = render_to_string(
        "engagement/email/report_receipt.txt", {"request": request, "url": url}
    )
    send_mail(
        f"[CivicPulse] Your report {request.public_id} is filed",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [request.reporter.email],
    )
    return True


# Celery's autodiscovery imports only ``tasks``: the workflow's tasks register
# through this import.
from .tasks_workflow import (  # noqa: E402
    expire_unconfirmed_fixes,
    flag_overdue_requests,
    send_overdue_email,
    send_status_change_emails,
)

__all__ = [
    "expire_unconfirmed_fixes",
    "flag_overdue_requests",
    "send_overdue_email",
    "send_report_receipt",
    "send_status_change_emails",
]

"""Emails and periodic work of the workflow: sent once, even when retried."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from activity.models import Activity, Notification
from config.celery import app
from engagement import tasks_workflow
from engagement.models import Follow, RequestUpdate, ServiceRequest
from engagement.services import workflow
from tests.engagement.factories import ServiceRequestFactory
from tests.engagement.staff_helpers import make_city
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city()


def _acknowledged_with_followers(city, count=3):
    people = [UserFactory() for _ in range(count)]
    for person in people:
        Follow.objects.create(user=person, request=city.request)
    update = workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="acknowledged"
    )
    return update, people


def test_status_emails_are_sent_once_when_the_task_runs_again(city):
    update, people = _acknowledged_with_followers(city)
    mail.outbox.clear()
    assert tasks_workflow.send_status_change_emails(update.pk) == 3
    assert tasks_workflow.send_status_change_emails(update.pk) == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(p.email for p in people)


def test_a_retry_after_a_mail_failure_sends_only_what_is_missing(city):
    update, _ = _acknowledged_with_followers(city)
    mail.outbox.clear()
    real_send = tasks_workflow.send_mail
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("SMTP went away")
        return real_send(*args, **kwargs)

    with (
        mock.patch.object(tasks_workflow, "send_mail", flaky),
        pytest.raises(OSError),
    ):
        tasks_workflow.send_status_change_emails.run(update.pk)
    assert len(mail.outbox) == 2
    assert tasks_workflow.send_status_change_emails(update.pk) == 1
    assert len(mail.outbox) == 3
    assert len({m.to[0] for m in mail.outbox}) == 3


def test_the_actor_gets_no_email_about_their_own_change(city):
    Follow.objects.create(user=city.worker, request=city.request)
    update = workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="in_progress"
    )
    mail.outbox.clear()
    tasks_workflow.send_status_change_emails(update.pk)
    assert city.worker.email not in [m.to[0] for m in mail.outbox]


def test_status_email_tasks_are_queued_on_commit(
    city, django_capture_on_commit_callbacks
):
    Follow.objects.create(user=UserFactory(), request=city.request)
    with (
        mock.patch.object(tasks_workflow.send_status_change_emails, "delay") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        update = workflow.change_request_status(
            actor=city.worker, request=city.request, to_status="acknowledged"
        )
        assert not delay.called
    for callback in callbacks:
        callback()
    delay.assert_called_once_with(update.pk)


def test_a_retried_task_for_a_missing_update_does_nothing():
    assert tasks_workflow.send_status_change_emails(987654) == 0
    assert mail.outbox == []


def test_overdue_requests_are_flagged_and_leads_told_once(
    city, django_capture_on_commit_callbacks
):
    now = timezone.now()
    city.request.expected_datetime = now - timedelta(hours=1)
    city.request.save()
    not_yet = ServiceRequestFactory(
        service=city.request.service, expected_datetime=now + timedelta(days=1)
    )
    closed_late = ServiceRequestFactory(
        service=city.request.service,
        status="closed",
        expected_datetime=now - timedelta(days=3),
    )
    no_target = ServiceRequestFactory(service=city.request.service)
    with django_capture_on_commit_callbacks(execute=True):
        flagged = workflow.flag_overdue_requests(now=now)
    assert flagged == [city.request.pk]
    fresh = ServiceRequest.objects.get(pk=city.request.pk)
    assert fresh.overdue_notified_datetime == now
    for other in (not_yet, closed_late, no_target):
        assert ServiceRequest.objects.get(pk=other.pk).overdue_notified_datetime is None
    notice = Activity.objects.get(kind="request.changed", data__overdue=True)
    assert not notice.public
    assert list(
        Notification.objects.filter(activity=notice).values_list("user", flat=True)
    ) == [city.lead.pk]
    assert [m.to for m in mail.outbox] == [[city.lead.email]]
    assert "Overdue" in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.flag_overdue_requests(now=now + timedelta(hours=1)) == []
    assert len(mail.outbox) == 1
    assert tasks_workflow.send_overdue_email(city.request.pk) == 0


def test_beat_schedule_names_real_tasks():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "engagement.tasks_workflow.flag_overdue_requests",
        "engagement.tasks_workflow.expire_unconfirmed_fixes",
    } <= names
    app.loader.import_default_modules()
    for name in names:
        assert name in app.tasks


def test_beat_tasks_run(city):
    city.request.expected_datetime = timezone.now() - timedelta(days=1)
    city.request.save()
    assert tasks_workflow.flag_overdue_requests() == 1
    assert tasks_workflow.expire_unconfirmed_fixes() == 0
    assert RequestUpdate.objects.filter(request=city.request).count() == 0


def test_the_email_link_stops_emails_about_that_request(city, client):
    import re

    update, people = _acknowledged_with_followers(city, count=1)
    mail.outbox.clear()
    tasks_workflow.send_status_change_emails(update.pk)
    link = re.search(r"http\S+/unsubscribe/\S+/", mail.outbox[0].body).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert Follow.objects.filter(user=people[0], request=city.request).exists()
    response = client.post("/" + path)
    assert response.status_code == 302
    assert not Follow.objects.filter(user=people[0], request=city.request).exists()
    assert client.post("/unsubscribe/forged-token/").status_code == 404

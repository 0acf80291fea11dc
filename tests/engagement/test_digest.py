"""Residents who chose one email a day get a digest instead of single emails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from engagement import tasks_workflow
from engagement.models import Follow
from engagement.services import workflow
from tests.engagement.staff_helpers import make_city
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city()


def test_daily_subscribers_get_no_single_email_but_one_digest(city):
    daily = UserFactory(email="daily@example.org", email_updates="daily")
    each = UserFactory(email="each@example.org")
    for person in (daily, each):
        Follow.objects.create(user=person, request=city.request)
    update = workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="acknowledged",
        note="Crew booked for Tuesday.",
    )
    mail.outbox.clear()
    tasks_workflow.send_status_change_emails(update.pk)
    assert [m.to for m in mail.outbox] == [["each@example.org"]]

    mail.outbox.clear()
    assert tasks_workflow.send_daily_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == ["daily@example.org"]
    assert "1 update on requests you follow" in digest.subject
    assert city.request.public_id in digest.body
    assert "Crew booked for Tuesday." in digest.body
    assert city.request.get_absolute_url() in digest.body


def test_digest_is_sent_once_a_day_even_when_the_task_runs_again(city):
    daily = UserFactory(email_updates="daily")
    Follow.objects.create(user=daily, request=city.request)
    workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="acknowledged"
    )
    mail.outbox.clear()
    assert tasks_workflow.send_daily_digests() == 1
    assert tasks_workflow.send_daily_digests() == 0
    assert len(mail.outbox) == 1


def test_no_changes_no_digest_and_old_changes_are_not_repeated(city):
    daily = UserFactory(email_updates="daily")
    Follow.objects.create(user=daily, request=city.request)
    mail.outbox.clear()
    assert tasks_workflow.send_daily_digests() == 0
    workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="acknowledged"
    )
    tomorrow = timezone.now() + timedelta(days=1, minutes=5)
    assert tasks_workflow.send_daily_digests(now_iso=tomorrow.isoformat()) == 0
    assert mail.outbox == []


def test_own_changes_are_not_in_your_digest(city):
    city.worker.email_updates = "daily"
    city.worker.save()
    Follow.objects.create(user=city.worker, request=city.request)
    workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="acknowledged"
    )
    mail.outbox.clear()
    assert tasks_workflow.send_daily_digests() == 0


def test_profile_offers_the_choice(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get("/accounts/profile/").content.decode()
    assert "One email a day with all the changes" in html
    client.post(
        "/accounts/profile/",
        {"display_name": "D", "email_updates": "daily"},
    )
    user.refresh_from_db()
    assert user.email_updates == "daily"


def test_beat_runs_the_digest_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["send-daily-digests"]
    assert entry["task"] == "engagement.tasks_workflow.send_daily_digests"
    from config.celery import app

    assert entry["task"] in app.tasks

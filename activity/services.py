"""The one way to publish activity, and the writes on notifications.

Publishing has two halves with different guarantees. The row (and each
recipient's notification) is written in the caller's transaction, so it
exists exactly when the thing it describes does. The broadcast leaves only
after commit (``transaction.on_commit``), so a rolled-back report is never
announced; it is best-effort, so a broken channel layer is logged and never
fails the request: clients fill gaps from the catch-up API.
"""

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import models, transaction
from django.utils import timezone

from accounts.models import FORMER_RESIDENT_NAME, User

from . import kinds, privacy
from .groups import CITY_GROUP, neighborhood_group, user_group
from .models import Activity, Notification
from .selectors import message_for

logger = logging.getLogger(__name__)

# Seconds a broadcast may take before it is given up: an unreachable Redis must
# not hold the web request that published (the row is already committed).
BROADCAST_TIMEOUT = 3.0
SUMMARY_MAX_LENGTH = Activity._meta.get_field("summary").max_length
URL_MAX_LENGTH = Activity._meta.get_field("target_url").max_length
EVENT_TYPE = "activity.event"  # handled by the consumers' activity_event()


class NeighborhoodLike(Protocol):
    slug: str
    name: str


def publish_on_commit(
    *,
    kind: str,
    actor: User | None,
    target: models.Model | None,
    neighborhood: NeighborhoodLike | None,
    summary: str,
    data: dict[str, Any] | None = None,
    public: bool = True,
    recipients: Iterable[User] | None = None,
) -> Activity:
    """Record that something happened and announce it once the transaction commits.

    Public entries go to the city feed (``activity.all``) and, when a
    neighborhood is given, to ``activity.<slug>``; every recipient also gets
    an unread notification and the message on ``user.<id>``. A personal event
    is ``public=False`` with ``recipients``. Pass ``actor=None`` for anonymous
    reports and city actions: the actor is shown by public name only.

    Raises ``ValueError`` for an unknown kind, a personal kind marked public,
    an empty summary, or ``data`` with private-looking keys or non-JSON values.
    """
    if actor is not None and not actor.is_authenticated:
        actor = None  # request.user of a visitor who is not signed in
    if kind not in kinds.ALL:
        raise ValueError(f"unknown activity kind {kind!r}; add it to activity.kinds")
    if public and kind in kinds.PERSONAL_ONLY:
        raise ValueError(f"{kind!r} is personal: pass public=False and recipients")
    summary = privacy.public_summary(" ".join(summary.split()))
    if not summary:
        raise ValueError("an activity needs a summary")
    if len(summary) > SUMMARY_MAX_LENGTH:
        summary = summary[: SUMMARY_MAX_LENGTH - 1].rstrip() + "…"
    clean_data = privacy.public_data(data)
    if public and kind in kinds.CONSENT_KINDS and not _consents(actor):
        # Still recorded, and still sent to the recipients (the person
        # themself), but never shown to the public.
        public = False
    people = _unique_recipients(recipients)

    activity = Activity.objects.create(
        kind=kind,
        actor=actor,
        summary=summary,
        data=clean_data,
        public=public,
        neighborhood_slug=neighborhood.slug if neighborhood else "",
        neighborhood_name=neighborhood.name if neighborhood else "",
        **_target_columns(target),
    )
    Notification.objects.bulk_create(
        [Notification(user=person, activity=activity) for person in people]
    )

    groups = []
    if activity.public:
        groups.append(CITY_GROUP)
        if activity.neighborhood_slug:
            groups.append(neighborhood_group(activity.neighborhood_slug))
    groups.extend(user_group(person.pk) for person in people)
    if groups:
        payload = message_for(activity)
        transaction.on_commit(
            lambda: _broadcast(payload=payload, groups=groups), robust=True
        )
    return activity


def _broadcast(*, payload: dict[str, Any], groups: list[str]) -> bool:
    """Send ``payload`` to ``groups`` now; False (and a warning) if it could not.

    Never raises: delivery is best-effort by design, and the caller's data is
    already saved (clients fill the gap from the catch-up API).
    """
    layer = get_channel_layer()
    if layer is None:
        return False
    message = {"type": EVENT_TYPE, "payload": payload}

    async def send_to_all() -> None:
        async def send() -> None:
            for group in groups:
                await layer.group_send(group, message)

        await asyncio.wait_for(send(), timeout=BROADCAST_TIMEOUT)

    try:
        _run_coroutine(send_to_all)
    except Exception as exc:  # a down layer must never fail the request
        logger.warning(
            "activity %s (%s) is saved but was not broadcast: %s: %s",
            payload.get("id"),
            payload.get("kind"),
            exc.__class__.__name__,
            exc,
        )
        return False
    return True


def _run_coroutine(factory: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run an async send from sync code, whatever thread we are in.

    ``async_to_sync`` refuses to run in a thread whose event loop is running
    (sync code called straight from async code, or a test driving a browser);
    there a short-lived helper thread does the send instead.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(factory)()
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(async_to_sync(factory)).result()


def _consents(actor: User | None) -> bool:
    return bool(actor and actor.public_profile and not actor.is_deleted)


def _unique_recipients(recipients: Iterable[User] | None) -> list[User]:
    """Each active person once: a deleted account gets no notifications."""
    people: dict[int, User] = {}
    for person in recipients or ():
        if person.pk is None:
            raise ValueError("recipients must be saved users")
        if person.is_active and not person.is_deleted:
            people.setdefault(person.pk, person)
    return list(people.values())


def _target_columns(target: models.Model | None) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": "", "target_url": ""}
    if target.pk is None:
        raise ValueError("the target must be saved before its activity is published")
    return {
        "target_type": target._meta.label_lower,
        "target_id": str(target.pk),
        "target_url": _public_url(target),
    }


def _public_url(target: models.Model) -> str:
    """The target's page: ``get_absolute_url()``, or a Wagtail page's URL.

    Only site paths and http(s) URLs are kept, since the feed renders it as a
    link, in the server's HTML and in the browser's JavaScript alike.
    """
    url = ""
    if hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url() or ""
    elif callable(getattr(target, "get_url", None)):  # Wagtail pages
        url = target.get_url() or ""
    url = str(url)
    is_path = url.startswith("/") and not url.startswith("//")
    if not (is_path or url.startswith(("https://", "http://"))):
        return ""
    return url if len(url) <= URL_MAX_LENGTH else ""


def mark_notifications_read(
    *, user: User, notification_ids: Iterable[int] | None = None
) -> int:
    """Mark the person's unread notifications read (only the given ones, if
    any); returns how many changed. Other people's ids are silently ignored."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(id__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())


@transaction.atomic
def erase_personal_activity(user: User) -> None:
    """On account deletion: drop the person's notifications and the personal
    entries only they could see, and take their display name out of the
    public summaries it was written into (the actor column already shows
    “a former resident” once the account is deleted)."""
    personal_ids = list(
        Notification.objects.filter(user=user, activity__public=False).values_list(
            "activity_id", flat=True
        )
    )
    Notification.objects.filter(user=user).delete()
    Activity.objects.filter(id__in=personal_ids, notifications__isnull=True).delete()
    Activity.objects.filter(
        actor=user, public=False, notifications__isnull=True
    ).delete()

    name = user.display_name.strip()
    if not name:
        return
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    changed = []
    for activity in Activity.objects.filter(actor=user, summary__contains=name):
        activity.summary = pattern.sub(FORMER_RESIDENT_NAME, activity.summary)
        changed.append(activity)
    Activity.objects.bulk_update(changed, ["summary"])

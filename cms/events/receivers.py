"""Feed announcements that follow Wagtail's publishing of event pages.

Connected from ``CmsConfig.ready`` (``from .events import receivers``); the
``dispatch_uid`` keeps a second import from connecting twice.
"""

import logging

from django.db import transaction
from wagtail.signals import page_published

from ..models import EventPage
from .services import announce_event

logger = logging.getLogger(__name__)


def announce_published_event(sender, instance, **kwargs) -> None:
    """A first publication goes in the feed; later edits and republishing do
    not (``announce_event`` checks the feed for an earlier announcement)."""
    try:
        with transaction.atomic():  # a savepoint: publishing goes on regardless
            announce_event(event=instance.specific)
    except Exception:  # the feed must never make publishing fail
        logger.exception("could not announce event page %s", instance.pk)


page_published.connect(
    announce_published_event,
    sender=EventPage,
    dispatch_uid="cms.events.announce_published_event",
)

"""Receivers: poll choices follow the text an editor typed in Wagtail."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Poll
from .services.polls import sync_poll_choices


@receiver(post_save, sender=Poll, dispatch_uid="engagement_sync_poll_choices")
def _sync_poll_choices(sender, instance: Poll, raw: bool = False, **kwargs) -> None:
    # Publishing a page saves its polls; a fixture load (raw) brings its own rows.
    if raw:
        return
    sync_poll_choices(poll=instance)

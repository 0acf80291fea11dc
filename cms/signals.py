"""Receivers that keep the page tree in step with the data beneath it."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from neighborhoods.models import Neighborhood


@receiver(post_save, sender=Neighborhood, dispatch_uid="cms_neighborhood_page")
def neighborhood_saved(sender, instance: Neighborhood, raw=False, **kwargs) -> None:
    """A new neighborhood gets its page; a renamed one, its page renamed."""
    if raw:  # loaddata: the fixture brings its own pages
        return
    from .services import ensure_neighborhood_page

    ensure_neighborhood_page(neighborhood=instance)


@receiver(pre_delete, sender=Neighborhood, dispatch_uid="cms_neighborhood_retire")
def neighborhood_deleted(sender, instance: Neighborhood, **kwargs) -> None:
    from .services import retire_neighborhood_page

    retire_neighborhood_page(neighborhood=instance)


@receiver(page_published, dispatch_uid="cms_page_published_feed")
def page_published_to_feed(sender, instance, revision=None, **kwargs) -> None:
    """Planning topics and city updates reach the live feed when first published."""
    from .services import announce_first_publish

    announce_first_publish(page=instance, user=getattr(revision, "user", None))

"""Receivers that keep the point-lookup cache in step with the boundaries."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import boundary_index
from .models import Neighborhood


@receiver(post_save, sender=Neighborhood, dispatch_uid="neighborhoods.saved")
@receiver(post_delete, sender=Neighborhood, dispatch_uid="neighborhoods.deleted")
def neighborhood_changed(sender, using: str, **kwargs) -> None:
    boundary_index.boundaries_changed(using=using)

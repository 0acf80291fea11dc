"""Receivers that keep ``MapCell`` exact as requests are saved and deleted.

Every save or delete of a ``ServiceRequest`` through the ORM (including a
queryset's ``delete()``, which sends these signals per row) recomputes the
fine cell it was in and the one it is in now, in the writer's transaction; a
new request is added to its cell's sums instead, so filing one costs the same
in an empty cell and in the busiest block of the city.
Queryset ``update()`` and raw SQL send no signal: the code doing those either
leaves the map's columns alone or calls ``engagement.services.map_cells``.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from neighborhoods.models import Neighborhood

from .models import MapCell, ServiceRequest
from .selectors.map import map_cell_of
from .services.map_cells import add_points_to_map_cells, refresh_map_cells

# What a MapCell row depends on: the public point and the map's filters.
_MAP_FIELDS = ("public_lat", "public_long", "service", "status", "neighborhood")
_MAP_ATTNAMES = ("public_lat", "public_long", "service_id", "status", "neighborhood_id")
_BEFORE = "_map_cell_values_before_save"
_CELL_BEFORE_DELETE = "_map_cell_before_delete"


def _touches_map(update_fields) -> bool:
    return update_fields is None or not set(update_fields).isdisjoint(
        _MAP_FIELDS + _MAP_ATTNAMES
    )


@receiver(pre_save, sender=ServiceRequest, dispatch_uid="engagement_map_cells_pre")
def _remember_map_values(
    sender, instance: ServiceRequest, update_fields=None, **kwargs
):
    # The row as stored, before this save overwrites it; a new request (no
    # primary key yet) has no old cell to empty.
    if instance.pk is None or not _touches_map(update_fields):
        return
    before = (
        ServiceRequest.objects.filter(pk=instance.pk)
        .order_by()
        .values_list(*_MAP_ATTNAMES)
        .first()
    )
    instance.__dict__[_BEFORE] = before


@receiver(post_save, sender=ServiceRequest, dispatch_uid="engagement_map_cells_save")
def _refresh_cells_after_save(
    sender, instance: ServiceRequest, created: bool, update_fields=None, **kwargs
):
    before = instance.__dict__.pop(_BEFORE, None)
    if not _touches_map(update_fields):
        return
    if created:
        # A new request only adds to its cell: one upsert, however many
        # requests the cell already holds (a recount would read them all).
        add_points_to_map_cells(
            points=[tuple(getattr(instance, name) for name in _MAP_ATTNAMES)]
        )
        return
    deferred = instance.get_deferred_fields()
    if deferred.intersection(_MAP_ATTNAMES):
        # Part of the point was not loaded: read where the request is now.
        cells = {map_cell_of(lat=before[0], lon=before[1])} if before else set()
        refresh_map_cells(request_ids=[instance.pk], cells=cells)
        return
    after = tuple(getattr(instance, name) for name in _MAP_ATTNAMES)
    if before == after:
        return  # a save that changed nothing the map shows
    cells = {map_cell_of(lat=after[0], lon=after[1])}
    if before is not None:
        cells.add(map_cell_of(lat=before[0], lon=before[1]))
    # Part of the save's transaction; its own when the save had none, so a
    # cell is never left half rewritten.
    refresh_map_cells(cells=cells)


@receiver(
    pre_delete, sender=ServiceRequest, dispatch_uid="engagement_map_cells_pre_del"
)
def _remember_cell_before_delete(sender, instance: ServiceRequest, **kwargs):
    # After the delete the row is gone, so a point that was not loaded could
    # no longer be read.
    if instance.get_deferred_fields().intersection(("public_lat", "public_long")):
        instance.refresh_from_db(fields=["public_lat", "public_long"])
    instance.__dict__[_CELL_BEFORE_DELETE] = map_cell_of(
        lat=instance.public_lat, lon=instance.public_long
    )


@receiver(post_delete, sender=ServiceRequest, dispatch_uid="engagement_map_cells_del")
def _refresh_cell_after_delete(sender, instance: ServiceRequest, **kwargs):
    cell = instance.__dict__.pop(_CELL_BEFORE_DELETE, None)
    if cell is None:
        cell = map_cell_of(lat=instance.public_lat, lon=instance.public_long)
    refresh_map_cells(cells=[cell])


@receiver(
    post_delete, sender=Neighborhood, dispatch_uid="engagement_map_cells_neighborhood"
)
def _refresh_cells_of_deleted_neighborhood(sender, instance: Neighborhood, **kwargs):
    # Deleting a neighborhood sets its requests' neighborhood to NULL with one
    # UPDATE (no per-request signal); its cells are recounted under "none".
    cells = set(
        MapCell.objects.filter(neighborhood_key=instance.pk)
        .order_by()
        .values_list("cell_row", "cell_col")
    )
    refresh_map_cells(cells=cells)

"""Per-cell request counts for the city-wide map, kept beside the requests."""

from django.db import models

from .catalogue import Service


class MapCell(models.Model):
    """How many requests of one service, status and neighborhood have their
    public point in one fine map cell, with the sums of their coordinates.

    A fine cell is a cluster cell at ``MAP_CELL_ZOOM`` (the finest clustered
    zoom, see ``engagement.selectors.map``); a cell at any coarser zoom is a
    whole block of fine cells, so a city-wide map adds up a few thousand of
    these rows instead of grouping every request. The sums give each cluster
    the mean position of its requests. Rows are derived: services in
    ``engagement.services.map_cells`` keep them in step with the requests and
    can rebuild them from scratch.
    """

    cell_row = models.IntegerField(help_text="floor(public_lat / fine cell height)")
    cell_col = models.IntegerField(help_text="floor(public_long / fine cell width)")
    # Not a database constraint: the rows are rebuilt wholesale, and a
    # service with requests cannot be deleted anyway (PROTECT).
    service = models.ForeignKey(
        Service,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    status = models.CharField(max_length=10)
    # The neighborhood's id, or 0 for requests outside every neighborhood: a
    # key column that is never NULL lets an upsert find its row on SQLite and
    # PostgreSQL alike (NULLs are never equal in a unique index).
    neighborhood_key = models.BigIntegerField(default=0)
    count = models.PositiveIntegerField()
    lat_sum = models.FloatField()
    long_sum = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "cell_row",
                    "cell_col",
                    "service",
                    "status",
                    "neighborhood_key",
                ],
                name="map_cell_key",
            )
        ]
        indexes = [
            models.Index(fields=["service", "cell_row"], name="map_cell_service"),
            models.Index(
                fields=["neighborhood_key", "cell_row"], name="map_cell_neighborhood"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"cell ({self.cell_row}, {self.cell_col}): {self.count} "
            f"{self.status} of service {self.service_id}"
        )

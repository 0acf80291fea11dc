import math

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The map's finest clustered grid as ``engagement.selectors.map`` computes it
# (cluster_cell_size at zoom 15), frozen here with the same operations so the
# backfilled cells are bit for bit the ones the code computes.
MAP_CELL_ZOOM = 15


def _cell_size() -> tuple[float, float]:
    factor = math.cos(
        math.radians(settings.LEAFLET_CONFIG.get("DEFAULT_CENTER", (0.0, 0.0))[0])
    )
    lon = 360.0 / (2**MAP_CELL_ZOOM) * 64 / 256
    return lon, lon * factor


def backfill_map_cells(apps, schema_editor):
    """One INSERT ... SELECT ... GROUP BY over the requests: a single pass,
    whatever their number, on SQLite and PostgreSQL alike."""
    MapCell = apps.get_model("engagement", "MapCell")
    ServiceRequest = apps.get_model("engagement", "ServiceRequest")
    quote = schema_editor.connection.ops.quote_name
    cell_lon, cell_lat = _cell_size()

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    lat = column(ServiceRequest, "public_lat")
    lon = column(ServiceRequest, "public_long")
    target = ", ".join(
        column(MapCell, name)
        for name in (
            "cell_row",
            "cell_col",
            "service",
            "status",
            "neighborhood_key",
            "count",
            "lat_sum",
            "long_sum",
        )
    )
    schema_editor.execute(
        # Identifiers come from the models' metadata; values are parameters.
        f"INSERT INTO {quote(MapCell._meta.db_table)} ({target}) "  # noqa: S608
        f"SELECT CAST(FLOOR({lat} / %s) AS INTEGER), "
        f"CAST(FLOOR({lon} / %s) AS INTEGER), "
        f"{column(ServiceRequest, 'service')}, {column(ServiceRequest, 'status')}, "
        f"COALESCE({column(ServiceRequest, 'neighborhood')}, 0), "
        f"COUNT(*), SUM({lat}), SUM({lon}) "
        f"FROM {quote(ServiceRequest._meta.db_table)} "
        f"GROUP BY 1, 2, 3, 4, 5",
        [cell_lat, cell_lon],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0005_discussions_polls"),
    ]

    operations = [
        migrations.CreateModel(
            name="MapCell",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "cell_row",
                    models.IntegerField(
                        help_text="floor(public_lat / fine cell height)"
                    ),
                ),
                (
                    "cell_col",
                    models.IntegerField(
                        help_text="floor(public_long / fine cell width)"
                    ),
                ),
                ("status", models.CharField(max_length=10)),
                ("neighborhood_key", models.BigIntegerField(default=0)),
                ("count", models.PositiveIntegerField()),
                ("lat_sum", models.FloatField()),
                ("long_sum", models.FloatField()),
                (
                    "service",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="engagement.service",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["service", "cell_row"], name="map_cell_service"
                    ),
                    models.Index(
                        fields=["neighborhood_key", "cell_row"],
                        name="map_cell_neighborhood",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "cell_row",
                            "cell_col",
                            "service",
                            "status",
                            "neighborhood_key",
                        ),
                        name="map_cell_key",
                    )
                ],
            },
        ),
        migrations.RunPython(backfill_map_cells, migrations.RunPython.noop),
    ]

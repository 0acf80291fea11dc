"""Tables the leaderboards read instead of the ledger: points per person,
neighborhood and day, and per person and neighborhood, plus an index for the
top balances. Existing entries are summed into them (and into the balance)
with one INSERT ... SELECT ... GROUP BY per table, before their indexes are
built, so a city's ledger of millions of entries migrates in seconds."""

from datetime import UTC, datetime
from itertools import pairwise

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Max, Min, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone


def utc_offset_changes(tz, first, last):
    """``tz``'s UTC offset (seconds) at ``first``, then each change up to
    ``last`` as (the UTC second it starts, the new offset)."""

    def offset(second):
        return int(datetime.fromtimestamp(second, tz).utcoffset().total_seconds())

    start, end = int(first.timestamp()), int(last.timestamp()) + 1
    changes = [(start, offset(start))]
    for day in range(start, end, 86400):
        low, high = day, min(day + 86400, end)
        if offset(high) == offset(low):
            continue
        while high - low > 1:
            middle = (low + high) // 2
            if offset(middle) == offset(low):
                low = middle
            else:
                high = middle
        changes.append((high, offset(high)))
    return changes


def local_day_of_created(connection, entries):
    """The local day of each entry in SQL the database runs natively: on
    SQLite, Django's TruncDate calls Python per row, so the zone's offsets
    over the ledger's span go into a CASE instead."""
    tz = timezone.get_default_timezone()
    span = entries.aggregate(first=Min("created"), last=Max("created"))
    if connection.vendor != "sqlite" or span["first"] is None:
        return TruncDate("created", tzinfo=tz)
    changes = utc_offset_changes(tz, span["first"], span["last"])
    column = f"{connection.ops.quote_name(entries.model._meta.db_table)}.created"
    cases, params = [], []
    for (_, offset), (until, _) in pairwise(changes):
        cases.append(f"WHEN {column} < %s THEN %s")
        params.append(datetime.fromtimestamp(until, UTC).strftime("%Y-%m-%d %H:%M:%S"))
        params.append(f"{offset:+d} seconds")
    params.append(f"{changes[-1][1]:+d} seconds")
    modifier = f"CASE {' '.join(cases)} ELSE %s END" if cases else "%s"
    return RawSQL(
        f"date(substr({column}, 1, 19), {modifier})",
        params,
        output_field=models.DateField(),
    )


def backfill(apps, schema_editor):
    """Derive the balance and both rollups from the ledger, set-based."""
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    alias = connection.alias
    entries = apps.get_model("points", "PointsEntry").objects.using(alias).order_by()
    derived = [
        (
            "PointsBalance",
            ["user_id", "total"],
            entries.values("user_id")
            .annotate(points=Sum("amount"))
            .values_list("user_id", "points"),
        ),
        (
            "PointsDaily",
            ["user_id", "neighborhood_slug", "day", "neighborhood_name", "total"],
            entries.annotate(
                place=Coalesce("neighborhood_slug", Value("")),
                local_day=local_day_of_created(connection, entries),
            )
            .values("user_id", "place", "local_day")
            .annotate(label=Max("neighborhood_name"), points=Sum("amount"))
            .values_list("user_id", "place", "local_day", "label", "points"),
        ),
        (
            "PointsNeighborhoodTotal",
            ["user_id", "neighborhood_slug", "neighborhood_name", "total"],
            entries.filter(neighborhood_slug__isnull=False)
            .values("user_id", "neighborhood_slug")
            .annotate(label=Max("neighborhood_name"), points=Sum("amount"))
            .values_list("user_id", "neighborhood_slug", "label", "points"),
        ),
    ]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for name, columns, queryset in derived:
            table = qn(apps.get_model("points", name)._meta.db_table)
            select, params = queryset.query.sql_with_params()
            listed = ", ".join(qn(c) for c in columns)
            cursor.execute(f"DELETE FROM {table}")
            if name == "PointsBalance":
                cursor.execute(
                    f"INSERT INTO {table} ({listed}, {qn('updated')}) "
                    f"SELECT s.*, %s FROM ({select}) s",
                    [*params, now],
                )
            else:
                cursor.execute(f"INSERT INTO {table} ({listed}) {select}", params)
        if connection.vendor == "postgresql":
            # Check the new rows' foreign keys now: PostgreSQL builds no index
            # on a table with checks still pending in the transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze(apps, schema_editor):
    """Give the planner the new tables' statistics, so the boards' first
    queries use the indexes built for them."""
    qn = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        for name in ("PointsBalance", "PointsDaily", "PointsNeighborhoodTotal"):
            table = apps.get_model("points", name)._meta.db_table
            cursor.execute(f"ANALYZE {qn(table)}")


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0005_campaign"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The tables come with their unique constraints (SQLite would copy a
    # filled table to add one); the other indexes are built after the rows.
    operations = [
        migrations.CreateModel(
            name="PointsDaily",
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
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("neighborhood_slug", models.CharField(blank=True, max_length=200)),
                ("neighborhood_name", models.CharField(blank=True, max_length=200)),
                (
                    "day",
                    models.DateField(
                        help_text="In the site's time zone, as periods are."
                    ),
                ),
                ("total", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name_plural": "points per day",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "neighborhood_slug", "day"),
                        name="points_daily_once_per_place_and_day",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PointsNeighborhoodTotal",
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
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("neighborhood_slug", models.CharField(max_length=200)),
                ("neighborhood_name", models.CharField(blank=True, max_length=200)),
                ("total", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "neighborhood_slug"),
                        name="points_neighborhood_total_once",
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="pointsbalance",
            index=models.Index(fields=["-total", "user"], name="points_balance_board"),
        ),
        migrations.AddIndex(
            model_name="pointsdaily",
            index=models.Index(fields=["day"], name="points_daily_day"),
        ),
        migrations.AddIndex(
            model_name="pointsdaily",
            index=models.Index(
                fields=["neighborhood_slug", "day"], name="points_daily_place_day"
            ),
        ),
        migrations.AddIndex(
            model_name="pointsneighborhoodtotal",
            index=models.Index(
                fields=["neighborhood_slug", "-total", "user"],
                name="points_neighborhood_board",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]

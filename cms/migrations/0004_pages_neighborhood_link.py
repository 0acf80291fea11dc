import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_planning_pages"),
        ("neighborhoods", "0002_neighborhood_groups"),
    ]

    operations = [
        migrations.AlterField(
            model_name="neighborhoodpage",
            name="neighborhood",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="page",
                to="neighborhoods.neighborhood",
            ),
        ),
    ]

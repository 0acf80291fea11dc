from django.db import migrations


def create_groups(apps, schema_editor):
    """Neighborhoods loaded before groups existed get theirs now; later ones
    get one from a post_save receiver. Wagtail permissions follow when the
    neighborhood's page is saved (cms.group_permissions)."""
    Neighborhood = apps.get_model("neighborhoods", "Neighborhood")
    NeighborhoodGroup = apps.get_model("neighborhoods", "NeighborhoodGroup")
    for neighborhood in Neighborhood.objects.filter(group__isnull=True):
        NeighborhoodGroup.objects.create(
            neighborhood=neighborhood, name=f"{neighborhood.name} neighborhood group"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("neighborhoods", "0003_neighborhoodgroup_organizers_auth_group"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

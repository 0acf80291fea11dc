"""Seed the default points rules; staff tune them in the admin afterwards."""

from django.db import migrations

DEFAULT_RULES = {
    "report_accepted": (
        "A report the city accepted",
        "You reported a problem and the city took it on.",
        10,
        10,
    ),
    "fix_confirmed": (
        "A fix you confirmed",
        "You told the city that a fix on your report worked.",
        5,
        10,
    ),
    "support_given": (
        "Support for a neighbor's report",
        "You said “me too” on someone else's open report.",
        1,
        10,
    ),
    "comment_posted": (
        "A comment in a planning discussion",
        "You took part in a neighborhood planning discussion.",
        2,
        5,
    ),
    "volunteer_hour": (
        "An hour of volunteering",
        "An organizer confirmed an hour you volunteered.",
        15,
        8,
    ),
    "campaign_completed": (
        "A completed campaign",
        "You finished every step of a civic campaign.",
        25,
        None,
    ),
}


def seed(apps, schema_editor):
    PointsRule = apps.get_model("points", "PointsRule")
    for reason, (label, description, points, cap) in DEFAULT_RULES.items():
        PointsRule.objects.get_or_create(
            reason=reason,
            defaults={
                "label": label,
                "description": description,
                "points": points,
                "daily_cap": cap,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("points", "PointsRule").objects.filter(
        reason__in=list(DEFAULT_RULES)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

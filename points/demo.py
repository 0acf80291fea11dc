"""A running campaign for a local CivicPulse, so its page has something to show."""

from datetime import timedelta

from django.utils import timezone

from .models import Campaign

DEMO_CAMPAIGN_SLUG = "light-up-the-streets"


def create_demo_campaign() -> Campaign:
    """Idempotent: the campaign is created once, a month long from today."""
    now = timezone.now()
    campaign, _ = Campaign.objects.get_or_create(
        slug=DEMO_CAMPAIGN_SLUG,
        defaults={
            "title": "Light up the streets",
            "description": "This month, report dark streetlights and back your "
            "neighbors' reports. Reports the city takes on and support for "
            "open reports count.",
            "starts": now - timedelta(days=3),
            "ends": now + timedelta(days=30),
            "reasons": ["report_accepted", "support_given"],
            "individual_goal": 30,
            "community_goal": 500,
            "bonus": 25,
        },
    )
    return campaign

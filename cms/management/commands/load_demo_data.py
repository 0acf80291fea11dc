from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import load_demo_data


class Command(BaseCommand):
    help = (
        "Load Boston's neighborhoods and demo accounts for local use. Idempotent. "
        "Refused where DEMO_DATA_ALLOWED is off (production), since the demo "
        "accounts have published passwords."
    )

    def handle(self, *args, **options) -> None:
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "Demo data is not allowed with these settings: its accounts have "
                "published passwords. Set DEMO_DATA_ALLOWED=True only on a "
                "machine nobody else can reach."
            )
        load_demo_data(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))

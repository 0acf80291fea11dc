from django.core.management.base import BaseCommand

from points.services import recompute_badges


class Command(BaseCommand):
    help = "Grant every badge level the points ledger earns that is missing."

    def handle(self, *args, **options) -> None:
        granted = recompute_badges()
        self.stdout.write(f"{granted} badge level(s) granted.")

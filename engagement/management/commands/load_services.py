from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from engagement.services.catalogue import CatalogueError, load_services_file


class Command(BaseCommand):
    help = "Load or update the services catalogue from an Open311 services.json."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="an Open311 services.json file")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            result = load_services_file(path=file)
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary())
        for reason in result.skipped:
            self.stdout.write(f"  skipped {reason}")

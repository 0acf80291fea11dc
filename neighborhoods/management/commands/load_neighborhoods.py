from django.core.management.base import BaseCommand, CommandError

from neighborhoods.services import NeighborhoodImportError, load_neighborhoods_from_file


class Command(BaseCommand):
    help = (
        "Create or update neighborhoods from a GeoJSON FeatureCollection of "
        "Polygon/MultiPolygon features in WGS84. Safe to run again: unchanged "
        "boundaries stay as they are."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path to a .geojson file")
        parser.add_argument(
            "--name-property",
            help="Feature property holding the neighborhood name "
            "(detected when omitted, e.g. Name, NBHD_NAME)",
        )
        parser.add_argument(
            "--population-property",
            help="Feature property holding the population, if the file has one",
        )

    def handle(self, *args, **options) -> None:
        try:
            result = load_neighborhoods_from_file(
                path=options["file"],
                name_property=options["name_property"],
                population_property=options["population_property"],
            )
        except NeighborhoodImportError as exc:
            raise CommandError(str(exc)) from exc
        for reason in result.skipped_reasons:
            self.stdout.write(self.style.WARNING(f"Skipped {reason}"))
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(result.summary()))

from django.core.management.base import BaseCommand, CommandError

from engagement.services.importing import (
    FIELDS,
    FORMATS,
    ImportResult,
    RequestImportError,
    import_requests,
    parse_mapping,
)


class Command(BaseCommand):
    help = (
        "Import service requests from Boston's 311 CSV (any of its three header "
        "styles, .csv or .csv.gz), an Open311 requests.json, or any CSV with "
        "--map. Safe to run again: rows already imported are skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the file to import (.csv, .csv.gz, .json)")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="told from the file when omitted: .json is open311-json, a CSV "
            "with Boston's headers is boston-csv, otherwise give --map",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN,...",
            help="which column holds each field (repeatable); fields: "
            + ", ".join(FIELDS),
        )

    def handle(self, *args, **options) -> None:
        try:
            mapping = {}
            for text in options["map"]:
                mapping.update(parse_mapping(text))
            result = import_requests(
                source=options["file"],
                format=options["format"],
                mapping=mapping or None,
            )
        except RequestImportError as exc:
            raise CommandError(str(exc)) from exc
        self._report(result)

    def _report(self, result: ImportResult) -> None:
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(f"Imported: {result.imported:,}")
        self.stdout.write(f"Skipped: {result.skipped_count:,}")
        for reason, count in result.skipped.most_common():
            self.stdout.write(f"  {count:,} {reason}")
        self.stdout.write(f"Failed: {result.failed_count:,}")
        for reason, count in result.failed.most_common():
            rows = ", ".join(str(n) for n in result.failed_examples.get(reason, []))
            self.stdout.write(f"  {count:,} {reason} (e.g. row {rows})")
        if result.services_created:
            names = sorted(result.services_created)
            more = f" and {len(names) - 10} more" if len(names) > 10 else ""
            self.stdout.write(
                f"Created {len(names)} inactive services for types not in the "
                f"catalogue (kept for history, not offered in the report form): "
                f"{', '.join(names[:10])}{more}"
            )
        self.stdout.write(self.style.SUCCESS(result.summary()))

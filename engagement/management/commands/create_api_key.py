"""``manage.py create_api_key NAME``: issue an Open311 API key.

The key is printed on the last line, alone, so scripts can take it with
``tail -n 1``; only its hash is stored.
"""

from django.core.management.base import BaseCommand, CommandParser

from engagement.open311.services import issue_api_key


class Command(BaseCommand):
    help = "Issue an Open311 API key for a named client; prints the key last."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Who the client is, e.g. 'BOS:311 app'.")
        parser.add_argument(
            "--trusted",
            action="store_true",
            help="The client verifies its users' emails: tie its reports to "
            "residents' accounts with those verified emails.",
        )

    def handle(self, *args, name: str, trusted: bool, **options) -> None:
        api_key, raw = issue_api_key(name=name, trusted=trusted)
        self.stdout.write(
            f"Issued key {api_key.prefix}… for {api_key.name!r}"
            f"{' (trusted)' if trusted else ''}. It is shown once:"
        )
        self.stdout.write(raw)

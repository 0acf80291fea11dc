from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Print the local demo accounts' logins (what `make run` shows)."

    def handle(self, *args, **options) -> None:
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.role:<10} {account.email:<28} {account.password}"
            )

from django.core.management.base import BaseCommand

from points.services import reconcile_balances


class Command(BaseCommand):
    help = (
        "Compare cached points balances and the leaderboards' tables with the "
        "ledger and repair drift."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Report drift without repairing."
        )

    def handle(self, *args, **options) -> None:
        result = reconcile_balances(repair=not options["check"])
        self.stdout.write(
            f"{result.checked} balance(s) checked, {result.drifted} drifted, "
            f"{result.repaired} repaired."
        )
        drift = ", ".join(f"{name}: {n}" for name, n in result.table_drift.items())
        self.stdout.write(
            f"Leaderboard tables: {sum(result.table_drift.values())} row(s) "
            f"drifted ({drift}), "
            + ("rebuilt from the ledger." if result.repaired_tables else "not rebuilt.")
        )

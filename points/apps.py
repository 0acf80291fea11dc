from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = "Points and badges"

    def ready(self) -> None:
        # The ledger is personal data: it belongs in the person's export. It
        # stays on deletion (the account row stays, and leaderboards drop it).
        from accounts import personal_data

        from .selectors import points_export

        personal_data.register_exporter("points", points_export)

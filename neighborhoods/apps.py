from django.apps import AppConfig


class NeighborhoodsConfig(AppConfig):
    name = "neighborhoods"
    verbose_name = "Neighborhoods"

    def ready(self) -> None:
        # Connects the receivers that keep the point-lookup cache honest.
        from . import signals  # noqa: F401

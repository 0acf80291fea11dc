from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Service requests"

    def ready(self) -> None:
        # Poll choices follow the editor's text; comments, flags and votes
        # belong in the person's export and erasure (accounts cannot import us).
        from accounts import personal_data

        from . import signals, signals_map  # noqa: F401
        from .services.discussions import erase_discussions, export_discussions
        from .services.polls import erase_votes, export_votes

        personal_data.register_exporter("discussions", export_discussions)
        personal_data.register_eraser("discussions", erase_discussions)
        personal_data.register_exporter("poll_votes", export_votes)
        personal_data.register_eraser("poll_votes", erase_votes)

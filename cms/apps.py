from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Pages"

    def ready(self) -> None:
        # Receivers: the page tree follows neighborhoods, and Wagtail
        # permissions follow neighborhood groups.
        from . import group_permissions, signals  # noqa: F401
        from .events import receivers  # noqa: F401

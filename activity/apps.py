from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Activity feed"

    def ready(self) -> None:
        # Notifications are personal data: they belong in the person's export
        # and go with their account (accounts cannot import us, so we register).
        from accounts import personal_data

        from .selectors import notifications_export
        from .services import erase_personal_activity

        personal_data.register_exporter("notifications", notifications_export)
        personal_data.register_eraser("activity", erase_personal_activity)

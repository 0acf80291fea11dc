from django.contrib import admin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Read-only: entries are history, written by ``publish_on_commit`` only."""

    list_display = ["created", "kind", "summary", "neighborhood_name", "public"]
    list_filter = ["kind", "public"]
    search_fields = ["summary", "neighborhood_name"]
    raw_id_fields = ["actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

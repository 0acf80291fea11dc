"""Admin for Open311 API keys and the private contact details of API reports.

Staff issue a key by adding one (the key is shown once, then only its hash is
kept) and revoke keys with the list action.
"""

from django.contrib import admin, messages
from django.http import HttpRequest

from .models import ApiKey, RequestContact
from .open311.services import revoke_api_key, save_with_new_key


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "trusted", "created", "last_used", "revoked_at"]
    list_filter = ["trusted", "revoked_at"]
    search_fields = ["name", "prefix"]
    fields = ["name", "trusted", "prefix", "created", "last_used", "revoked_at"]
    readonly_fields = ["prefix", "created", "last_used", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.created_by = request.user
        raw = save_with_new_key(api_key=obj)
        messages.warning(
            request,
            f"The new key for {obj.name} is {raw} — copy it now: it is not "
            "stored and cannot be shown again.",
        )

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset) -> None:
        for api_key in queryset:
            revoke_api_key(api_key=api_key)
        messages.success(request, f"Revoked {queryset.count()} key(s).")


@admin.register(RequestContact)
class RequestContactAdmin(admin.ModelAdmin):
    """Read-only: what an API client sent about the reporter."""

    list_display = ["request", "api_key", "email", "first_name", "last_name"]
    search_fields = ["request__public_id", "email", "last_name"]
    list_select_related = ["request", "api_key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

from django.contrib import admin

from .models import (
    BadgeAward,
    Campaign,
    PointsBalance,
    PointsEntry,
    PointsHold,
    PointsRule,
)


@admin.register(PointsRule)
class PointsRuleAdmin(admin.ModelAdmin):
    list_display = ["reason", "label", "points", "daily_cap", "active"]
    list_editable = ["points", "daily_cap", "active"]


@admin.register(PointsHold)
class PointsHoldAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "created_by", "created"]
    raw_id_fields = ["user", "created_by"]


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only, corrections go through services."""

    list_display = ["user", "amount", "reason", "source_type", "source_id", "created"]
    list_filter = ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BadgeAward)
class BadgeAwardAdmin(admin.ModelAdmin):
    list_display = ["user", "badge", "level", "created"]
    list_filter = ["badge"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "starts", "ends", "individual_goal", "community_goal"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(PointsBalance)
class PointsBalanceAdmin(admin.ModelAdmin):
    """Read-only: a cache of the ledger, repaired by ``reconcile_points``."""

    list_display = ["user", "total", "updated"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

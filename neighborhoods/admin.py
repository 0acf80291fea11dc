from django.contrib import admin

from .models import Neighborhood


@admin.register(Neighborhood)
class NeighborhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "population", "updated"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["min_lat", "min_lon", "max_lat", "max_lon", "created", "updated"]

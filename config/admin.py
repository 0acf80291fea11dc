"""Django admin app config that leaves out django-leaflet's GeoDjango admin.

``leaflet.admin`` imports GeoDjango, which needs the GDAL C library; CivicPulse
stores geometry as GeoJSON and runs without GDAL, so admin discovery skips it.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule

NOT_DISCOVERED = {"leaflet"}


class AdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name in NOT_DISCOVERED:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")

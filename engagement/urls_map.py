"""URLs of the public map, its list and its data; included in the
``engagement`` namespace by ``engagement.urls``."""

from django.urls import path

from .views import api_map
from .views import map as map_views

urlpatterns = [
    path("map/", map_views.map_page, name="map"),
    path("requests/", map_views.request_list, name="request_list"),
    path(
        "api/requests.geojson",
        api_map.requests_geojson,
        name="api_requests_geojson",
    ),
]

from django.urls import path

from .urls_discussions import urlpatterns as discussion_urlpatterns
from .urls_map import urlpatterns as map_urlpatterns
from .urls_performance import urlpatterns as performance_urlpatterns
from .urls_staff import urlpatterns as staff_urlpatterns
from .views import api, report, requests

app_name = "engagement"

urlpatterns = [
    path("report/", report.report, name="report"),
    path("requests/<str:public_id>/", requests.request_detail, name="request_detail"),
    path("requests/<str:public_id>/support/", requests.support, name="support"),
    path("requests/<str:public_id>/follow/", requests.follow, name="follow"),
    path("requests/<str:public_id>/unfollow/", requests.unfollow, name="unfollow"),
    path("requests/<str:public_id>/edit/", requests.edit, name="edit"),
    path("api/geocode", api.geocode, name="api_geocode"),
    path("api/requests/nearby", api.nearby, name="api_nearby"),
    *map_urlpatterns,
    *discussion_urlpatterns,
    *performance_urlpatterns,
    *staff_urlpatterns,
]

from django.urls import path

from . import views

app_name = "cms"

urlpatterns = [
    path("search/", views.search, name="search"),
    # Served by Wagtail; named so the navigation can reverse() it.
    path("updates/", views.update_index, name="updates"),
]

from django.urls import path

from . import views_groups

app_name = "groups"

urlpatterns = [
    path("<slug:slug>/join/", views_groups.join, name="join"),
    path("<slug:slug>/leave/", views_groups.leave, name="leave"),
]

from django.urls import path

from . import views

app_name = "neighborhoods"

urlpatterns = [
    path("", views.neighborhood_index, name="index"),
    path("<slug:slug>/", views.neighborhood_detail, name="detail"),
]

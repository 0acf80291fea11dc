"""URLs of the public performance figures and their downloads; included in
the ``engagement`` namespace by ``engagement.urls``."""

from django.urls import path

from .views import performance

urlpatterns = [
    path("performance/", performance.performance, name="performance"),
    path(
        "performance/figures.csv",
        performance.performance_csv,
        name="performance_csv",
    ),
    path(
        "performance/figures.json",
        performance.performance_json,
        name="performance_json",
    ),
]

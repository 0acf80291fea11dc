"""A URL conf whose only view fails, to see the 500 page a person would get."""

from django.urls import path

from config.urls import handler404, handler500  # noqa: F401


def explode(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", explode)]

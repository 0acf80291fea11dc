"""``neighborhoods:index`` and ``neighborhoods:detail`` for reverse(), served by
Wagtail: the pages live in the page tree, and going through ``wagtail.views.serve``
keeps privacy settings and serve hooks working on them."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from wagtail.views import serve

from .services import NEIGHBORHOOD_INDEX_SLUG

app_name = "neighborhoods"


def neighborhood_index(request: HttpRequest) -> HttpResponse:
    return serve(request, f"{NEIGHBORHOOD_INDEX_SLUG}/")


def neighborhood_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return serve(request, f"{NEIGHBORHOOD_INDEX_SLUG}/{slug}/")


urlpatterns = [
    path("", neighborhood_index, name="index"),
    path("<slug:slug>/", neighborhood_detail, name="detail"),
]

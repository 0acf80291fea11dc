from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from activity.selectors import public_feed_page

from .selectors import (
    get_neighborhood,
    list_neighborhoods,
    neighborhood_map_data,
    neighborhoods_map_data,
)


def neighborhood_index(request: HttpRequest) -> HttpResponse:
    neighborhoods = list_neighborhoods()
    return render(
        request,
        "neighborhoods/neighborhood_index.html",
        {
            "neighborhoods": neighborhoods,
            "map_data": neighborhoods_map_data(neighborhoods=neighborhoods),
            "show_load_hint": request.user.is_staff,
        },
    )


def neighborhood_detail(request: HttpRequest, slug: str) -> HttpResponse:
    neighborhood = get_neighborhood(slug=slug)
    if neighborhood is None:
        raise Http404("No such neighborhood")
    return render(
        request,
        "neighborhoods/neighborhood_detail.html",
        {
            "neighborhood": neighborhood,
            "map_data": neighborhood_map_data(neighborhood=neighborhood),
            "activity_page": public_feed_page(neighborhood_slug=neighborhood.slug),
        },
    )

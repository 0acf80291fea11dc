"""Page-level views that are not pages themselves."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from wagtail.views import serve

from . import selectors
from .services import UPDATE_INDEX_SLUG


def search(request: HttpRequest) -> HttpResponse:
    """``/search/?q=``: the site's pages, through Wagtail search."""
    query = " ".join(request.GET.get("q", "").split())
    query = query[: selectors.SEARCH_QUERY_MAX_LENGTH]
    results = selectors.search_pages(query=query, page_number=request.GET.get("page"))
    return render(
        request,
        "cms/search.html",
        {"query": query, "results": results, "search_query": urlencode({"q": query})},
    )


def update_index(request: HttpRequest) -> HttpResponse:
    """``/updates/``: the UpdateIndexPage, through Wagtail's full serving."""
    return serve(request, f"{UPDATE_INDEX_SLUG}/")

"""Reads for the pages: what each page lists, so templates never run queries."""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from engagement.models import Department, RequestStatus, ServiceRequest
from neighborhoods.models import Neighborhood

from .models import (
    EventPage,
    NeighborhoodPage,
    PlanningStatus,
    PlanningTopicPage,
    UpdatePage,
)

UPDATES_PER_PAGE = 10
SEARCH_RESULTS_PER_PAGE = 10
MAP_REQUEST_LIMIT = 300
SEARCH_QUERY_MAX_LENGTH = 200


def upcoming_events(*, under: Page | None = None, limit: int | None = None) -> list:
    """Live volunteer events not yet over, soonest first (below ``under`` if
    given: one neighborhood's)."""
    events = EventPage.objects.live().filter(ends_at__gte=timezone.now())
    if under is not None:
        events = events.descendant_of(under)
    events = events.order_by("starts_at", "pk")
    return list(events[:limit] if limit else events)


def planning_topics(*, neighborhood_page: NeighborhoodPage) -> list[PlanningTopicPage]:
    """The neighborhood's live planning topics: open ones first, then by title."""
    topics = list(
        PlanningTopicPage.objects.live()
        .child_of(neighborhood_page)
        .order_by("-last_published_at", "pk")
    )
    settled = {PlanningStatus.DONE}
    return sorted(topics, key=lambda t: t.status in settled)


def latest_updates(*, limit: int = 3) -> list[UpdatePage]:
    return list(
        UpdatePage.objects.live()
        .order_by("-date", "-first_published_at", "-pk")
        .prefetch_related("neighborhoods", "departments")[:limit]
    )


@dataclass(frozen=True)
class UpdateFilters:
    neighborhood: Neighborhood | None = None
    department: Department | None = None


def update_filter_from(*, neighborhood_slug: str, department_id: str) -> UpdateFilters:
    """Filters from query parameters; anything unknown is ignored, not an error."""
    neighborhood = None
    department = None
    if neighborhood_slug:
        neighborhood = (
            Neighborhood.objects.defer("boundary")
            .filter(slug=neighborhood_slug)
            .first()
        )
    if department_id.isdigit():
        department = Department.objects.filter(pk=int(department_id)).first()
    return UpdateFilters(neighborhood=neighborhood, department=department)


def update_list_page(
    *, index: Page, filters: UpdateFilters, page_number: object
) -> PaginatorPage:
    updates: QuerySet = UpdatePage.objects.live().child_of(index)
    if filters.neighborhood is not None:
        updates = updates.filter(neighborhoods=filters.neighborhood)
    if filters.department is not None:
        updates = updates.filter(departments=filters.department)
    updates = updates.order_by("-date", "-first_published_at", "-pk").prefetch_related(
        "neighborhoods", "departments"
    )
    return Paginator(updates, UPDATES_PER_PAGE).get_page(page_number)


def update_filter_choices() -> dict:
    """Neighborhoods and departments that have at least one live update."""
    live = UpdatePage.objects.live()
    return {
        "neighborhoods": list(
            Neighborhood.objects.defer("boundary")
            .filter(updates__in=live)
            .distinct()
            .order_by("name")
        ),
        "departments": list(
            Department.objects.filter(updates__in=live).distinct().order_by("name")
        ),
    }


def search_pages(*, query: str, page_number: object) -> PaginatorPage | None:
    """Live pages matching ``query`` (Wagtail search), or None for no query."""
    query = " ".join(query.split())[:SEARCH_QUERY_MAX_LENGTH]
    if not query:
        return None
    # depth > 1 leaves out Wagtail's invisible root page.
    results = Page.objects.live().public().filter(depth__gt=1).specific().search(query)
    return Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(page_number)


def neighborhood_request_points(*, neighborhood: Neighborhood) -> dict:
    """The neighborhood's most recent requests as GeoJSON points for its map.

    Public coordinates only (coarsened for sensitive services), the service
    name and status: never a description, address or reporter.
    """
    rows = (
        ServiceRequest.objects.filter(neighborhood=neighborhood)
        .order_by("-requested_datetime", "-pk")
        .values_list(
            "public_id", "public_lat", "public_long", "status", "service__name"
        )[:MAP_REQUEST_LIMIT]
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "name": f"{service} ({'open' if is_open else 'closed'})",
                    "url": reverse("engagement:request_detail", args=[public_id]),
                    "open": is_open,
                },
            }
            for public_id, lat, lon, is_open, service in (
                (p, la, lo, st == RequestStatus.OPEN, sv) for p, la, lo, st, sv in rows
            )
        ],
    }


def open_request_count() -> int:
    return ServiceRequest.objects.filter(status=RequestStatus.OPEN).count()

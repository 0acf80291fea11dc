"""Small JSON endpoints the report form uses: address search and duplicates."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from ..geocoding import get_geocoder
from ..selectors.requests import get_active_service, nearby_open_requests


def _bad(reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=400)


@require_GET
def geocode(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()
    if len(query) < 3:
        return _bad("Type at least 3 characters of an address.")
    if len(query) > 200:
        return _bad("That address is too long.")
    places = get_geocoder().search(query)
    return JsonResponse(
        {
            "results": [
                {"address": p.address, "lat": p.lat, "lon": p.lon} for p in places
            ]
        }
    )


@require_GET
def nearby(request: HttpRequest) -> JsonResponse:
    """Open requests of one service near a point: public fields only."""
    service = get_active_service(code=request.GET.get("service", ""))
    if service is None:
        return _bad("Unknown service.")
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return _bad("lat and lon must be numbers.")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return _bad("lat or lon is out of range.")
    results = nearby_open_requests(service=service, lat=lat, lon=lon)
    return JsonResponse(
        {
            "results": [
                {
                    "public_id": n.request.public_id,
                    "url": n.request.get_absolute_url(),
                    "service_name": service.name,
                    "description": n.request.description[:200],
                    "address": n.request.address,
                    "requested": n.request.requested_datetime.isoformat(),
                    "support_count": n.request.support_count,
                    "distance_m": round(n.distance_m),
                }
                for n in results
            ]
        }
    )

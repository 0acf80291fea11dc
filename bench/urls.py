"""The site's URLs plus one bench-only view: the submission baseline.

Used only by ``config.settings.bench`` (``ROOT_URLCONF``), never by the site.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as site_urlpatterns
from engagement.models import Service, ServiceRequest


@login_required
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    """The least a report could cost: one row, no form, lookup, points or feed."""
    now = timezone.now()
    lat, long = float(request.POST["lat"]), float(request.POST["long"])
    row = ServiceRequest.objects.create(
        service=Service.objects.get(service_code=request.POST["service"]),
        lat=lat,
        long=long,
        public_lat=lat,
        public_long=long,
        description=request.POST.get("description", ""),
        reporter=request.user,
        requested_datetime=now,
        updated_datetime=now,
    )
    return HttpResponse(row.public_id, status=201)


urlpatterns = [
    path("__bench__/bare-insert", bare_insert, name="bench_bare_insert"),
    *site_urlpatterns,
]

handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

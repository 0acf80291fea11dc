"""Report a problem: choose a category, then place, details and photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.ratelimits import RateLimited
from accounts.selectors import has_verified_email

from ..forms import ReportForm
from ..geocoding import get_geocoder
from ..selectors.requests import (
    get_active_service,
    nearby_open_requests,
    services_by_group,
)
from ..services.requests import create_service_request

# Service errors keyed by these names are shown next to the matching field.
ERROR_FIELDS = {"location": "address", "service": None}


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    # Asked once per request: filing (``_file``) reuses the answer.
    if not has_verified_email(user=request.user):
        return render(request, "engagement/report_unverified.html", status=403)
    code = request.POST.get("service") or request.GET.get("service")
    service = get_active_service(code=code) if code else None
    if service is None:
        return render(
            request,
            "engagement/report_choose.html",
            {
                "groups": services_by_group(),
                "unknown_service": bool(code),
                "query": request.GET.get("q", ""),
            },
            status=400 if code else 200,
        )
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, service=service)
        if form.is_valid():
            created = _file(request, form)
            if created is not None:
                messages.success(
                    request,
                    f"Thank you. Your report {created.public_id} is filed; we will "
                    "tell you when its status changes.",
                )
                return redirect(created.get_absolute_url())
        status = 429 if getattr(form, "rate_limited", False) else 400
    else:
        form = ReportForm(service=service, initial=_initial_place(request))
        status = 200
    return render(
        request,
        "engagement/report_form.html",
        {"form": form, "service": service, "nearby": _nearby(form, service)},
        status=status,
    )


def _file(request: HttpRequest, form: ReportForm):
    data = form.cleaned_data
    lat, long = data.get("lat"), data.get("long")
    if lat is None or long is None:
        if not data.get("address"):
            form.add_error(
                "address",
                "Please tell us where: type an address, use your location, or mark "
                "the place on the map.",
            )
            return None
        places = get_geocoder().search(data["address"])
        if not places:
            form.add_error(
                "address",
                "We could not find that address. Check the spelling, try a nearby "
                "corner, or mark the place on the map.",
            )
            return None
        lat, long = places[0].lat, places[0].lon
    try:
        return create_service_request(
            reporter=request.user,
            service=form.service,
            lat=lat,
            long=long,
            description=data.get("description", ""),
            address=data.get("address", ""),
            attributes=form.attribute_answers(),
            photos=data.get("photos") or [],
            anonymous=data.get("anonymous", False),
            # ``report`` answered 403 before this unless it is verified.
            reporter_has_verified_email=True,
        )
    except ValidationError as exc:
        for key, errors in exc.message_dict.items():
            field = ERROR_FIELDS.get(key, key)
            form.add_error(field if field in form.fields else None, errors)
    except RateLimited as exc:
        form.rate_limited = True
        form.add_error(None, str(exc))
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def _initial_place(request: HttpRequest) -> dict:
    initial = {}
    for key in ("lat", "long", "address"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    return initial


def _nearby(form: ReportForm, service):
    """Possible duplicates once category and place are known (no-JS path)."""
    source = form.data if form.is_bound else form.initial
    try:
        lat, long = float(source.get("lat")), float(source.get("long"))
    except (TypeError, ValueError):
        return []
    return nearby_open_requests(service=service, lat=lat, lon=long)

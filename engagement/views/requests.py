"""A request's public page, and what residents do on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.ratelimits import RateLimited

from ..forms import EditReportForm
from ..models import ServiceRequest
from ..selectors.requests import answered_attributes, relationship, request_for_page
from ..selectors.staff import fix_panel
from ..services import requests as request_services


def _get_or_404(public_id: str) -> ServiceRequest:
    found = request_for_page(public_id=public_id)
    if found is None:
        raise Http404("No such request")
    return found


def request_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    service_request = _get_or_404(public_id)
    photos = list(service_request.photos.all())
    return render(
        request,
        "engagement/request_detail.html",
        {
            "sr": service_request,
            "updates": list(service_request.updates.all()),
            "answers": answered_attributes(request=service_request),
            "before_photos": [p for p in photos if p.kind == "before"],
            "after_photos": [p for p in photos if p.kind == "after"],
            "map_point": {
                "lat": service_request.public_lat,
                "long": service_request.public_long,
                "approximate": service_request.service.sensitive,
            },
            **relationship(user=request.user, request=service_request),
            **fix_panel(user=request.user, request=service_request),
        },
    )


@login_required
@require_POST
def support(request: HttpRequest, public_id: str) -> HttpResponse:
    service_request = _get_or_404(public_id)
    try:
        _, created = request_services.add_support(
            user=request.user, request=service_request
        )
    except (ValidationError, PermissionDenied, RateLimited) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        if created:
            messages.success(
                request, "Thank you: your support is counted, and you now follow it."
            )
        else:
            messages.info(request, "You already support this request.")
    return redirect(service_request.get_absolute_url())


@login_required
@require_POST
def follow(request: HttpRequest, public_id: str) -> HttpResponse:
    service_request = _get_or_404(public_id)
    request_services.follow_request(user=request.user, request=service_request)
    messages.success(request, "You follow this request and will hear of changes.")
    return redirect(service_request.get_absolute_url())


@login_required
@require_POST
def unfollow(request: HttpRequest, public_id: str) -> HttpResponse:
    service_request = _get_or_404(public_id)
    request_services.unfollow_request(user=request.user, request=service_request)
    messages.success(request, "You no longer follow this request.")
    return redirect(service_request.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    service_request = _get_or_404(public_id)
    if service_request.reporter_id != request.user.pk:
        raise PermissionDenied("Only the person who reported this can change it.")
    form = EditReportForm(
        request.POST or None,
        initial={
            "description": service_request.description,
            "anonymous": service_request.anonymous,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            request_services.update_report_by_reporter(
                user=request.user, request=service_request, **form.cleaned_data
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your report is updated.")
            return redirect(service_request.get_absolute_url())
    return render(
        request, "engagement/request_edit.html", {"sr": service_request, "form": form}
    )

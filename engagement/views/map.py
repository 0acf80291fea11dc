"""The public map of requests and its list: the list is the map's text
alternative, with the same filters, and works without JavaScript."""

from dataclasses import asdict

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ..models import RequestStatus
from ..selectors.map import (
    CLUSTER_BELOW_ZOOM,
    FilterChoices,
    RequestFilters,
    map_filter_choices,
    request_list_page,
)


class RequestFilterForm(forms.Form):
    """The map's and the list's filters, and the data API's.

    Every field is optional. Services and neighborhoods are plain text here so
    the data API needs no query to check them (an unknown one matches
    nothing); pages pass ``choices`` to offer them as lists.
    """

    service_group = forms.CharField(
        label="Service group", required=False, max_length=100
    )
    service_code = forms.CharField(label="Service", required=False, max_length=64)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open or closed"), *RequestStatus.choices],
        error_messages={"invalid_choice": "Choose open or closed."},
    )
    neighborhood = forms.SlugField(label="Neighborhood", required=False)
    start = forms.DateField(
        label="Reported from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Reported on or after this day.",
        error_messages={"invalid": "Enter a date such as 2025-05-19."},
    )
    end = forms.DateField(
        label="Reported until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Reported on or before this day.",
        error_messages={"invalid": "Enter a date such as 2025-05-19."},
    )

    def __init__(self, *args, choices: FilterChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is None:
            return
        self.fields["service_group"].widget = forms.Select(
            choices=[("", "All groups")] + [(g, g) for g in choices.groups]
        )
        self.fields["service_code"].widget = forms.Select(
            choices=[("", "All services"), *choices.services]
        )
        self.fields["neighborhood"].widget = forms.Select(
            choices=[("", "The whole city")]
            + [(n.slug, n.name) for n in choices.neighborhoods]
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The last day must not be before the first day.")
        return cleaned

    def filters(self) -> RequestFilters:
        """The valid filters; a field with an error is left out, so one typo
        does not hide the whole list."""
        data = getattr(self, "cleaned_data", {})
        return RequestFilters(
            service_group=data.get("service_group") or "",
            service_code=data.get("service_code") or "",
            status=data.get("status") or "",
            neighborhood=data.get("neighborhood") or "",
            start=data.get("start"),
            end=data.get("end"),
        )


def map_page(request: HttpRequest) -> HttpResponse:
    """The map with the list beside it (below it on a phone)."""
    context = _list_context(request)
    filters: RequestFilters = context["filters"]
    context["map_config"] = {
        "apiUrl": reverse("engagement:api_requests_geojson"),
        "clusterBelowZoom": CLUSTER_BELOW_ZOOM,
        "filters": {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in asdict(filters).items()
            if value
        },
        "bounds": _neighborhood_bounds(context["choices"], filters.neighborhood),
    }
    return render(request, "engagement/map.html", context)


def request_list(request: HttpRequest) -> HttpResponse:
    """The same requests and filters as the map, as a list only."""
    return render(request, "engagement/map/request_list.html", _list_context(request))


def _list_context(request: HttpRequest) -> dict:
    choices = map_filter_choices()
    form = RequestFilterForm(request.GET or None, choices=choices)
    if form.is_bound:
        form.is_valid()  # shows the errors; filters() keeps the valid fields
    filters = form.filters()
    page = request_list_page(filters=filters, page_number=request.GET.get("page"))
    return {
        "form": form,
        "choices": choices,
        "filters": filters,
        "filtered": filters != RequestFilters(),
        "page": page,
    }


def _neighborhood_bounds(choices: FilterChoices, slug: str) -> list | None:
    for n in choices.neighborhoods:
        if n.slug == slug:
            return [[n.min_lat, n.min_lon], [n.max_lat, n.max_lon]]
    return None

"""The public performance page and its CSV and JSON downloads: one set of
figures, three ways to read them."""

import csv
from datetime import timedelta

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from neighborhoods.selectors import list_neighborhoods, neighborhoods_map_data

from ..charts import horizontal_bar_chart, opened_closed_chart
from ..selectors.performance import (
    NEIGHBORHOOD_SORTS,
    GroupFigures,
    PerformancePeriod,
    PerformanceReport,
    choropleth_classes,
    default_performance_period,
    performance_report,
    sort_neighborhoods,
)

# Longer periods are allowed; this only stops a typo like year 20255 from
# asking for centuries of weekly buckets.
MAX_PERIOD_DAYS = 366 * 30
SHADE_METRICS = {
    "median_days": "Median days to close",
    "per_1000": "Requests per 1,000 residents",
}
SORT_LABELS = {
    "name": "Neighborhood",
    "requests": "Requests",
    "closed": "Closed",
    "median_days": "Median days to close",
    "per_1000": "Requests per 1,000 residents",
}
CSV_COLUMNS = [
    "level",
    "key",
    "name",
    "department",
    "requests",
    "closed",
    "open_backlog",
    "median_days",
    "p90_days",
    "on_time_share",
    "reopened_or_disputed_share",
    "verified_share",
    "population",
    "per_1000",
]
DATE_ERROR = "Enter a date such as 2024-05-19."


class PerformancePeriodForm(forms.Form):
    """The period and the neighborhood table's order; all optional, with the
    twelve months up to the newest report as the default period."""

    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Requests reported on or after this day.",
        error_messages={"invalid": DATE_ERROR},
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Requests reported on or before this day.",
        error_messages={"invalid": DATE_ERROR},
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(s, s) for s in NEIGHBORHOOD_SORTS],
        widget=forms.HiddenInput,
    )
    dir = forms.ChoiceField(
        required=False,
        choices=[("asc", "asc"), ("desc", "desc")],
        widget=forms.HiddenInput,
    )
    shade = forms.ChoiceField(
        label="Shade the map by",
        required=False,
        choices=list(SHADE_METRICS.items()),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error(
                    "end", "The “To” date must be on or after the “From” date."
                )
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", "Choose a period of at most 30 years.")
        return cleaned

    def period(self, default: PerformancePeriod) -> PerformancePeriod:
        """The chosen period; a missing end is the default one, a missing
        start twelve months before the end."""
        end = self.cleaned_data.get("end") or default.end
        start = self.cleaned_data.get("start") or end - timedelta(days=default.days - 1)
        if start > end:  # only a start given, after the newest report
            end = start
        return PerformancePeriod(start=start, end=end)


# How the page is shown, not which figures: a stale or edited link with an
# unknown value falls back to the default instead of refusing the page.
PRESENTATION_FIELDS = ("sort", "dir", "shade")


def _bound_form(request: HttpRequest) -> PerformancePeriodForm:
    form = PerformancePeriodForm(request.GET)
    form.is_valid()
    for name in PRESENTATION_FIELDS:
        form.errors.pop(name, None)
    return form


def performance(request: HttpRequest) -> HttpResponse:
    """The figures, charts, map and tables for the chosen period."""
    form = _bound_form(request)
    context = {"form": form, "sort_labels": SORT_LABELS}
    if form.errors:
        # No figures for a period that was not asked for: say what is wrong.
        return render(request, "engagement/performance/page.html", context, status=400)
    period = form.period(default_performance_period())
    report = performance_report(period=period)
    sort = form.cleaned_data.get("sort") or "name"
    descending = form.cleaned_data.get("dir") == "desc"
    shade = form.cleaned_data.get("shade") or "median_days"
    neighborhoods = sort_neighborhoods(
        rows=report.neighborhoods, sort=sort, descending=descending
    )
    query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    context.update(
        period=period,
        report=report,
        neighborhoods=neighborhoods,
        sort=sort,
        descending=descending,
        sort_links=_sort_links(request, query | {"shade": shade}, sort, descending),
        sort_label=SORT_LABELS.get(sort, "Neighborhood").lower(),
        shade=shade,
        shade_label=SHADE_METRICS[shade],
        activity_chart=opened_closed_chart(
            buckets=[(b.start, b.opened, b.closed) for b in report.series],
            bucket=report.bucket,
        ),
        department_chart=horizontal_bar_chart(
            items=[
                (d.name, d.median_days)
                for d in report.departments
                if d.median_days is not None
            ],
            unit="days",
        ),
        map_config=_map_config(report, shade),
        csv_url=reverse("engagement:performance_csv") + "?" + urlencode(query),
        json_url=reverse("engagement:performance_json") + "?" + urlencode(query),
    )
    return render(request, "engagement/performance/page.html", context)


def performance_csv(request: HttpRequest) -> HttpResponse:
    """Every figure of the page as one CSV row per city, department, service
    and neighborhood, then one per week (or month) of the chart."""
    form = _bound_form(request)
    if form.errors:
        return HttpResponse(
            _error_text(form), status=400, content_type="text/plain; charset=utf-8"
        )
    period = form.period(default_performance_period())
    report = performance_report(period=period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="performance_{period.start}_{period.end}.csv"'
    )
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for level, rows in _levels(report):
        for row in rows:
            writer.writerow({"level": level, **row.as_dict()})
    # The chart's series: requests reported in, and closed in, each week.
    for bucket in report.series:
        writer.writerow(
            {
                "level": report.bucket,
                "key": bucket.start.isoformat(),
                "requests": bucket.opened,
                "closed": bucket.closed,
            }
        )
    return response


def performance_json(request: HttpRequest) -> HttpResponse:
    """Every figure of the page, and the weekly series, as JSON."""
    form = _bound_form(request)
    if form.errors:
        return JsonResponse(
            {"errors": {k: [str(e) for e in v] for k, v in form.errors.items()}},
            status=400,
        )
    period = form.period(default_performance_period())
    report = performance_report(period=period)
    data = {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "bucket": report.bucket,
        "city": report.city.as_dict(),
        "departments": [r.as_dict() for r in report.departments],
        "services": [r.as_dict() for r in report.services],
        "neighborhoods": [r.as_dict() for r in report.neighborhoods],
        "series": [
            {"start": b.start.isoformat(), "opened": b.opened, "closed": b.closed}
            for b in report.series
        ],
    }
    return JsonResponse(data)


def _levels(report: PerformanceReport) -> list[tuple[str, list[GroupFigures]]]:
    return [
        ("city", [report.city]),
        ("department", report.departments),
        ("service", report.services),
        ("neighborhood", report.neighborhoods),
    ]


def _error_text(form: forms.Form) -> str:
    return "\n".join(
        f"{name}: {error}" for name, errors in form.errors.items() for error in errors
    )


def _sort_links(
    request: HttpRequest, query: dict, sort: str, descending: bool
) -> list[dict]:
    """For each sortable column: the link that sorts by it (flipping the
    direction when it is the current column) and its aria-sort value."""
    links = []
    for column, label in SORT_LABELS.items():
        current = column == sort
        # Names read A to Z first; figures read largest first.
        next_desc = (not descending) if current else column != "name"
        params = query | {"sort": column, "dir": "desc" if next_desc else "asc"}
        links.append(
            {
                "column": column,
                "label": label,
                "url": f"{request.path}?{urlencode(params)}#equity",
                "aria_sort": ("descending" if descending else "ascending")
                if current
                else None,
            }
        )
    return links


def _map_config(report: PerformanceReport, shade: str) -> dict:
    classes = choropleth_classes(rows=report.neighborhoods, metric=shade)
    values = {}
    for row in report.neighborhoods:
        value = getattr(row, shade)
        if value is None:
            values[row.key] = "no data"
        else:
            values[row.key] = f"{value:,.2f}" + (
                " days" if shade == "median_days" else ""
            )
    legend = []
    for shade_class in sorted(set(classes.values())):
        members = [
            getattr(r, shade)
            for r in report.neighborhoods
            if classes.get(r.key) == shade_class
        ]
        legend.append(
            {
                "class": shade_class,
                "low": f"{min(members):,.2f}",
                "high": f"{max(members):,.2f}",
            }
        )
    return {
        "legend": legend,
        "boundaries": neighborhoods_map_data(neighborhoods=list_neighborhoods()),
        "classes": classes,
        "values": values,
        "metric": SHADE_METRICS[shade],
    }

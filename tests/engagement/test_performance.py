"""The public performance figures: checked by hand on a small city, against
the real Boston closed sample, and through the page and its downloads."""

import csv
import io
import json
import math
import statistics
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.charts import (
    horizontal_bar_chart,
    nice_maximum,
    opened_closed_chart,
    tick_steps,
)
from engagement.demo_requests import DEMO_REQUEST_FILES
from engagement.models import FixStatus, RequestStatus, ServiceRequest
from engagement.selectors.performance import (
    PerformancePeriod,
    choropleth_classes,
    default_performance_period,
    performance_report,
    sort_neighborhoods,
)
from engagement.services.importing import import_requests
from tests.neighborhoods.factories import NeighborhoodFactory

from .factories import DepartmentFactory, ServiceFactory, ServiceRequestFactory

BOSTON = ZoneInfo("America/New_York")
MARCH = PerformancePeriod(start=date(2024, 3, 1), end=date(2024, 3, 31))
CLOSED_SAMPLE = DEMO_REQUEST_FILES[0]
BOSTON_2015 = Path(__file__).parent / "data" / "boston_311_2015_style.csv"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=BOSTON)


@pytest.fixture
def city(db):
    """Eleven requests whose figures are worked out by hand in the tests.

    Reported in March 2024 (1-8), durations in days: 1, 2, 3, 4, 10, 0.5,
    then two still open. Before March: one still open, one closed on March 2
    (in the period), one closed after the period ended.
    """
    pwd = DepartmentFactory(code="PWD", name="Public Works")
    isd = DepartmentFactory(code="ISD", name="Inspectional Services")
    s1 = ServiceFactory(service_code="S1", name="Pothole", department=pwd)
    s2 = ServiceFactory(service_code="S2", name="Streetlight", department=pwd)
    s3 = ServiceFactory(service_code="S3", name="Rodents", department=isd)
    n1 = NeighborhoodFactory(name="Alpha", population=2000)
    n2 = NeighborhoodFactory(name="Beta", population=None, west=-71.0)
    week1, week2 = local(2024, 3, 4, 10), local(2024, 3, 12, 10)

    def make(service, hood, requested, days=None, **extra):
        # In UTC: aware arithmetic in local time would add wall-clock days,
        # and the clocks change on March 10.
        closed = (
            requested.astimezone(UTC) + timedelta(days=days)
            if days is not None
            else None
        )
        return ServiceRequestFactory(
            service=service,
            neighborhood=hood,
            requested_datetime=requested,
            updated_datetime=closed or requested,
            closed_datetime=closed,
            status=RequestStatus.CLOSED if closed else RequestStatus.OPEN,
            **extra,
        )

    make(s1, n1, week1, 1, on_time=True, fix_status=FixStatus.VERIFIED)
    make(s1, n1, week1, 2, on_time=True, fix_status=FixStatus.DISPUTED)
    make(s1, n1, week1, 3, on_time=False, fix_status=FixStatus.UNCONFIRMED)
    make(s2, n1, week1, 4, fix_status=FixStatus.PENDING)
    make(s2, n2, week1, 10, on_time=False, reopened=True)
    make(s3, n2, week1, 0.5, on_time=True)
    make(s3, n2, week2)
    make(s1, n1, week2)
    make(s1, n1, local(2024, 2, 20, 9))  # open since February: backlog
    make(s3, None, local(2024, 2, 10, 9), 21)  # closed on March 2
    make(s3, None, local(2024, 2, 15, 9), 50)  # closed in April: backlog
    return {"n1": n1, "n2": n2}


def by_key(rows):
    return {row.key: row for row in rows}


def test_city_figures_match_hand_computation(city):
    report = performance_report(period=MARCH)
    c = report.city

    assert (c.requests, c.closed, c.open_backlog) == (8, 6, 4)
    # Durations 0.5, 1, 2, 3, 4, 10: the median is (2 + 3) / 2; the
    # 90th percentile is the request at rank ceil(0.9 * 6) = 6.
    assert c.median_days == 2.5
    assert c.p90_days == 10
    # On time known for 5 closed requests, 3 of them on time.
    assert c.on_time_share == 0.6
    # One disputed, one reopened, of six closed.
    assert c.reopened_or_disputed_share == round(2 / 6, 4)
    # Verified, disputed and unconfirmed were answered; pending was not.
    assert (c.verified, c.fix_answered) == (1, 3)


def test_department_and_service_figures(city):
    report = performance_report(period=MARCH)
    departments = by_key(report.departments)
    pwd, isd = departments["PWD"], departments["ISD"]

    assert (pwd.name, pwd.requests, pwd.closed, pwd.open_backlog) == (
        "Public Works",
        6,
        5,
        2,
    )
    assert (pwd.median_days, pwd.p90_days) == (3, 10)  # of 1, 2, 3, 4, 10
    assert pwd.on_time_share == 0.5
    assert (isd.requests, isd.closed, isd.open_backlog) == (2, 1, 2)
    assert (isd.median_days, isd.p90_days, isd.on_time_share) == (0.5, 0.5, 1.0)

    services = by_key(report.services)
    s1 = services["S1"]
    assert (s1.requests, s1.closed, s1.department) == (4, 3, "Public Works")
    assert (s1.median_days, s1.p90_days) == (2, 3)  # of 1, 2, 3


def test_neighborhood_figures_per_1000_residents(city):
    report = performance_report(period=MARCH)
    hoods = by_key(report.neighborhoods)
    alpha, beta = hoods[city["n1"].slug], hoods[city["n2"].slug]

    assert alpha.requests == 5
    assert alpha.per_1000 == 2.5  # 5 requests / 2,000 residents * 1,000
    assert alpha.median_days == 2.5  # of 1, 2, 3, 4
    assert beta.requests == 3
    assert beta.per_1000 is None  # population unknown
    assert beta.median_days == 5.25  # of 0.5 and 10


def test_weekly_series_counts_reports_and_closes_by_their_own_week(city):
    report = performance_report(period=MARCH)

    assert report.bucket == "week"
    assert [(b.start, b.opened, b.closed) for b in report.series] == [
        (date(2024, 2, 26), 0, 1),  # the February request closed on March 2
        (date(2024, 3, 4), 6, 5),
        (date(2024, 3, 11), 2, 1),
        (date(2024, 3, 18), 0, 0),
        (date(2024, 3, 25), 0, 0),
    ]


def test_long_periods_are_counted_per_month(city):
    report = performance_report(
        period=PerformancePeriod(start=date(2021, 1, 1), end=date(2024, 3, 31))
    )
    assert report.bucket == "month"
    assert report.series[-1].start == date(2024, 3, 1)
    assert report.series[-1].opened == 8
    assert sum(b.opened for b in report.series) == 11


def test_default_period_is_the_year_up_to_the_newest_close(city):
    # The fixture's last close is on April 5, after its last report.
    assert default_performance_period() == PerformancePeriod(
        start=date(2023, 4, 7), end=date(2024, 4, 5)
    )


def test_default_period_falls_back_to_the_newest_report(db):
    from tests.engagement.factories import ServiceRequestFactory

    ServiceRequestFactory(
        requested_datetime=datetime(2024, 3, 12, 9, tzinfo=UTC),
    )
    assert default_performance_period().end == date(2024, 3, 12)


def test_figures_are_cached_until_the_data_changes(city):
    first = performance_report(period=MARCH)
    with CaptureQueriesContext(connection) as queries:
        again = performance_report(period=MARCH)
    assert len(queries) == 1  # only the data version
    assert again.city.requests == first.city.requests

    ServiceRequest.objects.filter(
        requested_datetime=local(2024, 3, 12, 10)
    ).first().delete()
    assert performance_report(period=MARCH).city.requests == 7


def test_quantiles_are_a_few_queries_whatever_the_number_of_groups(city):
    with CaptureQueriesContext(connection) as queries:
        performance_report(period=MARCH)
    assert len(queries) <= 20


def test_neighborhood_sorting_keeps_unknown_values_last(city):
    rows = performance_report(period=MARCH).neighborhoods
    by_rate = sort_neighborhoods(rows=rows, sort="per_1000", descending=True)
    assert [r.name for r in by_rate] == ["Alpha", "Beta"]
    ascending = sort_neighborhoods(rows=rows, sort="per_1000", descending=False)
    assert [r.name for r in ascending] == ["Alpha", "Beta"]
    slow_first = sort_neighborhoods(rows=rows, sort="median_days", descending=True)
    assert [r.name for r in slow_first] == ["Beta", "Alpha"]


def test_choropleth_classes_by_rank(city):
    rows = performance_report(period=MARCH).neighborhoods
    classes = choropleth_classes(rows=rows, metric="median_days")
    assert classes == {city["n1"].slug: 0, city["n2"].slug: 2}
    assert choropleth_classes(rows=rows, metric="per_1000") == {city["n1"].slug: 0}


# --- the real Boston data ----------------------------------------------------


@pytest.fixture
def boston_closed(boston):
    result = import_requests(source=CLOSED_SAMPLE)
    assert result.imported == 4962
    return result


def test_real_boston_closed_sample(boston_closed):
    period = PerformancePeriod(start=date(2015, 1, 1), end=date(2024, 12, 31))
    report = performance_report(period=period)

    closed = ServiceRequest.objects.filter(status=RequestStatus.CLOSED)
    durations = sorted(
        (c - r).total_seconds() / 86400
        for r, c in closed.values_list("requested_datetime", "closed_datetime")
        if c >= r
    )
    assert report.city.requests == 4962
    assert report.city.closed == len(durations)
    # All closed now, but a few reported in December 2024 closed in 2025.
    assert (
        report.city.open_backlog
        == closed.filter(closed_datetime__gte=local(2025, 1, 1)).count()
    )
    assert report.city.median_days == round(statistics.median(durations), 2)
    rank = math.ceil(0.9 * len(durations))
    assert report.city.p90_days == round(durations[rank - 1], 2)
    assert report.bucket == "month"
    assert sum(b.opened for b in report.series) == 4962

    # One department checked the same way.
    biggest = max(report.departments, key=lambda d: d.requests)
    dept_durations = [
        (c - r).total_seconds() / 86400
        for r, c in closed.filter(service__department__code=biggest.key).values_list(
            "requested_datetime", "closed_datetime"
        )
        if c >= r
    ]
    assert biggest.closed == len(dept_durations)
    assert biggest.median_days == round(statistics.median(dept_durations), 2)
    assert sum(d.requests for d in report.departments) == 4962


def test_real_boston_on_time_comes_from_the_export(boston_closed):
    with CLOSED_SAMPLE.open(newline="") as f:
        statuses = {
            row["CASE_ENQUIRY_ID"]: row["OnTime_Status"] for row in csv.DictReader(f)
        }
    imported = dict(ServiceRequest.objects.values_list("external_id", "on_time"))
    expected = {
        i: {"ONTIME": True, "OVERDUE": False}.get(statuses[i]) for i in imported
    }
    assert imported == expected
    on_time = sum(1 for v in imported.values() if v)
    known = sum(1 for v in imported.values() if v is not None)

    period = PerformancePeriod(start=date(2015, 1, 1), end=date(2024, 12, 31))
    city = performance_report(period=period).city
    assert (city.on_time, city.on_time_known) == (on_time, known)
    assert 0.8 < city.on_time_share < 0.95  # 4,520 of 4,994 rows were ONTIME


def test_import_keeps_on_time_only_for_closed_cases(boston):
    import_requests(source=BOSTON_2015)
    rows = ServiceRequest.objects.values_list("status", "on_time")
    assert any(status == "closed" and v is not None for status, v in rows)
    assert all(v is None for status, v in rows if status == "open")


# --- the page and the downloads ----------------------------------------------


def march_query(**extra) -> dict:
    return {"start": "2024-03-01", "end": "2024-03-31", **extra}


def test_page_shows_figures_charts_and_tables(client, city):
    response = client.get(reverse("engagement:performance"), march_query())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mar 1, 2024 to Mar 31, 2024" in html
    assert 'id="activity-chart" role="img"' in html
    assert 'aria-labelledby="activity-chart-title activity-chart-desc"' in html
    assert 'id="activity-table"' in html and 'id="departments-table"' in html
    assert "Public Works" in html and "Inspectional Services" in html
    assert "2.5&nbsp;days" in html  # the city's median
    assert "12&nbsp;hours" in html  # under a day reads better in hours
    assert "60%" in html  # on time
    assert 'id="methodology"' in html
    assert reverse("engagement:performance_csv") in html


def test_navigation_links_to_the_page(client, city):
    html = client.get("/").content.decode()
    assert f'href="{reverse("engagement:performance")}"' in html


def test_neighborhood_table_sorts_by_link_without_javascript(client, city):
    response = client.get(
        reverse("engagement:performance"),
        march_query(sort="median_days", dir="desc"),
    )
    html = response.content.decode()
    table = html[html.index('id="neighborhoods-table"') :]
    assert table.index(">Beta<") < table.index(">Alpha<")
    assert 'aria-sort="descending"' in table
    # The header link flips the order.
    assert "sort=median_days&amp;dir=asc" in table


def test_unknown_sort_falls_back_to_names(client, city):
    response = client.get(
        reverse("engagement:performance"), march_query(sort="evil", shade="x")
    )
    assert response.status_code == 200
    assert "sorted by neighborhood" in response.content.decode()


def test_default_period_needs_no_parameters(client, city):
    response = client.get(reverse("engagement:performance"))
    assert response.status_code == 200
    assert "Apr 7, 2023 to Apr 5, 2024" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "yesterday"}, "Enter a date such as 2024-05-19."),
        ({"start": "2024-03-31", "end": "2024-03-01"}, "must be on or after"),
        ({"end": "2024-02-30"}, "Enter a date such as 2024-05-19."),
        ({"start": "1900-01-01", "end": "2024-01-01"}, "at most 30 years"),
    ],
)
def test_bad_dates_get_a_clear_message(client, city, query, message):
    response = client.get(reverse("engagement:performance"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="activity-chart"' not in html
    csv_response = client.get(reverse("engagement:performance_csv"), query)
    assert csv_response.status_code == 400
    json_response = client.get(reverse("engagement:performance_json"), query)
    assert json_response.status_code == 400
    assert "errors" in json_response.json()


def test_empty_period_shows_an_empty_state(client, city):
    response = client.get(
        reverse("engagement:performance"), {"start": "2010-01-01", "end": "2010-12-31"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "No requests were reported in this period" in html
    assert 'id="activity-chart"' not in html


def test_empty_database_shows_an_empty_state(client, db):
    response = client.get(reverse("engagement:performance"))
    assert response.status_code == 200
    assert "No requests were reported in this period" in response.content.decode()


def test_csv_download(client, city):
    response = client.get(reverse("engagement:performance_csv"), march_query())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "performance_2024-03-01_2024-03-31.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
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
    assert rows[0]["level"] == "city"
    assert (rows[0]["requests"], rows[0]["median_days"], rows[0]["p90_days"]) == (
        "8",
        "2.5",
        "10.0",
    )
    levels = [r["level"] for r in rows]
    assert levels.count("department") == 2
    assert levels.count("service") == 3
    assert levels.count("neighborhood") == 2
    weeks = [r for r in rows if r["level"] == "week"]
    assert [(w["key"], w["requests"], w["closed"]) for w in weeks[:2]] == [
        ("2024-02-26", "0", "1"),
        ("2024-03-04", "6", "5"),
    ]
    alpha = next(r for r in rows if r["name"] == "Alpha")
    assert (alpha["population"], alpha["per_1000"]) == ("2000", "2.5")


def test_json_download(client, city):
    response = client.get(reverse("engagement:performance_json"), march_query())
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["period"] == {"start": "2024-03-01", "end": "2024-03-31"}
    assert data["bucket"] == "week"
    assert data["city"]["requests"] == 8
    assert data["city"]["on_time_share"] == 0.6
    assert {d["key"] for d in data["departments"]} == {"PWD", "ISD"}
    assert {s["key"] for s in data["services"]} == {"S1", "S2", "S3"}
    assert len(data["neighborhoods"]) == 2
    assert data["series"][1] == {"start": "2024-03-04", "opened": 6, "closed": 5}


# --- the SVG chart geometry ---------------------------------------------------


def test_chart_axis_ends_on_a_round_number():
    assert [nice_maximum(v) for v in (0, 3, 23, 50, 51, 940)] == [
        1,
        5,
        50,
        50,
        100,
        1000,
    ]
    assert [tick_steps(t) for t in (1, 20, 50, 100)] == [5, 4, 5, 5]


def test_opened_closed_chart_scales_bars_to_the_plot():
    chart = opened_closed_chart(
        buckets=[(date(2024, 3, 4), 10, 5), (date(2024, 3, 11), 0, 20)],
        bucket="week",
    )
    plot_height = chart.plot_bottom - chart.plot_top
    heights = [(bar.series, bar.height) for bar in chart.bars]
    assert heights == [
        ("opened", plot_height / 2),
        ("closed", plot_height / 4),
        ("opened", 0),
        ("closed", plot_height),
    ]
    assert chart.bars[0].title == "Week of 04 Mar 2024: 10 opened"
    assert [t.label for t in chart.y_ticks] == ["0", "5", "10", "15", "20"]
    assert opened_closed_chart(buckets=[], bucket="week").bars == []


def test_horizontal_bar_chart_keeps_long_labels_short():
    chart = horizontal_bar_chart(items=[("A" * 40, 4.0), ("B", 1.0)], unit="days")
    assert [round(b.width) for b in chart.bars] == [
        round(chart.plot_right - chart.plot_left) * 4 // 5,
        round((chart.plot_right - chart.plot_left) / 5),
    ]
    assert chart.labels[0].label.endswith("…") and len(chart.labels[0].label) == 34
    assert chart.bars[0].title == f"{'A' * 40}: 4.0 days"

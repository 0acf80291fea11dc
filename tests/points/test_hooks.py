"""Engagement tells points what happened: the reporter and supporters earn."""

import pytest

from engagement.services import workflow
from engagement.services.requests import add_support
from points.models import BadgeAward, PointsEntry
from points.selectors import total_points
from tests.engagement.factories import ServiceRequestFactory
from tests.engagement.images import jpeg_with_gps
from tests.engagement.staff_helpers import make_city
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city()


def test_an_acknowledged_report_earns_its_reporter_points_once(city):
    reporter = city.request.reporter
    workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="acknowledged"
    )
    workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="in_progress"
    )
    workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="acknowledged"
    )
    entries = PointsEntry.objects.filter(user=reporter, reason="report_accepted")
    assert entries.count() == 1
    assert total_points(user=reporter) == 10
    assert BadgeAward.objects.filter(user=reporter, badge="reporter", level=1).exists()


def test_closing_as_duplicate_reverses_the_reporters_points(city):
    reporter = city.request.reporter
    original = city.request
    duplicate = ServiceRequestFactory(service=original.service, reporter=reporter)
    workflow.change_request_status(
        actor=city.worker, request=duplicate, to_status="acknowledged"
    )
    assert total_points(user=reporter) == 10
    workflow.change_request_status(
        actor=city.worker,
        request=duplicate,
        to_status="closed",
        closure_reason="duplicate",
        duplicate_of=original,
    )
    assert total_points(user=reporter) == 0
    assert PointsEntry.objects.filter(reason="report_accepted:reversed").count() == 1


def test_closing_as_not_the_citys_reverses_too(city):
    reporter = city.request.reporter
    workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="in_progress"
    )
    workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="closed",
        closure_reason="not_city",
    )
    assert total_points(user=reporter) == 0


def test_the_reporter_confirming_a_fix_earns_fix_points(city):
    reporter = city.request.reporter
    workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="closed",
        closure_reason="fixed",
        photo=jpeg_with_gps(),
    )
    city.request.refresh_from_db()
    workflow.confirm_fix(user=reporter, request=city.request)
    entries = PointsEntry.objects.filter(user=reporter, reason="fix_confirmed")
    assert entries.count() == 1


def test_supporting_earns_the_supporter_a_point_once(city):
    supporter = UserFactory()
    add_support(user=supporter, request=city.request)
    add_support(user=supporter, request=city.request)
    assert total_points(user=supporter) == 1
    assert total_points(user=city.request.reporter) == 0


def test_a_report_fixed_straight_away_also_earns(city):
    reporter = city.request.reporter
    workflow.change_request_status(
        actor=city.worker,
        request=city.request,
        to_status="closed",
        closure_reason="fixed",
        photo=jpeg_with_gps(),
    )
    assert total_points(user=reporter) == 10


def test_engagement_tells_points_the_neighborhood_of_the_work(city):
    hood = NeighborhoodFactory(name="Roxbury")
    city.request.neighborhood = hood
    city.request.save(update_fields=["neighborhood"])
    workflow.change_request_status(
        actor=city.worker, request=city.request, to_status="acknowledged"
    )
    supporter = UserFactory()
    add_support(user=supporter, request=city.request)
    tags = set(
        PointsEntry.objects.values_list("neighborhood_slug", "neighborhood_name")
    )
    assert tags == {(hood.slug, hood.name)}

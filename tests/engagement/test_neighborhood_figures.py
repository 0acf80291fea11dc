from datetime import timedelta

import pytest
from django.utils import timezone

from engagement.models import RequestStatus
from engagement.selectors.neighborhood_figures import neighborhood_figures
from tests.neighborhoods.factories import NeighborhoodFactory

from .factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def closed(neighborhood, days: float):
    reported = timezone.now() - timedelta(days=30)
    return ServiceRequestFactory(
        neighborhood=neighborhood,
        status=RequestStatus.CLOSED,
        requested_datetime=reported,
        closed_datetime=reported + timedelta(days=days),
    )


def test_a_neighborhood_without_requests_has_zero_and_no_median():
    figures = neighborhood_figures(neighborhood=NeighborhoodFactory())

    assert figures.open_requests == 0
    assert figures.closed_requests == 0
    assert figures.median_days_to_close is None


def test_counts_open_and_closed_requests_of_that_neighborhood_only():
    here, elsewhere = NeighborhoodFactory(), NeighborhoodFactory()
    ServiceRequestFactory.create_batch(2, neighborhood=here)
    closed(here, 1)
    ServiceRequestFactory(neighborhood=elsewhere)
    closed(elsewhere, 5)

    figures = neighborhood_figures(neighborhood=here)

    assert (figures.open_requests, figures.closed_requests) == (2, 1)
    assert figures.total_requests == 3


def test_median_is_the_middle_time_to_close():
    here = NeighborhoodFactory()
    for days in (1, 2, 10):
        closed(here, days)

    assert neighborhood_figures(neighborhood=here).median_days_to_close == 2.0


def test_median_of_an_even_count_averages_the_two_middle_times():
    here = NeighborhoodFactory()
    for days in (1, 2, 4, 30):
        closed(here, days)

    assert neighborhood_figures(neighborhood=here).median_days_to_close == 3.0


def test_a_close_time_before_the_report_is_left_out_of_the_median():
    here = NeighborhoodFactory()
    closed(here, 2)
    closed(here, -3)  # a data error in an import

    figures = neighborhood_figures(neighborhood=here)

    assert figures.closed_requests == 2
    assert figures.median_days_to_close == 2.0

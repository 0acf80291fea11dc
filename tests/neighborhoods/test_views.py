import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db


def map_data(response, element_id):
    html = response.content.decode()
    start = html.index(f'<script id="{element_id}" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_index_without_neighborhoods_says_so(client):
    response = client.get("/neighborhoods/")

    assert response.status_code == 200
    assert "No neighborhoods have been loaded yet." in response.content.decode()
    assert 'id="neighborhoods-map"' not in response.content.decode()


def test_index_lists_every_neighborhood_with_a_link(client, boston):
    response = client.get("/neighborhoods/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Neighborhoods" in html
    assert '<a href="/neighborhoods/fenway/">Fenway</a>' in html
    assert '<a href="/neighborhoods/jamaica-plain/">Jamaica Plain</a>' in html
    assert html.count('<a href="/neighborhoods/') >= 26


def test_index_map_has_a_label_and_every_boundary(client, boston):
    response = client.get("/neighborhoods/")

    html = response.content.decode()
    assert 'id="neighborhoods-map"' in html
    assert 'aria-label="Map of the boundaries of all 26 neighborhoods' in html
    data = map_data(response, "neighborhoods-map-data")
    assert len(data["features"]) == 26
    assert "neighborhood-map.js" in html


def test_index_queries_do_not_grow_with_the_number_of_neighborhoods(client):
    NeighborhoodFactory()
    with CaptureQueriesContext(connection) as one:
        client.get("/neighborhoods/")
    for _ in range(5):
        NeighborhoodFactory()
    with CaptureQueriesContext(connection) as six:
        client.get("/neighborhoods/")

    assert len(six) <= len(one)


def test_names_are_escaped_in_the_page_and_in_the_map_data(client):
    NeighborhoodFactory(name="<script>alert(1)</script> Hill", slug="script-hill")

    response = client.get("/neighborhoods/")

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    data = map_data(response, "neighborhoods-map-data")
    assert data["features"][0]["properties"]["name"].startswith("<script>")


def test_detail_shows_name_area_and_map(client, boston):
    response = client.get("/neighborhoods/fenway/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Fenway</h1>" in html
    # The city publishes 0.88 square miles for Fenway.
    assert "0.88 square miles" in html
    assert 'aria-label="Map of the boundary of Fenway and its' in html
    data = map_data(response, "neighborhood-map-data")
    assert [f["properties"]["name"] for f in data["features"]] == ["Fenway"]
    assert "Population" not in html


def test_detail_shows_population_when_known(client):
    NeighborhoodFactory(name="Uptown", population=12345)

    response = client.get("/neighborhoods/uptown/")

    assert "12,345" in response.content.decode()


def test_unknown_neighborhood_is_404(client, boston):
    response = client.get("/neighborhoods/atlantis/")

    assert response.status_code == 404


def test_url_names_still_reverse_to_the_wagtail_pages(client, boston):
    from django.urls import reverse

    from neighborhoods.models import Neighborhood

    fenway = Neighborhood.objects.get(slug="fenway")
    assert reverse("neighborhoods:index") == "/neighborhoods/"
    assert fenway.get_absolute_url() == "/neighborhoods/fenway/"
    assert fenway.page.url == fenway.get_absolute_url()


def test_detail_is_the_wagtail_page_with_the_neighborhoods_plans(client, boston):
    response = client.get("/neighborhoods/fenway/")

    assert response.context["page"].neighborhood.slug == "fenway"
    html = response.content.decode()
    assert "Planning topics" in html and "Upcoming events" in html
    data = map_data(response, "neighborhood-requests-data")
    assert data["type"] == "FeatureCollection"


def test_an_unpublished_neighborhood_page_is_404(client, boston):
    from cms.models import NeighborhoodPage

    NeighborhoodPage.objects.get(slug="fenway").unpublish()

    assert client.get("/neighborhoods/fenway/").status_code == 404

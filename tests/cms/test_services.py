import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Workflow

from cms.models import (
    NeighborhoodIndexPage,
    NeighborhoodPage,
    UpdateIndexPage,
)
from cms.services import ensure_neighborhood_page, ensure_site_structure
from neighborhoods.models import Neighborhood
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db


def test_structure_is_idempotent_and_serves_the_expected_urls(client):
    NeighborhoodFactory(name="Uptown")
    ensure_site_structure()
    count = Page.objects.count()

    ensure_site_structure()

    assert Page.objects.count() == count
    assert NeighborhoodIndexPage.objects.get().url == "/neighborhoods/"
    assert UpdateIndexPage.objects.get().url == "/updates/"
    assert client.get("/neighborhoods/uptown/").status_code == 200
    assert client.get("/updates/").status_code == 200


def test_every_neighborhood_gets_one_page_titled_by_its_name():
    Neighborhood.objects.bulk_create(  # no signals: as a raw import would
        [
            Neighborhood(
                name=name,
                slug=slug,
                boundary={},
                min_lat=0,
                min_lon=0,
                max_lat=1,
                max_lon=1,
            )
            for name, slug in (("Fenway", "fenway"), ("North End", "north-end"))
        ]
    )

    ensure_site_structure()
    ensure_site_structure()

    pages = NeighborhoodPage.objects.order_by("title")
    assert [(p.title, p.slug) for p in pages] == [
        ("Fenway", "fenway"),
        ("North End", "north-end"),
    ]
    assert all(p.live for p in pages)


def test_a_new_neighborhood_gets_its_page_at_once(client):
    NeighborhoodFactory(name="Harbor View", slug="harbor-view")

    response = client.get("/neighborhoods/harbor-view/")

    assert response.status_code == 200
    assert "<h1>Harbor View</h1>" in response.content.decode()


def test_a_renamed_neighborhood_renames_its_page(client):
    hood = NeighborhoodFactory(name="Old Town", slug="old-town")

    hood.name, hood.slug = "New Town", "new-town"
    hood.save()

    page = NeighborhoodPage.objects.get(neighborhood=hood)
    assert (page.title, page.slug) == ("New Town", "new-town")
    assert client.get("/neighborhoods/new-town/").status_code == 200
    assert client.get("/neighborhoods/old-town/").status_code == 404


def test_a_deleted_neighborhood_unpublishes_its_page_and_a_reimport_relinks_it(
    client,
):
    hood = NeighborhoodFactory(name="Gone", slug="gone")
    page_id = hood.page.pk

    hood.delete()

    assert client.get("/neighborhoods/gone/").status_code == 404
    again = NeighborhoodFactory(name="Gone", slug="gone")
    assert ensure_neighborhood_page(neighborhood=again).pk == page_id
    assert client.get("/neighborhoods/gone/").status_code == 200


def test_updates_go_through_the_city_update_review_workflow():
    ensure_site_structure()

    index = UpdateIndexPage.objects.get()
    workflow = index.get_workflow()
    assert workflow == Workflow.objects.get(name="City update review")
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]
    staff = Group.objects.get(name="City staff")
    assert staff.permissions.filter(codename="access_admin").exists()
    codenames = set(
        index.group_permissions.filter(group=staff).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}
    assert staff.collection_permissions.filter(
        permission__codename="choose_image"
    ).exists()


def test_city_updates_are_in_the_navigation(client):
    ensure_site_structure()

    html = client.get("/").content.decode()

    assert '<a href="/updates/">City updates</a>' in html
    assert client.get("/updates/").status_code == 200

import pytest

from cms.models import PlanningTopicPage, UpdateIndexPage, UpdatePage

from .conftest import publish_child

pytestmark = pytest.mark.django_db


def test_search_finds_live_pages_by_their_words(client, topic, update):
    response = client.get("/search/", {"q": "shade trees"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Refreshing Dudley Town Common" in html
    assert 'href="/neighborhoods/roxbury/dudley-town-common/"' in html
    assert "Planning topic" in html  # what kind of page each result is
    assert "Washington Street repaving" not in html


def test_search_leaves_out_drafts(client, roxbury):
    draft = PlanningTopicPage(
        title="Secret skatepark", slug="skatepark", summary="Not yet.", live=False
    )
    roxbury.add_child(instance=draft)
    draft.save_revision()

    html = client.get("/search/", {"q": "skatepark"}).content.decode()

    assert "Secret skatepark" not in html
    assert "Nothing matches “skatepark”" in html


def test_search_without_a_query_invites_one(client, roxbury):
    html = client.get("/search/").content.decode()

    assert "Type a word or two" in html
    assert '<input id="search-page-q" type="search" name="q" value=""' in html


def test_search_results_are_paginated_keeping_the_query(client, roxbury):
    index = UpdateIndexPage.objects.get()
    for n in range(12):
        publish_child(
            index,
            UpdatePage(title=f"Snow emergency {n}", slug=f"snow-{n}", summary="Snow."),
        )

    first = client.get("/search/", {"q": "snow"}).content.decode()
    second = client.get("/search/", {"q": "snow", "page": "2"}).content.decode()

    assert "12 results for “snow”" in first
    assert 'href="?q=snow&amp;page=2"' in first
    assert "Page 2 of 2" in second


def test_the_header_has_a_search_box_on_every_page(client, roxbury):
    html = client.get("/neighborhoods/").content.decode()

    assert 'role="search"' in html
    assert 'action="/search/"' in html
    assert (
        '<label for="site-search-q" class="visually-hidden">Search the site</label>'
        in html
    )


def test_a_query_with_markup_is_escaped(client, roxbury):
    html = client.get("/search/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html


def test_wagtails_invisible_root_page_is_never_a_result(client, roxbury):
    html = client.get("/search/", {"q": "Root"}).content.decode()
    assert "Nothing matches “Root”" in html

import pytest
from wagtail.models import Page, Site

from cms.models import HomePage
from cms.services import ensure_home_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_served_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "CivicPulse" in html
    assert 'href="#main"' in html  # skip link
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert 'href="/neighborhoods/"' in html


def test_navigation_shows_sign_in_or_profile(client):
    html = client.get("/").content.decode()
    assert "Sign in" in html and "Sign up" in html
    client.force_login(UserFactory(display_name="Dot Ave Dana"))
    html = client.get("/").content.decode()
    assert "Dot Ave Dana" in html and "Sign out" in html
    assert "Sign in" not in html


def test_navigation_never_links_to_a_missing_page(client):
    from config.context_processors import _resolved_navigation

    for _, url in _resolved_navigation():
        # Pages that need an account lead to the sign-in page, never a 404.
        assert client.get(url, follow=True).status_code == 200, url


def test_ensure_home_page_repairs_an_emptied_tree():
    Site.objects.all().delete()
    HomePage.objects.all().delete()
    home = ensure_home_page()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert ensure_home_page().pk == home.pk
    assert Page.objects.type(HomePage).count() == 1

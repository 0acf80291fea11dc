"""Writes on the page tree."""

from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage


@transaction.atomic
def ensure_home_page() -> HomePage:
    """The site's root HomePage and default Site, created if they are missing.

    A fresh database gets them from migrations; this repairs one whose rows
    were flushed (as transactional tests do) or deleted by hand, including
    Wagtail's own default locale and root collection.
    """
    from django.conf import settings

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=HomePage(title="CivicPulse", slug="home"))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name="CivicPulse",
        )
    return home

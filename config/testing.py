"""Plumbing for the browser tests' server process only (config.settings.test)."""

from django.contrib.contenttypes.models import ContentType


class FreshContentTypesMiddleware:
    """Forget cached content types on every request.

    The browser tests' ASGI server shares its database with the test process,
    whose transactional tests flush it; the flush recreates content types
    under new ids, and a server still holding the old ids (Wagtail search
    filters by them) would find nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ContentType.objects.clear_cache()
        return self.get_response(request)

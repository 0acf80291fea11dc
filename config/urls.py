"""URL map of the whole site. Wagtail's page tree serves whatever is left."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from engagement.open311.openapi import openapi_schema

from . import health

# Both admins sign in through allauth, so one set of rate limits guards logins.
_to_allauth_login = RedirectView.as_view(
    pattern_name="account_login", query_string=True
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/login/", _to_allauth_login),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/login/", _to_allauth_login),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("neighborhoods/", include("cms.urls_neighborhoods")),
    path("", include("cms.urls")),
    path("", include("activity.urls")),
    path("", include("engagement.urls")),
    path("", include("points.urls")),
    path("open311/v2/", include("engagement.open311.urls")),
    path("api/schema/", openapi_schema, name="api_schema"),
    path("events/", include("cms.events.urls")),
    path("groups/", include("neighborhoods.urls_groups")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [re_path(r"", include(wagtail_urls))]

handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

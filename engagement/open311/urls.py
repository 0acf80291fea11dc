"""``/open311/v2/``: GeoReport v2 in ``.xml`` and ``.json``.

Patterns allow leading slashes, so a client configured with a base URL ending
in ``/`` (asking for ``//requests.xml``) still works.
"""

from django.urls import path, re_path

from . import views

app_name = "open311"

# Any number of leading slashes; spelled so that the check for a needless
# leading "/" (urls.W002) does not misfire.
_LEAD = r"^(?:/)*"
_FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    path("", views.not_found, name="base"),
    re_path(_LEAD + r"discovery" + _FMT, views.discovery, name="discovery"),
    re_path(_LEAD + r"services" + _FMT, views.service_list, name="services"),
    re_path(
        _LEAD + r"services/(?P<service_code>[^/]+?)" + _FMT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(_LEAD + r"requests" + _FMT, views.requests_endpoint, name="requests"),
    re_path(
        _LEAD + r"requests/(?P<service_request_id>[^/]+?)" + _FMT,
        views.request_detail,
        name="request",
    ),
    re_path(
        _LEAD + r"tokens/(?P<token>[^/]+?)" + _FMT, views.token_detail, name="token"
    ),
    re_path(
        _LEAD + r"servicerequestupdates" + _FMT,
        views.request_updates,
        name="servicerequestupdates",
    ),
    re_path(r"", views.not_found),
]

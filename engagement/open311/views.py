"""Open311 GeoReport v2 endpoints: parse, call a selector or service, render.

Every answer, errors included, is in the format the URL asks for; an unknown
format is a 404 in XML (the spec's required format), never an HTML page.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from accounts.ratelimits import RateLimited

from . import params, present, selectors, services
from .formats import FORMATS, Open311Error, render, render_errors

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
STATUSES = ("open", "closed")

View = Callable[..., HttpResponse]


def open311_view(*methods: str) -> Callable[[View], View]:
    """Check the format, method and jurisdiction; turn ``Open311Error`` into
    an Open311 error document in the requested format.

    Every Open311 view is CSRF-exempt: clients send no cookies and nothing
    here acts on a session (the ``api_key`` authenticates the one write), and
    a wrong method must get an Open311 error, not Django's HTML 403 page.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
            fmt = fmt.lower()
            if fmt not in FORMATS:
                return render_errors(
                    fmt="xml",
                    status=404,
                    descriptions=[f"Format {fmt!r} is not offered; use xml or json."],
                )
            if request.method not in methods:
                response = render_errors(
                    fmt=fmt,
                    status=405,
                    descriptions=[f"{request.method} is not allowed here."],
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                params.check_jurisdiction(request.GET)
                if request.method == "POST":
                    params.check_jurisdiction(request.POST)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return render_errors(
                    fmt=fmt, status=exc.status, descriptions=[exc.description]
                )

        return csrf_exempt(wrapper)

    return decorate


@open311_view("GET")
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    changeset = present.iso(selectors.catalogue_changeset())
    base = request.build_absolute_uri(reverse("open311:base"))
    data = {
        "changeset": changeset,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rstrip("/"),
                "changeset": changeset,
                "type": settings.OPEN311_ENDPOINT_TYPE,
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt=fmt, root="discovery", data=data)


@open311_view("GET")
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    data = [present.service_data(s) for s in selectors.published_services()]
    return render(fmt=fmt, root="services", data=data)


@open311_view("GET")
def service_definition(
    request: HttpRequest, service_code: str, *, fmt: str
) -> HttpResponse:
    service = selectors.published_service(service_code=service_code)
    if service is None:
        raise Open311Error(404, f"service_code {service_code!r} was not found.")
    data = present.service_definition_data(service)
    return render(fmt=fmt, root="service_definition", data=data)


@open311_view("GET", "POST")
def requests_endpoint(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    query = _request_query(request)
    extensions = params.flag(request.GET.get("extensions"))
    found = selectors.find_requests(query=query, extensions=extensions)
    data = present.requests_data(
        found, absolute=request.build_absolute_uri, extensions=extensions
    )
    return render(fmt=fmt, root="service_requests", data=data)


@open311_view("GET")
def request_detail(
    request: HttpRequest, service_request_id: str, *, fmt: str
) -> HttpResponse:
    extensions = params.flag(request.GET.get("extensions"))
    found = selectors.find_request(
        service_request_id=service_request_id, extensions=extensions
    )
    if found is None:
        raise Open311Error(
            404, f"service_request_id {service_request_id!r} was not found."
        )
    data = present.requests_data(
        [found], absolute=request.build_absolute_uri, extensions=extensions
    )
    return render(fmt=fmt, root="service_requests", data=data)


@open311_view("GET")
def token_detail(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    exists, request_id = selectors.token_request_id(token=token)
    if not exists:
        raise Open311Error(404, f"token {token!r} was not found.")
    data = [{"service_request_id": request_id, "token": token}]
    return render(fmt=fmt, root="service_requests", data=data)


@open311_view("GET")
def request_updates(request: HttpRequest, *, fmt: str) -> HttpResponse:
    start = params.parse_datetime_param("start_date", request.GET.get("start_date"))
    end = params.parse_datetime_param("end_date", request.GET.get("end_date"))
    _check_range(start, end)
    data = [
        present.update_data(u, absolute=request.build_absolute_uri)
        for u in selectors.find_updates(start=start, end=end)
    ]
    return render(fmt=fmt, root="service_requests_updates", data=data)


def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Anything else under the API: a 404 in XML, not the site's HTML page."""
    return render_errors(
        fmt="xml",
        status=404,
        descriptions=["No such Open311 resource; see discovery.xml."],
    )


def _request_query(request: HttpRequest) -> selectors.RequestQuery:
    get = request.GET
    start = params.parse_datetime_param("start_date", get.get("start_date"))
    end = params.parse_datetime_param("end_date", get.get("end_date"))
    statuses = [s.lower() for s in params.comma_list(get.get("status"))]
    unknown = [s for s in statuses if s not in STATUSES]
    ids = params.comma_list(get.get("service_request_id"))
    if unknown and not ids:
        raise Open311Error(400, f"status must be open or closed, not {unknown[0]!r}.")
    if not ids:
        _check_range(start, end)
    return selectors.RequestQuery(
        ids=tuple(ids[: selectors.MAX_RESULTS]),
        service_codes=tuple(params.comma_list(get.get("service_code"))),
        statuses=tuple(statuses),
        start=start,
        end=end,
        page=params.positive_int("page", get.get("page"), default=1, maximum=1_000_000),
        page_size=params.positive_int(
            "page_size",
            get.get("page_size"),
            default=selectors.MAX_RESULTS,
            maximum=selectors.MAX_RESULTS,
        ),
    )


def _check_range(start, end) -> None:
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date must not be before start_date.")
        if end - start > selectors.DEFAULT_WINDOW:
            raise Open311Error(400, "start_date to end_date may not span over 90 days.")


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    form = request.POST

    def text(name: str) -> str:
        # NUL cannot be stored in PostgreSQL text; no client means to send it.
        return (form.get(name) or "").replace("\x00", "").strip()

    raw_key = text("api_key") or request.GET.get("api_key") or ""
    service_code = text("service_code")
    try:
        api_key = services.authenticate_api_key(raw_key=raw_key)
        if not service_code:
            raise Open311Error(400, "service_code was not provided.")
        filed = services.file_api_request(
            api_key=api_key,
            service_code=service_code,
            lat=params.parse_coordinate("lat", form.get("lat")),
            long=params.parse_coordinate("long", form.get("long")),
            address_string=text("address_string"),
            address_id=text("address_id"),
            attributes=params.attribute_answers(form),
            description=text("description"),
            contact=services.Contact(
                email=text("email"),
                first_name=text("first_name"),
                last_name=text("last_name"),
                phone=text("phone"),
                device_id=text("device_id"),
                account_id=text("account_id"),
            ),
            media_url=text("media_url"),
            photos=request.FILES.getlist("media") + request.FILES.getlist("photo"),
        )
    except services.UnknownService as exc:
        raise Open311Error(404, str(exc)) from None
    except PermissionDenied as exc:
        raise Open311Error(403, str(exc) or "Not allowed.") from None
    except RateLimited as exc:
        response = render_errors(fmt=fmt, status=403, descriptions=[str(exc)])
        response["Retry-After"] = str(exc.retry_after)
        return response
    except ValidationError as exc:
        return render_errors(fmt=fmt, status=400, descriptions=_messages(exc))
    service = filed.request.service
    if filed.token:
        item = {"token": filed.token}
    elif service.type == "blackbox":
        item = {}
    else:
        item = {"service_request_id": filed.request.public_id}
    item["service_notice"] = _notice(filed.request)
    item["account_id"] = None
    return render(fmt=fmt, root="service_requests", data=[item])


def _notice(request) -> str | None:
    if request.expected_datetime is None:
        return None
    return f"The city aims to resolve this by {request.expected_datetime:%Y-%m-%d}."


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    out = []
    for field, messages in exc.message_dict.items():
        name = (
            field.replace("attribute_", "attribute[", 1) + "]"
            if field.startswith("attribute_")
            else field
        )
        out.extend(f"{name}: {m}" for m in messages)
    return out

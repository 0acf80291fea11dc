"""Filing service requests, supporting and following them.

Each function runs in one transaction; side effects (the live feed, email,
points) leave only after commit, so a failed write broadcasts nothing.
"""

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.ratelimits import consume
from accounts.selectors import has_verified_email
from activity import kinds
from activity.services import publish_on_commit
from neighborhoods.selectors import neighborhood_containing
from points.services import award_points

from .. import geo
from ..models import (
    DetailedStatus,
    Follow,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    Service,
    ServiceRequest,
    Source,
    Support,
)
from ..models.requests import MAX_DESCRIPTION_LENGTH
from ..text import clean_text
from .attributes import clean_attribute_answers
from .photos import clean_photo

logger = logging.getLogger(__name__)

SUPPORT_MILESTONES = (5, 10, 25, 50, 100, 250, 500, 1000)
OUTSIDE_CITY_MESSAGE = (
    "That place is outside the city's neighborhoods, so the city cannot send a "
    "crew there. Please check the pin or the address."
)


def locate(*, lat: float, long: float, service: Service):
    """The neighborhood and public coordinates of a point, or a ValidationError.

    Public coordinates are exact, except for sensitive services whose public
    point is the centre of its ~250 m cell in the same neighborhood.
    """
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        raise ValidationError({"location": "That is not a place on Earth."})
    neighborhood = neighborhood_containing(lat=lat, lon=long)
    if neighborhood is None:
        raise ValidationError({"location": OUTSIDE_CITY_MESSAGE})
    if service.sensitive:
        public_lat, public_long = geo.coarsen_point(lat=lat, lon=long)
    else:
        public_lat, public_long = lat, long
    return neighborhood, public_lat, public_long


def _check_reporter(
    reporter: User | None, source: str, verified_email: bool | None
) -> None:
    if reporter is None:
        if source == Source.WEB:
            raise PermissionDenied("Sign in to report a problem.")
        return
    if verified_email is None:
        verified_email = has_verified_email(user=reporter)
    if not verified_email:
        raise PermissionDenied(
            "Please confirm your email address before reporting: we sent you a link."
        )
    consume(
        action="report",
        key=str(reporter.pk),
        limit=settings.REPORTS_PER_HOUR,
        period_seconds=3600,
    )


def create_service_request(
    *,
    reporter: User | None,
    service: Service,
    lat: float,
    long: float,
    description: str = "",
    address: str = "",
    attributes: Mapping[str, Any] | None = None,
    photos: Sequence[UploadedFile] = (),
    anonymous: bool = False,
    source: str = Source.WEB,
    requested_datetime: datetime | None = None,
    reporter_has_verified_email: bool | None = None,
) -> ServiceRequest:
    """File one request: validated whole, saved whole, announced after commit.

    Raises ``ValidationError`` (keyed by field) for bad input,
    ``PermissionDenied`` for an unverified reporter and ``RateLimited`` past
    the hourly limit; in every case nothing is saved.

    ``reporter_has_verified_email`` is what a caller learned from
    ``has_verified_email`` for this reporter within the same request (the
    report view asks before it shows the form), so filing does not ask the
    database twice; None asks here.

    The receipt email is queued once the transaction commits, for a worker to
    send: a slow mail server never holds up filing, and a rolled-back report
    sends nothing.
    """
    _check_reporter(reporter, source, reporter_has_verified_email)
    errors: dict[str, Any] = {}
    if not service.active:
        errors["service"] = "That category is no longer taken; please choose another."
    description = clean_text(description)
    address = clean_text(address)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        errors["description"] = (
            f"Please keep the description under {MAX_DESCRIPTION_LENGTH} characters "
            f"(it has {len(description)})."
        )
    if len(photos) > settings.PHOTO_MAX_PER_REPORT:
        errors["photos"] = (
            f"Please attach at most {settings.PHOTO_MAX_PER_REPORT} photos."
        )
    cleaned_photos = []
    photo_errors = []
    for upload in photos[: settings.PHOTO_MAX_PER_REPORT]:
        try:
            cleaned_photos.append(clean_photo(upload))
        except ValidationError as exc:
            photo_errors.extend(exc.messages)
    if photo_errors:
        errors["photos"] = photo_errors
    try:
        neighborhood, public_lat, public_long = locate(
            lat=lat, long=long, service=service
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        answers = clean_attribute_answers(service=service, answers=attributes or {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    requested = requested_datetime or now
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            service=service,
            description=description,
            lat=lat,
            long=long,
            public_lat=public_lat,
            public_long=public_long,
            address=address[:300],
            neighborhood=neighborhood,
            attributes=answers,
            reporter=reporter,
            anonymous=anonymous,
            source=source,
            agency_responsible=service.department.name if service.department else "",
            requested_datetime=requested,
            updated_datetime=now,
            expected_datetime=(
                requested + timedelta(days=service.expected_days)
                if service.expected_days
                else None
            ),
        )
        for photo in cleaned_photos:
            RequestPhoto.objects.create(
                request=request,
                image=photo.content,
                kind=RequestPhoto.Kind.BEFORE,
                uploaded_by=reporter,
            )
        RequestUpdate.objects.create(
            request=request,
            author=reporter,
            created=now,
            status=RequestStatus.OPEN,
            detailed_status=DetailedStatus.NEW,
            public_note="Reported.",
        )
        if reporter is not None:
            # The request is new, so no follow of it exists yet.
            Follow.objects.create(user=reporter, request=request)
        publish_on_commit(
            kind=kinds.REQUEST_FILED,
            actor=None if anonymous else reporter,
            target=request,
            neighborhood=neighborhood,
            summary=f"{service.name} reported in {neighborhood.name}",
            data=public_request_data(request),
        )
        if reporter is not None:
            from ..tasks import send_report_receipt

            send_report_receipt.delay_on_commit(request.pk)
    return request


def public_request_data(request: ServiceRequest) -> dict[str, Any]:
    """What the feed may say about a request: public fields only."""
    return {
        "public_id": request.public_id,
        "service_code": request.service.service_code,
        "service_name": request.service.name,
        "status": request.status,
        "lat": request.public_lat,
        "long": request.public_long,
    }


def update_report_by_reporter(
    *, user: User, request: ServiceRequest, description: str, anonymous: bool
) -> ServiceRequest:
    """The reporter may correct the description and hide or show their name.

    Only the reporter, and only while no crew has acknowledged the request:
    after that, the city works from what was reported.
    """
    if request.reporter_id is None or request.reporter_id != user.pk:
        raise PermissionDenied("Only the person who reported this can change it.")
    if request.detailed_status != DetailedStatus.NEW:
        raise PermissionDenied(
            "This report is already being worked on, so it can no longer be changed."
        )
    description = clean_text(description)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise ValidationError(
            {
                "description": "Please keep it under "
                f"{MAX_DESCRIPTION_LENGTH} characters."
            }
        )
    request.description = description
    request.anonymous = anonymous
    request.updated_datetime = timezone.now()
    request.save(update_fields=["description", "anonymous", "updated_datetime"])
    return request


def add_support(*, user: User, request: ServiceRequest) -> tuple[Support, bool]:
    """ "Me too" on an open request; supporting also follows it.

    Returns (support, created); supporting twice changes nothing.
    """
    if not has_verified_email(user=user):
        raise PermissionDenied("Please confirm your email address first.")
    if not request.is_open:
        raise ValidationError("This request is closed, so it no longer takes support.")
    if request.reporter_id == user.pk:
        raise ValidationError("You reported this problem; your report already counts.")
    existing = Support.objects.filter(user=user, request=request).first()
    if existing:
        return existing, False
    consume(
        action="support",
        key=str(user.pk),
        limit=settings.SUPPORTS_PER_HOUR,
        period_seconds=3600,
    )
    try:
        with transaction.atomic():
            support = Support.objects.create(user=user, request=request)
            ServiceRequest.objects.filter(pk=request.pk).update(
                support_count=F("support_count") + 1
            )
            Follow.objects.get_or_create(user=user, request=request)
            award_points(
                user=user,
                reason="support_given",
                source=request,
                neighborhood_slug=getattr(request.neighborhood, "slug", None),
                neighborhood_name=getattr(request.neighborhood, "name", ""),
            )
            request.refresh_from_db(fields=["support_count"])
            if request.support_count in SUPPORT_MILESTONES:
                publish_on_commit(
                    kind=kinds.SUPPORT_MILESTONE,
                    actor=None,
                    target=request,
                    neighborhood=request.neighborhood,
                    summary=(
                        f"{request.support_count} neighbors support "
                        f"“{request.service.name}” in {_place_name(request)}"
                    ),
                    data={
                        **public_request_data(request),
                        "support_count": request.support_count,
                    },
                )
    except IntegrityError:  # a concurrent click won the race
        return Support.objects.get(user=user, request=request), False
    return support, True


def _place_name(request: ServiceRequest) -> str:
    return request.neighborhood.name if request.neighborhood else "the city"


def follow_request(*, user: User, request: ServiceRequest) -> Follow:
    follow, _ = Follow.objects.get_or_create(user=user, request=request)
    return follow


def unfollow_request(*, user: User, request: ServiceRequest) -> None:
    Follow.objects.filter(user=user, request=request).delete()

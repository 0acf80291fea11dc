"""Writes behind the Open311 API: issuing keys and filing requests.

Filing goes through ``create_service_request``, the same function as the web
form, so an API request is validated, located, announced and counted exactly
like one typed on the site.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.ratelimits import consume

from ..geocoding import get_geocoder
from ..models import (
    ApiKey,
    RequestContact,
    RequestToken,
    Service,
    ServiceRequest,
    Source,
)
from ..models.api import hash_api_key, new_raw_api_key
from ..services.requests import create_service_request


class UnknownService(LookupError):
    """The service_code names no service (the spec's 404)."""


@dataclass(frozen=True)
class Contact:
    """Who the client says reported: stored for staff, never published."""

    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""


@dataclass(frozen=True)
class FiledRequest:
    request: ServiceRequest
    token: str | None  # batch services answer with a token, not the id


def issue_api_key(
    *, name: str, trusted: bool = False, created_by: User | None = None
) -> tuple[ApiKey, str]:
    """A new key for a named client; the raw key is returned once, only its
    hash is kept, so a leaked database leaks no usable key."""
    api_key = ApiKey(name=name.strip(), trusted=trusted, created_by=created_by)
    raw = save_with_new_key(api_key=api_key)
    return api_key, raw


def save_with_new_key(*, api_key: ApiKey) -> str:
    """Give ``api_key`` a fresh secret, save it, and return the raw key (the
    admin's add form and ``issue_api_key`` both end here)."""
    raw = new_raw_api_key()
    api_key.prefix = raw[:12]
    api_key.key_hash = hash_api_key(raw)
    api_key.save()
    return raw


def revoke_api_key(*, api_key: ApiKey) -> ApiKey:
    """Stop a key working; the row stays so filed requests keep their client."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


def authenticate_api_key(*, raw_key: str) -> ApiKey:
    """The active key for ``raw_key``, or PermissionDenied (the spec's 403)."""
    raw_key = (raw_key or "").strip()
    if not raw_key:
        raise PermissionDenied("api_key was not provided.")
    api_key = ApiKey.objects.filter(key_hash=hash_api_key(raw_key)).first()
    if api_key is None or not api_key.is_active:
        raise PermissionDenied("api_key is not valid.")
    ApiKey.objects.filter(pk=api_key.pk).update(last_used=timezone.now())
    return api_key


def file_api_request(
    *,
    api_key: ApiKey,
    service_code: str,
    lat: float | None,
    long: float | None,
    address_string: str = "",
    address_id: str = "",
    attributes: Mapping[str, Any] | None = None,
    description: str = "",
    contact: Contact | None = None,
    media_url: str = "",
    photos: Sequence[UploadedFile] = (),
) -> FiledRequest:
    """File a request for an API client.

    The request belongs to a resident's account only when the client is
    trusted to vouch for its users and the email is that account's verified
    one; otherwise it has no reporter, and the contact details are kept
    privately for staff. Writes are rate-limited per key. Raises
    ``UnknownService``, ``ValidationError`` (keyed by field),
    ``PermissionDenied`` or ``RateLimited``; nothing is saved then.
    """
    contact = contact or Contact()
    service = Service.objects.filter(service_code=service_code).first()
    if service is None:
        raise UnknownService(f"service_code {service_code!r} was not found.")
    errors: dict[str, str] = {}
    media_url = (media_url or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 1000:
                raise ValidationError("too long")
        except ValidationError:
            errors["media_url"] = "media_url must be an http(s) URL."
    if contact.email:
        try:
            validate_email(contact.email)
        except ValidationError:
            errors["email"] = "email is not a valid email address."
    lat, long, address = _place(
        lat=lat, long=long, address_string=address_string, address_id=address_id
    )
    if errors:
        raise ValidationError(errors)
    consume(
        action="open311_post",
        key=str(api_key.pk),
        limit=settings.OPEN311_POSTS_PER_HOUR,
        period_seconds=3600,
    )
    reporter = _vouched_reporter(api_key=api_key, email=contact.email)
    with transaction.atomic():
        request = create_service_request(
            reporter=reporter,
            service=service,
            lat=lat,
            long=long,
            description=description,
            address=address,
            attributes=attributes or {},
            photos=photos,
            anonymous=True,
            source=Source.API,
        )
        RequestContact.objects.create(
            request=request,
            api_key=api_key,
            email=contact.email[:254],
            first_name=contact.first_name[:100],
            last_name=contact.last_name[:100],
            phone=contact.phone[:40],
            device_id=contact.device_id[:200],
            account_id=contact.account_id[:200],
            media_url=media_url,
        )
        token = None
        if service.type == "batch":
            token = secrets.token_urlsafe(16)
            RequestToken.objects.create(token=token, request=request, api_key=api_key)
    return FiledRequest(request=request, token=token)


def _place(
    *, lat: float | None, long: float | None, address_string: str, address_id: str
) -> tuple[float, float, str]:
    """The point of the request: lat/long when given, else the geocoded
    address; the city keeps no address-id registry, so an address_id is
    looked up like an address."""
    address = (address_string or "").strip()
    if lat is not None and long is not None:
        return lat, long, address
    if lat is not None or long is not None:
        raise ValidationError({"location": "lat and long must be given together."})
    query = address or (address_id or "").strip()
    if not query:
        raise ValidationError(
            {
                "location": "A location is required: lat and long, address_string "
                "or address_id."
            }
        )
    places = get_geocoder().search(query[:200])
    if not places:
        raise ValidationError(
            {"location": "That address could not be found; please send lat and long."}
        )
    return places[0].lat, places[0].lon, address or places[0].address


def _vouched_reporter(*, api_key: ApiKey, email: str) -> User | None:
    if not api_key.trusted or not email:
        return None
    return User.objects.filter(
        emailaddress__email__iexact=email, emailaddress__verified=True
    ).first()

"""Open311 API clients, and what API-filed requests keep out of public view."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from .requests import ServiceRequest

KEY_PREFIX = "cp311_"


def hash_api_key(raw_key: str) -> str:
    """The stored form of a key. Keys are long random strings, so one fast
    hash is enough: there is no dictionary to guess from."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


def new_raw_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class ApiKey(models.Model):
    """A named Open311 client allowed to file requests.

    Only a hash of the key is stored; the key itself is shown once, when it
    is issued. Revoking keeps the row, so requests still name their client.
    """

    name = models.CharField(max_length=200, help_text="Who the client is.")
    prefix = models.CharField(
        max_length=16, editable=False, help_text="The key's first characters."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    trusted = models.BooleanField(
        default=False,
        help_text="The client verifies its users' email addresses, so a request "
        "it files with a resident's verified email is tied to that account.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RequestContact(models.Model):
    """The contact details an API client sent with a request: for staff only,
    never shown by any page or API response."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="api_contact"
    )
    api_key = models.ForeignKey(
        ApiKey, null=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    email = models.EmailField(blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    device_id = models.CharField(max_length=200, blank=True)
    account_id = models.CharField(max_length=200, blank=True)
    # Stored, never fetched: fetching a client's URL from the server would
    # let anyone make the city's server request arbitrary addresses.
    media_url = models.URLField(max_length=1000, blank=True)

    def __str__(self) -> str:
        return f"Contact for {self.request_id}"


class RequestToken(models.Model):
    """The token a batch service returns instead of a request id."""

    token = models.CharField(max_length=64, unique=True)
    request = models.OneToOneField(
        ServiceRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_token",
    )
    api_key = models.ForeignKey(
        ApiKey, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.token


class CatalogueChangeset(models.Model):
    """When the published service catalogue last changed (Open311 discovery's
    ``changeset``), noticed by comparing a digest of it."""

    digest = models.CharField(max_length=64)
    changed = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.changed:%Y-%m-%d %H:%M}"

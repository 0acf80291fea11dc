"""Pluggable geocoders: turning an address a resident types into a place.

The default needs no outside service: it looks up addresses the city already
knows from its requests (311 imports carry hundreds of thousands). A
Nominatim-compatible service can be configured with ``GEOCODER=nominatim``.
"""

import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db.models import Avg, Count

from .models import ServiceRequest

logger = logging.getLogger(__name__)
MAX_RESULTS = 5


@dataclass(frozen=True)
class Place:
    address: str
    lat: float
    lon: float


class Geocoder(Protocol):
    def search(self, query: str) -> list[Place]: ...


class KnownAddressGeocoder:
    """Addresses from the city's own requests, most often reported first."""

    def search(self, query: str) -> list[Place]:
        words = [w for w in query.replace(",", " ").split() if w]
        if not words:
            return []
        rows = ServiceRequest.objects.exclude(address="")
        for word in words[:6]:
            rows = rows.filter(address__icontains=word)
        # Only non-sensitive requests: their stored point is the real one.
        rows = (
            rows.filter(service__sensitive=False)
            .values("address")
            .annotate(lat=Avg("lat"), lon=Avg("long"), n=Count("id"))
            .order_by("-n", "address")[:MAX_RESULTS]
        )
        return [Place(r["address"], r["lat"], r["lon"]) for r in rows]


class NominatimGeocoder:
    """Any Nominatim-compatible search API (OpenStreetMap's, or a city's own)."""

    def __init__(self, base_url: str, user_agent: str, timeout: float = 5):
        if not base_url.startswith(("https://", "http://")):
            raise ValueError("GEOCODER_URL must be an http(s) URL")
        self.base_url = base_url.rstrip("/")
        self.user_agent = user_agent
        self.timeout = timeout

    def search(self, query: str) -> list[Place]:
        params = urllib.parse.urlencode(
            {"q": query, "format": "jsonv2", "limit": MAX_RESULTS}
        )
        # The scheme is checked in __init__: only http(s) is ever opened.
        request = urllib.request.Request(  # noqa: S310
            f"{self.base_url}/search?{params}", headers={"User-Agent": self.user_agent}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                results = json.load(response)
        except (OSError, ValueError) as exc:
            logger.warning("geocoder unavailable: %s", exc)
            return []
        return [
            Place(r.get("display_name", ""), float(r["lat"]), float(r["lon"]))
            for r in results
            if "lat" in r and "lon" in r
        ]


def get_geocoder() -> Geocoder:
    if settings.GEOCODER == "nominatim":
        return NominatimGeocoder(settings.GEOCODER_URL, settings.GEOCODER_USER_AGENT)
    return KnownAddressGeocoder()

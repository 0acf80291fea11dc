"""The guard every payload passes before it is stored or sent.

Feed payloads are public: anyone can open a websocket and read them, and
they are kept in the database for the catch-up API. So the data a caller
attaches is checked here, in one place, rather than trusted to each caller:

* a key that names private data (email, phone, reporter...) is a programming
  error and raises ``ValueError``, so it is caught in the caller's tests;
* a value that happens to contain an email address or phone number (people
  type them into descriptions) is redacted, not refused, because refusing
  would turn a resident's saved report into an error;
* coordinates are rounded: to about 100 m always, and to about 1 km, with
  the street address dropped, for sensitive services (``"sensitive": True``).
"""

import json
import logging
import re
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

logger = logging.getLogger(__name__)

REDACTED = "[hidden]"

# Substrings of a key that mark it as private, whatever the prefix or suffix
# ("reporter_email", "contact_phone", "ip_address" ...).
PRIVATE_KEY_PARTS = (
    "email",
    "e_mail",
    "phone",
    "mobile",
    "password",
    "token",
    "secret",
    "reporter",
    "first_name",
    "last_name",
    "full_name",
    "ip_address",
    "session",
)

LATITUDE_KEYS = frozenset({"lat", "latitude"})
LONGITUDE_KEYS = frozenset({"long", "lon", "lng", "longitude"})
ADDRESS_KEYS = frozenset({"address", "address_string", "address_id", "street"})
SENSITIVE_FLAG = "sensitive"
# Decimal places of latitude/longitude: 3 is ~110 m, 2 is ~1.1 km.
PUBLIC_PLACES = 3
SENSITIVE_PLACES = 2

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# North American numbers in their usual spellings, and long international ones.
PHONE_RE = re.compile(
    r"(?<!\w)(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)"
    r"|(?<!\w)\+\d[\d\s.-]{7,}\d(?!\w)"
)


def _is_private_key(key: str) -> bool:
    lowered = key.lower()
    return any(part in lowered for part in PRIVATE_KEY_PARTS)


def redact_text(text: str) -> str:
    """``text`` with any email address or phone number replaced by [hidden]."""
    redacted = EMAIL_RE.sub(REDACTED, text)
    return PHONE_RE.sub(REDACTED, redacted)


def coarsen(value: Any, *, places: int) -> float | None:
    """A coordinate rounded to ``places`` decimals; None if it is not a number."""
    try:
        return round(float(Decimal(str(value))), places)
    except (ArithmeticError, ValueError, TypeError):
        return None


def _clean(value: Any, *, path: str, places: int, sensitive: bool) -> Any:
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"activity data keys must be strings, got {key!r}")
            where = f"{path}.{key}" if path else key
            if _is_private_key(key):
                raise ValueError(
                    f"activity data key {where!r} looks private; the feed is public"
                )
            lowered = key.lower()
            if lowered in LATITUDE_KEYS or lowered in LONGITUDE_KEYS:
                cleaned[key] = coarsen(item, places=places)
            elif sensitive and lowered in ADDRESS_KEYS:
                continue
            else:
                cleaned[key] = _clean(
                    item, path=where, places=places, sensitive=sensitive
                )
        return cleaned
    if isinstance(value, list | tuple):
        return [
            _clean(item, path=f"{path}[]", places=places, sensitive=sensitive)
            for item in value
        ]
    if isinstance(value, str):
        redacted = redact_text(value)
        if redacted != value:
            logger.warning("activity data %r contained contact details: redacted", path)
        return redacted
    return value


def public_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """``data`` made safe for the public: checked, redacted, coarsened, and
    normalised to plain JSON (dates and decimals become strings).

    Raises ``ValueError`` for private-looking keys or data that is not JSON.
    """
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("activity data must be a dict")
    sensitive = bool(data.get(SENSITIVE_FLAG))
    places = SENSITIVE_PLACES if sensitive else PUBLIC_PLACES
    cleaned = _clean(data, path="", places=places, sensitive=sensitive)
    try:
        return json.loads(json.dumps(cleaned, cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"activity data must be JSON-serialisable: {exc}") from exc


def public_summary(summary: str) -> str:
    """The one-line summary with contact details redacted."""
    redacted = redact_text(summary)
    if redacted != summary:
        logger.warning("activity summary contained contact details: redacted")
    return redacted

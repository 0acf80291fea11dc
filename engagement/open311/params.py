"""Reading Open311 query and form parameters, leniently where clients vary.

Every failure is an ``Open311Error`` with a message a client developer can
act on; nothing here touches the database.
"""

import re
from datetime import datetime, time

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .formats import Open311Error

MAX_PAGE_SIZE = 1000
# "+05:00" sent unencoded in a query string arrives as " 05:00".
_SPACE_FOR_PLUS = re.compile(r"(T[\d:.,]+) (\d{2}(?::?\d{2})?)$")


def check_jurisdiction(params: QueryDict) -> None:
    """This endpoint serves one jurisdiction: absent or empty is fine, its own
    id is fine, any other is not found (as the spec asks)."""
    value = (params.get("jurisdiction_id") or "").strip()
    if value and value != settings.OPEN311_JURISDICTION_ID:
        raise Open311Error(404, f"jurisdiction_id {value!r} was not found.")


def parse_datetime_param(name: str, raw: str | None) -> datetime | None:
    """A W3C/ISO 8601 datetime: ``Z`` or an offset, fractional seconds, a
    ``+`` that arrived as a space, or a bare date (local midnight). Times
    without an offset are the city's local time."""
    text = (raw or "").strip()
    if not text:
        return None
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", text)
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            parsed = datetime.combine(day, time.min) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(
            400,
            f"{name} must be an ISO 8601 datetime such as 2026-05-24T00:00:00Z "
            "or 2026-05-24T00:00:00-04:00.",
        )
    # The 90-day window arithmetic must not overflow at the ends of time.
    if not 1900 <= parsed.year <= 9000:
        raise Open311Error(400, f"{name} must be a year from 1900 to 9000.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def comma_list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def positive_int(name: str, raw: str | None, *, default: int, maximum: int) -> int:
    text = (raw or "").strip()
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        raise Open311Error(400, f"{name} must be a whole number.") from None
    if number < 1:
        raise Open311Error(400, f"{name} must be at least 1.")
    return min(number, maximum)


def flag(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("true", "1", "yes")


def parse_coordinate(name: str, raw: str | None) -> float | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number in degrees.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise Open311Error(400, f"{name} must be a number in degrees.")
    return value


_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def attribute_answers(data: QueryDict) -> dict[str, str | list[str]]:
    """``attribute[CODE]=v`` answers; a multivaluelist may come as
    ``attribute[CODE][]=a&attribute[CODE][]=b`` or as the repeated plain form
    (FixMyStreet sends both). One value stays a string, several a list."""
    answers: dict[str, list[str]] = {}
    for key, values in data.lists():
        match = _ATTRIBUTE.match(key)
        if match:
            answers.setdefault(match.group(1), []).extend(
                v.replace("\x00", "") for v in values
            )
    return {code: v[0] if len(v) == 1 else v for code, v in answers.items()}

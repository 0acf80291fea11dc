"""An event as an iCalendar file (RFC 5545), written by hand: one VEVENT needs
no library, only care with escaping, UTC times, CRLF and line folding."""

from datetime import UTC, datetime

from django.utils import timezone

from ..models import EventPage

PRODID = "-//CivicPulse//Volunteer events//EN"
MAX_LINE_OCTETS = 75  # RFC 5545 3.1, not counting the CRLF


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines
    escaped; other control characters dropped, since no calendar shows them."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    return "".join(ch for ch in value if ch == "\t" or ord(ch) >= 32)


def format_utc(moment: datetime) -> str:
    """A DATE-TIME in UTC form, e.g. ``20261205T140000Z``."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a
    UTF-8 character; continuation lines start with one space (RFC 5545 3.1)."""
    pieces: list[str] = []
    current, size = "", 0
    limit = MAX_LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = " ", 1
            limit = MAX_LINE_OCTETS
        current += ch
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def event_calendar(
    *, event: EventPage, url: str, domain: str, now: datetime | None = None
) -> str:
    """The VCALENDAR of one event; ``url`` is its page's absolute URL and
    ``domain`` makes the UID globally unique and stable across downloads, so a
    calendar app updates the entry instead of adding a second one."""
    now = now or timezone.now()
    location = ", ".join(part for part in (event.location_name, event.address) if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{domain}",
        f"DTSTAMP:{format_utc(now)}",
        f"DTSTART:{format_utc(event.starts_at)}",
        f"DTEND:{format_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    if event.summary:
        lines.append(f"DESCRIPTION:{escape_text(event.summary)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if event.latitude is not None and event.longitude is not None:
        lines.append(f"GEO:{event.latitude:.6f};{event.longitude:.6f}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)

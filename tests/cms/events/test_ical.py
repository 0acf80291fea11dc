"""The .ics file, parsed back as a calendar app reads it (RFC 5545)."""

from datetime import UTC, datetime

import pytest

from cms.events.ical import escape_text, event_calendar, fold

from .factories import make_event

pytestmark = pytest.mark.django_db


def unfold(body: str) -> list[str]:
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")  # CRLF only
    physical = body.split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def properties(body: str) -> dict[str, str]:
    props = {}
    for line in unfold(body):
        name, _, value = line.partition(":")
        props.setdefault(name, value)
    return props


def test_an_event_parses_back_with_its_fields():
    title = "Spring clean-up, part 2; bring gloves \\ rakes — ünïcode " * 3
    event = make_event(
        title=title.strip()[:255],
        summary="Line one\nLine two",
        location_name="Dudley Town Common, by the gazebo",
        starts_at=datetime(2030, 5, 4, 13, 0, tzinfo=UTC),
        latitude=42.32,
        longitude=-71.08,
    )
    body = event_calendar(
        event=event,
        url="https://civic.example/e/1/",
        domain="civic.example",
        now=datetime(2030, 4, 1, 12, 0, tzinfo=UTC),
    )
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "BEGIN:VEVENT" in lines and "END:VEVENT" in lines
    props = properties(body)
    assert props["VERSION"] == "2.0"
    assert props["UID"] == f"event-{event.pk}@civic.example"
    assert props["DTSTAMP"] == "20300401T120000Z"
    assert props["DTSTART"] == "20300504T130000Z"
    assert props["DTEND"] == "20300504T160000Z"
    assert unescape(props["SUMMARY"]) == event.title
    assert unescape(props["DESCRIPTION"]) == "Line one\nLine two"
    assert unescape(props["LOCATION"]).startswith("Dudley Town Common, by the gazebo")
    assert props["GEO"] == "42.320000;-71.080000"
    assert props["URL"] == "https://civic.example/e/1/"


def test_escaping_and_folding_follow_the_rfc():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    long = "SUMMARY:" + "é" * 100
    folded = fold(long)
    for piece in folded.split("\r\n"):
        assert len(piece.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == long


def test_an_event_without_coordinates_has_no_geo():
    event = make_event(latitude=None, longitude=None)
    body = event_calendar(event=event, url="", domain="x")
    assert "GEO:" not in body

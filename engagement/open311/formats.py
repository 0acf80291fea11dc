"""Rendering Open311 data as XML or JSON from one Python structure.

Views build plain dicts and lists once; this module writes them in the
requested format. XML follows the spec's element names: a list is a
container element of repeated items (``<services><service>``), which the
JSON conversion turns into an array.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from django.http import HttpResponse

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
FORMATS = ("xml", "json")
CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# Characters XML 1.0 cannot carry; ElementTree would write them unescaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The element name of one item of each list, by the list's name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "service_requests_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "photos": "photo",
    "media_urls": "media_url",
}


class Open311Error(Exception):
    """An error the client must see as an Open311 ``<errors>`` document."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


def render(*, fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """The response for ``data``: a list is rendered as ``root`` of items, a
    dict as the ``root`` element itself (JSON: the object)."""
    if fmt == "json":
        # orjson: a full page of requests is ~25x faster to write than with
        # the standard library; ``default=str`` covers lazy translations.
        body = orjson.dumps(data, default=str)
        return HttpResponse(body, status=status, content_type=CONTENT_TYPES["json"])
    element = ET.Element(root)
    _fill(element, root, data)
    # The spec asks for this exact declaration (ElementTree's uses quotes ').
    body = XML_DECLARATION + ET.tostring(element, encoding="unicode").encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES["xml"])


def render_errors(
    *, fmt: str, status: int, descriptions: Sequence[str]
) -> HttpResponse:
    """Open311 errors: ``<errors><error><code/><description/>`` or an array."""
    errors = [{"code": status, "description": d} for d in descriptions]
    return render(
        fmt=fmt if fmt in FORMATS else "xml", root="errors", data=errors, status=status
    )


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), key, child)
    elif isinstance(value, (list, tuple)):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _fill(ET.SubElement(element, item_name), item_name, item)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML.sub("", str(value))

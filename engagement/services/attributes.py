"""Checking answers to a service's questions (Open311 attributes)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime

from ..models import AttributeDatatype, Service, ServiceAttribute
from ..text import clean_text

MAX_TEXT = 2000


def clean_attribute_answers(
    *,
    service: Service,
    answers: Mapping[str, Any],
    attributes: Iterable[ServiceAttribute] | None = None,
) -> dict[str, Any]:
    """Return the answers a service accepts, keyed by attribute code.

    Raises one ValidationError keyed ``attribute_<code>`` per bad answer, so a
    form can show each next to its question. Unknown codes are dropped: a
    client cannot store arbitrary data through them.
    """
    attributes = list(
        attributes if attributes is not None else service.attributes.all()
    )
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for attr in attributes:
        if not attr.variable:
            continue
        raw = answers.get(attr.code)
        if _blank(raw):
            if attr.required:
                errors[f"attribute_{attr.code}"] = f"Please answer: {attr.description}"
            continue
        try:
            cleaned[attr.code] = _clean_one(attr, raw)
        except ValueError as exc:
            errors[f"attribute_{attr.code}"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, (list, tuple)):
        return not [v for v in raw if str(v).strip()]
    return not str(raw).strip()


def _clean_one(attr: ServiceAttribute, raw: Any) -> Any:
    kind = attr.datatype
    if kind == AttributeDatatype.MULTIVALUELIST:
        values = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
        chosen = [str(v).strip() for v in values if str(v).strip()]
        unknown = [v for v in chosen if v not in attr.value_keys()]
        if unknown:
            raise ValueError(f"Not a choice for “{attr.description}”: {unknown[0]}")
        return chosen
    if isinstance(raw, (list, tuple)):
        raw = raw[0] if raw else ""
    text = clean_text(str(raw))
    if kind == AttributeDatatype.SINGLEVALUELIST:
        if text not in attr.value_keys():
            raise ValueError(
                f"Please choose one of the options for “{attr.description}”."
            )
        return text
    if kind == AttributeDatatype.NUMBER:
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"“{attr.description}” needs a number.") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"“{attr.description}” needs a number.")
        return int(number) if number.is_integer() else number
    if kind == AttributeDatatype.DATETIME:
        parsed = parse_datetime(text) or parse_date(text)
        if parsed is None:
            raise ValueError(
                f"“{attr.description}” needs a date, like 2026-05-31 or "
                "2026-05-31T14:30."
            )
        return parsed.isoformat()
    limit = 200 if kind == AttributeDatatype.STRING else MAX_TEXT
    if len(text) > limit:
        raise ValueError(f"“{attr.description}” can be at most {limit} characters.")
    return text

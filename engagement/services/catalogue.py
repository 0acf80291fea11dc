"""Loading the services catalogue from an Open311 ``services.json``."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from ..models import AttributeDatatype, Department, Service, ServiceAttribute


class CatalogueError(ValueError):
    """The file cannot be read as an Open311 services list; nothing was written."""


@dataclass
class CatalogueResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created + self.updated + self.unchanged} services: "
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped; "
            f"{self.departments} departments"
        )


SERVICE_FIELDS = ("name", "description", "group", "keywords", "type", "department")


def load_services_file(*, path: Path) -> CatalogueResult:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogueError(f"No such file: {path}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError(f"{path} is not valid JSON: {exc}") from exc
    return load_services(data=data)


@transaction.atomic
def load_services(*, data: Any) -> CatalogueResult:
    """Create or update services (and their departments) from Open311 data.

    Idempotent by ``service_code``. Only what the file says is changed: local
    settings such as ``expected_days``, ``sensitive`` or the duplicate radius
    survive a reload.
    """
    if isinstance(data, dict) and isinstance(data.get("services"), list):
        data = data["services"]
    if not isinstance(data, list):
        raise CatalogueError(
            "Expected an Open311 services list: a JSON array of services."
        )
    result = CatalogueResult()
    departments: dict[str, Department] = {}
    for index, item in enumerate(data):
        code = (
            str(item.get("service_code", "")).strip() if isinstance(item, dict) else ""
        )
        name = str(item.get("service_name", "")).strip() if code else ""
        if not code or not name:
            result.skipped.append(f"entry {index}: no service_code or service_name")
            continue
        department = _department(item, departments)
        values = {
            "name": name[:200],
            "description": str(item.get("description") or ""),
            "group": str(item.get("group") or "")[:100],
            "keywords": str(item.get("keywords") or "")[:500],
            "type": item.get("type")
            if item.get("type") in ("realtime", "batch", "blackbox")
            else "realtime",
            "department": department,
        }
        service = Service.objects.filter(service_code=code).first()
        if service is None:
            Service.objects.create(service_code=code, **values)
            result.created += 1
        elif any(getattr(service, f) != values[f] for f in SERVICE_FIELDS):
            for f in SERVICE_FIELDS:
                setattr(service, f, values[f])
            service.save()
            result.updated += 1
        else:
            result.unchanged += 1
    result.departments = len(departments)
    return result


def _department(item: dict, seen: dict[str, Department]) -> Department | None:
    listed = (item.get("definitions") or {}).get("service_departments") or []
    if not listed or not isinstance(listed[0], dict) or not listed[0].get("code"):
        return None
    entry = listed[0]
    code = str(entry["code"])[:64]
    if code not in seen:
        department, _ = Department.objects.update_or_create(
            code=code,
            defaults={
                "name": str(entry.get("name") or code)[:200],
                "email": entry.get("email") or "",
                "phone": entry.get("phone") or "",
                "web_link": entry.get("web_link") or "",
            },
        )
        seen[code] = department
    return seen[code]


@transaction.atomic
def define_attributes(*, service: Service, attributes: list[dict]) -> None:
    """Replace a service's questions (an Open311 service definition)."""
    valid = set(AttributeDatatype.values)
    ServiceAttribute.objects.filter(service=service).delete()
    for order, attr in enumerate(attributes, start=1):
        if attr["datatype"] not in valid:
            raise CatalogueError(f"Unknown datatype {attr['datatype']!r}")
        ServiceAttribute.objects.create(
            service=service,
            code=attr["code"],
            datatype=attr["datatype"],
            required=attr.get("required", False),
            order=attr.get("order", order),
            description=attr["description"],
            datatype_description=attr.get("datatype_description", ""),
            values=attr.get("values", []),
        )

"""Registry of what each app holds about a person, for export and erasure.

``accounts`` sits at the bottom of the layers and cannot import the apps that
store contributions (requests, comments, points). Each of those registers an
exporter (and, if it holds personal data beyond the author link, an eraser)
in its ``AppConfig.ready``, so one export and one deletion cover everything.
"""

from collections.abc import Callable
from typing import Any

from .models import User

Exporter = Callable[[User], Any]
Eraser = Callable[[User], None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register_exporter(section: str, exporter: Exporter) -> None:
    """Add a section to every personal-data export; a JSON-serialisable value."""
    _exporters[section] = exporter


def register_eraser(name: str, eraser: Eraser) -> None:
    """Run ``eraser(user)`` when an account is deleted, inside its transaction."""
    _erasers[name] = eraser


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def erasers() -> dict[str, Eraser]:
    return dict(_erasers)

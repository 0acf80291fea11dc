"""Demo data: real Boston 311 requests, so the map and lists show a living city
(see demo/data/README.md for where the files come from)."""

from pathlib import Path

from django.conf import settings

from .services.importing import BOSTON_CSV, ImportResult, import_requests

DEMO_DATA = Path(settings.BASE_DIR) / "demo" / "data"
# Small samples on purpose: a demo loads in seconds. Closed cases of ten
# years, then open sidewalk and street light cases of 2025.
DEMO_REQUEST_FILES = (
    DEMO_DATA / "boston_311_sample_2015_2024_closed.csv",
    DEMO_DATA / "boston_311_2025_open_sidewalk_streetlight.csv",
)


def import_demo_requests() -> list[ImportResult]:
    """Import the demo samples; needs the neighborhoods loaded first (rows are
    placed by point-in-polygon). Running it again imports nothing: rows are
    matched on their Boston case id."""
    return [
        import_requests(source=path, format=BOSTON_CSV) for path in DEMO_REQUEST_FILES
    ]

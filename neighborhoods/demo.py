"""Demo data: the City of Boston's 26 neighborhoods (see demo/data/README.md)."""

from pathlib import Path

from django.conf import settings

from .services import LoadResult, load_neighborhoods_from_file

BOSTON_NEIGHBORHOODS_GEOJSON = (
    Path(settings.BASE_DIR) / "demo" / "data" / "boston_neighborhoods.geojson"
)


def load_demo_neighborhoods() -> LoadResult:
    """Load Boston's neighborhoods; running it again changes nothing, so the
    demo-data command can be re-run safely."""
    return load_neighborhoods_from_file(
        path=BOSTON_NEIGHBORHOODS_GEOJSON, name_property="Name"
    )

"""Factories for neighborhoods: small squares, easy to reason about."""

import factory
from django.utils.text import slugify

from neighborhoods.models import Neighborhood


def square(*, west: float, south: float, size: float) -> dict:
    """A GeoJSON Polygon: the square with this south-west corner and side."""
    east, north = west + size, south + size
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


class NeighborhoodFactory(factory.django.DjangoModelFactory):
    """A neighborhood whose boundary is a square of ``size`` degrees, south-west
    corner at (``west``, ``south``); by default a ~1 km square in Boston."""

    class Meta:
        model = Neighborhood

    class Params:
        west = -71.10
        south = 42.30
        size = 0.01

    name = factory.Sequence(lambda n: f"Neighborhood {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    boundary = factory.LazyAttribute(
        lambda o: square(west=o.west, south=o.south, size=o.size)
    )
    population = None

"""Placing a whole batch of points in neighborhoods at once."""

from collections.abc import Sequence

import numpy as np
import shapely

from neighborhoods import geometry
from neighborhoods.models import Neighborhood


class NeighborhoodLocator:
    """Which neighborhood each of many points is in.

    The answers are those of ``neighborhoods.selectors.neighborhood_containing``:
    a point on a boundary is inside (``covers``), a point on an edge two
    neighborhoods share goes to the first by name, a boundary that does not
    parse is left out and one that self-intersects is repaired. But a batch
    costs one vectorised shapely call per neighborhood instead of a Python
    call, a ``Point`` and a copied model instance per point, which took a
    fifth of an import's time. Only the ids are needed here.

    The boundaries are read once, when the import starts: rows are placed by
    the neighborhoods as they were then.
    """

    def __init__(self) -> None:
        shapes = []
        for pk, name, boundary in Neighborhood.objects.values_list(
            "pk", "name", "boundary"
        ):
            try:
                shape = geometry.to_shape(boundary)
            except geometry.GeometryError:
                continue
            if not shape.is_valid:
                shape = geometry.repair(shape) or shape
            shapely.prepare(shape)
            shapes.append((name, pk, shape))
        shapes.sort(key=lambda entry: (entry[0], entry[1]))
        self.entries = [(pk, shape) for _, pk, shape in shapes]

    def locate(self, points: Sequence[tuple[float, float]]) -> list[int | None]:
        """The neighborhood id of each ``(lat, lon)``, or None outside all."""
        if not points:
            return []
        coords = np.array(points, dtype=float)
        geoms = shapely.points(coords[:, 1], coords[:, 0])
        found = np.zeros(len(points), dtype=np.int64)  # ids start at 1
        remaining = np.arange(len(points))
        for pk, shape in self.entries:
            hit = shapely.covers(shape, geoms[remaining])
            found[remaining[hit]] = pk
            remaining = remaining[~hit]
            if not remaining.size:
                break
        return [int(pk) or None for pk in found]

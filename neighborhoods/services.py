"""Writes to neighborhoods: loading boundaries from any city's GeoJSON."""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.validation import explain_validity

from . import boundary_index, geometry
from .models import Neighborhood

# Property keys cities use for a neighborhood's name, most likely first; matched
# without regard to case (Boston "Name", Seattle "S_HOOD", Chicago "pri_neigh",
# New York "ntaname", San Francisco "nhood", Washington "NBHD_NAME").
NAME_PROPERTY_CANDIDATES = (
    "name",
    "neighborhood",
    "neighbourhood",
    "neighborhood_name",
    "nbhd_name",
    "nhood",
    "ntaname",
    "pri_neigh",
    "s_hood",
    "hood",
    "nbhd",
    "label",
    "title",
)

# Names under which GeoJSON files declare plain longitude/latitude.
_LON_LAT_CRS_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:epsg::4326",
    "epsg:4326",
    "crs84",
}

_NAME_MAX_LENGTH = Neighborhood._meta.get_field("name").max_length
_SLUG_MAX_LENGTH = Neighborhood._meta.get_field("slug").max_length


class NeighborhoodImportError(ValueError):
    """The input cannot be loaded at all; nothing was written."""


@dataclass
class LoadResult:
    """What a load did, in the words its summary line uses."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_reasons: list[str] = field(default_factory=list)
    # Things done that a person loading the file should know about: repaired
    # geometries, merged features, neighborhoods the file does not mention.
    notes: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        noun = "neighborhood" if self.loaded == 1 else "neighborhoods"
        return (
            f"{self.loaded} {noun}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )


@dataclass
class _Parsed:
    name: str
    slug: str
    shapes: list[BaseGeometry]
    populations: list[int]


def load_neighborhoods_from_file(
    *,
    path: Path | str,
    name_property: str | None = None,
    population_property: str | None = None,
) -> LoadResult:
    """Read a GeoJSON file and load it with ``load_neighborhoods_from_geojson``.

    A missing or unreadable file and invalid JSON are ``NeighborhoodImportError``
    too, so a caller has one failure to report, with a message a person can act
    on.
    """
    path = Path(path)
    try:
        # utf-8-sig: files saved by desktop GIS tools often start with a BOM.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise NeighborhoodImportError(f"File not found: {path}") from exc
    except IsADirectoryError as exc:
        raise NeighborhoodImportError(f"{path} is a directory, not a file") from exc
    except UnicodeDecodeError as exc:
        raise NeighborhoodImportError(
            f"{path} is not valid JSON: it is not UTF-8 text"
        ) from exc
    except OSError as exc:
        raise NeighborhoodImportError(f"Cannot read {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NeighborhoodImportError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}"
        ) from exc
    return load_neighborhoods_from_geojson(
        data=data, name_property=name_property, population_property=population_property
    )


def load_neighborhoods_from_geojson(
    *,
    data: dict,
    name_property: str | None = None,
    population_property: str | None = None,
) -> LoadResult:
    """Create or update neighborhoods from a GeoJSON FeatureCollection.

    Works for any city's file: Polygon and MultiPolygon features become
    neighborhoods, keyed by the slug of their name, so loading the same file
    again changes nothing and loading a newer one updates the boundaries that
    moved. Features of other geometry types, without a name, or with a
    geometry that cannot be repaired are skipped and reported; self-intersecting
    rings (common in published files) are repaired. Several features with the
    same name are merged into one boundary, since cities often publish a
    neighborhood in pieces. Neighborhoods missing from the file are left alone:
    deleting them would orphan everything filed in them.

    Everything is checked before anything is written, and the writes happen in
    one transaction: a file either loads completely or not at all. Input that
    cannot be loaded raises ``NeighborhoodImportError`` naming the problem.

    ``name_property`` is detected when not given (see
    ``NAME_PROPERTY_CANDIDATES``). ``population_property``, when given, fills
    ``population``; when not, stored populations are kept.
    """
    features = _features(data)
    result = LoadResult()
    polygonal, other_types = [], Counter()
    for number, feature in enumerate(features, start=1):
        geom_type = _geometry_type(feature)
        if geom_type in geometry.POLYGONAL_TYPES:
            polygonal.append((number, feature))
        else:
            other_types[geom_type or "no geometry"] += 1
    if not polygonal:
        found = ", ".join(f"{count} {kind}" for kind, count in other_types.items())
        raise NeighborhoodImportError(
            "No Polygon or MultiPolygon features found: neighborhoods need areas. "
            f"The file has {len(features)} features ({found})."
        )
    for kind, count in other_types.items():
        result.skipped += count
        result.skipped_reasons.append(
            f"{count} feature{'s' if count != 1 else ''} with {kind} "
            "(not a Polygon or MultiPolygon)"
        )

    available = _property_names(polygonal)
    name_property = _name_property(name_property, available)
    if population_property is not None and population_property not in available:
        raise NeighborhoodImportError(
            f"Population property {population_property!r} not found in the "
            f"features. Available properties: {', '.join(available)}."
        )

    parsed: dict[str, _Parsed] = {}
    for number, feature in polygonal:
        item, reason = _parse_feature(
            number, feature, name_property, population_property, result
        )
        if item is None:
            result.skipped += 1
            result.skipped_reasons.append(reason)
            continue
        if item.slug in parsed:
            parsed[item.slug].shapes.extend(item.shapes)
            parsed[item.slug].populations.extend(item.populations)
        else:
            parsed[item.slug] = item
    if not parsed:
        raise NeighborhoodImportError(
            f"None of the {len(polygonal)} Polygon or MultiPolygon features could "
            "be loaded: " + "; ".join(result.skipped_reasons)
        )

    rows = {slug: _row(item, result) for slug, item in parsed.items()}
    try:
        _write(rows, population_given=population_property is not None, result=result)
    except BaseException:
        # The rolled-back saves already dropped the lookup index and the index
        # may have been rebuilt from rows that no longer exist.
        boundary_index.reset()
        raise
    return result


def _features(data: Any) -> list:
    if not isinstance(data, dict):
        raise NeighborhoodImportError(
            "Expected a GeoJSON FeatureCollection (a JSON object with "
            f'"type": "FeatureCollection"), got a JSON {_json_kind(data)}.'
        )
    kind = data.get("type")
    if kind != "FeatureCollection":
        hint = (
            " Wrap it in a FeatureCollection."
            if kind == "Feature" or kind in geometry.POLYGONAL_TYPES
            else ""
        )
        raise NeighborhoodImportError(
            f"Expected a GeoJSON FeatureCollection, got type {kind!r}.{hint}"
        )
    crs = ((data.get("crs") or {}).get("properties") or {}).get("name")
    if crs and str(crs).lower() not in _LON_LAT_CRS_NAMES:
        raise NeighborhoodImportError(
            f"The file's coordinates are in {crs}; neighborhoods need WGS84 "
            "longitude/latitude (EPSG:4326). Reproject it first, for example "
            "with: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson"
        )
    features = data.get("features")
    if not isinstance(features, list):
        raise NeighborhoodImportError('The FeatureCollection has no "features" list.')
    if not features:
        raise NeighborhoodImportError("The FeatureCollection has no features.")
    return features


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return type(value).__name__


def _geometry_type(feature: Any) -> str | None:
    if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
        return None
    return feature["geometry"].get("type")


def _properties(feature: dict) -> dict:
    properties = feature.get("properties")
    return properties if isinstance(properties, dict) else {}


def _property_names(polygonal: list[tuple[int, dict]]) -> list[str]:
    names: dict[str, None] = {}
    for _number, feature in polygonal:
        names.update(dict.fromkeys(_properties(feature)))
    return sorted(names, key=str.lower)


def _name_property(requested: str | None, available: list[str]) -> str:
    listed = ", ".join(available) if available else "(none)"
    if requested is not None:
        if requested not in available:
            raise NeighborhoodImportError(
                f"Name property {requested!r} not found in the features. "
                f"Available properties: {listed}."
            )
        return requested
    by_lower = {name.lower(): name for name in available}
    for candidate in NAME_PROPERTY_CANDIDATES:
        if candidate in by_lower:
            return by_lower[candidate]
    raise NeighborhoodImportError(
        "Could not tell which property holds the neighborhood names. "
        f"Available properties: {listed}. Name one with --name-property."
    )


def _parse_feature(
    number: int,
    feature: dict,
    name_property: str,
    population_property: str | None,
    result: LoadResult,
) -> tuple[_Parsed | None, str]:
    properties = _properties(feature)
    raw_name = properties.get(name_property)
    name = " ".join(str(raw_name).split()) if raw_name is not None else ""
    label = f"feature #{number}" + (f" ({name!r})" if name else "")
    if not name:
        return None, f"{label}: no value for {name_property!r}"
    slug = slugify(name)[:_SLUG_MAX_LENGTH].strip("-")
    if len(name) > _NAME_MAX_LENGTH or not slug:
        return None, f"{label}: the name cannot be used for a page address"
    try:
        shape = geometry.to_shape(feature["geometry"])
    except geometry.GeometryError as exc:
        return None, f"{label}: {exc}"
    if shape.is_empty:
        return None, f"{label}: the geometry is empty"
    if not geometry.is_lon_lat(shape):
        return None, f"{label}: coordinates are not longitude/latitude degrees"
    if not shape.is_valid:
        problem = explain_validity(shape)
        repaired = geometry.repair(shape)
        if repaired is None:
            return (
                None,
                f"{label}: invalid geometry that cannot be repaired ({problem})",
            )
        result.notes.append(f"Repaired the boundary of {name!r}: {problem}")
        shape = repaired
    populations = []
    if population_property is not None:
        population = _population(properties.get(population_property))
        if population is None and properties.get(population_property) not in (None, ""):
            result.notes.append(
                f"Ignored the population of {name!r}: "
                f"{properties.get(population_property)!r} is not a whole number"
            )
        elif population is not None:
            populations.append(population)
    return _Parsed(name=name, slug=slug, shapes=[shape], populations=populations), ""


def _population(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.replace(",", "").strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number < 0 or not number.is_integer():
        return None
    return int(number)


def _row(item: _Parsed, result: LoadResult) -> dict:
    if len(item.shapes) == 1:
        shape = item.shapes[0]
    else:
        shape = unary_union(item.shapes)
        result.notes.append(
            f"Merged {len(item.shapes)} features named {item.name!r} into one boundary"
        )
    if not item.populations:
        population = None
    elif len(set(item.populations)) == 1:
        # Pieces of one neighborhood usually repeat the whole population.
        population = item.populations[0]
    else:
        population = sum(item.populations)
    return {
        "name": item.name,
        "boundary": geometry.to_geojson(shape),
        "population": population,
    }


@transaction.atomic
def _write(
    rows: dict[str, dict], *, population_given: bool, result: LoadResult
) -> None:
    existing = Neighborhood.objects.in_bulk(list(rows), field_name="slug")
    for slug, row in rows.items():
        neighborhood = existing.get(slug)
        if neighborhood is None:
            Neighborhood.objects.create(slug=slug, **row)
            result.created += 1
            continue
        wanted = dict(row)
        if not population_given:
            wanted.pop("population")
        changed = [f for f, v in wanted.items() if getattr(neighborhood, f) != v]
        if not changed:
            result.unchanged += 1
            continue
        for field_name in changed:
            setattr(neighborhood, field_name, wanted[field_name])
        neighborhood.save()
        result.updated += 1
    others = Neighborhood.objects.exclude(slug__in=list(rows)).count()
    if others:
        noun = "neighborhood" if others == 1 else "neighborhoods"
        result.notes.append(
            f"Left alone {others} stored {noun} that this file does not mention"
        )

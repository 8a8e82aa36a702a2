"""Body-region anatomy the limits use: which regions overlap, and which regions a stretch crosses.

The map is data (planner/data/regions.json), not per-case code: a protected region protects every
landmark inside it and every region containing it (pressure on the buttock presses the sitting bone;
a protected sitting bone rules out sitting), and an end-range stretch of a region is out when the
stretched tissues cross a protected region (a protected gluteal region rules out end-range stretches
of the gluteals, the hip rotators and flexors and the hamstrings). Everything here only ever adds
regions to what is protected, so protecting one more region never lets an exercise back in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.types import Rule
from planner.vocabulary import BODY_REGIONS, MOVEMENT_TAGS, POSITIONS

REGIONS_PATH = Path(__file__).resolve().parent / "data" / "regions.json"


@dataclass(frozen=True)
class RegionMap:
    """What the limits need from the anatomy map (planner/data/regions.json), precomputed per region.

    overlap: region -> the region, the regions it lies within and the landmarks within it.
    reach: region -> every region a stretch of it touches (itself and what it crosses, with overlaps).
    impulsive_tags: attributes that jolt the regions an exercise loads. rule: the map's citation.
    padded_positions: positions in which a region marked "padded and short" may bear weight (sitting
        on a cushion, briefly); padded_rule: that rule, cited by every item it lets through.
    """

    overlap: Mapping[str, frozenset[str]]
    reach: Mapping[str, frozenset[str]]
    impulsive_tags: frozenset[str]
    rule: Rule
    padded_positions: frozenset[str] = frozenset()
    padded_rule: Rule | None = None
    padded_note: str = ""

    def protected_overlap(self, region: str, protected: Iterable[str]) -> frozenset[str]:
        """The protected regions a pressure on `region` presses."""
        return self.overlap.get(region, frozenset({region})) & frozenset(protected)

    def pressed_protected(self, pressed: Iterable[str], protected: Iterable[str]) -> list[str]:
        """The pressed (or loaded) regions that overlap a protected region, in the order given."""
        protected = frozenset(protected)
        return [region for region in pressed if self.overlap.get(region, frozenset({region})) & protected]

    def stretched_protected(self, stretched: Iterable[str], protected: Iterable[str]) -> list[str]:
        """The stretched regions whose stretch reaches a protected region, in the order given."""
        protected = frozenset(protected)
        return [region for region in stretched if self.reach.get(region, frozenset({region})) & protected]


class RegionMapError(ValueError):
    """regions.json names an unknown region or tag."""


def region_map_from_data(data: Mapping[str, Any]) -> RegionMap:
    known = set(BODY_REGIONS)
    for name in ("within", "stretch_crosses"):
        for region, others in data[name].items():
            unknown = ({region} | set(others)) - known
            if unknown:
                raise RegionMapError(f"{name}: unknown regions {sorted(unknown)}")
    if not set(data["impulsive_tags"]) <= set(MOVEMENT_TAGS):
        raise RegionMapError(f"impulsive_tags: unknown tags {sorted(set(data['impulsive_tags']) - set(MOVEMENT_TAGS))}")
    within = {region: frozenset(wholes) for region, wholes in data["within"].items()}
    overlap = {}
    for region in BODY_REGIONS:
        inside = {part for part, wholes in within.items() if region in wholes}
        overlap[region] = frozenset({region, *within.get(region, ()), *inside})
    reach = {}
    for region in BODY_REGIONS:
        touched = {region, *data["stretch_crosses"].get(region, ())}
        reach[region] = frozenset().union(*(overlap[other] for other in touched))
    padded = data.get("padded_pressure")
    padded_positions: frozenset[str] = frozenset()
    padded_rule, padded_note = None, ""
    if padded is not None:
        if not set(padded["positions"]) <= set(POSITIONS):
            raise RegionMapError(
                f"padded_pressure: unknown positions {sorted(set(padded['positions']) - set(POSITIONS))}"
            )
        padded_rule = Rule(id=padded["id"], text=padded["text"], evidence=padded["evidence"], source=padded["source"])
        padded_positions, padded_note = frozenset(padded["positions"]), padded["patient_note"]
    return RegionMap(
        overlap=overlap,
        reach=reach,
        impulsive_tags=frozenset(data["impulsive_tags"]),
        rule=Rule(id=data["id"], text=data["text"], evidence=data["evidence"], source=data["source"]),
        padded_positions=padded_positions,
        padded_rule=padded_rule,
        padded_note=padded_note,
    )


@lru_cache(maxsize=1)
def default_region_map() -> RegionMap:
    """The shipped anatomy map, read once per process."""
    with open(REGIONS_PATH, encoding="utf-8") as source:
        return region_map_from_data(json.load(source))

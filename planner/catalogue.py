"""The exercise library: reading it, and deciding which exercises a patient's limits allow.

An exercise is out when (each reason names the limit, for the clinician and the API):
- its impact is above max_impact;
- it carries an excluded movement tag;
- it presses on a protected region (pressure_regions and avoid_regions overlap);
- it stretches a protected region to end range (end_range_stretch and stretched_regions overlap);
- it loads a region the assessment says to leave alone (regions_loaded and no_loading_regions);
- it needs equipment the patient lacks, or a position the patient cannot take.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from planner.types import ExerciseSpec, Instructions, Profile, Violation
from planner.vocabulary import IMPACT_LEVELS

if TYPE_CHECKING:
    from planner.types import LoadLimits

DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "exercises.json"

INSTRUCTION_FIELDS = ("setup", "movement", "feel", "mistakes")
LIST_FIELDS = ("regions_loaded", "pressure_regions", "stretched_regions", "equipment", "tags", "muscle_groups")


def exercise_from_dict(data: Mapping) -> ExerciseSpec:
    """One ExerciseSpec from its JSON object (lists become tuples); raises ValueError if malformed."""
    try:
        instructions = Instructions(**{key: data["instructions"][key] for key in INSTRUCTION_FIELDS})
        return ExerciseSpec(
            slug=data["slug"],
            name=data["name"],
            component=data["component"],
            impact=data["impact"],
            position=data["position"],
            dose_kind=data["dose_kind"],
            easier=data.get("easier"),
            harder=data.get("harder"),
            instructions=instructions,
            **{name: tuple(data[name]) for name in LIST_FIELDS},
        )
    except KeyError as missing:
        raise ValueError(f"exercise {data.get('slug')!r}: missing {missing}") from None


def exercise_to_dict(spec: ExerciseSpec) -> dict:
    """The JSON object for an ExerciseSpec, in the library's own schema."""
    return {
        "slug": spec.slug,
        "name": spec.name,
        "component": spec.component,
        "impact": spec.impact,
        "regions_loaded": list(spec.regions_loaded),
        "pressure_regions": list(spec.pressure_regions),
        "stretched_regions": list(spec.stretched_regions),
        "equipment": list(spec.equipment),
        "position": spec.position,
        "tags": list(spec.tags),
        "dose_kind": spec.dose_kind,
        "easier": spec.easier,
        "harder": spec.harder,
        "instructions": {
            "setup": spec.instructions.setup,
            "movement": spec.instructions.movement,
            "feel": spec.instructions.feel,
            "mistakes": spec.instructions.mistakes,
        },
        "muscle_groups": list(spec.muscle_groups),
    }


def catalogue_from_dicts(entries: Iterable[Mapping]) -> tuple[ExerciseSpec, ...]:
    """A catalogue from JSON objects; slugs must be unique."""
    specs = tuple(exercise_from_dict(entry) for entry in entries)
    slugs = [spec.slug for spec in specs]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise ValueError(f"duplicate exercise slugs: {duplicates}")
    return specs


def load_catalogue(path: Path | str) -> tuple[ExerciseSpec, ...]:
    with open(path, encoding="utf-8") as library:
        return catalogue_from_dicts(json.load(library))


@lru_cache(maxsize=1)
def load_default_catalogue() -> tuple[ExerciseSpec, ...]:
    """The shipped library (planner/data/exercises.json), read once per process."""
    return load_catalogue(DEFAULT_CATALOGUE_PATH)


def _words(values: Iterable[str]) -> str:
    return ", ".join(value.replace("_", " ") for value in values)


def exercise_violations(spec: ExerciseSpec, limits: LoadLimits, profile: Profile | None = None) -> list[Violation]:
    """Why `spec` may not be prescribed under `limits` (and the profile's equipment and positions)."""
    found = []
    if IMPACT_LEVELS.index(spec.impact) > IMPACT_LEVELS.index(limits.max_impact):
        found.append(Violation("max_impact", f"{spec.name} is {spec.impact} impact; the limit is {limits.max_impact}."))
    excluded = [tag for tag in spec.tags if tag in limits.excluded_tags]
    if excluded:
        found.append(Violation("excluded_tags", f"{spec.name} involves {_words(excluded)}, which is excluded."))
    # Pressure is checked whatever the tags say: a protected region must never bear weight.
    pressed = [region for region in spec.pressure_regions if region in limits.avoid_regions]
    if pressed:
        found.append(
            Violation("avoid_regions", f"{spec.name} puts pressure on {_words(pressed)}, which must be protected.")
        )
    if "end_range_stretch" in spec.tags:
        stretched = [region for region in spec.stretched_regions if region in limits.avoid_regions]
        if stretched:
            found.append(
                Violation(
                    "avoid_regions", f"{spec.name} stretches {_words(stretched)} to end range, which must be protected."
                )
            )
    loaded = [region for region in spec.regions_loaded if region in limits.no_loading_regions]
    if loaded:
        found.append(Violation("no_loading_regions", f"{spec.name} loads {_words(loaded)}, which must not be loaded."))
    if profile is not None:
        if profile.available_equipment is not None:
            missing = [item for item in spec.equipment if item != "none" and item not in profile.available_equipment]
            if missing:
                found.append(Violation("available_equipment", f"{spec.name} needs {_words(missing)}."))
        if spec.position in profile.unavailable_positions:
            found.append(
                Violation(
                    "unavailable_positions",
                    f"{spec.name} is done {spec.position.replace('_', ' ')}, a position the patient cannot take.",
                )
            )
    return found


def allowed_exercises(
    catalogue: Iterable[ExerciseSpec], limits: LoadLimits, profile: Profile | None = None
) -> tuple[ExerciseSpec, ...]:
    """The exercises of `catalogue` that break no limit (and suit the profile, when given)."""
    return tuple(spec for spec in catalogue if not exercise_violations(spec, limits, profile))

"""The exercise library: reading it, and deciding which exercises a patient's limits allow.

An exercise is out when (each reason names the limit, for the clinician and the API):
- its impact is above max_impact;
- it carries an excluded movement tag;
- it presses on a protected region (a pressure region overlaps an avoid region: the same region, a
  landmark inside it, or the region a landmark lies in; planner/data/regions.json), unless every
  protected region it presses is one the clinician marked as tolerating padded, short pressure
  (Profile.padded_pressure_regions) and it is done in a position regions.json allows for that
  (sitting: a cushion, short bouts);
- it takes a stretch to end range whose tissues cross a protected region (end_range_stretch, and a
  stretched region's reach in regions.json meets avoid_regions);
- it jolts a protected region (an impulsive attribute such as ballistic or swinging, and a loaded
  region overlapping avoid_regions);
- it loads a region the assessment says to leave alone (regions_loaded and no_loading_regions);
- it needs equipment the patient lacks, or a position the patient cannot take.

Library entries declare their movement attributes either as "tags" (the attributes that are true;
the form the database and the API store) or, in the shipped library, as an "attributes" block that
states every MOVEMENT_TAGS attribute true or false, so that a forgotten attribute is an error rather
than a silent "no".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from planner.regions import RegionMap, default_region_map
from planner.translation import gettext_noop
from planner.types import ExerciseSpec, Instructions, Profile, Violation
from planner.violations import violation
from planner.vocabulary import EQUIPMENT, IMPACT_LEVELS, MOVEMENT_TAGS

if TYPE_CHECKING:
    from planner.types import LoadLimits

T = TypeVar("T")

DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "exercises.json"

INSTRUCTION_FIELDS = ("setup", "movement", "feel", "mistakes")
LIST_FIELDS = ("regions_loaded", "pressure_regions", "stretched_regions", "equipment", "muscle_groups")


def tags_from_attributes(slug: str | None, attributes: object) -> list[str]:
    """The true attributes of a complete "attributes" block, in MOVEMENT_TAGS order.

    Raises ValueError when an attribute is missing, unknown or not true/false.
    """
    if not isinstance(attributes, Mapping):
        raise ValueError(f"exercise {slug!r}: attributes must be an object")
    missing = [tag for tag in MOVEMENT_TAGS if tag not in attributes]
    unknown = sorted(set(attributes) - set(MOVEMENT_TAGS))
    not_bool = sorted(tag for tag, value in attributes.items() if not isinstance(value, bool))
    problems = []
    if missing:
        problems.append(f"attributes not declared: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown attributes: {', '.join(unknown)}")
    if not_bool:
        problems.append(f"attributes that are not true/false: {', '.join(not_bool)}")
    if problems:
        raise ValueError(f"exercise {slug!r}: {'; '.join(problems)}")
    return [tag for tag in MOVEMENT_TAGS if attributes[tag]]


def _tags(data: Mapping[str, Any]) -> tuple[str, ...]:
    if "attributes" not in data:
        return tuple(data["tags"])
    tags = tags_from_attributes(data.get("slug"), data["attributes"])
    if "tags" in data and set(data["tags"]) != set(tags):
        raise ValueError(f"exercise {data.get('slug')!r}: tags disagree with the attributes block")
    return tuple(tags)


def exercise_from_dict(data: Mapping[str, Any]) -> ExerciseSpec:
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
            tags=_tags(data),
            session_roles=tuple(data.get("session_roles") or ()),
            intensity_reach=data.get("intensity_reach"),
            **{name: tuple(data[name]) for name in LIST_FIELDS},
        )
    except KeyError as missing:
        raise ValueError(f"exercise {data.get('slug')!r}: missing {missing}") from None


def exercise_to_dict(spec: ExerciseSpec) -> dict[str, Any]:
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
        "session_roles": list(spec.session_roles),
        "intensity_reach": spec.intensity_reach,
    }


def catalogue_from_dicts(entries: Iterable[Mapping[str, Any]]) -> tuple[ExerciseSpec, ...]:
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


def shipped_extras(slug: str) -> dict[str, Any]:
    """The library fields the database does not store (session roles, aerobic intensity reach) for
    a shipped exercise, or {} for an exercise the clinic added itself."""
    spec = next((spec for spec in load_default_catalogue() if spec.slug == slug), None)
    if spec is None:
        return {}
    return {"session_roles": list(spec.session_roles), "intensity_reach": spec.intensity_reach}


def pressed_unpadded(spec: ExerciseSpec, limits: LoadLimits, profile: Profile | None = None) -> list[str]:
    """The pressure regions of `spec` that press a protected region without the clinician's leave.

    A pressed region is let through when every protected region it overlaps is marked "padded and
    short" on the profile and the exercise's position is one the padded-pressure rule allows
    (planner/data/regions.json). A profile without padded regions gets exactly the old answer.
    """
    anatomy = default_region_map()
    pressed = anatomy.pressed_protected(spec.pressure_regions, limits.avoid_regions)
    if not pressed or profile is None or spec.position not in anatomy.padded_positions:
        return pressed
    padded = frozenset(profile.padded_pressure_regions) & frozenset(limits.avoid_regions)
    return [region for region in pressed if not anatomy.protected_overlap(region, limits.avoid_regions) <= padded]


def padded_regions_pressed(spec: ExerciseSpec, limits: LoadLimits, profile: Profile | None) -> tuple[str, ...]:
    """The padded-allowed protected regions `spec` presses (the patient sits on a cushion, briefly)."""
    if profile is None or not profile.padded_pressure_regions:
        return ()
    anatomy = default_region_map()
    hit: set[str] = set()
    for region in anatomy.pressed_protected(spec.pressure_regions, limits.avoid_regions):
        hit |= anatomy.protected_overlap(region, limits.avoid_regions)
    padded = set(profile.padded_pressure_regions)
    return tuple(region for region in limits.avoid_regions if region in hit and region in padded)


def _words(values: Iterable[str]) -> str:
    return ", ".join(value.replace("_", " ") for value in values)


def exercise_violations(spec: ExerciseSpec, limits: LoadLimits, profile: Profile | None = None) -> list[Violation]:
    """Why `spec` may not be prescribed under `limits` (and the profile's equipment and positions)."""
    found = []
    if IMPACT_LEVELS.index(spec.impact) > IMPACT_LEVELS.index(limits.max_impact):
        found.append(
            violation(
                "max_impact",
                gettext_noop("%(exercise)s is %(impact)s impact; the limit is %(limit)s."),
                exercise=spec.name,
                impact=spec.impact,
                limit=limits.max_impact,
            )
        )
    excluded = [tag for tag in spec.tags if tag in limits.excluded_tags]
    if excluded:
        found.append(
            violation(
                "excluded_tags",
                gettext_noop("%(exercise)s involves %(tags)s, which is excluded."),
                exercise=spec.name,
                tags=_words(excluded),
            )
        )
    anatomy = default_region_map()
    # Pressure is checked whatever the tags say: a protected region must never bear weight, unless
    # the clinician marked it as tolerating padded, short pressure (sitting on a cushion).
    pressed = pressed_unpadded(spec, limits, profile)
    if pressed:
        found.append(
            violation(
                "avoid_regions",
                gettext_noop("%(exercise)s puts pressure on %(regions)s, which must be protected."),
                exercise=spec.name,
                regions=_words(pressed),
            )
        )
    if "end_range_stretch" in spec.tags:
        stretched = anatomy.stretched_protected(spec.stretched_regions, limits.avoid_regions)
        if stretched:
            found.append(
                violation(
                    "avoid_regions",
                    gettext_noop(
                        "%(exercise)s stretches %(regions)s to end range, across a region that must be protected."
                    ),
                    exercise=spec.name,
                    regions=_words(stretched),
                )
            )
    impulsive = [tag for tag in spec.tags if tag in anatomy.impulsive_tags]
    if impulsive:
        jolted = anatomy.stretched_protected(spec.regions_loaded, limits.avoid_regions)
        if jolted:
            found.append(
                violation(
                    "avoid_regions",
                    gettext_noop(
                        "%(exercise)s is %(tags)s work loading %(regions)s, next to a region that must be protected."
                    ),
                    exercise=spec.name,
                    tags=_words(impulsive),
                    regions=_words(jolted),
                )
            )
    loaded = anatomy.pressed_protected(spec.regions_loaded, limits.no_loading_regions)
    if loaded:
        found.append(
            violation(
                "no_loading_regions",
                gettext_noop("%(exercise)s loads %(regions)s, which must not be loaded."),
                exercise=spec.name,
                regions=_words(loaded),
            )
        )
    if profile is not None:
        if profile.available_equipment is not None:
            missing = [item for item in spec.equipment if item != "none" and item not in profile.available_equipment]
            if missing:
                found.append(
                    violation(
                        "available_equipment",
                        gettext_noop("%(exercise)s needs %(equipment)s."),
                        exercise=spec.name,
                        equipment=_words(missing),
                    )
                )
        if spec.position in profile.unavailable_positions:
            found.append(
                violation(
                    "unavailable_positions",
                    gettext_noop("%(exercise)s is done %(position)s, a position the patient cannot take."),
                    exercise=spec.name,
                    position=spec.position.replace("_", " "),
                )
            )
    return found


def allowed_exercises(
    catalogue: Iterable[ExerciseSpec], limits: LoadLimits, profile: Profile | None = None
) -> tuple[ExerciseSpec, ...]:
    """The exercises of `catalogue` that break no limit (and suit the profile, when given).

    For a catalogue given as a tuple (the shipped library is one) the answer comes from the catalogue's
    index (CatalogueIndex.allowed): the same checks, as set operations over precomputed masks.
    """
    if type(catalogue) is tuple:
        return catalogue_index(catalogue).allowed(limits, profile)
    return _filter(catalogue, limits, profile)


def _filter(catalogue: Iterable[ExerciseSpec], limits: LoadLimits, profile: Profile | None) -> tuple[ExerciseSpec, ...]:
    return tuple(spec for spec in catalogue if not exercise_violations(spec, limits, profile))


class _Masks:
    """exercise_violations as bit masks over one catalogue (bit i: the catalogue's i-th exercise), for
    one region map. Every check there is a union over the limit's or the profile's values (an excluded
    tag, a protected region, a missing piece of equipment, an unavailable position), so the exercises a
    patient may not do are the union of the masks of those values; a mask is computed the first time
    its value is asked for.
    """

    def __init__(self, catalogue: tuple[ExerciseSpec, ...], anatomy: RegionMap):
        self.catalogue, self.anatomy = catalogue, anatomy
        self.everything = (1 << len(catalogue)) - 1
        self._masks: dict[tuple[str, str], int] = {}
        padded_positions = anatomy.padded_positions
        self.padded_position = self._where(lambda spec: spec.position in padded_positions)

    def _where(self, test: Callable[[ExerciseSpec], bool]) -> int:
        return sum(1 << index for index, spec in enumerate(self.catalogue) if test(spec))

    def mask(self, kind: str, value: str) -> int:
        found = self._masks.get((kind, value))
        if found is None:
            found = self._masks[(kind, value)] = self._where(self._test(kind, value))
        return found

    def _test(self, kind: str, value: str) -> Callable[[ExerciseSpec], bool]:
        anatomy = self.anatomy
        if kind == "above_impact":
            level = IMPACT_LEVELS.index(value)
            return lambda spec: IMPACT_LEVELS.index(spec.impact) > level
        if kind == "tag":
            return lambda spec: value in spec.tags
        if kind == "presses":
            return lambda spec: bool(anatomy.pressed_protected(spec.pressure_regions, (value,)))
        if kind == "stretches_or_jolts":
            impulsive = anatomy.impulsive_tags
            return lambda spec: bool(
                ("end_range_stretch" in spec.tags and anatomy.stretched_protected(spec.stretched_regions, (value,)))
                or (
                    any(tag in impulsive for tag in spec.tags)
                    and anatomy.stretched_protected(spec.regions_loaded, (value,))
                )
            )
        if kind == "loads":
            return lambda spec: bool(anatomy.pressed_protected(spec.regions_loaded, (value,)))
        if kind == "needs":
            return lambda spec: value in spec.equipment
        if kind == "position":
            return lambda spec: spec.position == value
        raise ValueError(kind)

    def violating(self, limits: LoadLimits, profile: Profile | None) -> int:
        """The mask of the exercises exercise_violations(spec, limits, profile) finds anything against."""
        mask = self.mask
        bad = mask("above_impact", limits.max_impact)
        for tag in limits.excluded_tags:
            bad |= mask("tag", tag)
        # Pressure on a protected region is let through only where the clinician marked that region
        # "padded and short" and the exercise's position allows it (pressed_unpadded).
        padded = frozenset(profile.padded_pressure_regions) if profile is not None else frozenset()
        for region in limits.avoid_regions:
            presses = mask("presses", region)
            bad |= (presses & ~self.padded_position if region in padded else presses) | mask(
                "stretches_or_jolts", region
            )
        for region in limits.no_loading_regions:
            bad |= mask("loads", region)
        if profile is not None:
            if profile.available_equipment is not None:
                available = profile.available_equipment
                for item in EQUIPMENT:
                    if item != "none" and item not in available:
                        bad |= mask("needs", item)
            for position in profile.unavailable_positions:
                bad |= mask("position", position)
        return bad


class CatalogueIndex:
    """What the engine looks up in one catalogue again and again, computed once per catalogue.

    by_slug: slug -> exercise. allowed(limits, profile): the allowed exercises, from bit masks of the
    checks (per region map, so that a different anatomy map is never answered from the old one); the
    same allowed set is always the same tuple, and key_of gives the key that names it. memo: room for
    other pure answers that depend only on the catalogue and a hashable key (the prescription keeps its
    target-covering choices here, keyed by the allowed set). Each store is bounded.
    """

    MAX_ENTRIES = 4096

    def __init__(self, catalogue: tuple[ExerciseSpec, ...]):
        self.catalogue = catalogue
        self.by_slug = {spec.slug: spec for spec in catalogue}
        self._masks: _Masks | None = None
        self._by_mask: dict[int, tuple[ExerciseSpec, ...]] = {}
        self._key_of: dict[int, tuple[tuple[ExerciseSpec, ...], int]] = {}
        self.memo: dict[Hashable, Any] = {}

    def allowed(self, limits: LoadLimits, profile: Profile | None) -> tuple[ExerciseSpec, ...]:
        anatomy = default_region_map()
        masks = self._masks
        if masks is None or masks.anatomy is not anatomy:
            masks = self._masks = _Masks(self.catalogue, anatomy)
            self._by_mask.clear()
            self._key_of.clear()
        allowed = masks.everything & ~masks.violating(limits, profile)
        found = self._by_mask.get(allowed)
        if found is not None:
            return found
        if len(self._by_mask) >= self.MAX_ENTRIES:
            self._by_mask.clear()
            self._key_of.clear()
        result = self._by_mask[allowed] = tuple(
            spec for index, spec in enumerate(self.catalogue) if allowed >> index & 1
        )
        self._key_of[id(result)] = (result, allowed)
        return result

    def key_of(self, allowed: object) -> int | None:
        """The mask naming an allowed tuple from this index (the same mask, the same exercises, whatever
        the limits and the anatomy that gave them), or None (not one of ours)."""
        found = self._key_of.get(id(allowed))
        return found[1] if found is not None and found[0] is allowed else None

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute() once per key (compute must be a pure function of the key and the catalogue)."""
        value: T
        try:
            value = self.memo[key]  # what compute() gave for this key: a T
            return value
        except KeyError:
            pass
        if len(self.memo) >= self.MAX_ENTRIES:
            self.memo.clear()
        value = self.memo[key] = compute()
        return value


_INDEXES: dict[int, CatalogueIndex] = {}


def catalogue_index(catalogue: tuple[ExerciseSpec, ...]) -> CatalogueIndex:
    """The index of `catalogue` (by identity: the index holds the tuple, so its id is never reused)."""
    index = _INDEXES.get(id(catalogue))
    if index is None or index.catalogue is not catalogue:
        if len(_INDEXES) >= 8:
            _INDEXES.pop(next(iter(_INDEXES)))
        index = _INDEXES[id(catalogue)] = CatalogueIndex(catalogue)
    return index

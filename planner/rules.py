"""Rule data: loading, validation and condition matching.

Every clinical number lives in planner/data/rules_limits.json and rules_doses.json with its evidence
tag and source; this module only knows how to read them. A clinic can ship its own files and pass
the Rulebook from `load_rulebook(...)` to every engine function instead of the default one.

Conditions are small JSON objects evaluated against a Profile:
    {"always": true}
    {"field": "bone_fragility", "in": ["osteoporosis", ...]}
    {"field": "age", "at_least": 65}
    {"field": "vertebral_fracture", "is": true}
    {"field": "heterotopic_ossification_regions", "not_empty": true}
    {"field": "heterotopic_ossification_regions", "intersects": ["gluteal_left", ...]}
A set-like limit may take its value from the profile: {"from_profile": "avoid_regions"} or a list of
fields, whose values are joined.
    {"any": [condition, ...]}, {"all": [condition, ...]}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.memo import memo_for
from planner.translation import gettext_noop
from planner.types import Profile, Rule
from planner.vocabulary import BODY_REGIONS, COMPONENTS, DOSE_KINDS, IMPACT_LEVELS, MOVEMENT_TAGS

DATA_DIR = Path(__file__).resolve().parent / "data"
LIMIT_RULES_PATH = DATA_DIR / "rules_limits.json"
DOSE_RULES_PATH = DATA_DIR / "rules_doses.json"

# Stored with each plan in English; the patient's booklet prints it in the reader's language.
SAFETY_NOTICE = gettext_noop(
    "This plan supports, and does not replace, the judgement of the physiotherapist and the "
    "specialists caring for the patient. Its limits and doses come from published guidance and from "
    "defaults the clinic can configure; a clinician reviews them before the plan is used."
)

PROFILE_FIELDS = frozenset(f.name for f in fields(Profile))

# How each limit field combines when several rules set it: the strictest value wins.
LIMIT_COMBINE = {
    "max_impact": "lowest_impact",
    "aerobic.max_rpe": "min",
    "aerobic.max_hrr_pct": "min",
    "aerobic.use_heart_rate": "all",
    "resistance.max_pct_1rm": "min",
    "resistance.max_rpe": "min",
    "resistance.min_reps": "max",
    "flexibility.max_hold_seconds": "min",
    "excluded_tags": "union",
    "avoid_regions": "union",
    "no_loading_regions": "union",
    "weekly_progression_max_pct": "min",
    "supervision_required": "any",
    "clearance_required": "any",
    "supervised_sessions": "max",
}

# Dose parameter names each dose kind needs (resolved with the "any" component as fallback).
DOSE_PARAMETERS = {
    "minutes": (
        "frequency_start",
        "frequency_ceiling",
        "every_weeks",
        "minutes_start",
        "minutes_ceiling",
        "minutes_step",
        "minutes_floor",
    ),
    "sets_reps": (
        "frequency_start",
        "frequency_ceiling",
        "every_weeks",
        "sets_start",
        "sets_ceiling",
        "reps_start",
        "reps_ceiling",
        "reps_step",
        "reps_floor",
    ),
    "hold": (
        "frequency_start",
        "frequency_ceiling",
        "every_weeks",
        "sets_start",
        "sets_ceiling",
        "hold_seconds_start",
        "hold_seconds_ceiling",
        "hold_seconds_step",
        "hold_seconds_floor",
    ),
}
# Components whose dose carries a numeric intensity that progresses, by dose kind.
INTENSITY_PARAMETERS = {
    ("aerobic", "minutes"): (
        "intensity_class_start",
        "intensity_ceiling_hrr_pct",
        "intensity_step",
        "intensity_every_weeks",
    ),
    ("resistance", "sets_reps"): (
        "load_start_pct_1rm",
        "load_ceiling_pct_1rm",
        "intensity_step",
        "intensity_every_weeks",
    ),
}
SELECTION_PARAMETERS = ("count",)


class RuleDataError(ValueError):
    """The rule data is malformed (raised at load time, never mid-plan)."""


Condition = Callable[[Profile], bool]


def compile_condition(spec: Mapping[str, Any], where: str) -> Condition:
    """Turn a JSON condition into a predicate over a Profile, validating it on the way."""
    if not isinstance(spec, Mapping) or not spec:
        raise RuleDataError(f"{where}: a condition must be a non-empty object")
    if spec.get("always") is True and len(spec) == 1:
        return lambda profile: True
    if "any" in spec or "all" in spec:
        combinator = "any" if "any" in spec else "all"
        parts = tuple(compile_condition(part, where) for part in spec[combinator])
        if combinator == "any":
            return lambda profile: any(part(profile) for part in parts)
        return lambda profile: all(part(profile) for part in parts)
    name = spec.get("field")
    if name not in PROFILE_FIELDS:
        raise RuleDataError(f"{where}: unknown profile field {name!r}")
    operators = set(spec) - {"field"}
    if len(operators) != 1:
        raise RuleDataError(f"{where}: exactly one operator expected, got {sorted(operators)}")
    operator = operators.pop()
    operand = spec[operator]
    if operator == "in":
        allowed = frozenset(operand)
        return lambda profile: getattr(profile, name) in allowed
    if operator == "is":
        return lambda profile: getattr(profile, name) == operand
    if operator == "at_least":
        return lambda profile: getattr(profile, name) >= operand
    if operator == "not_empty":
        return lambda profile: bool(getattr(profile, name)) == operand
    if operator == "intersects":
        wanted = frozenset(operand)
        return lambda profile: not wanted.isdisjoint(getattr(profile, name))
    raise RuleDataError(f"{where}: unknown operator {operator!r}")


@dataclass(frozen=True)
class FromProfile:
    """A rule value read from the profile at evaluation time (e.g. the ossification regions).

    fields: one or more profile fields whose values are joined (set-like limits only).
    """

    fields: tuple[str, ...]

    def read(self, profile: Profile) -> tuple[Any, ...]:
        return tuple(value for name in self.fields for value in getattr(profile, name))


@dataclass(frozen=True)
class LimitRule:
    rule: Rule
    when: Condition
    effects: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class TierTrigger:
    rule: Rule
    tier: str
    when: Condition


@dataclass(frozen=True)
class DoseValueRule:
    rule: Rule
    tier: str
    values: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class GuidanceRule:
    rule: Rule
    component: str
    when: Condition


@dataclass(frozen=True)
class IntensityClass:
    """One ACSM aerobic intensity class: %HRR and Borg RPE ranges, inclusive."""

    name: str
    hrr_pct: tuple[int, int]
    rpe: tuple[int, int]


@dataclass(frozen=True)
class Anchors:
    """Reference tables and formulas that the rules rely on (each cites its own Rule)."""

    intensity_classes: tuple[IntensityClass, ...]
    intensity_classes_rule: Rule
    resistance_rpe_bands: tuple[tuple[tuple[int, int], tuple[int, int]], ...]
    resistance_rpe_rule: Rule
    tanaka_intercept: float
    tanaka_age_coefficient: float
    tanaka_rule: Rule
    measured_hr_max_rule: Rule
    karvonen_rule: Rule
    zone_floor_hrr_pct: int
    reserve_unusable_rule: Rule
    min_reserve_bpm: int
    # Why a ceiling in one intensity unit bounds the others (planner.limits.coherent_intensity).
    aerobic_coherence_rule: Rule
    resistance_coherence_rule: Rule
    # Why a heart-rate zone from an estimated HRmax is shown as a ceiling only (effort governs).
    estimated_hr_ceiling_rule: Rule

    def intensity_class(self, name: str) -> IntensityClass:
        for level in self.intensity_classes:
            if level.name == name:
                return level
        raise KeyError(name)


@dataclass(frozen=True)
class Rulebook:
    """All rule data the engine uses. Build it with `default_rulebook()` or `load_rulebook(...)`."""

    limit_rules: tuple[LimitRule, ...]
    anchors: Anchors
    tier_order: tuple[str, ...]
    tier_triggers: tuple[TierTrigger, ...]
    dose_values: tuple[DoseValueRule, ...]
    selection_rules: tuple[Rule, ...]
    guidance: tuple[GuidanceRule, ...]
    # key -> ((tier, value, rule), ...) in data order; derived from dose_values for fast lookups.
    dose_index: Mapping[str, tuple[tuple[str, object, Rule], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def all_rules(self) -> tuple[Rule, ...]:
        """Every rule in the book, for listing and for checking ids are unique."""
        anchors = self.anchors
        return (
            *(r.rule for r in self.limit_rules),
            anchors.intensity_classes_rule,
            anchors.resistance_rpe_rule,
            anchors.tanaka_rule,
            anchors.measured_hr_max_rule,
            anchors.karvonen_rule,
            anchors.reserve_unusable_rule,
            anchors.aerobic_coherence_rule,
            anchors.resistance_coherence_rule,
            anchors.estimated_hr_ceiling_rule,
            *(t.rule for t in self.tier_triggers),
            *(v.rule for v in self.dose_values),
            *self.selection_rules,
            *(g.rule for g in self.guidance),
        )


def _rule(data: Mapping[str, Any], where: str) -> Rule:
    try:
        return Rule(id=data["id"], text=data["text"], evidence=data["evidence"], source=data["source"])
    except KeyError as missing:
        raise RuleDataError(f"{where}: missing {missing}") from None
    except ValueError as error:
        raise RuleDataError(f"{where}: {error}") from None


def _limit_effect(key: str, value: Any, where: str) -> Any:
    if key not in LIMIT_COMBINE:
        raise RuleDataError(f"{where}: unknown limit field {key!r}")
    if isinstance(value, Mapping):
        names = value.get("from_profile")
        names = (names,) if isinstance(names, str) else tuple(names or ())
        if set(value) != {"from_profile"} or not names or not set(names) <= PROFILE_FIELDS:
            raise RuleDataError(f"{where}: {key} must be a literal or {{'from_profile': <field or fields>}}")
        return FromProfile(names)
    combine = LIMIT_COMBINE[key]
    if combine == "lowest_impact" and value not in IMPACT_LEVELS:
        raise RuleDataError(f"{where}: max_impact {value!r} not in {IMPACT_LEVELS}")
    if key == "excluded_tags" and not set(value) <= set(MOVEMENT_TAGS):
        raise RuleDataError(f"{where}: unknown tags {set(value) - set(MOVEMENT_TAGS)}")
    if key in ("avoid_regions", "no_loading_regions") and not set(value) <= set(BODY_REGIONS):
        raise RuleDataError(f"{where}: unknown regions {set(value) - set(BODY_REGIONS)}")
    if combine in ("all", "any") and not isinstance(value, bool):
        raise RuleDataError(f"{where}: {key} must be true or false")
    if combine in ("min", "max") and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise RuleDataError(f"{where}: {key} must be a number")
    return tuple(value) if combine == "union" else value


def _anchors(data: Mapping[str, Any]) -> Anchors:
    classes = data["aerobic_intensity_classes"]
    bands = data["resistance_rpe_bands"]
    tanaka = data["hr_max_estimate"]
    karvonen = data["karvonen"]
    reserve = data["hr_reserve_unusable"]
    return Anchors(
        intensity_classes=tuple(
            IntensityClass(c["name"], tuple(c["hrr_pct"]), tuple(c["rpe"])) for c in classes["classes"]
        ),
        intensity_classes_rule=_rule(classes, "anchors.aerobic_intensity_classes"),
        resistance_rpe_bands=tuple((tuple(b["pct_1rm"]), tuple(b["rpe"])) for b in bands["bands"]),
        resistance_rpe_rule=_rule(bands, "anchors.resistance_rpe_bands"),
        tanaka_intercept=tanaka["intercept"],
        tanaka_age_coefficient=tanaka["age_coefficient"],
        tanaka_rule=_rule(tanaka, "anchors.hr_max_estimate"),
        measured_hr_max_rule=_rule(data["hr_max_measured"], "anchors.hr_max_measured"),
        karvonen_rule=_rule(karvonen, "anchors.karvonen"),
        zone_floor_hrr_pct=karvonen["zone_floor_hrr_pct"],
        reserve_unusable_rule=_rule(reserve, "anchors.hr_reserve_unusable"),
        min_reserve_bpm=reserve["min_reserve_bpm"],
        aerobic_coherence_rule=_rule(classes.get("coherence", {}), "anchors.aerobic_intensity_classes.coherence"),
        resistance_coherence_rule=_rule(bands.get("coherence", {}), "anchors.resistance_rpe_bands.coherence"),
        estimated_hr_ceiling_rule=_rule(tanaka.get("shown_as_ceiling", {}), "anchors.hr_max_estimate.shown_as_ceiling"),
    )


def rulebook_from_data(limit_data: Mapping[str, Any], dose_data: Mapping[str, Any]) -> Rulebook:
    """Build and validate a Rulebook from the two JSON documents (already parsed)."""
    limit_rules = []
    for entry in limit_data["rules"]:
        where = f"limit rule {entry.get('id')}"
        effects = tuple((key, _limit_effect(key, value, where)) for key, value in entry["set"].items())
        limit_rules.append(LimitRule(_rule(entry, where), compile_condition(entry["when"], where), effects))

    tier_order = tuple(dose_data["tier_order"])
    if not tier_order or tier_order[0] != "standard":
        raise RuleDataError("tier_order must start with 'standard'")
    triggers = []
    for entry in dose_data["tier_triggers"]:
        where = f"tier trigger {entry.get('id')}"
        if entry["tier"] not in tier_order:
            raise RuleDataError(f"{where}: unknown tier {entry['tier']!r}")
        triggers.append(TierTrigger(_rule(entry, where), entry["tier"], compile_condition(entry["when"], where)))
    values = []
    for entry in dose_data["values"]:
        where = f"dose rule {entry.get('id')}"
        if entry["tier"] not in tier_order:
            raise RuleDataError(f"{where}: unknown tier {entry['tier']!r}")
        values.append(DoseValueRule(_rule(entry, where), entry["tier"], tuple(entry["set"].items())))
    guidance = []
    for entry in dose_data["guidance"]:
        where = f"guidance {entry.get('id')}"
        if entry["component"] not in COMPONENTS:
            raise RuleDataError(f"{where}: unknown component {entry['component']!r}")
        guidance.append(GuidanceRule(_rule(entry, where), entry["component"], compile_condition(entry["when"], where)))

    index: dict[str, list[tuple[str, object, Rule]]] = {}
    for value in values:
        for key, item in value.values:
            index.setdefault(key, []).append((value.tier, item, value.rule))
    book = Rulebook(
        dose_index={key: tuple(entries) for key, entries in index.items()},
        limit_rules=tuple(limit_rules),
        anchors=_anchors(limit_data["anchors"]),
        tier_order=tier_order,
        tier_triggers=tuple(triggers),
        dose_values=tuple(values),
        selection_rules=tuple(_rule(entry, f"selection {entry.get('id')}") for entry in dose_data["selection"]),
        guidance=tuple(guidance),
    )
    _check_rulebook(book)
    return book


def _check_rulebook(book: Rulebook) -> None:
    ids = [rule.id for rule in book.all_rules()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RuleDataError(f"duplicate rule ids: {duplicates}")
    # Every limit field must have an unconditional (baseline) value so every limit has a rationale.
    baseline = Profile(age=40)
    covered = {key for rule in book.limit_rules if rule.when(baseline) for key, _ in rule.effects}
    missing = set(LIMIT_COMBINE) - covered - {"aerobic.use_heart_rate"}
    if missing:
        raise RuleDataError(f"limit fields without a baseline rule: {sorted(missing)}")
    # Every dose parameter must resolve in the standard tier for every component and dose kind.
    standard = {key for value in book.dose_values if value.tier == "standard" for key, _ in value.values}
    for component in COMPONENTS:
        for kind in DOSE_KINDS:
            names = DOSE_PARAMETERS[kind] + INTENSITY_PARAMETERS.get((component, kind), ())
            for name in names:
                if f"{component}.{kind}.{name}" not in standard and f"any.{kind}.{name}" not in standard:
                    raise RuleDataError(f"no standard value for {component}.{kind}.{name}")
        if f"{component}.selection.count" not in standard:
            raise RuleDataError(f"no standard value for {component}.selection.count")
    level_names = {level.name for level in book.anchors.intensity_classes}
    for value in book.dose_values:
        for key, item in value.values:
            if key.endswith("intensity_class_start") and item not in level_names:
                raise RuleDataError(f"{value.rule.id}: unknown intensity class {item!r}")


def load_rulebook(
    limit_rules_path: Path | str = LIMIT_RULES_PATH, dose_rules_path: Path | str = DOSE_RULES_PATH
) -> Rulebook:
    """Read and validate a Rulebook from JSON files (a clinic's own, or the shipped defaults)."""
    with open(limit_rules_path, encoding="utf-8") as limit_file:
        limit_data = json.load(limit_file)
    with open(dose_rules_path, encoding="utf-8") as dose_file:
        dose_data = json.load(dose_file)
    return rulebook_from_data(limit_data, dose_data)


@lru_cache(maxsize=1)
def default_rulebook() -> Rulebook:
    """The shipped rule data, read once per process."""
    return load_rulebook()


def dose_parameters(profile: Profile, book: Rulebook) -> DoseParameters:
    """DoseParameters for `profile`, shared by every profile that fires the same tier triggers (all it
    depends on), so that the parameters each one resolved are looked up once."""
    fired = tuple(index for index, trigger in enumerate(book.tier_triggers) if trigger.when(profile))
    return memo_for(book).get("dose_parameters", fired, lambda: DoseParameters(profile, book))


class DoseParameters:
    """Dose parameters resolved for one profile: the highest active tier that sets a key wins.

    `get(component, kind, name)` returns (value, rules): the value and the rules behind it - the
    value rule, plus the triggers of its tier when that tier is not "standard".
    """

    def __init__(self, profile: Profile, book: Rulebook):
        self._book = book
        # The triggers that fired, by position: everything these parameters depend on.
        self.fired = tuple(index for index, trigger in enumerate(book.tier_triggers) if trigger.when(profile))
        fired = [book.tier_triggers[index] for index in self.fired]
        self.active_tiers = tuple(tier for tier in book.tier_order if any(t.tier == tier for t in fired))
        self._triggers = {tier: tuple(t.rule for t in fired if t.tier == tier) for tier in self.active_tiers}
        self._cache: dict[str, tuple[object, tuple[Rule, ...]] | None] = {}

    @property
    def gentle(self) -> bool:
        """True when any tier beyond "standard" applies."""
        return len(self.active_tiers) > 1

    def trigger_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for tier in self.active_tiers for rule in self._triggers[tier])

    def _lookup(self, key: str) -> tuple[object, tuple[Rule, ...]] | None:
        if key not in self._cache:
            found = None
            entries = self._book.dose_index.get(key, ())
            for tier in reversed(self.active_tiers):
                matches = [(value, rule) for entry_tier, value, rule in entries if entry_tier == tier]
                if matches:
                    value, rule = matches[-1]  # within a tier, the later rule in the data wins
                    found = (value, (rule,) if tier == "standard" else (rule, *self._triggers[tier]))
                    break
            self._cache[key] = found
        return self._cache[key]

    def get(self, component: str, kind: str, name: str) -> tuple[Any, tuple[Rule, ...]]:
        found = self._lookup(f"{component}.{kind}.{name}") or self._lookup(f"any.{kind}.{name}")
        if found is None:
            raise KeyError(f"{component}.{kind}.{name}")
        return found

    def has(self, component: str, kind: str, name: str) -> bool:
        return self._lookup(f"{component}.{kind}.{name}") is not None

    def selection(self, component: str, name: str) -> tuple[Any, tuple[Rule, ...]]:
        found = self._lookup(f"{component}.selection.{name}")
        if found is None:
            raise KeyError(f"{component}.selection.{name}")
        return found

    def guidance_for(self, component: str, profile: Profile) -> tuple[Rule, ...]:
        return tuple(g.rule for g in self._book.guidance if g.component == component and g.when(profile))

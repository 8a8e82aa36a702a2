"""Reassessment of a running plan: a new profile changes the plan's limits, items and doses.

`reassess(plan, profile, computed, catalogue, week, overridden)` is the whole decision, pure:

1. Limits. Every limit field keeps the stricter of the running plan's value and the value the new
   assessment computes (`strictest_limits`). So a clinician's tightening is never lost, a
   clinician's loosening (recorded with a reason) survives only where the new assessment is not
   stricter, and a milder assessment loosens nothing: its looser values are returned as
   *proposals*, for a clinician to apply with a reason through the limits-adjustment path.
2. Exercises. An item the limits (or the new profile's equipment and positions) now forbid is
   swapped for the first allowed variant down its `easier` chain, else for the easiest allowed
   exercise of the same component that works the most of the same targets; with neither it is
   removed. A replacement starts at its own starting dose in the current week.
3. Doses. From the current week on every dose is clamped to the new limits (earlier weeks
   happened and stay). A dose held by an override stays held only while no newly tightened limit
   applies to it; otherwise it is clamped and the override is reported as no longer applying.
4. Flare. The flare rules (planner/data/rules_flare.json) compare the plan's profile with the new
   one; any rule that fires makes the reassessment a flare (the service pauses the plan and sends
   the care team an urgent alert).

What changed is said by planner.reassessment_words (English for the record, a catalogue template for the
reader's language). Nothing here branches on a particular limit field: limits go through LOOSENING_TESTS, the
exercise checks through planner.catalogue, the dose checks through planner.limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field  # ProfileChange has a `field` of its own
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.catalogue import exercise_violations
from planner.choosing import _covers, _easiest_variants, _equipment_needed, is_main_block
from planner.dosing import progression_rule, start_dose, unique_rules
from planner.editing import _under_limits, reschedule_from
from planner.limits import LOOSENING_TESTS, SET_VOCABULARY, LimitValue, check_dose, get_field
from planner.progression.said import Said
from planner.reassessment_words import (
    override_released_said,
    profile_label,
    violations_said,
    within_new_limits,
)
from planner.rules import DoseParameters, Rulebook, default_rulebook
from planner.types import (
    ExerciseSpec,
    LimitChange,
    LoadLimits,
    Plan,
    PrescriptionItem,
    Profile,
    Rule,
    ValueRationale,
    field_names,
    ordered_subset,
)
from planner.vocabulary import IMPACT_LEVELS

FLARE_RULES_PATH = Path(__file__).resolve().parent / "data" / "rules_flare.json"
FLARE_TESTS = ("rises", "becomes_true")

# Why a replacement is in the plan, as rule data (its text is fixed, so locale/<code>/rules.json translates
# it): which exercise it replaced, and why, is in the item's change (the plan history, the alert, the API).
SWAP_RULE = Rule(
    "reassessment.swap",
    "This exercise replaced one that a reassessment's limits, equipment or positions no longer allow: the "
    "nearest allowed variant down its easier chain, else the easiest allowed exercise of the same component "
    "working the most of the same targets, started at its own starting dose in the week of the reassessment.",
    "D",
    "clinical-reference 8a (exclusions per condition); an allowed variant of the same component and targets",
)


# ---------------------------------------------------------------------------------------------
# Flare rules
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlareRule:
    """One flare rule: `test` applied to Profile `field` before and after ("rises" along `order`)."""

    rule: Rule
    field: str
    label: str
    test: str
    order: tuple[object, ...] = ()


@dataclass(frozen=True)
class ProfileChange:
    """A profile field that changed; `rule` is the flare rule that fired for it, if any."""

    field: str
    label: str
    before: object
    after: object
    rule: Rule | None = None


def flare_rules_from_dict(data: Mapping[str, Any]) -> tuple[FlareRule, ...]:
    """Flare rules from their JSON document; raises ValueError naming what is wrong."""
    profile_fields = set(field_names(Profile))
    rules = []
    for entry in data["rules"]:
        name = entry.get("id", "?")
        missing = [key for key in ("id", "text", "evidence", "source", "field", "test") if not entry.get(key)]
        if missing:
            raise ValueError(f"flare rule {name}: missing {', '.join(missing)}")
        if entry["field"] not in profile_fields:
            raise ValueError(f"flare rule {name}: {entry['field']!r} is not a profile field")
        if entry["test"] not in FLARE_TESTS:
            raise ValueError(f"flare rule {name}: test must be one of {', '.join(FLARE_TESTS)}")
        if entry["test"] == "rises" and len(entry.get("order", ())) < 2:
            raise ValueError(f"flare rule {name}: 'rises' needs the field's order from mild to severe")
        rules.append(
            FlareRule(
                rule=Rule(entry["id"], entry["text"], entry["evidence"], entry["source"]),
                field=entry["field"],
                label=entry.get("label") or profile_label(entry["field"]),
                test=entry["test"],
                order=tuple(entry.get("order", ())),
            )
        )
    return tuple(rules)


@lru_cache(maxsize=1)
def default_flare_rules() -> tuple[FlareRule, ...]:
    with open(FLARE_RULES_PATH, encoding="utf-8") as data:
        return flare_rules_from_dict(json.load(data))


def _fires(rule: FlareRule, before: object, after: object) -> bool:
    if rule.test == "becomes_true":
        return bool(after) and not bool(before)
    # rises: an unknown value (not in the order) never counts as a rise
    if before not in rule.order or after not in rule.order:
        return False
    return rule.order.index(after) > rule.order.index(before)


def flare_findings(
    before: Profile, after: Profile, rules: Iterable[FlareRule] | None = None
) -> tuple[ProfileChange, ...]:
    """The flare rules that fire between two profiles, each with the values it compared."""
    found = []
    for rule in default_flare_rules() if rules is None else rules:
        old, new = getattr(before, rule.field), getattr(after, rule.field)
        if _fires(rule, old, new):
            found.append(ProfileChange(rule.field, rule.label, old, new, rule.rule))
    return tuple(found)


def profile_changes(before: Profile, after: Profile, flare: Iterable[ProfileChange] = ()) -> tuple[ProfileChange, ...]:
    """Every profile field that changed, the flare findings first (with their rule)."""
    flare = tuple(flare)
    seen = {change.field for change in flare}
    rest = tuple(
        ProfileChange(name, profile_label(name), getattr(before, name), getattr(after, name))
        for name in field_names(Profile)
        if name not in seen and getattr(before, name) != getattr(after, name)
    )
    return flare + rest


# ---------------------------------------------------------------------------------------------
# Limits: the stricter of the running plan's and the new assessment's, field by field
# ---------------------------------------------------------------------------------------------


def loosens(path: str, before: LimitValue, after: LimitValue) -> bool:
    """Whether `after` is looser than `before` for the limit at `path`.

    LOOSENING_TESTS decides every field but one representation: a heart-rate zone of None is read
    by check_dose as "no heart-rate target may be set" (beta blockade, no usable reserve), the
    strictest value, so None never loosens and leaving None loosens.
    """
    if path == "aerobic.hr_zone_bpm" and (after is None or before is None):
        return before is None and after is not None
    return before != after and LOOSENING_TESTS[path](before, after)


def _set_field(limits: LoadLimits, path: str, value: LimitValue) -> LoadLimits:
    if "." not in path:
        return replace(limits, **{path: value})
    group, name = path.split(".")
    return replace(limits, **{group: replace(getattr(limits, group), **{name: value})})


def strictest_limits(
    running: LoadLimits, computed: LoadLimits
) -> tuple[LoadLimits, tuple[LimitChange, ...], tuple[LimitChange, ...]]:
    """Per field the stricter of `running` and `computed`.

    Returns (limits, tightened, proposed): tightened are the fields the new assessment makes
    stricter (before = running, after = new); proposed are the fields it would loosen, which keep
    the running value (before = running, after = the looser computed value).
    The measurements behind the heart-rate zone (HRmax, HRrest) come from the new assessment.
    """
    merged = computed
    provenance = dict(computed.provenance)
    running_provenance = dict(running.provenance)
    kept_rule_ids: set[str] = set()
    tightened, proposed = [], []
    for path in LOOSENING_TESTS:
        old, new = get_field(running, path), get_field(computed, path)
        looser, stricter = loosens(path, old, new), loosens(path, new, old)
        if looser and stricter:
            # Neither contains the other (sets of excluded tags or regions): the union is stricter than both.
            value = ordered_subset((*old, *new), SET_VOCABULARY[path])
            merged = _set_field(merged, path, value)
            provenance[path] = (*running_provenance.get(path, ()), *provenance.get(path, ()))
            kept_rule_ids.update(provenance[path])
            tightened.append(LimitChange(path, old, value))
            proposed.append(LimitChange(path, old, new))
        elif looser:
            merged = _set_field(merged, path, old)
            provenance[path] = running_provenance.get(path, ())
            kept_rule_ids.update(provenance[path])
            proposed.append(LimitChange(path, old, new))
        elif stricter:
            tightened.append(LimitChange(path, old, new))
    aerobic = merged.aerobic
    merged = replace(
        merged,
        aerobic=replace(aerobic, zone_floor_hrr_pct=min(aerobic.zone_floor_hrr_pct, aerobic.max_hrr_pct)),
        rules=unique_rules(computed.rules, (rule for rule in running.rules if rule.id in kept_rule_ids)),
        provenance=tuple(sorted(provenance.items())),
    )
    return merged, tuple(tightened), tuple(proposed)


def held_by_clinician(limits: LoadLimits, path: str) -> bool:
    """Whether a clinician's adjustment set this limit (its provenance names a clinician rule)."""
    return any(rule_id.startswith("clinician.") for rule_id in limits.rule_ids_for(path))


# ---------------------------------------------------------------------------------------------
# Exercises the new limits forbid
# ---------------------------------------------------------------------------------------------


def replacement_for(
    item: PrescriptionItem,
    limits: LoadLimits,
    profile: Profile,
    catalogue: Iterable[ExerciseSpec],
    taken: Iterable[str] = (),
) -> ExerciseSpec | None:
    """An allowed exercise to take `item`'s place, or None.

    First the nearest allowed variant down the item's `easier` chain; else, among the allowed
    exercises of the same component that work at least one of the same targets (muscle groups, or
    stretched regions for stretches), the easiest variant of each chain, ranked by most shared
    targets, then least equipment, gentler impact, slug.
    """
    catalogue = tuple(catalogue)
    by_slug = {spec.slug: spec for spec in catalogue}
    taken = set(taken) | {item.slug}

    def allowed(spec: ExerciseSpec) -> bool:
        return spec.slug not in taken and not exercise_violations(spec, limits, profile)

    current, seen = item.exercise, {item.slug}
    while current.easier in by_slug and current.easier not in seen:
        current = by_slug[current.easier]
        seen.add(current.slug)
        if allowed(current):
            return current
    targets = _covers(item.exercise)
    candidates = [
        spec
        for spec in catalogue
        if spec.component == item.component and is_main_block(spec) and allowed(spec) and _covers(spec) & targets
    ]
    if not candidates:
        return None
    return min(
        _easiest_variants(candidates, by_slug),
        key=lambda spec: (
            -len(_covers(spec) & targets),
            _equipment_needed(spec),
            IMPACT_LEVELS.index(spec.impact),
            spec.slug,
        ),
    )


def _replacement_item(
    old: PrescriptionItem, spec: ExerciseSpec, profile: Profile, limits: LoadLimits, book: Rulebook
) -> PrescriptionItem:
    params = DoseParameters(profile, book)
    dose = start_dose(spec, profile, params, limits, book)
    progression = progression_rule(spec, dose, params, limits)
    cap_rules = limits.rules_for("weekly_progression_max_pct")
    return PrescriptionItem(
        exercise=spec,
        component=old.component,
        dose=dose,
        progression=progression,
        rationale=(
            ValueRationale("exercise", unique_rules((SWAP_RULE,), old.rules_for("exercise"))),
            ValueRationale("progression", unique_rules(*(step.rules for step in progression.steps), cap_rules)),
        ),
    )


# ---------------------------------------------------------------------------------------------
# The whole reassessment
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemChange:
    """What happened to one item: kind is swapped, removed, clamped or override_released."""

    kind: str
    slug: str
    name: str
    reason: str
    replacement_slug: str | None = None
    replacement_name: str | None = None
    # The reason as a catalogue template with its values (planner.progression.said), for the reader's language.
    said: Said | None = dataclass_field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Reassessment:
    """The reassessed plan and everything that changed, for the history, the alert and the API."""

    plan: Plan
    profile_changes: tuple[ProfileChange, ...]
    flare: tuple[ProfileChange, ...]
    tightened: tuple[LimitChange, ...]
    proposed: tuple[LimitChange, ...]
    items: tuple[ItemChange, ...]
    kept_overrides: frozenset[str]

    @property
    def is_flare(self) -> bool:
        return bool(self.flare)

    def replacements(self) -> tuple[str, ...]:
        return tuple(change.replacement_slug for change in self.items if change.replacement_slug)


def reassess(
    plan: Plan,
    profile: Profile,
    computed: LoadLimits,
    catalogue: Iterable[ExerciseSpec],
    week: int,
    overridden: frozenset[str] = frozenset(),
    *,
    rulebook: Rulebook | None = None,
    flare_rules: Iterable[FlareRule] | None = None,
) -> Reassessment:
    """Put a new assessment in force on a running plan from `week` on (see the module docstring).

    computed: compute_limits(profile). overridden: slugs whose dose an override holds.
    """
    book = rulebook or default_rulebook()
    catalogue = tuple(catalogue)
    limits, tightened, proposed = strictest_limits(plan.limits, computed)
    flare = flare_findings(plan.profile, profile, flare_rules)
    changes: list[ItemChange] = []

    items, taken = [], {item.slug for item in plan.items}
    for item in plan.items:
        violations = exercise_violations(item.exercise, limits, profile)
        if not violations:
            items.append(item)
            continue
        why = violations_said(violations)
        spec = replacement_for(item, limits, profile, catalogue, taken)
        if spec is None:
            changes.append(ItemChange("removed", item.slug, item.exercise.name, why.english(), said=why))
            continue
        taken.add(spec.slug)
        items.append(_replacement_item(item, spec, profile, limits, book))
        changes.append(
            ItemChange("swapped", item.slug, item.exercise.name, why.english(), spec.slug, spec.name, said=why)
        )

    gone = {change.slug for change in changes}
    new_slugs = {change.replacement_slug for change in changes if change.replacement_slug}
    this_week = plan.weeks[week - 1]
    tightened_paths = {change.field for change in tightened}
    kept_overrides = set()
    for slug in sorted(overridden & {item.slug for item in items}):
        scheduled = this_week.dose_for(slug)
        broken = {v.limit for v in check_dose(scheduled.dose, limits)} if scheduled else set()
        if broken & tightened_paths:
            released = override_released_said(sorted(broken & tightened_paths))
            name = next(item.exercise.name for item in items if item.slug == slug)
            changes.append(ItemChange("override_released", slug, name, released.english(), said=released))
        else:
            kept_overrides.add(slug)

    # Earlier weeks keep what was done; the removed items leave every week, as when a clinician
    # tightens limits (their PlanItem rows and history stay in the database).
    weeks = tuple(
        replace(w, doses=tuple(d for d in w.doses if d.exercise_slug not in gone or d.exercise_slug in new_slugs))
        for w in plan.weeks
    )
    # An item's own dose (its prescribed start) is held to the new limits too, unless an override holds it,
    # and its progression ceilings follow the new limits (planner.editing: limits move the ceilings).
    params = DoseParameters(profile, book)
    items = [
        item if item.slug in new_slugs else _under_limits(item, limits, params, keep_dose=item.slug in kept_overrides)
        for item in items
    ]
    narrowed = replace(plan, profile=profile, limits=limits, items=tuple(items), weeks=weeks)
    if items:
        doses = {item.slug: item.dose for item in items if item.slug in new_slugs}
        held = frozenset(kept_overrides)
        narrowed = reschedule_from(narrowed, week, doses, held=held, keep_as_given=held)
        for item in items:
            if item.slug in new_slugs:
                continue
            before = this_week.dose_for(item.slug)
            after = narrowed.weeks[week - 1].dose_for(item.slug)
            if before is not None and after is not None and before.dose != after.dose:
                broken_now = check_dose(before.dose, limits)
                why = violations_said(broken_now) if broken_now else within_new_limits()
                changes.append(ItemChange("clamped", item.slug, item.exercise.name, why.english(), said=why))
    return Reassessment(
        plan=narrowed,
        profile_changes=profile_changes(plan.profile, profile, flare),
        flare=flare,
        tightened=tightened,
        proposed=proposed,
        items=tuple(changes),
        kept_overrides=frozenset(kept_overrides),
    )

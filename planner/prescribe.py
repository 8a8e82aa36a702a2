"""Prescription: profile + library + limits -> FITT-VP items, each value with its rationale.

For each component (aerobic, resistance, flexibility, neuromotor) the engine
1. keeps the exercises that break no limit and suit the patient's equipment and positions;
2. keeps the easiest allowed variant of each progression chain;
3. picks the ones that cover the most muscle groups (regions for stretches), ties broken by less
   equipment, gentler impact, then slug, so the plan never depends on the library's order (the one
   aerobic activity is chosen for walking-level impact and no equipment first);
4. doses each from the dose rules (planner/data/rules_doses.json), bounded by the limits, and
   attaches its progression rule. The limits are applied last (clamp_dose).
Same input, same plan: nothing here depends on time, randomness or dict ordering of the input.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from planner.catalogue import allowed_exercises
from planner.limits import clamp_dose, heart_rate_zone
from planner.rules import INTENSITY_PARAMETERS, Anchors, DoseParameters, Rulebook, default_rulebook
from planner.types import (
    Dose,
    ExerciseSpec,
    Intensity,
    LoadLimits,
    Prescription,
    PrescriptionItem,
    Profile,
    ProgressionRule,
    ProgressionStep,
    Rule,
    ValueRationale,
)
from planner.vocabulary import COMPONENTS, IMPACT_LEVELS

GROWTH_MEASURE_WORDS = {
    ("aerobic", "minutes"): "sessions x minutes x upper %HRR",
    ("resistance", "sets_reps"): "sessions x sets x repetitions x %1RM",
    "minutes": "sessions x minutes",
    "sets_reps": "sessions x sets x repetitions",
    "hold": "sessions x holds x seconds held",
}
# The limit fields that decide which exercises are allowed (cited in every item's "exercise" rationale).
FILTER_LIMITS = ("max_impact", "excluded_tags", "avoid_regions", "no_loading_regions")


def unique_rules(*groups: Iterable[Rule]) -> tuple[Rule, ...]:
    """Concatenate rule groups, keeping the first occurrence of each rule."""
    seen, result = set(), []
    for group in groups:
        for rule in group:
            if rule.id not in seen:
                seen.add(rule.id)
                result.append(rule)
    return tuple(result)


# ---------------------------------------------------------------------------------------------
# Intensity targets
# ---------------------------------------------------------------------------------------------


def rpe_for_hrr(pct_hrr: int, anchors: Anchors) -> int:
    """Borg RPE equivalent of a %HRR, interpolated within its ACSM intensity class (rounded down)."""
    classes = anchors.intensity_classes
    for level in classes:
        low, high = level.hrr_pct
        if low <= pct_hrr <= high:
            if high == low:
                return level.rpe[0]
            return level.rpe[0] + (pct_hrr - low) * (level.rpe[1] - level.rpe[0]) // (high - low)
    return classes[0].rpe[0] if pct_hrr < classes[0].hrr_pct[0] else classes[-1].rpe[1]


def aerobic_targets(low_pct: int, high_pct: int, limits: LoadLimits, anchors: Anchors) -> tuple[Intensity, ...]:
    """A %HRR range with its heart-rate (Karvonen) and RPE equivalents, all within the limits.

    With a heart-rate zone: (pct_hrr, hr_bpm, rpe_6_20). Without one (beta blocker): RPE governs and
    comes first, followed by pct_hrr as the engine's reference scale.
    """
    aerobic = limits.aerobic
    max_rpe = aerobic.max_rpe
    rpe_high = min(rpe_for_hrr(high_pct, anchors), max_rpe)
    rpe = Intensity("rpe_6_20", min(rpe_for_hrr(low_pct, anchors), rpe_high), rpe_high)
    hrr = Intensity("pct_hrr", low_pct, high_pct)
    if aerobic.hr_zone_bpm is None:
        return (rpe, hrr)
    low_bpm, high_bpm = heart_rate_zone(aerobic.resting_hr_bpm, aerobic.hr_max_bpm, low_pct, high_pct)
    high_bpm = min(high_bpm, aerobic.hr_zone_bpm[1])
    return (hrr, Intensity("hr_bpm", min(low_bpm, high_bpm), high_bpm), rpe)


def resistance_targets(load_pct: int, limits: LoadLimits, anchors: Anchors) -> tuple[Intensity, ...]:
    """A %1RM load with the effort (RPE) expected at it, capped by the resistance RPE ceiling."""
    low, high = anchors.resistance_rpe_bands[-1][1]
    for (band_low, band_high), rpe in anchors.resistance_rpe_bands:
        if band_low <= load_pct <= band_high:
            low, high = rpe
            break
    high = min(high, limits.resistance.max_rpe)
    return (Intensity("pct_1rm", load_pct, load_pct), Intensity("rpe_6_20", min(low, high), high))


# ---------------------------------------------------------------------------------------------
# Choosing exercises
# ---------------------------------------------------------------------------------------------


def _chain_position(spec: ExerciseSpec, by_slug: dict[str, ExerciseSpec]) -> tuple[str, int]:
    """(slug of the easiest variant in the chain, steps from it), following `easier` links."""
    current, steps, seen = spec, 0, {spec.slug}
    while current.easier in by_slug and current.easier not in seen:
        current = by_slug[current.easier]
        seen.add(current.slug)
        steps += 1
    return current.slug, steps


def _easiest_variants(allowed: Iterable[ExerciseSpec], by_slug: dict[str, ExerciseSpec]) -> list[ExerciseSpec]:
    best: dict[str, tuple[int, str, ExerciseSpec]] = {}
    for spec in allowed:
        root, steps = _chain_position(spec, by_slug)
        key = (steps, spec.slug, spec)
        if root not in best or key[:2] < best[root][:2]:
            best[root] = key
    return [entry[2] for entry in best.values()]


def _covers(spec: ExerciseSpec) -> frozenset[str]:
    if spec.component == "flexibility" and spec.stretched_regions:
        return frozenset(spec.stretched_regions)
    return frozenset(spec.muscle_groups)


def _equipment_needed(spec: ExerciseSpec) -> tuple[int, int]:
    """How much an exercise asks of the patient's kit: a pool (a trip out) first, then item count."""
    return ("pool" in spec.equipment, sum(1 for item in spec.equipment if item != "none"))


def select_exercises(
    component: str,
    allowed: Iterable[ExerciseSpec],
    catalogue: Iterable[ExerciseSpec],
    params: DoseParameters,
    limits: LoadLimits,
) -> tuple[ExerciseSpec, ...]:
    """Pick the component's exercises from the allowed ones (see the module docstring)."""
    by_slug = {spec.slug: spec for spec in catalogue}
    pool = _easiest_variants((spec for spec in allowed if spec.component == component), by_slug)
    count, _ = params.selection(component, "count")
    preferred = None
    if component == "aerobic":
        wanted, _ = params.selection("aerobic", "preferred_impact")
        preferred = min(IMPACT_LEVELS.index(wanted), IMPACT_LEVELS.index(limits.max_impact))
    chosen: list[ExerciseSpec] = []
    covered: frozenset[str] = frozenset()
    while pool and len(chosen) < count:
        pick = min(pool, key=partial(_rank, covered=covered, preferred_impact=preferred))
        pool.remove(pick)
        chosen.append(pick)
        covered |= _covers(pick)
    return tuple(chosen)


def _rank(spec: ExerciseSpec, covered: frozenset[str], preferred_impact: int | None):
    """Sort key for the next pick: lower is better."""
    impact = IMPACT_LEVELS.index(spec.impact)
    equipment = _equipment_needed(spec)
    new_groups = len(_covers(spec) - covered)
    if preferred_impact is not None:
        # One aerobic activity: walking-level impact and no equipment matter more than coverage.
        return (abs(impact - preferred_impact), equipment, -new_groups, impact, spec.slug)
    return (-new_groups, equipment, impact, spec.slug)


def _selection_rules(component: str, params: DoseParameters, limits: LoadLimits, book: Rulebook) -> tuple[Rule, ...]:
    count_rules = params.selection(component, "count")[1]
    impact_rules = params.selection("aerobic", "preferred_impact")[1] if component == "aerobic" else ()
    filters = (limits.rules_for(path) for path in FILTER_LIMITS)
    return unique_rules(book.selection_rules, count_rules, impact_rules, *filters)


# ---------------------------------------------------------------------------------------------
# Dosing
# ---------------------------------------------------------------------------------------------


class _Builder:
    """Resolves one exercise's dose parameters and remembers the rules behind each value."""

    def __init__(self, spec: ExerciseSpec, params: DoseParameters, limits: LoadLimits):
        self.spec, self.params, self.limits = spec, params, limits
        self.component, self.kind = spec.component, spec.dose_kind

    def value(self, name: str):
        return self.params.get(self.component, self.kind, name)

    @property
    def has_intensity(self) -> bool:
        return (self.component, self.kind) in INTENSITY_PARAMETERS


def _start_intensity(build: _Builder, book: Rulebook, profile: Profile):
    """The week-1 intensity targets and their rationale."""
    limits, anchors = build.limits, book.anchors
    guidance = build.params.guidance_for(build.component, profile)
    if not build.has_intensity:
        return (Intensity("none", 0, 0),), guidance
    if build.component == "aerobic":
        class_name, class_rules = build.value("intensity_class_start")
        ceiling, ceiling_rules = _aerobic_intensity_ceiling(build)
        level = anchors.intensity_class(class_name)
        high = min(level.hrr_pct[1], ceiling)
        low = min(level.hrr_pct[0], high)
        targets = aerobic_targets(low, high, limits, anchors)
        rules = unique_rules(
            class_rules,
            (anchors.intensity_classes_rule,),
            guidance,
            ceiling_rules if high < level.hrr_pct[1] else (),
            limits.rules_for("aerobic.hr_zone_bpm"),
            _rpe_ceiling_rules(targets, limits.aerobic.max_rpe, limits, "aerobic.max_rpe"),
        )
        return targets, rules
    load, load_rules = build.value("load_start_pct_1rm")
    ceiling, ceiling_rules = _load_ceiling(build)
    targets = resistance_targets(min(load, ceiling), limits, anchors)
    rules = unique_rules(
        load_rules,
        ceiling_rules if load > ceiling else (),
        (anchors.resistance_rpe_rule,),
        _rpe_ceiling_rules(targets, limits.resistance.max_rpe, limits, "resistance.max_rpe"),
        guidance,
    )
    return targets, rules


def _rpe_ceiling_rules(targets, ceiling: int, limits: LoadLimits, path: str) -> tuple[Rule, ...]:
    """The RPE ceiling's rules when it bounds the RPE target."""
    rpe = next(target for target in targets if target.unit == "rpe_6_20")
    return limits.rules_for(path) if rpe.high >= ceiling else ()


def _aerobic_intensity_ceiling(build: _Builder):
    ceiling, rules = build.value("intensity_ceiling_hrr_pct")
    limit = build.limits.aerobic.max_hrr_pct
    if limit <= ceiling:
        return limit, build.limits.rules_for("aerobic.max_hrr_pct")
    return ceiling, rules


def _load_ceiling(build: _Builder):
    ceiling, rules = build.value("load_ceiling_pct_1rm")
    limit = build.limits.resistance.max_pct_1rm
    if limit <= ceiling:
        return limit, build.limits.rules_for("resistance.max_pct_1rm")
    return ceiling, rules


def _start_time(build: _Builder):
    """Week-1 time fields (minutes, or sets x reps, or holds x seconds) and their rationale."""
    limits = build.limits
    if build.kind == "minutes":
        minutes, rules = build.value("minutes_start")
        return {"minutes": float(minutes)}, rules
    sets, set_rules = build.value("sets_start")
    if build.kind == "sets_reps":
        reps, rep_rules = build.value("reps_start")
        if build.component == "resistance" and reps < limits.resistance.min_reps:
            reps, rep_rules = limits.resistance.min_reps, limits.rules_for("resistance.min_reps")
        return {"sets": sets, "reps": reps}, unique_rules(set_rules, rep_rules)
    hold, hold_rules = build.value("hold_seconds_start")
    if build.component == "flexibility" and hold > limits.flexibility.max_hold_seconds:
        hold, hold_rules = limits.flexibility.max_hold_seconds, limits.rules_for("flexibility.max_hold_seconds")
    return {"sets": sets, "hold_seconds": hold}, unique_rules(set_rules, hold_rules)


def start_dose(
    spec: ExerciseSpec, profile: Profile, params: DoseParameters, limits: LoadLimits, book: Rulebook
) -> Dose:
    """The week-1 dose for one exercise, within the limits, with a rationale for every value."""
    build = _Builder(spec, params, limits)
    frequency, frequency_rules = build.value("frequency_start")
    time_fields, time_rules = _start_time(build)
    targets, intensity_rules = _start_intensity(build, book, profile)
    dose = Dose(
        component=spec.component,
        dose_kind=spec.dose_kind,
        frequency_per_week=frequency,
        intensity=targets,
        rationale=(
            ValueRationale("frequency_per_week", tuple(frequency_rules)),
            ValueRationale("intensity", intensity_rules),
            ValueRationale("time", tuple(time_rules)),
            ValueRationale("volume", unique_rules(frequency_rules, time_rules)),
        ),
        **time_fields,
    )
    return clamp_dose(dose, limits)  # limits last, whatever the dose rules said


def _step(
    build: _Builder,
    variable: str,
    increment_name: str | None,
    ceiling_name: str,
    start,
    *,
    every_name: str = "every_weeks",
    refit: str | None = None,
    floor_name: str | None = None,
    limit: tuple[float, tuple[Rule, ...]] | None = None,
) -> ProgressionStep:
    """One progression step from the dose parameters, its ceiling bounded by `limit` when given."""
    increment, increment_rules = build.value(increment_name) if increment_name else (1, ())
    every, every_rules = build.value(every_name)
    ceiling, ceiling_rules = build.value(ceiling_name)
    ceiling = max(ceiling, start)
    if limit is not None and limit[0] <= ceiling:
        ceiling, ceiling_rules = limit
    floor, floor_rules = build.value(floor_name) if floor_name else (None, ())
    if refit == "reps" and build.component == "resistance" and build.limits.resistance.min_reps > floor:
        floor, floor_rules = build.limits.resistance.min_reps, build.limits.rules_for("resistance.min_reps")
    return ProgressionStep(
        variable=variable,
        increment=increment,
        every_weeks=every,
        ceiling=ceiling,
        refit=refit,
        floor=floor,
        rules=unique_rules(increment_rules, every_rules, ceiling_rules, floor_rules),
    )


def progression_rule(spec: ExerciseSpec, dose: Dose, params: DoseParameters, limits: LoadLimits) -> ProgressionRule:
    """Time first, then frequency (and sets), then intensity; ceilings already within the limits."""
    build = _Builder(spec, params, limits)
    kind = spec.dose_kind
    steps = []
    if kind == "minutes":
        steps.append(_step(build, "minutes", "minutes_step", "minutes_ceiling", dose.minutes))
        steps.append(
            _step(
                build,
                "frequency_per_week",
                None,
                "frequency_ceiling",
                dose.frequency_per_week,
                refit="minutes",
                floor_name="minutes_floor",
            )
        )
    elif kind == "sets_reps":
        steps.append(_step(build, "reps", "reps_step", "reps_ceiling", dose.reps))
        steps.append(_step(build, "sets", None, "sets_ceiling", dose.sets, refit="reps", floor_name="reps_floor"))
        steps.append(
            _step(
                build,
                "frequency_per_week",
                None,
                "frequency_ceiling",
                dose.frequency_per_week,
                refit="reps",
                floor_name="reps_floor",
            )
        )
    else:
        hold_limit = None
        if spec.component == "flexibility":
            hold_limit = (limits.flexibility.max_hold_seconds, limits.rules_for("flexibility.max_hold_seconds"))
        steps.append(
            _step(
                build, "hold_seconds", "hold_seconds_step", "hold_seconds_ceiling", dose.hold_seconds, limit=hold_limit
            )
        )
        steps.append(
            _step(build, "sets", None, "sets_ceiling", dose.sets, refit="hold_seconds", floor_name="hold_seconds_floor")
        )
        steps.append(
            _step(
                build,
                "frequency_per_week",
                None,
                "frequency_ceiling",
                dose.frequency_per_week,
                refit="hold_seconds",
                floor_name="hold_seconds_floor",
            )
        )
    if build.has_intensity:
        if spec.component == "aerobic":
            ceiling_name, limit = "intensity_ceiling_hrr_pct", _aerobic_intensity_ceiling(build)
            start = dose.intensity_in("pct_hrr").high
        else:
            ceiling_name, limit = "load_ceiling_pct_1rm", _load_ceiling(build)
            start = dose.intensity_in("pct_1rm").high
        steps.append(
            _step(
                build,
                "intensity",
                "intensity_step",
                ceiling_name,
                start,
                every_name="intensity_every_weeks",
                limit=limit,
            )
        )
    words = GROWTH_MEASURE_WORDS.get((spec.component, kind), GROWTH_MEASURE_WORDS[kind])
    return ProgressionRule(tuple(steps), limits.weekly_progression_max_pct, words)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def prescribe(
    profile: Profile, catalogue: Iterable[ExerciseSpec], limits: LoadLimits, rulebook: Rulebook | None = None
) -> Prescription:
    """FITT-VP items for the four components; exercises that break a limit never appear."""
    book = rulebook or default_rulebook()
    catalogue = tuple(catalogue)
    params = DoseParameters(profile, book)
    allowed = allowed_exercises(catalogue, limits, profile)
    items, uncovered = [], []
    cap_rules = limits.rules_for("weekly_progression_max_pct")
    for component in COMPONENTS:
        chosen = select_exercises(component, allowed, catalogue, params, limits)
        if not chosen:
            uncovered.append(component)
            continue
        selection_rules = _selection_rules(component, params, limits, book)
        for spec in chosen:
            dose = start_dose(spec, profile, params, limits, book)
            progression = progression_rule(spec, dose, params, limits)
            step_rules = unique_rules(*(step.rules for step in progression.steps), cap_rules)
            items.append(
                PrescriptionItem(
                    exercise=spec,
                    component=component,
                    dose=dose,
                    progression=progression,
                    rationale=(ValueRationale("exercise", selection_rules), ValueRationale("progression", step_rules)),
                )
            )
    return Prescription(items=tuple(items), components_without_exercise=tuple(uncovered))

"""Dosing: the week-1 dose of one exercise and the progression rule it grows by, from the dose rules.

Every value carries the rules behind it (rules_doses.json and the limits); the limits are applied
last (clamp_dose), whatever the dose rules said.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypedDict

from planner.growth import default_growth_rules, is_supported_balance, ladder_unit
from planner.intensity import aerobic_targets, resistance_targets
from planner.limits import clamp_dose
from planner.rules import INTENSITY_PARAMETERS, DoseParameters, Rulebook, RuleDataError
from planner.types import (
    Dose,
    ExerciseSpec,
    Intensity,
    LoadLimits,
    Profile,
    ProgressionRule,
    ProgressionStep,
    Rule,
    ValueRationale,
)

GROWTH_MEASURE_WORDS = {
    ("aerobic", "minutes"): "sessions x minutes x upper %HRR",
    ("resistance", "sets_reps"): "sessions x sets x repetitions x %1RM",
    "minutes": "sessions x minutes",
    "sets_reps": "sessions x sets x repetitions",
    "hold": "sessions x holds x seconds held",
}

Rules = tuple[Rule, ...]


class TimeFields(TypedDict, total=False):
    """The time part of a Dose, by dose kind: minutes; sets and reps; or sets (holds) and hold_seconds."""

    minutes: float
    sets: int
    reps: int
    hold_seconds: int


def unique_rules(*groups: Iterable[Rule]) -> tuple[Rule, ...]:
    """Concatenate rule groups, keeping the first occurrence of each rule (by id)."""
    # A dict keeps the order of first insertion and setdefault never replaces: one call per rule.
    first: dict[str, Rule] = {}
    keep = first.setdefault
    for group in groups:
        for rule in group:
            keep(rule.id, rule)
    return tuple(first.values())


def dose_kind_for(spec: ExerciseSpec) -> str:
    """How an exercise's dose is expressed: its own kind, except balance holds, which are practice time."""
    growth = default_growth_rules()
    if spec.component in growth.practice_components and spec.dose_kind == "hold" and is_supported_balance(spec):
        return "minutes"
    return spec.dose_kind


class _Builder:
    """Resolves one exercise's dose parameters and remembers the rules behind each value."""

    def __init__(self, spec: ExerciseSpec, params: DoseParameters, limits: LoadLimits) -> None:
        self.spec, self.params, self.limits = spec, params, limits
        self.component, self.kind = spec.component, dose_kind_for(spec)

    # The rule data are JSON, so a parameter holds whatever the file holds: each accessor checks that
    # it is of the kind its use needs, and names the parameter when it is not. `of` reads another
    # (component, dose kind) than the exercise's own.

    def whole(self, name: str, *, of: tuple[str, str] | None = None) -> tuple[int, Rules]:
        """A parameter counted in whole units: sessions, sets, repetitions, seconds, weeks, % points."""
        value, rules = self._get(name, of)
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuleDataError(f"{self._where(name, of)} must be a whole number, not {value!r}")
        return value, rules

    def amount(self, name: str) -> tuple[float, Rules]:
        """A parameter that may take fractions: minutes, and the steps, ceilings and floors of growth."""
        value, rules = self._get(name, None)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RuleDataError(f"{self._where(name, None)} must be a number, not {value!r}")
        return value, rules

    def word(self, name: str) -> tuple[str, Rules]:
        """A parameter that names something (the aerobic intensity class to start in)."""
        value, rules = self._get(name, None)
        if not isinstance(value, str):
            raise RuleDataError(f"{self._where(name, None)} must be a name, not {value!r}")
        return value, rules

    def _get(self, name: str, of: tuple[str, str] | None) -> tuple[object, Rules]:
        component, kind = of or (self.component, self.kind)
        return self.params.get(component, kind, name)

    def _where(self, name: str, of: tuple[str, str] | None) -> str:
        component, kind = of or (self.component, self.kind)
        return f"dose parameter {component}.{kind}.{name}"

    @property
    def has_intensity(self) -> bool:
        return (self.component, self.kind) in INTENSITY_PARAMETERS


def _start_intensity(build: _Builder, book: Rulebook, profile: Profile) -> tuple[tuple[Intensity, ...], Rules]:
    """The week-1 intensity targets and their rationale."""
    limits, anchors = build.limits, book.anchors
    guidance = build.params.guidance_for(build.component, profile)
    if build.component == "neuromotor" and ladder_unit(build.spec) == "support_level":
        targets, rules = _ladder_start(build)
        return targets, unique_rules(rules, guidance)
    if build.component == "resistance" and not build.has_intensity:
        # A carry, dosed by time: the effort of a set at the tier's starting load governs.
        load, load_rules = build.whole("load_start_pct_1rm", of=("resistance", "sets_reps"))
        rpe = next(t for t in resistance_targets(load, limits, anchors) if t.unit == "rpe_6_20")
        return (rpe,), unique_rules(load_rules, (anchors.resistance_rpe_rule,), guidance)
    if not build.has_intensity:
        return (Intensity("none", 0, 0),), guidance
    if build.component == "aerobic":
        class_name, class_rules = build.word("intensity_class_start")
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
    load, load_rules = build.whole("load_start_pct_1rm")
    ceiling, ceiling_rules = _load_ceiling(build)
    targets = resistance_targets(min(load, ceiling), limits, anchors)
    rules = unique_rules(
        load_rules,
        ceiling_rules if load > ceiling else (),
        (anchors.resistance_rpe_rule,),
        _rpe_ceiling_rules(targets, limits.resistance.max_rpe, limits, "resistance.max_rpe"),
        guidance,
    )
    unit = ladder_unit(build.spec)
    if unit is not None:
        # A band or bodyweight: no %1RM the patient could follow. The level starts at the ladder's
        # first step and the effort target is the one expected at the tier's starting load.
        ladder = default_growth_rules().ladder(unit)
        rpe = next(target for target in targets if target.unit == "rpe_6_20")
        growth = default_growth_rules()
        return (rpe, Intensity(unit, ladder.start, ladder.start)), unique_rules(
            (growth.load_type_rule, ladder.rule), rules
        )
    return targets, rules


def _ladder_start(build: _Builder) -> tuple[tuple[Intensity, ...], Rules]:
    """Balance work: the first level of hand support (the ladder's start), dosed by feel otherwise."""
    ladder = default_growth_rules().ladder("support_level")
    return (Intensity("support_level", ladder.start, ladder.start),), (ladder.rule,)


def _rpe_ceiling_rules(targets: Sequence[Intensity], ceiling: int, limits: LoadLimits, path: str) -> Rules:
    """The RPE ceiling's rules when it bounds the RPE target."""
    rpe = next(target for target in targets if target.unit == "rpe_6_20")
    return limits.rules_for(path) if rpe.high >= ceiling else ()


def _aerobic_intensity_ceiling(build: _Builder) -> tuple[int, Rules]:
    ceiling, rules = build.whole("intensity_ceiling_hrr_pct")
    limit = build.limits.aerobic.max_hrr_pct
    if limit <= ceiling:
        return limit, build.limits.rules_for("aerobic.max_hrr_pct")
    return ceiling, rules


def _load_ceiling(build: _Builder) -> tuple[int, Rules]:
    ceiling, rules = build.whole("load_ceiling_pct_1rm")
    limit = build.limits.resistance.max_pct_1rm
    if limit <= ceiling:
        return limit, build.limits.rules_for("resistance.max_pct_1rm")
    return ceiling, rules


def _start_time(build: _Builder) -> tuple[TimeFields, Rules]:
    """Week-1 time fields (minutes, or sets x reps, or holds x seconds) and their rationale."""
    limits = build.limits
    if build.kind == "minutes":
        minutes, rules = build.amount("minutes_start")
        if build.spec.dose_kind != "minutes":
            rules = unique_rules(rules, (default_growth_rules().practice_rule,))
        return {"minutes": float(minutes)}, rules
    sets, set_rules = build.whole("sets_start")
    if build.kind == "sets_reps":
        reps, rep_rules = build.whole("reps_start")
        if build.component == "resistance" and reps < limits.resistance.min_reps:
            reps, rep_rules = limits.resistance.min_reps, limits.rules_for("resistance.min_reps")
        return {"sets": sets, "reps": reps}, unique_rules(set_rules, rep_rules)
    hold, hold_rules = build.whole("hold_seconds_start")
    if build.component == "flexibility" and hold > limits.flexibility.max_hold_seconds:
        hold, hold_rules = limits.flexibility.max_hold_seconds, limits.rules_for("flexibility.max_hold_seconds")
    return {"sets": sets, "hold_seconds": hold}, unique_rules(set_rules, hold_rules)


def start_dose(
    spec: ExerciseSpec, profile: Profile, params: DoseParameters, limits: LoadLimits, book: Rulebook
) -> Dose:
    """The week-1 dose for one exercise, within the limits, with a rationale for every value."""
    build = _Builder(spec, params, limits)
    frequency, frequency_rules = build.whole("frequency_start")
    time_fields, time_rules = _start_time(build)
    targets, intensity_rules = _start_intensity(build, book, profile)
    dose = Dose(
        component=spec.component,
        dose_kind=build.kind,
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
    start: float,
    *,
    every_name: str = "every_weeks",
    refit: str | None = None,
    floor_name: str | None = None,
    limit: tuple[float, Rules] | None = None,
) -> ProgressionStep:
    """One progression step from the dose parameters, its ceiling bounded by `limit` when given."""
    increment, increment_rules = build.amount(increment_name) if increment_name else (1, ())
    every, every_rules = build.whole(every_name)
    ceiling, ceiling_rules = build.amount(ceiling_name)
    ceiling = max(ceiling, start)
    if limit is not None and limit[0] <= ceiling:
        ceiling, ceiling_rules = limit
    floor: float | None = None
    floor_rules: Rules = ()
    if floor_name:
        floor, floor_rules = build.amount(floor_name)
    # A step that refits repetitions always names its floor; the limits' fewest repetitions raise it.
    if (
        refit == "reps"
        and build.component == "resistance"
        and floor is not None
        and build.limits.resistance.min_reps > floor
    ):
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


def _ladder_step(build: _Builder, unit: str, dose: Dose) -> ProgressionStep:
    """One level up a practical ladder (band colour, tempo, hand support), up to its last level."""
    ladder = default_growth_rules().ladder(unit)
    every = build.whole("intensity_every_weeks") if build.has_intensity else (1, ())
    return ProgressionStep(
        variable="intensity",
        increment=1,
        every_weeks=every[0],
        ceiling=max(len(ladder.levels), _intensity_high(dose, unit)),
        refit=None,
        floor=None,
        rules=unique_rules((ladder.rule,), every[1]),
    )


def _intensity_high(dose: Dose, unit: str) -> int:
    """The top of the dose's target in `unit`, which its start_dose set (a ladder level, %HRR or %1RM)."""
    target = dose.intensity_in(unit)
    if target is None:
        raise ValueError(f"a {dose.component} dose that grows by {unit} needs a {unit} target")
    return target.high


def _time_value(value: float | None, name: str, dose: Dose) -> float:
    """One of the dose kind's own time values, which Dose itself requires (its __post_init__)."""
    if value is None:
        raise ValueError(f"a {dose.dose_kind} dose needs {name}")
    return value


def progression_rule(spec: ExerciseSpec, dose: Dose, params: DoseParameters, limits: LoadLimits) -> ProgressionRule:
    """In the reference's order (clinical-reference 8d): resistance repetitions, sets, days, then load;
    aerobic minutes, days, then intensity; balance less support, then time; stretches hold time, holds,
    days. Ceilings already within the limits."""
    build = _Builder(spec, params, limits)
    kind = build.kind
    steps: list[ProgressionStep] = []
    if kind == "minutes":
        minutes = _time_value(dose.minutes, "minutes", dose)
        steps.append(_step(build, "minutes", "minutes_step", "minutes_ceiling", minutes))
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
        reps, sets = _time_value(dose.reps, "reps", dose), _time_value(dose.sets, "sets", dose)
        steps.append(_step(build, "reps", "reps_step", "reps_ceiling", reps))
        steps.append(_step(build, "sets", None, "sets_ceiling", sets, refit="reps", floor_name="reps_floor"))
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
        hold, sets = _time_value(dose.hold_seconds, "hold_seconds", dose), _time_value(dose.sets, "sets", dose)
        hold_limit: tuple[float, Rules] | None = None
        if spec.component == "flexibility":
            hold_limit = (limits.flexibility.max_hold_seconds, limits.rules_for("flexibility.max_hold_seconds"))
        steps.append(_step(build, "hold_seconds", "hold_seconds_step", "hold_seconds_ceiling", hold, limit=hold_limit))
        steps.append(
            _step(build, "sets", None, "sets_ceiling", sets, refit="hold_seconds", floor_name="hold_seconds_floor")
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
    ladder = ladder_unit(spec) if spec.component in ("resistance", "neuromotor") else None
    if ladder is not None:
        steps.append(_ladder_step(build, ladder, dose))
        if spec.component == "neuromotor":
            # Balance: less support before longer holds (clinical-reference 8d).
            steps.insert(0, steps.pop())
    elif build.has_intensity:
        if spec.component == "aerobic":
            ceiling_name, limit = "intensity_ceiling_hrr_pct", _aerobic_intensity_ceiling(build)
            start = _intensity_high(dose, "pct_hrr")
        else:
            ceiling_name, limit = "load_ceiling_pct_1rm", _load_ceiling(build)
            start = _intensity_high(dose, "pct_1rm")
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

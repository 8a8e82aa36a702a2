"""Week-by-week doses: gradual growth, never above a limit, never faster than the weekly cap.

Each week every item grows at most one variable, tried in its progression rule's order (time, then
frequency or sets, then intensity):
- a variable at its ceiling is passed over; a variable not due this week (every_weeks) holds the item;
- a step grows the variable by the most that keeps the item's weekly growth measure
  (planner.limits.growth_measure: F x T x I) within weekly_progression_max_pct, never past the
  ceiling; a step too coarse to fit under the cap (one more repetition can be +8 %) is passed over;
- adding a session or a set spreads the same weekly time over more bouts: the session time is
  shortened ("refit") so the weekly measure still grows no faster than the cap, never below its
  floor (minimum bout, min_reps, shortest hold); the time then grows again in later weeks.
The limits are applied last to every week's dose (clamp_dose).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from fractions import Fraction
from math import floor

from planner.catalogue import load_default_catalogue
from planner.dosing import unique_rules
from planner.intensity import aerobic_targets, resistance_targets
from planner.limits import (
    CANONICAL_INTENSITY,
    add_rationale,
    apply_adjustments,
    clamp_dose,
    compute_limits,
    growth_pct,
)
from planner.prescribe import prescribe
from planner.rules import SAFETY_NOTICE, Rulebook, default_rulebook
from planner.types import (
    Dose,
    ExerciseSpec,
    LimitAdjustment,
    LoadLimits,
    Plan,
    PlanWeek,
    PrescriptionItem,
    Profile,
    ProgressionStep,
    ScheduledDose,
)

# The plan's default length: the myositis exercise trials ran for 12 weeks.
DEFAULT_WEEKS = 12
# Resolution of each variable, as units per whole value: minutes move in half minutes (30 s),
# everything else in whole units. The arithmetic below runs on integers of these units.
UNITS_PER_VALUE = {"minutes": 2}
DAYS_IN_WEEK = 7
RATIONALE_FIELD = {
    "minutes": "time",
    "sets": "time",
    "reps": "time",
    "hold_seconds": "time",
    "frequency_per_week": "frequency_per_week",
    "intensity": "intensity",
}


def _units(dose: Dose, variable: str):
    """The variable's value in grid units (an int, or an exact Fraction when an edit left the grid)."""
    if variable == "intensity":
        return dose.intensity_in(CANONICAL_INTENSITY[dose.component]).high
    value = getattr(dose, variable) * UNITS_PER_VALUE.get(variable, 1)
    return int(value) if float(value).is_integer() else Fraction(value)


def _from_units(variable: str, units):
    per_value = UNITS_PER_VALUE.get(variable, 1)
    return units / per_value if variable == "minutes" else int(units)


def _cap_hundredths(cap_pct: float) -> int:
    # Hundredths of a percent, rounded down so that the cap can only get stricter (7.3 -> 730).
    return floor(cap_pct * 100 + 1e-9)


def _within(base, cap: int) -> int:
    """The largest whole number of units <= base x (1 + cap), cap in hundredths of a percent."""
    return floor(base * (10000 + cap) / 10000) if isinstance(base, Fraction) else base * (10000 + cap) // 10000


def _with_intensity(dose: Dose, new_high: int, limits: LoadLimits, book: Rulebook) -> Dose:
    if dose.component == "aerobic":
        current = dose.intensity_in("pct_hrr")
        new_low = min(current.low + new_high - current.high, new_high)
        return replace(dose, intensity=aerobic_targets(new_low, new_high, limits, book.anchors))
    return replace(dose, intensity=resistance_targets(new_high, limits, book.anchors))


def _grow_variable(dose: Dose, step: ProgressionStep, cap: int, limits: LoadLimits, book: Rulebook) -> Dose | None:
    """Grow one time or intensity variable as far as the step, the ceiling and the cap allow.

    The growth measure is proportional to each variable, so the cap bounds the variable itself:
    new value <= old value x (1 + cap).
    """
    per_value = UNITS_PER_VALUE.get(step.variable, 1)
    current = _units(dose, step.variable)
    top = min(current + floor(step.increment * per_value), floor(step.ceiling * per_value), _within(current, cap))
    if top <= current:
        return None
    if step.variable == "intensity":
        return _with_intensity(dose, int(top), limits, book)
    return replace(dose, **{step.variable: _from_units(step.variable, top)})


def _add_bout(dose: Dose, step: ProgressionStep, cap: int) -> Dose | None:
    """One more session or set, with the time per bout refitted under the cap (not below the floor).

    count x time grows to (count + 1) x time', so time' <= count x time x (1 + cap) / (count + 1).
    """
    count = getattr(dose, step.variable)
    if step.variable == "frequency_per_week" and count + 1 > DAYS_IN_WEEK:
        return None
    time = _units(dose, step.refit)
    refitted = min(time, _within(count * time, cap) // (count + 1))
    floor_units = (step.floor or 0) * UNITS_PER_VALUE.get(step.refit, 1)
    if refitted <= 0 or refitted < floor_units:
        return None
    return replace(dose, **{step.variable: count + 1, step.refit: _from_units(step.refit, refitted)})


def next_dose(
    previous: Dose, item: PrescriptionItem, week: int, limits: LoadLimits, rulebook: Rulebook | None = None
) -> tuple[Dose, str | None]:
    """The dose for `week` (2, 3, ...) after `previous`, and the variable that grew (None: held)."""
    book = rulebook or default_rulebook()
    cap = _cap_hundredths(min(item.progression.max_weekly_growth_pct, limits.weekly_progression_max_pct))
    for step in item.progression.steps:
        if _units(previous, step.variable) >= step.ceiling * UNITS_PER_VALUE.get(step.variable, 1):
            continue
        if (week - 1) % step.every_weeks != 0:
            return previous, None
        if step.refit is None:
            grown = _grow_variable(previous, step, cap, limits, book)
        else:
            grown = _add_bout(previous, step, cap)
        if grown is None:
            continue
        cap_rules = limits.rules_for("weekly_progression_max_pct")
        grown = add_rationale(grown, RATIONALE_FIELD[step.variable], step.rules)
        if step.refit is not None:
            grown = add_rationale(grown, "time", step.rules)
        grown = add_rationale(grown, "volume", unique_rules(step.rules, cap_rules))
        return grown, step.variable
    return previous, None


def schedule(
    items: Iterable[PrescriptionItem], limits: LoadLimits, weeks: int = DEFAULT_WEEKS, rulebook: Rulebook | None = None
) -> tuple[PlanWeek, ...]:
    """Week-by-week doses for `weeks` weeks; week 1 is each item's starting dose."""
    if weeks < 1:
        raise ValueError("a plan lasts at least one week")
    book = rulebook or default_rulebook()
    items = tuple(items)
    current = [clamp_dose(item.dose, limits) for item in items]
    plan = [
        PlanWeek(1, tuple(ScheduledDose(item.slug, dose, None, 0.0) for item, dose in zip(items, current, strict=True)))
    ]
    for number in range(2, weeks + 1):
        doses = []
        for index, item in enumerate(items):
            previous = current[index]
            candidate, changed = next_dose(previous, item, number, limits, book)
            dose = clamp_dose(candidate, limits)  # limits last
            current[index] = dose
            doses.append(ScheduledDose(item.slug, dose, changed, round(growth_pct(previous, dose), 2)))
        plan.append(PlanWeek(number, tuple(doses)))
    return tuple(plan)


def build_plan(
    profile: Profile,
    catalogue: Iterable[ExerciseSpec] | None = None,
    *,
    weeks: int = DEFAULT_WEEKS,
    rulebook: Rulebook | None = None,
    adjustments: Iterable[LimitAdjustment] = (),
) -> Plan:
    """The whole engine in one call: limits (with clinician adjustments), prescription, schedule."""
    book = rulebook or default_rulebook()
    library = load_default_catalogue() if catalogue is None else tuple(catalogue)
    limits = compute_limits(profile, book)
    adjustments = tuple(adjustments)
    if adjustments:
        limits = apply_adjustments(limits, adjustments)
    prescription = prescribe(profile, library, limits, book)
    return Plan(
        profile=profile,
        limits=limits,
        items=prescription.items,
        weeks=schedule(prescription.items, limits, weeks, book),
        components_without_exercise=prescription.components_without_exercise,
        safety_notice=SAFETY_NOTICE,
    )

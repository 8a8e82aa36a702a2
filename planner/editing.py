"""Changing a plan after it was built: a clinician's dose edit, tightened limits, a weekly decision.

Each function returns a new Plan. Weeks before the change stay as they were (they happened);
from the change on, doses are forecast again with the schedule's own growth rule and the
limits are applied last. A dose accepted with an override is held where it was put, never
grown further: growth above a limit would need an override of its own.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from planner.catalogue import exercise_violations
from planner.dosing import progression_rule, unique_rules
from planner.growth import default_growth_rules
from planner.intensity import heart_rate_zone, rpe_for_hrr
from planner.limits import UNIT_WORDS, clamp_dose, growth_pct
from planner.rules import Anchors, DoseParameters, Rulebook, default_rulebook
from planner.schedule import next_dose
from planner.translation import gettext_noop
from planner.types import (
    Dose,
    Intensity,
    LoadLimits,
    Plan,
    PlanWeek,
    PrescriptionItem,
    ScheduledDose,
    ValueRationale,
)


def week_number(days_since_start: int, weeks: int) -> int:
    """The 1-based plan week a day falls in, clamped to the plan's length."""
    return max(1, min(weeks, days_since_start // 7 + 1))


# Weeks of history the growth window needs: the window itself, plus this week.
WINDOW_WEEKS = default_growth_rules().window_weeks + 1


def reschedule_from(
    plan: Plan,
    week: int,
    doses: Mapping[str, Dose],
    *,
    held: frozenset[str] = frozenset(),
    keep_as_given: frozenset[str] = frozenset(),
) -> Plan:
    """Set `doses` (by exercise slug) for `week`, keep the other items' doses, forecast the rest.

    held: slugs whose dose stays constant from `week` on (an override above the limits).
    keep_as_given: slugs whose given dose is stored as it is, even above a limit: only for an
        override the caller has recorded with its author and reason. Every other dose is clamped.
    """
    if not 1 <= week <= len(plan.weeks):
        raise ValueError(f"week {week} is outside the plan (1-{len(plan.weeks)})")
    unknown = set(doses) - {item.slug for item in plan.items}
    if unknown:
        raise ValueError(f"not in the plan: {sorted(unknown)}")
    previous_week = plan.weeks[week - 2] if week > 1 else None
    current: dict[str, Dose] = {}
    new_weeks = list(plan.weeks[: week - 1])
    for number in range(week, len(plan.weeks) + 1):
        scheduled = []
        for item in plan.items:
            # An item that joined the plan this week (a replacement) has no dose the week before.
            previous = previous_week.dose_for(item.slug) if previous_week else None
            before = previous.dose if previous else None
            if number == week:
                dose = doses.get(item.slug) or _dose_in(plan.weeks[week - 1], item.slug)
                if item.slug not in keep_as_given:
                    dose = clamp_dose(dose, plan.limits)
                changed = _changed_variable(before, dose)
            elif item.slug in held:
                dose, changed = current[item.slug], None
            else:
                # The growth cap's window reads the item's doses of the weeks before (planner.growth).
                history = [s.dose for w in new_weeks[-WINDOW_WEEKS:-1] if (s := w.dose_for(item.slug)) is not None]
                candidate, changed = next_dose(current[item.slug], item, number, plan.limits, history=history)
                dose = clamp_dose(candidate, plan.limits)  # limits last
            current[item.slug] = dose
            growth = round(growth_pct(before, dose), 2) if before is not None else 0.0
            scheduled.append(ScheduledDose(item.slug, dose, changed, growth))
        built = PlanWeek(number, tuple(scheduled))
        new_weeks.append(built)
        previous_week = built
    items = plan.items
    if week == 1:
        # Editing the first week edits the starting dose the item is prescribed with.
        items = tuple(replace(item, dose=current_first(new_weeks, item)) for item in plan.items)
    return replace(plan, items=items, weeks=tuple(new_weeks))


def current_first(weeks: list[PlanWeek], item: PrescriptionItem) -> Dose:
    return _dose_in(weeks[0], item.slug)


def _dose_in(week: PlanWeek, slug: str) -> Dose:
    scheduled = week.dose_for(slug)
    # Every week from the one an item joined holds one dose per item (PlanWeek), and the weeks
    # rescheduled here are at or after it.
    assert scheduled is not None, f"{slug} has no dose in week {week.number}"
    return scheduled.dose


def tighten_limits(
    plan: Plan,
    limits: LoadLimits,
    from_week: int,
    *,
    held: frozenset[str] = frozenset(),
    rulebook: Rulebook | None = None,
) -> tuple[Plan, tuple[str, ...]]:
    """Put new limits (tighter or looser) in force from `from_week`.

    Drops the exercises they forbid, rebuilds every other item's progression rule from the new
    limits (planner.dosing.progression_rule, so each step ceiling follows: a loosened load ceiling
    lets the load grow up to it, a tightened one stops it there), re-clamps every dose and forecasts
    the weeks from `from_week` on again. `held` are the overridden items: their accepted dose is held
    where it was put, neither clamped nor grown (as reschedule_from does for any override).

    Returns the new plan and the slugs of the exercises dropped.
    """
    book = rulebook or default_rulebook()
    params = DoseParameters(plan.profile, book)
    dropped = tuple(item.slug for item in plan.items if exercise_violations(item.exercise, limits, plan.profile))
    kept = tuple(
        _under_limits(item, limits, params, keep_dose=item.slug in held)
        for item in plan.items
        if item.slug not in dropped
    )
    weeks = tuple(
        PlanWeek(week.number, tuple(d for d in week.doses if d.exercise_slug not in dropped)) for week in plan.weeks
    )
    narrowed = replace(plan, limits=limits, items=kept, weeks=weeks)
    if not kept:
        return narrowed, dropped
    this_week = narrowed.weeks[from_week - 1]
    doses = {d.exercise_slug: d.dose for d in this_week.doses}
    return reschedule_from(narrowed, from_week, doses, held=held, keep_as_given=held), dropped


def _under_limits(
    item: PrescriptionItem, limits: LoadLimits, params: DoseParameters, *, keep_dose: bool
) -> PrescriptionItem:
    """The item with its progression rule rebuilt from `limits` (and its starting dose clamped to them,
    unless an override holds it), its "progression" rationale citing the rules of the new steps."""
    dose = item.dose if keep_dose else clamp_dose(item.dose, limits)
    progression = progression_rule(item.exercise, dose, params, limits)
    step_rules = unique_rules(
        *(step.rules for step in progression.steps), limits.rules_for("weekly_progression_max_pct")
    )
    others = tuple(entry for entry in item.rationale if entry.field != "progression")
    return replace(
        item, dose=dose, progression=progression, rationale=(*others, ValueRationale("progression", step_rules))
    )


def _changed_variable(before: Dose | None, after: Dose) -> str | None:
    if before is None:
        return None
    for name in ("frequency_per_week", "minutes", "sets", "reps", "hold_seconds"):
        if getattr(before, name) != getattr(after, name):
            return name
    if before.intensity != after.intensity:
        return "intensity"
    return None


DOSE_FIELDS = ("frequency_per_week", "minutes", "sets", "reps", "hold_seconds")
# The ends of each intensity scale (what the unit can mean, not a clinical limit): %HRR and %1RM
# above 100 do not exist, and Borg's scale runs from 6 to 20. A value outside is a typing error.
INTENSITY_SCALES = {"pct_hrr": (0, 100), "pct_1rm": (0, 100), "rpe_6_20": (6, 20), "hr_bpm": (30, 230)}


class DoseEditError(ValueError):
    """A requested dose that cannot exist (not a limit problem). errors: field -> message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def edit_dose(dose: Dose, changes: Mapping[str, Any], limits: LoadLimits, anchors: Anchors) -> Dose:
    """The dose with a clinician's requested values. Limits are NOT applied here: the caller checks
    them (refusing, or recording an override) so that nothing above a limit passes silently.

    Intensity edits move the governing target (the first); its equivalents (heart rate from
    Karvonen, RPE from the ACSM classes or the resistance bands) are recomputed from it,
    uncapped, so an overridden dose reads the same in every unit.
    """
    errors: dict[str, str] = {}
    values = {name: changes[name] for name in DOSE_FIELDS if changes.get(name) is not None}
    for name in values:
        if getattr(dose, name) is None:
            errors[name] = f"this exercise is not dosed in {name.replace('_', ' ')}"
    intensity = dose.intensity
    asked_low, asked_high = changes.get("intensity_low"), changes.get("intensity_high")
    asked = {
        name: value
        for name, value in (("intensity_low", asked_low), ("intensity_high", asked_high))
        if value is not None
    }
    if asked:
        governing = intensity[0]
        scale = INTENSITY_SCALES.get(governing.unit)
        outside = [name for name, value in asked.items() if scale and not scale[0] <= value <= scale[1]]
        if governing.unit == "none":
            errors.update(dict.fromkeys(asked, "this exercise is dosed by feel and has no intensity to set"))
        elif scale is not None and outside:  # (outside is empty without a scale)
            words = f"the {UNIT_WORDS[governing.unit]} scale runs from {scale[0]} to {scale[1]}"
            errors.update(dict.fromkeys(outside, words))
        else:
            if governing.unit == "pct_1rm":
                # A load is one value: the high end when given (0 is a value, not "not given").
                low = high = int(asked["intensity_high"] if "intensity_high" in asked else asked["intensity_low"])
            else:
                low = governing.low if asked_low is None else int(asked_low)
                high = governing.high if asked_high is None else int(asked_high)
            if low > high:
                errors["intensity_low"] = "the low end of the intensity is above the high end"
            else:
                intensity = _with_equivalents(Intensity(governing.unit, low, high), dose.intensity, limits, anchors)
    if errors:
        raise DoseEditError(errors)
    try:
        return replace(dose, intensity=intensity, **values)
    except ValueError as error:
        raise DoseEditError({"dose": str(error)}) from None


def _with_equivalents(
    governing: Intensity, current: tuple[Intensity, ...], limits: LoadLimits, anchors: Anchors
) -> tuple[Intensity, ...]:
    aerobic = limits.aerobic
    rebuilt = [governing]
    for target in current[1:]:
        if governing.unit == "pct_hrr" and target.unit == "hr_bpm" and aerobic.hr_max_bpm is not None:
            low, high = heart_rate_zone(aerobic.resting_hr_bpm, aerobic.hr_max_bpm, governing.low, governing.high)
            rebuilt.append(Intensity("hr_bpm", low, high))
        elif governing.unit == "pct_hrr" and target.unit == "rpe_6_20":
            rebuilt.append(
                Intensity("rpe_6_20", rpe_for_hrr(governing.low, anchors), rpe_for_hrr(governing.high, anchors))
            )
        elif governing.unit == "pct_1rm" and target.unit == "rpe_6_20":
            band = next((rpe for (lo, hi), rpe in anchors.resistance_rpe_bands if lo <= governing.high <= hi), None)
            rebuilt.append(Intensity("rpe_6_20", *band) if band else target)
        else:
            rebuilt.append(target)
    return tuple(rebuilt)


CEILING_WORDS = {
    "minutes": gettext_noop("minutes per session"),
    "reps": gettext_noop("repetitions per set"),
    "sets": gettext_noop("sets"),
    "hold_seconds": gettext_noop("seconds per hold"),
    "frequency_per_week": gettext_noop("sessions a week"),
}


def edit_violations(plan: Plan, slug: str, week: int, dose: Dose) -> list[Any]:
    """Everything a clinician's edit must not exceed without an override: the load limits, the
    weekly growth cap over the previous week, and the item's own progression ceilings (the dose
    rules' top values, e.g. 30 minutes a session), so a typo of 240 minutes cannot pass quietly."""
    from planner.limits import check_dose, check_growth
    from planner.violations import violation, word

    found = list(check_dose(dose, plan.limits))
    if week > 1:
        previous = plan.weeks[week - 2].dose_for(slug)
        if previous is not None:
            found += check_growth(previous.dose, dose, plan.limits)
    item = next(item for item in plan.items if item.slug == slug)
    for step in item.progression.steps:
        if step.variable in CEILING_WORDS and getattr(dose, step.variable) is not None:
            value = getattr(dose, step.variable)
            if value > step.ceiling:
                found.append(
                    violation(
                        f"progression.{step.variable}_ceiling",
                        gettext_noop("%(value)s %(what)s is above this exercise's ceiling of %(ceiling)s."),
                        value=value,
                        what=word(CEILING_WORDS[step.variable]),
                        ceiling=step.ceiling,
                    )
                )
    return found

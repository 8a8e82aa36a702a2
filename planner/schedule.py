"""Week-by-week doses: whole steps a patient can follow, never above a limit, within the growth cap.

Each week every item grows at most one variable, in its progression rule's order (resistance:
repetitions, then sets, then days, then load; aerobic: minutes, then days, then intensity; balance:
less support, then time; stretches: hold time, then holds, then days):
- steps are practical: whole minutes, one repetition, one set, one day, 5-second holds, one band
  colour or support level; a variable at its ceiling is passed over; a variable not due this week
  (every_weeks) holds the item;
- for the loading components the growth cap bounds the weekly volume averaged over a short window
  (planner.growth): a step is taken as soon as the window allows it, the item waits while it does not
  yet, and a step that no window can cover is passed over for the next variable;
- one more set or day keeps the weekly volume from shrinking: the time per bout is refitted down to
  the smallest whole value (not below its floor) that keeps the volume at least where it was;
- repetitions climb past their nominal ceiling while one more set at the bottom of the range would not
  fit yet (up to the endurance maximum), so sets can follow.
The limits are applied last to every week's dose (clamp_dose).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Protocol

from planner.catalogue import load_default_catalogue
from planner.dosing import unique_rules
from planner.growth import (
    VOLUME_KEY_FIELDS,
    VOLUME_KEY_HIGH,
    allowed_volume,
    can_ever_fit,
    default_growth_rules,
    exact,
    fits,
    governing_target,
    governing_unit,
    growth_factor,
    is_capped,
    reps_before_next_set,
    volume_key,
    volume_of_key,
    weekly_volume,
)
from planner.intensity import aerobic_targets, resistance_targets
from planner.limits import add_rationale, apply_adjustments, clamp_dose, compute_limits, growth_pct
from planner.memo import component_limits, interned, memo_for, token
from planner.prescribe import prescribe
from planner.relative_zone import patient_dose, relative_dose, stand_in_limits
from planner.rules import SAFETY_NOTICE, Rulebook, default_rulebook
from planner.targets import plan_targets
from planner.types import (
    Dose,
    ExerciseSpec,
    Intensity,
    LimitAdjustment,
    LoadLimits,
    Plan,
    PlanWeek,
    PrescriptionItem,
    Profile,
    ProgressionRule,
    ProgressionStep,
    ScheduledDose,
    evolve_dose,
)

# The plan's default length: the myositis exercise trials ran for 12 weeks.
DEFAULT_WEEKS = 12
# Resolution of each variable, as units per whole value: everything moves in whole units (whole
# minutes, repetitions, sets, days, seconds, %-points, levels).
UNITS_PER_VALUE: dict[str, int] = {}
DAYS_IN_WEEK = 7
RATIONALE_FIELD = {
    "minutes": "time",
    "sets": "time",
    "reps": "time",
    "hold_seconds": "time",
    "frequency_per_week": "frequency_per_week",
    "intensity": "intensity",
}
# Why an item could not grow this week (returned by grow_one_step for the decision's words).
WAITING = "waiting"
AT_CEILINGS = "at_ceilings"
NEVER_FITS = "never_fits"
NOT_DUE = "not_due"


# A variable's value in grid units: an int, or an exact Fraction when an edit left the grid.
Units = int | Fraction


def _units(dose: Dose, variable: str) -> Units | None:
    """The variable's value in grid units (None: the dose has no such variable)."""
    if variable == "intensity":
        target = governing_target(dose)[1]
        return target.high if target is not None else None
    value = getattr(dose, variable)
    if value is None:
        return None
    if type(value) is int:
        return value * UNITS_PER_VALUE.get(variable, 1)
    exact_value = _in_units(value, variable)
    return int(exact_value) if exact_value.denominator == 1 else exact_value


def _in_units(value: float, variable: str) -> Fraction:
    """A value in grid units, exact (no product built when a value is its own unit, as every one is now)."""
    scale = UNITS_PER_VALUE.get(variable, 1)
    return exact(value) if scale == 1 else exact(value) * scale


def _target(dose: Dose, unit: str) -> Intensity:
    """The dose's target in `unit`, which the caller knows it has (governing_unit found it there)."""
    target = dose.intensity_in(unit)
    assert target is not None
    return target


def _from_units(variable: str, units: Units) -> float | int:
    return float(units) if variable == "minutes" else int(units)


def _with_intensity(dose: Dose, new_high: int, limits: LoadLimits, book: Rulebook) -> Dose:
    unit = governing_unit(dose)
    if unit == "pct_hrr":
        current = _target(dose, "pct_hrr")
        new_low = min(current.low + new_high - current.high, new_high)
        return evolve_dose(dose, intensity=aerobic_targets(new_low, new_high, limits, book.anchors))
    if unit == "pct_1rm":
        return evolve_dose(dose, intensity=resistance_targets(new_high, limits, book.anchors))
    # A ladder level (band colour, tempo, support): the level moves, the effort target stays.
    return evolve_dose(
        dose,
        intensity=tuple(Intensity(t.unit, new_high, new_high) if t.unit == unit else t for t in dose.intensity),
    )


def _volumes_after(dose: Dose, variable: str) -> Callable[[int], Fraction]:
    """weekly_volume of the dose with `variable` grown to a number of units, without building that dose.

    The volume reads the governing intensity's upper value and the time and frequency fields; growing
    the intensity (_with_intensity) keeps the governing unit and sets its upper value to the units, any
    other variable only replaces its own field (_grow_value's grown_to).
    """
    key = list(volume_key(dose))
    position = VOLUME_KEY_HIGH if variable == "intensity" else VOLUME_KEY_FIELDS[variable]

    def volume_at(units: int) -> Fraction:
        key[position] = units if variable == "intensity" else _from_units(variable, units)
        return volume_of_key(tuple(key))

    return volume_at


class Growing(Protocol):
    """What grow_one_step reads of an item: how it progresses and its FITT-VP component. A
    PrescriptionItem is one; the weekly decision passes a stand-in with a rule of its own (a climb back)."""

    @property
    def progression(self) -> ProgressionRule: ...

    @property
    def component(self) -> str: ...


def _cap_pct(item: Growing, limits: LoadLimits) -> float | None:
    """The weekly growth cap binding this item, or None for components the cap does not bind."""
    if not is_capped(item.component):
        return None
    return min(item.progression.max_weekly_growth_pct, limits.weekly_progression_max_pct)


def _ceiling_units(
    step: ProgressionStep, dose: Dose, steps: Sequence[ProgressionStep], cap: float | None
) -> Fraction | int:
    exact_ceiling = _in_units(step.ceiling, step.variable)
    # A whole ceiling as an int: it is only compared with units and floored, which an int does the same.
    ceiling: Fraction | int = int(exact_ceiling) if exact_ceiling.denominator == 1 else exact_ceiling
    if step.variable == "reps":
        # Repetitions may climb past their ceiling until one more set at the floor fits (endurance range).
        set_step = next((s for s in steps if s.variable == "sets"), None)
        assert dose.sets is not None  # a dose with repetitions has sets (Dose.__post_init__)
        if set_step is not None and dose.sets < set_step.ceiling and set_step.floor:
            ceiling = max(ceiling, reps_before_next_set(dose.sets, int(set_step.floor), cap))
    return ceiling


def _grow_value(
    dose: Dose,
    step: ProgressionStep,
    ceiling: Fraction | int,
    history: Sequence[Dose],
    cap: float | None,
    limits: LoadLimits,
    book: Rulebook,
) -> tuple[Dose | None, bool]:
    """The largest whole increase of a time or intensity variable that fits (None: none fits now),
    and whether a one-unit increase could ever fit (else the variable is passed over)."""
    variable = step.variable
    current = _units(dose, variable)
    assert current is not None  # grow_one_step passes over variables the dose does not have
    top = math.floor(min(current + max(1, math.floor(step.increment * UNITS_PER_VALUE.get(variable, 1))), ceiling))
    if top <= current:
        return None, False

    def grown_to(units: int) -> Dose:
        if variable == "intensity":
            return _with_intensity(dose, units, limits, book)
        return evolve_dose(dose, **{variable: _from_units(variable, units)})  # only grows

    if cap is None:
        return grown_to(top), True
    # The candidates' volumes are compared with what the window allows (growth.fits), the largest first.
    allowed = allowed_volume(history, cap)
    volume_at = _volumes_after(dose, variable)
    smallest = math.floor(current) + 1
    # volume <= allowed, both positive fractions, cross-multiplied (Fraction's own comparison does the
    # same after its type checks; this loop runs for every growing week of every item).
    allowed_top, allowed_bottom = allowed.numerator, allowed.denominator
    for units in range(top, smallest - 1, -1):
        volume = volume_at(units)
        if volume.numerator * allowed_bottom <= allowed_top * volume.denominator:
            return grown_to(units), True
    # Nothing fits now: could the smallest whole step (one unit up) once the window allows it
    # (growth.can_ever_fit)?
    window = default_growth_rules().window_weeks
    return None, volume_at(smallest) <= weekly_volume(dose) * growth_factor(cap, window)


def _add_bout(
    dose: Dose, step: ProgressionStep, history: Sequence[Dose], cap: float | None
) -> tuple[Dose | None, bool]:
    """One more session or set, the time per bout refitted so that the weekly volume never shrinks."""
    count = getattr(dose, step.variable)
    if step.variable == "frequency_per_week" and count + 1 > DAYS_IN_WEEK:
        return None, False
    if cap is None:
        # Not bound by the growth cap (balance, stretches): one more bout of the same length.
        return evolve_dose(dose, **{step.variable: count + 1}), True  # days checked above
    refit = step.refit
    assert refit is not None  # only steps that add a bout come here
    time = _units(dose, refit)
    assert time is not None  # the refit variable is the dose's own time field
    floor_units = math.ceil(_in_units(step.floor or 1, refit))
    # Smallest whole time per bout that keeps count x time: (count + 1) x t' >= count x time.
    refitted = max(math.ceil(Fraction(count) * time / (count + 1)), floor_units)
    refitted = min(refitted, math.ceil(time)) if time >= floor_units else refitted
    # count + 1 is a valid count (days checked above) and the refitted time is at least 1 unit.
    grown = evolve_dose(dose, **{step.variable: count + 1, refit: _from_units(refit, refitted)})
    if fits(history, grown, cap):
        return grown, True
    return None, can_ever_fit(dose, grown, cap)


def grow_one_step(
    history: Sequence[Dose], item: Growing, week: int, limits: LoadLimits, rulebook: Rulebook | None = None
) -> tuple[Dose, str | None, str | None]:
    """The dose for `week` after `history[-1]`: (dose, the variable that grew or None, why not).

    history: the item's doses so far, oldest first, ending with this week's; the window of the growth
    cap is read from it. why: None when a variable grew; else NOT_DUE, WAITING (a step will fit once the
    window allows it), NEVER_FITS (a variable below its ceiling has a whole step no window covers) or
    AT_CEILINGS (every variable is at its ceiling).
    """
    book = rulebook or default_rulebook()
    previous = history[-1]
    cap = _cap_pct(item, limits)
    waiting = blocked = False
    steps = item.progression.steps
    for step in steps:
        current = _units(previous, step.variable)
        if current is None:
            continue
        ceiling = _ceiling_units(step, previous, steps, cap)
        if current >= ceiling:
            continue
        if (week - 1) % step.every_weeks != 0:
            return previous, None, NOT_DUE
        if step.refit is None:
            grown, possible = _grow_value(previous, step, ceiling, history, cap, limits, book)
        else:
            grown, possible = _add_bout(previous, step, history, cap)
        if grown is None:
            if possible:
                # The step is whole and will fit once the window allows it: wait for it rather than
                # take a later variable out of the reference's order.
                waiting = True
                break
            blocked = True
            continue
        cap_rules = limits.rules_for("weekly_progression_max_pct") if cap is not None else ()
        growth = default_growth_rules()
        extra = (growth.window_rule,) if cap is not None else (growth.capped_rule,)
        grown = add_rationale(grown, RATIONALE_FIELD[step.variable], step.rules)
        if step.refit is not None:
            grown = add_rationale(grown, "time", step.rules)
        grown = add_rationale(grown, "volume", unique_rules(step.rules, cap_rules, extra))
        return grown, step.variable, None
    return previous, None, WAITING if waiting else NEVER_FITS if blocked else AT_CEILINGS


def next_dose(
    previous: Dose,
    item: PrescriptionItem,
    week: int,
    limits: LoadLimits,
    rulebook: Rulebook | None = None,
    history: Sequence[Dose] | None = None,
) -> tuple[Dose, str | None]:
    """The dose for `week` (2, 3, ...) after `previous`, and the variable that grew (None: held).

    history: the item's earlier doses (oldest first, before `previous`) for the growth window; without
    it the window starts at `previous`.
    """
    dose, variable, _why = grow_one_step((*(history or ()), previous), item, week, limits, rulebook)
    return dose, variable


def schedule(
    items: Iterable[PrescriptionItem], limits: LoadLimits, weeks: int = DEFAULT_WEEKS, rulebook: Rulebook | None = None
) -> tuple[PlanWeek, ...]:
    """Week-by-week doses for `weeks` weeks; week 1 is each item's starting dose.

    Items grow independently of one another, so each item's weeks are worked out on their own and kept
    (planner.memo): many patients share an item and the part of the limits it reads.
    """
    if weeks < 1:
        raise ValueError("a plan lasts at least one week")
    book = rulebook or default_rulebook()
    tracks = []
    reads: dict[tuple[int, str, tuple[str, ...]], int] = {}  # per limits, component and units (interned)
    stand_in = stand_in_limits(limits)
    for item in items:
        relative = None
        if stand_in is not None and item.component == "aerobic":
            relative = relative_dose(item.dose, item.progression, limits)
        if stand_in is None or relative is None:
            tracks.append(_kept_weeks(item, limits, weeks, book, reads))
            continue
        # Worked out in %HRR under the stand-in limits, read in the patient's heart rate
        # (planner.relative_zone): patients whose heart rates differ share these weeks.
        in_hrr = _RelativeItem(item.slug, item.component, relative, item.progression)
        tracks.append(_patient_track(_kept_weeks(in_hrr, stand_in, weeks, book, reads), limits))
    if not tracks:
        return tuple(PlanWeek(number, ()) for number in range(1, weeks + 1))
    # Every track has one dose a week: zip turns the items' tracks into the weeks' doses.
    return tuple(PlanWeek(number, doses) for number, doses in enumerate(zip(*tracks, strict=True), start=1))


def _kept_weeks(
    item: PrescriptionItem | _RelativeItem,
    limits: LoadLimits,
    weeks: int,
    book: Rulebook,
    reads: dict[tuple[int, str, tuple[str, ...]], int],
) -> tuple[ScheduledDose, ...]:
    """item_weeks, kept (planner.memo) by the item and the part of the limits it reads."""
    dose = item.dose
    units = (id(limits), dose.component, tuple([target.unit for target in dose.intensity]))
    read = reads.get(units)
    if read is None:
        read = reads[units] = interned(component_limits(limits, units[1], units[2]))
    key = (item.slug, item.component, token(dose), _number_types(dose), token(item.progression), read, weeks)
    kept: tuple[ScheduledDose, ...] | None = memo_for(book).store("schedule").get(key)
    if kept is None:
        kept = memo_for(book).get("schedule", key, partial(item_weeks, item, limits, weeks, book))
    return kept


@dataclass(frozen=True)
class _RelativeItem:
    """What item_weeks reads of an item (slug, component, dose, progression), with the dose in %HRR."""

    slug: str
    component: str
    dose: Dose
    progression: ProgressionRule


def _patient_track(track: tuple[ScheduledDose, ...], limits: LoadLimits) -> tuple[ScheduledDose, ...]:
    """A track worked out under the stand-in limits, with each dose's heart rate in the patient's units
    (each distinct week converted once: a held dose stays one object, as item_weeks gives it)."""
    weeks: dict[int, ScheduledDose] = {}
    doses: dict[int, Dose] = {}
    beats: dict[tuple[int, int], Intensity] = {}  # the patient's beats per %HRR range, worked out once
    out = []
    for week in track:
        found = weeks.get(id(week))
        if found is None:
            dose = doses.get(id(week.dose))
            if dose is None:
                dose = doses[id(week.dose)] = patient_dose(week.dose, limits, beats)
            found = weeks[id(week)] = ScheduledDose(week.exercise_slug, dose, week.changed, week.growth_pct)
        out.append(found)
    return tuple(out)


def _number_types(dose: Dose) -> tuple[type, ...]:
    """The types of a dose's numbers: equal keys with an int where the other has a float print differently."""
    return (
        type(dose.frequency_per_week),
        type(dose.minutes),
        type(dose.sets),
        type(dose.reps),
        type(dose.hold_seconds),
        *(type(target.low) for target in dose.intensity),
        *(type(target.high) for target in dose.intensity),
    )


def item_weeks(
    item: PrescriptionItem | _RelativeItem, limits: LoadLimits, weeks: int, book: Rulebook
) -> tuple[ScheduledDose, ...]:
    """One item's scheduled dose for each of `weeks` weeks (week 1 first)."""
    current = clamp_dose(item.dose, limits)
    out = [ScheduledDose(item.slug, current, None, 0.0)]
    history = [current]
    for number in range(2, weeks + 1):
        previous = current
        candidate, changed, why = grow_one_step(history, item, number, limits, book)
        # Limits last. A held dose is last week's, already clamped: clamping gives the same object back.
        current = candidate if candidate is previous else clamp_dose(candidate, limits)
        if why == AT_CEILINGS and current is previous:
            # Every variable at its ceiling: that depends on the dose alone, not on the week or the
            # window, so the item keeps this dose for good and is not asked again.
            held = ScheduledDose(item.slug, previous, None, 0.0)
            out.extend(held for _ in range(number, weeks + 1))
            break
        history.append(current)
        out.append(ScheduledDose(item.slug, current, changed, round(growth_pct(previous, current), 2)))
    return tuple(out)


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
    scheduled = schedule(prescription.items, limits, weeks, book)
    return Plan(
        profile=profile,
        limits=limits,
        items=prescription.items,
        weeks=scheduled,
        components_without_exercise=prescription.components_without_exercise,
        safety_notice=SAFETY_NOTICE,
        targets=plan_targets(profile, prescription.items, scheduled, limits),
    )

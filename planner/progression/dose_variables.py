"""A dose's variables as the weekly decision moves them one at a time: read and set by name, compared
with a held dose, and put into words."""

from __future__ import annotations

from dataclasses import replace

from planner.growth import intensity_value
from planner.progression.said import Said, Word, said
from planner.translation import gettext_noop
from planner.types import Dose

# The variable that "time" in the regression order stands for, by dose kind.
TIME_VARIABLE = {"minutes": "minutes", "sets_reps": "reps", "hold": "hold_seconds"}
# Every variable an item decision may move, in the order changes are looked for.
DOSE_VARIABLES = ("frequency_per_week", "minutes", "sets", "reps", "hold_seconds", "intensity")
VARIABLE_WORDS = {
    "minutes": gettext_noop("minutes per session"),
    "reps": gettext_noop("repetitions per set"),
    "sets": gettext_noop("sets"),
    "hold_seconds": gettext_noop("seconds per hold"),
    "frequency_per_week": gettext_noop("sessions per week"),
    "intensity": gettext_noop("intensity"),
}


def variable_value(dose: Dose, variable: str) -> float | None:
    """A variable's value (the governing %HRR / %1RM for intensity), or None when the dose has none."""
    if variable == "intensity":
        return intensity_value(dose)
    if variable == "frequency_per_week":
        return dose.frequency_per_week
    if variable == "minutes":
        return dose.minutes
    if variable == "sets":
        return dose.sets
    if variable == "reps":
        return dose.reps
    if variable == "hold_seconds":
        return dose.hold_seconds
    raise ValueError(f"unknown dose variable {variable!r}")


def required_value(dose: Dose, variable: str) -> float:
    """The value of a variable the dose has: one that just moved, or one its progression steps grow."""
    value = variable_value(dose, variable)
    if value is None:
        raise ValueError(f"a {dose.dose_kind} dose has no {variable}")
    return value


def with_whole(dose: Dose, variable: str, value: int) -> Dose:
    """`dose` with one whole-number variable (sessions, sets, repetitions, seconds held) set to `value`."""
    if variable == "frequency_per_week":
        return replace(dose, frequency_per_week=value)
    if variable == "sets":
        return replace(dose, sets=value)
    if variable == "reps":
        return replace(dose, reps=value)
    if variable == "hold_seconds":
        return replace(dose, hold_seconds=value)
    raise ValueError(f"{variable!r} is not a whole-number dose variable")


def changed_variables(before: Dose, after: Dose) -> tuple[str, ...]:
    """The variables whose values differ between the two doses, in DOSE_VARIABLES order."""
    return tuple(v for v in DOSE_VARIABLES if variable_value(before, v) != variable_value(after, v))


def below(dose: Dose, held: Dose | None) -> bool:
    """True while some variable of `dose` is still below the held dose's."""
    if held is None:
        return False
    for variable in DOSE_VARIABLES:
        mine, theirs = variable_value(dose, variable), variable_value(held, variable)
        if mine is not None and theirs is not None and mine < theirs:
            return True
    return False


def describe_change(variable: str, before: Dose, after: Dose) -> Said:
    """One variable's change as a sentence, e.g. "repetitions per set 12 -> 10"."""
    old, new = required_value(before, variable), required_value(after, variable)
    values = {"variable": Word(VARIABLE_WORDS[variable]), "old": old, "new": new}
    if variable != "intensity":
        return said(gettext_noop("%(variable)s %(old)s -> %(new)s"), **values)
    unit = "%HRR" if before.component == "aerobic" else "%1RM"
    return said(gettext_noop("%(variable)s %(old)s %(unit)s -> %(new)s %(unit)s"), **values, unit=unit)

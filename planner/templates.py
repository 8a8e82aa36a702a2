"""Clinic plan templates: what one holds, its JSON form, and the items saved from a plan.

A template is a list of exercises with a dose each (TemplateItem) and the plan's progression settings
(TemplateSettings). It holds no patient: a plan saved as a template keeps what the physiotherapist
chose (the exercises, sessions a week, minutes, sets, repetitions, holds) and, for a template "relative
to the tier", the intensity as a share of the source patient's limit ceiling (e.g. 0.8 of the %1RM
ceiling) and the practical ladder's step (band colour, tempo, hand support) rather than a number that
was only safe for that patient. planner.template_refit fits a template to another patient.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from planner.dosing import dose_kind_for
from planner.limits import UNIT_WORDS, get_field
from planner.translation import gettext_noop
from planner.types import ExerciseSpec, Intensity, LoadLimits, Plan, Profile
from planner.vocabulary import (
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    INFLAMMATION_ACTIVITY,
    LADDER_UNITS,
)

BASES = ("relative", "absolute")
# The largest share of a limit ceiling a relative intensity may name (the refit clamps to the limit anyway).
MAX_SHARE = 1.5
MAX_TEMPLATE_ITEMS = 30
MAX_TEMPLATE_WEEKS = 52

# The conditions a template may say it suits, in the assessment's own vocabulary: each graded finding
# above its "nothing" grade, and the yes/no findings.
CONDITIONS = (
    *(f"bone_fragility.{value}" for value in BONE_FRAGILITY[1:]),
    "vertebral_fracture",
    "heterotopic_ossification",
    *(f"inflammation_activity.{value}" for value in INFLAMMATION_ACTIVITY[1:]),
    *(f"cardiopulmonary_status.{value}" for value in CARDIOPULMONARY_STATUS[1:]),
    "beta_blocker",
    "arrhythmia",
    "avoid_regions",
    "sedentary",
)

# Intensity units whose target is bounded by a limit ceiling: a relative template stores their share of it.
LIMIT_OF_UNIT = {
    ("aerobic", "pct_hrr"): "aerobic.max_hrr_pct",
    ("aerobic", "rpe_6_20"): "aerobic.max_rpe",
    ("resistance", "pct_1rm"): "resistance.max_pct_1rm",
    ("resistance", "rpe_6_20"): "resistance.max_rpe",
}
# How a dose value or a setting is named in an error or a refit change.
FIELD_WORDS = {
    "frequency_per_week": gettext_noop("sessions a week"),
    "minutes": gettext_noop("minutes"),
    "sets": gettext_noop("sets"),
    "reps": gettext_noop("repetitions"),
    "hold_seconds": gettext_noop("seconds per hold"),
    "intensity": gettext_noop("intensity"),
    "ladder": gettext_noop("level"),
    "weekly_progression_max_pct": gettext_noop("weekly growth cap"),
}


def conditions_of(profile: Profile) -> tuple[str, ...]:
    """The CONDITIONS a patient's profile shows (to find the templates that suit them)."""
    found = []
    if profile.bone_fragility != BONE_FRAGILITY[0]:
        found.append(f"bone_fragility.{profile.bone_fragility}")
    if profile.vertebral_fracture:
        found.append("vertebral_fracture")
    if profile.heterotopic_ossification_regions:
        found.append("heterotopic_ossification")
    if profile.inflammation_activity != INFLAMMATION_ACTIVITY[0]:
        found.append(f"inflammation_activity.{profile.inflammation_activity}")
    if profile.cardiopulmonary_status != CARDIOPULMONARY_STATUS[0]:
        found.append(f"cardiopulmonary_status.{profile.cardiopulmonary_status}")
    if profile.beta_blocker:
        found.append("beta_blocker")
    if profile.arrhythmia:
        found.append("arrhythmia")
    if profile.avoid_regions:
        found.append("avoid_regions")
    if profile.sedentary:
        found.append("sedentary")
    return tuple(found)


@dataclass(frozen=True)
class TemplateItem:
    """One exercise of a template with its dose.

    slug: the library exercise; component and dose_kind: as the library had them when saved.
    basis: "relative" (intensity as a share of the patient's limit ceiling, the ladder by its step) or
        "absolute" (the values as written). Either way the refit bounds every value by the patient's tier
        and limits.
    frequency_per_week, minutes, sets, reps, hold_seconds: the dose's time values (those of its kind).
    intensity: the governing target (unit, low, high) as written, or None (dosed by feel / by the ladder).
    intensity_share: for "relative": (low, high) as shares of the source's limit ceiling for the unit.
    ladder_level: the step of the practical ladder (band colour, tempo, hand support), or None.
    """

    slug: str
    component: str
    dose_kind: str
    frequency_per_week: int
    basis: str = "relative"
    minutes: float | None = None
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    intensity: tuple[str, int, int] | None = None
    intensity_share: tuple[float, float] | None = None
    ladder_level: int | None = None


@dataclass(frozen=True)
class TemplateSettings:
    """How plans from the template progress.

    weeks: the plan's length. weekly_progression_max_pct: a growth cap the template asks for; it can only
    tighten the patient's own cap (limits are never loosened by a template), None to keep the patient's.
    """

    weeks: int = 12
    weekly_progression_max_pct: float | None = None


class TemplateError(ValueError):
    """A template that cannot be stored; errors maps a field path -> message (ready for a 400)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def _positive_int(value: object, upper: int) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= upper


def _positive_number(value: object, upper: float) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= upper


# Plausible ranges (typing errors, not clinical limits: the refit bounds every value clinically).
_RANGES = {"frequency_per_week": 7, "minutes": 240, "sets": 10, "reps": 100, "hold_seconds": 300}
_NEEDED = {"minutes": ("minutes",), "sets_reps": ("sets", "reps"), "hold": ("sets", "hold_seconds")}


def template_item_from_dict(
    data: Mapping[str, Any], catalogue: Iterable[ExerciseSpec], where: str = "items.0"
) -> TemplateItem:
    """A TemplateItem from its JSON object, checked against the library; raises TemplateError.

    component and dose_kind default to the library's; the time values the dose kind needs are required.
    """
    if not isinstance(data, Mapping):
        raise TemplateError({where: "must be an object"})
    by_slug = {spec.slug: spec for spec in catalogue}
    errors: dict[str, str] = {}
    slug = data.get("exercise", data.get("slug"))
    spec = by_slug.get(slug) if isinstance(slug, str) else None
    if spec is None:
        raise TemplateError({f"{where}.exercise": "not an exercise of the library"})
    kind = dose_kind_for(spec)
    basis = data.get("basis", "relative")
    if basis not in BASES:
        errors[f"{where}.basis"] = f"must be one of {', '.join(BASES)}"
    counts: dict[str, int] = {}  # sessions a week, sets, repetitions, seconds a hold
    minutes: float | None = None
    for name in ("frequency_per_week", *_NEEDED[kind]):
        value = data.get(name)
        if value is None:
            errors[f"{where}.{name}"] = f"a {kind.replace('_', ' ')} dose needs {FIELD_WORDS[name]}"
        elif name == "minutes" and _positive_number(value, _RANGES[name]):
            minutes = float(value)
        elif name != "minutes" and _positive_int(value, _RANGES[name]):
            counts[name] = value
        else:
            errors[f"{where}.{name}"] = (
                f"must be a positive {'number' if name == 'minutes' else 'whole number'} up to {_RANGES[name]}"
            )
    intensity, share = None, None
    raw = data.get("intensity")
    if raw is not None:
        try:
            unit, low, high = raw["unit"], int(raw["low"]), int(raw["high"])
            Intensity(unit, low, high)
            if unit in LADDER_UNITS or unit == "none":
                raise ValueError("give a ladder's step as ladder_level, and leave 'by feel' out")
            if (spec.component, unit) not in LIMIT_OF_UNIT:
                raise ValueError(f"{spec.name} is not dosed in {UNIT_WORDS.get(unit, unit)}")
            intensity = (unit, low, high)
        except (KeyError, TypeError, ValueError) as problem:
            errors[f"{where}.intensity"] = (
                str(problem) if isinstance(problem, ValueError) else "must be {unit, low, high}"
            )
    raw_share = data.get("intensity_share")
    if raw_share is not None:
        try:
            share_low, share_high = float(raw_share[0]), float(raw_share[1])
            if not 0 < share_low <= share_high <= MAX_SHARE:
                raise ValueError
            share = (share_low, share_high)
        except (TypeError, ValueError, IndexError, KeyError):
            errors[f"{where}.intensity_share"] = (
                "must be [low, high], shares of the limit ceiling (0 < low <= high <= 1.5)"
            )
    ladder = data.get("ladder_level")
    if ladder is not None and not _positive_int(ladder, 20):
        errors[f"{where}.ladder_level"] = "must be a whole number from 1"
    if errors:
        raise TemplateError(errors)
    if basis == "relative" and share is None and intensity is not None:
        raise TemplateError({f"{where}.intensity_share": "a relative dose gives its intensity as a share of the limit"})
    return TemplateItem(
        slug=spec.slug,
        component=spec.component,
        dose_kind=kind,
        basis=basis,
        intensity=intensity,
        intensity_share=share,
        ladder_level=ladder,
        frequency_per_week=counts["frequency_per_week"],
        minutes=minutes,
        sets=counts.get("sets"),
        reps=counts.get("reps"),
        hold_seconds=counts.get("hold_seconds"),
    )


def template_item_to_dict(item: TemplateItem) -> dict[str, Any]:
    """The JSON object of a TemplateItem (the form template_item_from_dict reads)."""
    data = {
        "exercise": item.slug,
        "component": item.component,
        "dose_kind": item.dose_kind,
        "basis": item.basis,
        "frequency_per_week": item.frequency_per_week,
    }
    for name in ("minutes", "sets", "reps", "hold_seconds", "ladder_level"):
        if getattr(item, name) is not None:
            data[name] = getattr(item, name)
    if item.intensity is not None:
        unit, low, high = item.intensity
        data["intensity"] = {"unit": unit, "low": low, "high": high}
    if item.intensity_share is not None:
        data["intensity_share"] = list(item.intensity_share)
    return data


def template_items_from_dicts(entries: object, catalogue: Sequence[ExerciseSpec]) -> tuple[TemplateItem, ...]:
    """Every item of a template's JSON list; raises TemplateError naming each wrong field."""
    if not isinstance(entries, list | tuple) or not entries:
        raise TemplateError({"items": "a template has at least one exercise"})
    if len(entries) > MAX_TEMPLATE_ITEMS:
        raise TemplateError({"items": f"a template has at most {MAX_TEMPLATE_ITEMS} exercises"})
    items: list[TemplateItem] = []
    errors: dict[str, str] = {}
    for index, entry in enumerate(entries):
        try:
            items.append(template_item_from_dict(entry, catalogue, f"items.{index}"))
        except TemplateError as error:
            errors.update(error.errors)
    slugs = [item.slug for item in items]
    for index, item in enumerate(items):
        if slugs.index(item.slug) != index:
            errors[f"items.{index}.exercise"] = "this exercise is already in the template"
    if errors:
        raise TemplateError(errors)
    return tuple(items)


def limit_ceiling(limits: LoadLimits, path: str) -> int:
    """The patient's ceiling for an intensity unit's limit path (a value of LIMIT_OF_UNIT)."""
    # Every path of LIMIT_OF_UNIT names an int field of LoadLimits (%HRR, %1RM or Borg RPE ceiling).
    ceiling: int = get_field(limits, path)
    return ceiling


def template_items_from_plan(plan: Plan, basis: str = "relative") -> tuple[TemplateItem, ...]:
    """A template's items from a plan's week-1 doses (as the physiotherapist left them)."""
    items = []
    for item in plan.items:
        dose = item.dose
        governing = next((t for t in dose.intensity if t.unit not in LADDER_UNITS and t.unit != "none"), None)
        ladder = next((t for t in dose.intensity if t.unit in LADDER_UNITS), None)
        path = LIMIT_OF_UNIT.get((dose.component, governing.unit)) if governing else None
        intensity: tuple[str, int, int] | None = None
        share: tuple[float, float] | None = None
        if governing is not None and path is not None and ladder is None:
            intensity = (governing.unit, governing.low, governing.high)
            ceiling = limit_ceiling(plan.limits, path)
            # A dose accepted above the limit (an override) is saved at the most a template may ask.
            low, high = (min(round(value / ceiling, 3), MAX_SHARE) for value in (governing.low, governing.high))
            share = (low, high)
        items.append(
            TemplateItem(
                slug=item.slug,
                component=item.component,
                dose_kind=dose.dose_kind,
                basis=basis,
                frequency_per_week=dose.frequency_per_week,
                minutes=dose.minutes,
                sets=dose.sets,
                reps=dose.reps,
                hold_seconds=dose.hold_seconds,
                intensity=intensity,
                intensity_share=share if basis == "relative" else None,
                ladder_level=ladder.high if ladder else None,
            )
        )
    return tuple(items)

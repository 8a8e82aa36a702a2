"""How the staff pages say a plan: FITT-VP values in the clinician's units, rules, schedule, charts.

Plain presentation over the engine plan's document (rehab.services.plan_store.plan_document) and
rehab.progress series: no query, no clinical decision. Texts that the patient PDF also says come from planner.documents.
"""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from frontend.staff.code_words import (
    CODE_WORDS,
    DOSE_FIELD_WORDS,
    HISTORY_ACTION_WORDS,
)
from frontend.staff.forms import CONDITION_VALUE_WORDS, SEX_WORDS, SIDE_WORDS, region_label
from frontend.staff.limit_words import limit_words
from planner.documents.wording import borg_words
from planner.growth import LADDER_NAMES, default_growth_rules
from planner.targets import MEASURE_WORDS as MEASURE_WORDS_FOR_TARGETS
from planner.targets import why_lower_text
from planner.vocabulary import LADDER_UNITS, MEASURES_BY_CODE, red_flag_label
from rehab import exercise_words as library_words
from rehab import rule_words as rule_language
from rehab.measure_words import measure_label as measure_words_label
from rehab.measure_words import unit_words
from rehab.models import AccessKind, PlanStatus
from rehab.stored_words import alert_text, exceeded_text, pause_reason_text

register = template.Library()

EVIDENCE_WORDS = {
    "G": gettext_lazy("guideline or trial"),
    "C": gettext_lazy("consensus"),
    "R": gettext_lazy("recalled, not re-read"),
    "D": gettext_lazy("design default: needs a clinician's sign-off"),
}
COMPONENT_WORDS = {
    "aerobic": gettext_lazy("Aerobic"),
    "resistance": gettext_lazy("Strength"),
    "flexibility": gettext_lazy("Flexibility"),
    "neuromotor": gettext_lazy("Balance and posture"),
}
UNIT_WORDS = {"pct_hrr": "%HRR", "hr_bpm": "bpm", "pct_1rm": "%1RM", "reps_in_reserve": gettext_lazy("reps in reserve")}
VARIABLE_WORDS = {
    "minutes": (gettext_lazy("minutes a session"), "min"),
    "reps": (gettext_lazy("repetitions a set"), "reps"),
    "hold_seconds": (gettext_lazy("seconds a hold"), "s"),
    "sets": (gettext_lazy("sets"), "sets"),
    "frequency_per_week": (gettext_lazy("sessions a week"), "sessions"),
    "intensity": (gettext_lazy("intensity"), "points"),
}
RATIONALE_FIELDS = (
    ("exercise", gettext_lazy("Why this exercise")),
    ("frequency_per_week", gettext_lazy("Frequency")),
    ("intensity", gettext_lazy("Intensity")),
    ("time", gettext_lazy("Time")),
    ("volume", gettext_lazy("Volume")),
    ("progression", gettext_lazy("Progression")),
)
# A dose's weekly volume unit (planner.types.Dose.volume_unit).
VOLUME_UNITS = {
    "min/week": gettext_lazy("min/week"),
    "reps/week": gettext_lazy("reps/week"),
    "s held/week": gettext_lazy("s held/week"),
}


def _amount(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _span(low, high) -> str:
    return str(low) if low == high else f"{low}–{high}"


@register.filter
def component_words(component: str) -> str:
    return str(COMPONENT_WORDS.get(component, component))


@register.filter
def evidence_words(tag: str) -> str:
    return str(EVIDENCE_WORDS.get(tag, tag))


@register.filter
def exercise_name(exercise) -> str:
    """A library exercise's name in the reader's language (rehab.exercise_words), else its English;
    takes an engine document's exercise (a dict) or an Exercise row."""
    if isinstance(exercise, dict):
        return library_words.exercise_name(exercise.get("slug", ""), exercise.get("name", ""))
    return library_words.exercise_name(exercise.slug, exercise.name)


@register.filter
def words(value) -> str:
    """A vocabulary code (a position) or a list of them (equipment) in the reader's words, lower case."""
    codes = [value] if isinstance(value, str) else list(value)
    return ", ".join(str(CODE_WORDS.get(code, code.replace("_", " "))).lower() for code in codes)


def _governing_text(dose: dict) -> str:
    """The intensity the schedule shows for a week: the ladder level when there is one, else the first unit."""
    ladder = next((t for t in dose["intensity"] if t["unit"] in LADDER_UNITS), None)
    if ladder is not None:
        return intensity_text(ladder)
    governing = dose["intensity"][0]
    return intensity_text(governing) if governing["unit"] in UNIT_WORDS else ""


@register.filter
def intensity_text(target: dict) -> str:
    """One intensity target in its units: "30–39 %HRR", "99–108 bpm", "RPE 9–11 (very light to light)"."""
    unit, low, high = target["unit"], target["low"], target["high"]
    if unit == "rpe_6_20":
        said = (
            borg_words(low)
            if borg_words(low) == borg_words(high)
            else gettext("%(low)s to %(high)s") % {"low": borg_words(low), "high": borg_words(high)}
        )
        return f"RPE {_span(low, high)} ({said})"
    if unit == "none":
        return gettext("By feel")
    if unit in LADDER_UNITS:
        ladder = default_growth_rules().ladder(unit)
        # The ladder's names and levels are rule data the catalogue already holds (rehab/patient_words.py).
        return f"{gettext(LADDER_NAMES[unit])} {high}: {gettext(ladder.words(high))}"
    return f"{_span(low, high)} {UNIT_WORDS.get(unit, unit)}"


@register.filter
def dose_time(dose: dict) -> str:
    if dose["dose_kind"] == "minutes":
        return gettext("%(minutes)s min a session") % {"minutes": _amount(dose["minutes"])}
    if dose["dose_kind"] == "sets_reps":
        return gettext("%(sets)s × %(reps)s repetitions") % {"sets": dose["sets"], "reps": dose["reps"]}
    values = {"sets": dose["sets"], "seconds": dose["hold_seconds"]}
    if dose["component"] == "flexibility":
        return ngettext("%(sets)s stretch × %(seconds)s s", "%(sets)s stretches × %(seconds)s s", dose["sets"]) % values
    return ngettext("%(sets)s hold × %(seconds)s s", "%(sets)s holds × %(seconds)s s", dose["sets"]) % values


@register.filter
def dose_frequency(dose: dict) -> str:
    count = dose["frequency_per_week"]
    if count == 7:
        return gettext("every day")
    return ngettext("%(count)s day a week", "%(count)s days a week", count) % {"count": count}


@register.filter
def dose_volume(dose: dict) -> str:
    unit = VOLUME_UNITS.get(dose["volume_unit"], dose["volume_unit"])
    return f"{_amount(dose['volume_per_week'])} {unit}"


@register.filter
def dose_compact(dose: dict) -> str:
    """ "3×/wk · 10½ min" style, for the schedule and the history."""
    amount = {
        "minutes": lambda: f"{_amount(dose['minutes'])} min",
        "sets_reps": lambda: f"{dose['sets']}×{dose['reps']}",
        "hold": lambda: f"{dose['sets']}×{dose['hold_seconds']} s",
    }[dose["dose_kind"]]()
    return gettext("%(count)s×/wk") % {"count": dose["frequency_per_week"]} + f" · {amount}"


STEP_NAMES = {
    "minutes": gettext_lazy("minutes"),
    "reps": gettext_lazy("repetitions"),
    "hold_seconds": gettext_lazy("seconds a hold"),
    "sets": gettext_lazy("sets"),
    "frequency_per_week": gettext_lazy("sessions a week"),
    "intensity": gettext_lazy("intensity"),
}


@register.filter
def progression_text(item: dict, dose: dict | None = None) -> str:
    """How the item grows, in the order the schedule applies the steps, and the weekly cap.

    dose: the week's dose. A value above its step's ceiling was accepted with an override and is held
    there (the schedule never grows an overridden dose), so the step says "held at" the value and does
    not name a ceiling the dose has already passed.
    """
    progression = item["progression"]
    intensity_unit = " %HRR" if item["component"] == "aerobic" else " %1RM"
    parts = []
    for step in progression["steps"]:
        variable = step["variable"]
        name = str(STEP_NAMES.get(variable, variable.replace("_", " ")))
        if variable == "sets" and item["exercise"]["dose_kind"] == "hold":
            name = gettext("holds")
        unit = intensity_unit if variable == "intensity" else ""
        every = (
            gettext("a week")
            if step["every_weeks"] == 1
            else gettext("every %(weeks)s weeks") % {"weeks": step["every_weeks"]}
        )
        current = (dose or {}).get(variable) if variable != "intensity" else None
        if current is not None and current > step["ceiling"]:
            parts.append(
                gettext("%(name)s held at %(value)s (set above the limits with an override; not grown)")
                % {"name": name, "value": f"{_amount(current)}{unit}"}
            )
            continue
        part = gettext("%(name)s +%(step)s %(every)s up to %(ceiling)s") % {
            "name": name,
            "step": f"{_amount(step['increment'])}{unit}",
            "every": every,
            "ceiling": f"{_amount(step['ceiling'])}{unit}",
        }
        if step.get("refit"):
            refit = str(STEP_NAMES.get(step["refit"], step["refit"]))
            if step.get("floor") is not None:
                part += " " + gettext(
                    "(%(refit)s refitted so the weekly volume never shrinks, never below %(floor)s)"
                ) % {"refit": refit, "floor": _amount(step["floor"])}
            else:
                part += " " + gettext("(%(refit)s refitted so the weekly volume never shrinks)") % {"refit": refit}
        parts.append(part)
    steps = gettext("; then ").join(parts)
    growth = gettext(
        "Weekly growth at most %(pct)s %% averaged over %(weeks)s weeks (%(measure)s), one whole step at a time."
    ) % {
        "pct": _amount(progression["max_weekly_growth_pct"]),
        "weeks": default_growth_rules().window_weeks,
        "measure": progression["growth_measure"],
    }
    return f"{steps[:1].upper()}{steps[1:]}. {growth}"


@register.simple_tag
def rules_of(ids, index) -> list[dict]:
    """Rule ids -> [{id, text, evidence, source}] from the plan's rule_index, in the given order, once each."""
    seen, found = set(), []
    for rule_id in ids or ():
        if rule_id not in seen:
            seen.add(rule_id)
            found.append({"id": rule_id, **index.get(rule_id, {"text": rule_id, "evidence": "", "source": ""})})
    return found


def _rationale_ids(item: dict, dose: dict) -> dict:
    # A week's dose carries its rationale only where it changed; otherwise the item's starting dose says why.
    return {**item["dose"].get("rationale", {}), **item.get("rationale", {}), **dose.get("rationale", {})}


@register.simple_tag
def rationale_of(item: dict, dose: dict, index) -> list[dict]:
    """Why each value is what it is: [{label, rules}] for the exercise, F, I, T, V and the progression."""
    ids = _rationale_ids(item, dose)
    return [{"label": label, "rules": rules_of(ids[name], index)} for name, label in RATIONALE_FIELDS if ids.get(name)]


@register.simple_tag
def guidance_of(item: dict, dose: dict, index) -> list[str]:
    """For exercises dosed by feel, the guidance rules that say how hard."""
    ids = _rationale_ids(item, dose).get("intensity", [])
    return [rule_language.rule_text(i, index[i]["text"]) for i in ids if i.startswith("guidance.") and i in index]


@register.simple_tag
def dose_in_week(engine: dict, slug: str, week: int) -> dict | None:
    weeks = engine["weeks"]
    if not weeks:
        return None
    week = max(1, min(week, len(weeks)))
    return next((d["dose"] for d in weeks[week - 1]["doses"] if d["exercise_slug"] == slug), None)


@register.simple_tag
def limit_table(limits, index) -> list[dict]:
    """The limits in the reader's words, each with its rules. The same rows as
    planner.documents.safety.limit_rows (the report's and the FHIR export's, which leave movements and
    regions as codes), said here with those in words too."""
    return [
        {"name": name, "value": value, "rules": rules_of(limits.rule_ids_for(path), index)}
        for name, value, path in limit_words(limits)
    ]


@register.simple_tag
def schedule_of(engine: dict, current_week: int) -> dict:
    """Items x weeks: each cell the week's dose, marked where a value changed from the week before."""
    numbers = [week["number"] for week in engine["weeks"]]
    rows = []
    for item in engine["items"]:
        slug, cells = item["exercise"]["slug"], []
        for week in engine["weeks"]:
            scheduled = next((d for d in week["doses"] if d["exercise_slug"] == slug), None)
            if scheduled is None:
                cells.append(None)
                continue
            dose = scheduled["dose"]
            cells.append(
                {
                    "frequency": gettext("%(count)s×/wk") % {"count": dose["frequency_per_week"]},
                    "amount": dose_compact(dose).split(" · ", 1)[1],
                    "intensity": _governing_text(dose),
                    "changed": scheduled["changed"],
                    "changed_words": str(VARIABLE_WORDS.get(scheduled["changed"], (scheduled["changed"] or "",))[0]),
                    "current": week["number"] == current_week,
                }
            )
        rows.append(
            {
                "name": library_words.exercise_name(slug, item["exercise"]["name"]),
                "component": item["component"],
                "cells": cells,
            }
        )
    return {"weeks": numbers, "rows": rows}


@register.filter
def measure_label(code: str) -> str:
    return measure_words_label(code)


@register.filter
def status_words(status: str) -> str:
    """A plan status code in the reader's words ("active" -> "Active"), the model's own label."""
    return str(PlanStatus(status).label) if status in PlanStatus.values else status


@register.filter
def alert_kind_words(alert) -> str:
    """An alert's kind in the reader's words (the model's translatable label)."""
    return str(alert.get_kind_display())


@register.filter
def access_kind_words(kind: str) -> str:
    """What a staff member read, in the reader's words (the access log model's label)."""
    return str(AccessKind(kind).label) if kind in AccessKind.values else kind.replace("_", " ")


@register.filter
def history_action_words(action: str) -> str:
    return str(HISTORY_ACTION_WORDS.get(action, action))


@register.filter
def change_field_words(field: str) -> str:
    """A plan change's field in the reader's words: a dose field by name, a limit by its path."""
    if field in DOSE_FIELD_WORDS:
        return str(DOSE_FIELD_WORDS[field])
    return field.removeprefix("limits.").replace("_", " ")


@register.filter
def sex_words(code: str) -> str:
    return str(SEX_WORDS.get(code, code))


@register.filter
def grade_words(value: str, field: str) -> str:
    """An assessment grade in the reader's words: {{ a.bone_fragility|grade_words:"bone_fragility" }}."""
    return str(CONDITION_VALUE_WORDS.get(field, {}).get(value, value))


def local_number(value) -> str:
    """A measured value as the reader's language writes it: 12.5 in English, 12,5 in Spanish; no
    trailing zeros (the value's own precision, as :g gave)."""
    return number_format(Decimal(f"{float(value):g}"), use_l10n=True)


@register.filter
def measure_value(measurement) -> str:
    unit = MEASURES_BY_CODE[measurement.kind].unit if measurement.kind in MEASURES_BY_CODE else ""
    shown = f"{local_number(measurement.value)} {unit_words(unit)}".strip()
    if measurement.upper_limit_normal is not None:
        shown += " " + gettext("(normal up to %(limit)s)") % {"limit": local_number(measurement.upper_limit_normal)}
    return shown


@register.filter
def region_rows(field) -> list[tuple[str, list]]:
    """A body-region checkbox field as rows: (region, [(side or "", checkbox)]), left and right together."""
    rows: dict[str, list] = {}
    for checkbox in field:
        base, _, side = checkbox.data["value"].rpartition("_")
        if side not in ("left", "right"):
            base, side = checkbox.data["value"], ""
        rows.setdefault(base, []).append((str(SIDE_WORDS[side]) if side else "", checkbox))
    return [(region_label(base), choices) for base, choices in rows.items()]


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.simple_tag
def dose_limits(limits: dict, component: str) -> list[str]:
    """The ceilings an edited dose of this component is checked against, in short words."""
    aerobic, resistance = limits["aerobic"], limits["resistance"]
    if component == "resistance":
        return [
            gettext("load up to %(pct)s %%1RM") % {"pct": resistance["max_pct_1rm"]},
            _effort_up_to(resistance["max_rpe"]),
            gettext("at least %(reps)s repetitions a set") % {"reps": resistance["min_reps"]},
        ]
    found = [_effort_up_to(aerobic["max_rpe"])]
    if component == "aerobic":
        found.insert(0, gettext("up to %(pct)s %%HRR") % {"pct": aerobic["max_hrr_pct"]})
        if aerobic.get("hr_zone_bpm"):
            found.insert(1, gettext("heart rate up to %(bpm)s bpm") % {"bpm": aerobic["hr_zone_bpm"][1]})
    if component == "flexibility":
        found.append(gettext("holds of %(seconds)s s at most") % {"seconds": limits["flexibility"]["max_hold_seconds"]})
    return found


def _effort_up_to(rpe: int) -> str:
    return gettext("effort up to RPE %(rpe)s (%(words)s)") % {"rpe": rpe, "words": borg_words(rpe)}


@register.filter
def measure_words(code: str) -> str:
    measure = MEASURES_BY_CODE.get(code)
    return f"{measure_words_label(code)} ({unit_words(measure.unit)})" if measure else code


@register.filter
def regions(values) -> str:
    """ "gluteal_left", "gluteal_right" -> "Buttock (gluteal region), both sides"."""
    sides: dict[str, list[str]] = {}
    for value in values or ():
        base, _, side = value.rpartition("_")
        if side not in ("left", "right"):
            base, side = value, ""
        sides.setdefault(base, []).append(side)
    said = []
    for base, found in sides.items():
        noun = region_label(base)
        if "left" in found and "right" in found:
            said.append(gettext("%(region)s, both sides") % {"region": noun})
        elif found[0]:
            said.append(region_label(f"{base}_{found[0]}"))
        else:
            said.append(noun)
    return "; ".join(said)


@register.filter
def red_flag_words(codes) -> str:
    return ", ".join(gettext(red_flag_label(code)) for code in codes)


@register.filter
def target_measure_words(measure: str) -> str:
    return gettext(MEASURE_WORDS_FOR_TARGETS.get(measure, measure.replace("_", " ")))


@register.filter
def rule_words(rule) -> dict[str, str]:
    """A rule (a stored {id, text, evidence, source} or a planner Rule) with its text and source in the
    reader's language where a translation of that very text exists (rehab.rule_words), else as stored."""
    return rule_language.rule_words(rule)


@register.filter
def source_words(source: str) -> str:
    """A rule's source: generic words ("Design default") in the reader's language, a citation as written."""
    return rule_language.source_words(source)


@register.simple_tag
def rule_text(rule_id: str, english: str) -> str:
    """One rule's text in the reader's language, else as stored (a target's words on the plan page)."""
    return rule_language.rule_text(rule_id, english)


@register.filter
def rules_from_index(rule_ids, index: dict) -> list[dict]:
    """Rule ids as {id, text, evidence, source} from a stored plan's rule index."""
    return [{"id": rule_id, **index.get(rule_id, {})} for rule_id in rule_ids]


# Stored texts in the reader's language (rehab.stored_words), and why a target stays lower (planner.targets).
register.filters.update(
    alert_words=alert_text,
    pause_reason_words=pause_reason_text,
    exceeded_words=exceeded_text,
    why_lower_words=why_lower_text,
)

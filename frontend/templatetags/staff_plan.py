"""How the staff pages say a plan: FITT-VP values in the clinician's units, rules, schedule, charts.

Plain presentation over the engine plan's document (rehab.services.plan_store.plan_document) and
rehab.progress series: no query, no clinical decision. Texts that the patient PDF also says come from planner.documents.
"""

import math
from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from frontend.charts import time_chart_svg
from frontend.staff.forms import region_label
from planner.documents.charts import Series, TimeChart
from planner.documents.safety import limit_rows
from planner.documents.wording import ACTION_WORDS, borg_words
from planner.growth import LADDER_NAMES, default_growth_rules
from planner.targets import MEASURE_WORDS as MEASURE_WORDS_FOR_TARGETS
from planner.vocabulary import LADDER_UNITS, MEASURES_BY_CODE, red_flag_label
from rehab.progress import progress_charts as build_progress_charts

register = template.Library()

EVIDENCE_WORDS = {
    "G": "guideline or trial",
    "C": "consensus",
    "R": "recalled, not re-read",
    "D": "design default: needs a clinician's sign-off",
}
COMPONENT_WORDS = {
    "aerobic": "Aerobic",
    "resistance": "Strength",
    "flexibility": "Flexibility",
    "neuromotor": "Balance and posture",
}
UNIT_WORDS = {"pct_hrr": "%HRR", "hr_bpm": "bpm", "pct_1rm": "%1RM", "reps_in_reserve": "reps in reserve"}
VARIABLE_WORDS = {
    "minutes": ("minutes a session", "min"),
    "reps": ("repetitions a set", "reps"),
    "hold_seconds": ("seconds a hold", "s"),
    "sets": ("sets", "sets"),
    "frequency_per_week": ("sessions a week", "sessions"),
    "intensity": ("intensity", "points"),
}
RATIONALE_FIELDS = (
    ("exercise", "Why this exercise"),
    ("frequency_per_week", "Frequency"),
    ("intensity", "Intensity"),
    ("time", "Time"),
    ("volume", "Volume"),
    ("progression", "Progression"),
)


def _amount(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _span(low, high) -> str:
    return str(low) if low == high else f"{low}–{high}"


@register.filter
def component_words(component: str) -> str:
    return COMPONENT_WORDS.get(component, component)


@register.filter
def evidence_words(tag: str) -> str:
    return EVIDENCE_WORDS.get(tag, tag)


@register.filter
def words(value) -> str:
    return str(value).replace("_", " ")


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
        said = borg_words(low) if borg_words(low) == borg_words(high) else f"{borg_words(low)} to {borg_words(high)}"
        return f"RPE {_span(low, high)} ({said})"
    if unit == "none":
        return "By feel"
    if unit in LADDER_UNITS:
        ladder = default_growth_rules().ladder(unit)
        return f"{LADDER_NAMES[unit]} {high}: {ladder.words(high)}"
    return f"{_span(low, high)} {UNIT_WORDS.get(unit, unit)}"


@register.filter
def dose_time(dose: dict) -> str:
    if dose["dose_kind"] == "minutes":
        return f"{_amount(dose['minutes'])} min a session"
    if dose["dose_kind"] == "sets_reps":
        return f"{dose['sets']} × {dose['reps']} repetitions"
    noun = "stretch" if dose["component"] == "flexibility" else "hold"
    plural = ("es" if noun == "stretch" else "s") if dose["sets"] != 1 else ""
    return f"{dose['sets']} {noun}{plural} × {dose['hold_seconds']} s"


@register.filter
def dose_frequency(dose: dict) -> str:
    count = dose["frequency_per_week"]
    return "every day" if count == 7 else f"{count} day{'s' if count != 1 else ''} a week"


@register.filter
def dose_volume(dose: dict) -> str:
    return f"{_amount(dose['volume_per_week'])} {dose['volume_unit']}"


@register.filter
def dose_compact(dose: dict) -> str:
    """ "3×/wk · 10½ min" style, for the schedule and the history."""
    amount = {
        "minutes": lambda: f"{_amount(dose['minutes'])} min",
        "sets_reps": lambda: f"{dose['sets']}×{dose['reps']}",
        "hold": lambda: f"{dose['sets']}×{dose['hold_seconds']} s",
    }[dose["dose_kind"]]()
    return f"{dose['frequency_per_week']}×/wk · {amount}"


STEP_NAMES = {
    "minutes": "minutes",
    "reps": "repetitions",
    "hold_seconds": "seconds a hold",
    "sets": "sets",
    "frequency_per_week": "sessions a week",
    "intensity": "intensity",
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
        name = STEP_NAMES.get(variable, variable.replace("_", " "))
        if variable == "sets" and item["exercise"]["dose_kind"] == "hold":
            name = "holds"
        unit = intensity_unit if variable == "intensity" else ""
        every = "a week" if step["every_weeks"] == 1 else f"every {step['every_weeks']} weeks"
        current = (dose or {}).get(variable) if variable != "intensity" else None
        if current is not None and current > step["ceiling"]:
            parts.append(f"{name} held at {_amount(current)}{unit} (set above the limits with an override; not grown)")
            continue
        part = f"{name} +{_amount(step['increment'])}{unit} {every} up to {_amount(step['ceiling'])}{unit}"
        if step.get("refit"):
            refit = STEP_NAMES.get(step["refit"], step["refit"])
            floor = f", never below {_amount(step['floor'])}" if step.get("floor") is not None else ""
            part += f" ({refit} refitted so the weekly volume never shrinks{floor})"
        parts.append(part)
    steps = "; then ".join(parts)
    return (
        f"{steps[:1].upper()}{steps[1:]}. Weekly growth at most {_amount(progression['max_weekly_growth_pct'])} % "
        f"averaged over {default_growth_rules().window_weeks} weeks ({progression['growth_measure']}), one whole "
        "step at a time."
    )


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
    return [index[i]["text"] for i in ids if i.startswith("guidance.") and i in index]


@register.simple_tag
def dose_in_week(engine: dict, slug: str, week: int) -> dict | None:
    weeks = engine["weeks"]
    if not weeks:
        return None
    week = max(1, min(week, len(weeks)))
    return next((d["dose"] for d in weeks[week - 1]["doses"] if d["exercise_slug"] == slug), None)


@register.simple_tag
def limit_table(limits, index) -> list[dict]:
    """The limits in the clinician's words (planner.documents.safety.limit_rows), each with its rules."""
    return [
        {"name": row.name, "value": row.value, "rules": rules_of(row.rule_ids, index)} for row in limit_rows(limits)
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
                    "frequency": f"{dose['frequency_per_week']}×/wk",
                    "amount": dose_compact(dose).split(" · ", 1)[1],
                    "intensity": _governing_text(dose),
                    "changed": scheduled["changed"],
                    "changed_words": VARIABLE_WORDS.get(scheduled["changed"], (scheduled["changed"] or "",))[0],
                    "current": week["number"] == current_week,
                }
            )
        rows.append({"name": item["exercise"]["name"], "component": item["component"], "cells": cells})
    return {"weeks": numbers, "rows": rows}


# ---------------------------------------------------------------------------------------------
# Progress: charts (SVG from frontend.charts) each paired with its data table
# ---------------------------------------------------------------------------------------------


def _svg(chart, title: str, y_min: float, y_max: float):
    # The heading above each chart names the unit; frontend.charts draws a y label over the legend.
    svg = time_chart_svg(chart, title=title, y_range=(y_min, y_max))
    return mark_safe(svg)  # noqa: S308 (escaped inside)


def nice_range(low: float, high: float) -> tuple[float, float]:
    """Bounds that contain low..high and split into five round steps (the chart draws six ticks)."""
    span = max(high - low, 1)
    for step in (1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        bottom = math.floor(low / step) * step
        if bottom + 5 * step >= high and 5 * step >= span:
            return bottom, bottom + 5 * step
    return low, high


def _over_dates(chart, starts) -> TimeChart:
    """The adherence bars drawn as lines over each week's first day: done first, then planned."""
    by_label = {series.label: series.values for series in chart.series}
    lines = tuple(Series(label, tuple(zip(starts, by_label[label], strict=True))) for label in ("Done", "Planned"))
    return TimeChart(chart.title, chart.y_label, 0, chart.y_max, lines)


@register.simple_tag
def progress_charts(progress: dict, plan) -> list[dict]:
    """Pain, effort, adherence and each measure: {title, svg, headers, rows, id}.

    What each chart shows is rehab.progress.progress_charts' (the PDF report's builder); the page
    names each for screen readers, picks round axis bounds and pairs it with its data table."""
    built = build_progress_charts(progress, plan.start_date)
    pain = progress["pain"]
    charts = [
        {
            "id": "pain",
            "title": "Pain (0-10)",
            "svg": _svg(built.pain, "Pain after each session, 0 to 10", 0, 10),
            "headers": ("Session", "During", "After", "Next morning"),
            "rows": [(p["date"], p["during"], p["after"], _or_dash(p["next_morning"])) for p in reversed(pain)],
        },
        {
            "id": "rpe",
            "title": "Effort (RPE 6-20)",
            "svg": _svg(built.effort, "Session effort, Borg RPE 6 to 20", 5, 20),
            "headers": ("Session", "RPE", "In words"),
            "rows": [(r["date"], r["rpe"], borg_words(r["rpe"])) for r in reversed(progress["rpe"])],
        },
    ]
    adherence = progress["adherence"]
    starts = {a["week"]: plan.start_date + timedelta(days=7 * (a["week"] - 1)) for a in adherence}
    top = 10 if max([0, *(a["done"] for a in adherence)]) <= 10 else 20
    charts.append(
        {
            "id": "adherence",
            "title": "Adherence (sessions a week)",
            "svg": _svg(
                _over_dates(built.adherence, built.week_starts), "Sessions done and planned per plan week", 0, top
            ),
            "headers": ("Week", "Planned", "Done", "Share"),
            "rows": [
                (
                    f"{a['week']} (from {starts[a['week']]:%d %b})",
                    _or_dash(a["planned"]),
                    a["done"],
                    f"{round(100 * a['done'] / a['planned'])} %" if a["planned"] else "–",
                )
                for a in reversed(adherence)
            ],
        }
    )
    points = {measure["kind"]: measure["points"] for measure in progress["measures"]}
    for kind, chart in built.measures:
        values = [value for _day, value in chart.series[0].points]
        measure = MEASURES_BY_CODE.get(kind)
        low, high = (measure.low, measure.high) if measure else (min(values), max(values))
        y_min, y_max = nice_range(max(low, min(values) * 0.9), min(high, max(values) * 1.1))
        label, unit = chart.series[0].label, chart.y_label
        charts.append(
            {
                "id": f"measure-{kind}",
                "title": chart.title,
                "svg": _svg(chart, f"{label} in {unit}", y_min, y_max),
                "headers": ("Date", f"Value ({unit})"),
                "rows": [(p["date"], f"{p['value']:g}") for p in reversed(points[kind])],
            }
        )
    return charts


def _or_dash(value):
    return "–" if value is None else value


@register.simple_tag
def decisions_of(progress: dict, names: dict) -> list[dict]:
    """Each weekly decision, newest first, its reasons with their rules and the check-ins they cite.

    names: exercise name by slug, for every item the plan ever had."""
    sessions = {p["checkin"]: p for p in progress["pain"]}
    decisions = []
    for decision in reversed(progress["decisions"]):
        reasons = []
        for reason in decision["reasons"]:
            cited = [sessions[i] for i in reason.get("checkin_ids", []) if i in sessions]
            reasons.append({**reason, "cited": cited})
        changes = [
            {
                "name": names.get(slug, slug.replace("-", " ")),
                "text": change["text"],
                "variable": change.get("variable"),
            }
            for slug, change in decision["changes"].items()
            if change.get("text")
        ]
        decisions.append(
            {
                **decision,
                "action_words": ACTION_WORDS.get(decision["action"], decision["action"]),
                "reasons": reasons,
                "changes": changes,
            }
        )
    return decisions


@register.filter
def measure_label(code: str) -> str:
    return MEASURES_BY_CODE[code].label if code in MEASURES_BY_CODE else code


# Units said in words are translated; symbols (kg, s, m, U/L) read the same in every shipped language.
MEASURE_UNIT_WORDS = {
    "points": gettext_lazy("points"),
    "stands": gettext_lazy("stands"),
    "reps": gettext_lazy("reps"),
    "score 0-3": gettext_lazy("score 0-3"),
}


def local_number(value) -> str:
    """A measured value as the reader's language writes it: 12.5 in English, 12,5 in Spanish; no
    trailing zeros (the value's own precision, as :g gave)."""
    return number_format(Decimal(f"{float(value):g}"), use_l10n=True)


@register.filter
def measure_value(measurement) -> str:
    unit = MEASURES_BY_CODE[measurement.kind].unit if measurement.kind in MEASURES_BY_CODE else ""
    shown = f"{local_number(measurement.value)} {MEASURE_UNIT_WORDS.get(unit, unit)}".strip()
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
        rows.setdefault(base, []).append((side, checkbox))
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
            f"load up to {resistance['max_pct_1rm']} %1RM",
            f"effort up to RPE {resistance['max_rpe']} ({borg_words(resistance['max_rpe'])})",
            f"at least {resistance['min_reps']} repetitions a set",
        ]
    found = [f"effort up to RPE {aerobic['max_rpe']} ({borg_words(aerobic['max_rpe'])})"]
    if component == "aerobic":
        found.insert(0, f"up to {aerobic['max_hrr_pct']} %HRR")
        if aerobic.get("hr_zone_bpm"):
            found.insert(1, f"heart rate up to {aerobic['hr_zone_bpm'][1]} bpm")
    if component == "flexibility":
        found.append(f"holds of {limits['flexibility']['max_hold_seconds']} s at most")
    return found


@register.filter
def measure_words(code: str) -> str:
    measure = MEASURES_BY_CODE.get(code)
    return f"{measure.label} ({measure.unit})" if measure else code


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
            said.append(f"{noun}, both sides")
        elif found[0]:
            said.append(f"{noun}, {found[0]}")
        else:
            said.append(noun)
    return "; ".join(said)


@register.filter
def red_flag_words(codes) -> str:
    return ", ".join(red_flag_label(code) for code in codes)


@register.filter
def target_measure_words(measure: str) -> str:
    return MEASURE_WORDS_FOR_TARGETS.get(measure, measure.replace("_", " "))


@register.filter
def rules_from_index(rule_ids, index: dict) -> list[dict]:
    """Rule ids as {id, text, evidence, source} from a stored plan's rule index."""
    return [{"id": rule_id, **index.get(rule_id, {})} for rule_id in rule_ids]

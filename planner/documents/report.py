"""The clinician's progress report, as data: `progress_report` turns the engine's Plan and the plan's
history (assessments, check-ins, adherence, measures, decisions, alerts, overrides) into a
ReportDocument that rehab.pdf draws: limits with their rules, trends as charts, every decision with
its reasons.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.documents.charts import BarChart, TimeChart, adherence_chart, effort_chart, measure_charts, pain_chart
from planner.documents.inputs import (
    AlertEntry,
    AssessmentEntry,
    ContactInfo,
    DecisionEntry,
    MeasureEntry,
    OverrideEntry,
    PainEntry,
    PatientInfo,
    ReasonEntry,
    WeekAdherence,
)
from planner.documents.safety import LimitRow, limit_rows
from planner.documents.wording import ACTION_WORDS, date_words, plan_end
from planner.growth import ladder_words
from planner.progression_rules import ProgressionConfig
from planner.rules import SAFETY_NOTICE
from planner.targets import MEASURE_WORDS as TARGET_MEASURE_WORDS
from planner.targets import why_lower_text
from planner.translation import gettext, gettext_noop, ngettext, number
from planner.types import Dose, Plan, Profile, Rule

# A plan item's component, as the report's "Kind" column says it.
COMPONENT_WORDS = {
    "aerobic": gettext_noop("Aerobic"),
    "resistance": gettext_noop("Resistance"),
    "flexibility": gettext_noop("Flexibility"),
    "neuromotor": gettext_noop("Neuromotor"),
}

ALERT_WORDS = {
    "red_flag": "Red flag reported",
    "pain_red": "Pain above the red threshold",
    "review": "Progression paused for review",
    "strength_drop": "Strength or function dropped",
    "override": "Dose above a limit accepted",
    "no_checkins": "No check-ins this week",
}


@dataclass(frozen=True)
class AssessmentSummary:
    assessed_on: date
    assessed_by: str
    lines: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class RuleRow:
    id: str
    text: str
    evidence: str
    source: str


@dataclass(frozen=True)
class ItemRow:
    """A plan item: its first and last scheduled dose, in the clinician's units."""

    exercise: str
    kind: str
    first_week: str
    last_week: str


@dataclass(frozen=True)
class DecisionRow:
    week: int
    decided_on: date
    action: str
    light: str
    reasons: tuple[ReasonEntry, ...]
    changes: tuple[str, ...]
    review_required: bool


@dataclass(frozen=True)
class AlertRow:
    created_on: date
    kind: str
    message: str
    urgent: bool
    status: str


@dataclass(frozen=True)
class OverrideRow:
    created_on: date
    author: str
    exercise: str
    limits_exceeded: tuple[str, ...]
    reason: str
    status: str


@dataclass(frozen=True)
class ReportDocument:
    """Everything the clinician's progress report PDF prints."""

    title: str
    author: str
    patient: PatientInfo
    contact: ContactInfo
    start_date: date
    end_date: date
    generated_on: date
    summary: tuple[str, ...]
    assessments: tuple[AssessmentSummary, ...]
    items: tuple[ItemRow, ...]
    limits: tuple[LimitRow, ...]
    rules: tuple[RuleRow, ...]
    pain_chart: TimeChart
    rpe_chart: TimeChart
    adherence_chart: BarChart
    measure_charts: tuple[TimeChart, ...]
    decisions: tuple[DecisionRow, ...]
    alerts: tuple[AlertRow, ...]
    overrides: tuple[OverrideRow, ...]
    notice: str
    # (target, week met or "not within the plan", reached by the last week, why lower)
    targets: tuple[tuple[str, str, str, str], ...] = ()
    # (date, where it hurt, exercise that hurt, heart rate avg / peak, lowest SpO2, supervised by)
    symptoms: tuple[tuple[str, ...], ...] = ()


def _clinical_dose(dose: Dose) -> str:
    """The dose in the clinician's units: "3x/wk, 10 min, 30-39 %HRR, 99-108 bpm, RPE 9-11"."""
    amount = {
        "minutes": lambda: f"{dose.minutes:g} min",
        "sets_reps": lambda: f"{dose.sets}x{dose.reps}",
        "hold": lambda: f"{dose.sets}x{dose.hold_seconds} s",
    }[dose.dose_kind]()
    units = {"pct_hrr": "%HRR", "hr_bpm": "bpm", "rpe_6_20": "RPE", "pct_1rm": "%1RM", "reps_in_reserve": "RIR"}
    targets = []
    for target in dose.intensity:
        if target.unit in units:
            span = str(target.low) if target.low == target.high else f"{target.low}-{target.high}"
            targets.append(f"RPE {span}" if target.unit == "rpe_6_20" else f"{span} {units[target.unit]}")
    level = ladder_words(dose)
    return ", ".join([f"{dose.frequency_per_week}x/wk", amount, *targets, *([level] if level else [])])


def assessment_lines(profile: Profile) -> tuple[str, ...]:
    """An assessment's findings in a clinician's words, one per line."""

    def words(values: Iterable[str]) -> str:
        return ", ".join(v.replace("_", " ") for v in values) or gettext("none")

    # The findings' labels in the reader's language; their values are the assessment's own codes.
    heart = (
        gettext("Resting HR %(rest)s bpm; HRmax %(max)s bpm measured")
        if profile.measured_hr_max
        else gettext("Resting HR %(rest)s bpm; HRmax estimated (Tanaka)")
    ) % {"rest": profile.resting_hr, "max": profile.measured_hr_max}
    lines = [
        gettext("Age %(age)s, sex %(sex)s") % {"age": profile.age, "sex": profile.sex},
        gettext("Bone fragility: %(value)s") % {"value": profile.bone_fragility.replace("_", " ")}
        + (gettext("; vertebral fracture") if profile.vertebral_fracture else ""),
        gettext("Inflammation activity: %(value)s") % {"value": profile.inflammation_activity},
        gettext("Heterotopic ossification: %(value)s") % {"value": words(profile.heterotopic_ossification_regions)},
        gettext("Pain at rest: %(value)s/10") % {"value": profile.pain_at_rest},
        heart
        + (gettext("; beta blocker") if profile.beta_blocker else "")
        + (gettext("; arrhythmia") if profile.arrhythmia else ""),
        gettext("Cardiopulmonary status: %(value)s") % {"value": profile.cardiopulmonary_status},
        gettext("Regions to avoid: %(value)s") % {"value": words(profile.avoid_regions)},
    ]
    if profile.available_equipment is not None:
        lines.append(gettext("Equipment available: %(value)s") % {"value": words(profile.available_equipment)})
    if profile.unavailable_positions:
        lines.append(gettext("Positions not possible: %(value)s") % {"value": words(profile.unavailable_positions)})
    if profile.sedentary:
        lines.append(gettext("Sedentary beginner"))
    return tuple(lines)


def _summary(
    plan: Plan,
    start_date: date,
    generated_on: date,
    pain_entries: Sequence[PainEntry],
    adherence: Sequence[WeekAdherence],
    alerts: Sequence[AlertEntry],
    overrides: Sequence[OverrideEntry],
) -> tuple[str, ...]:
    # Every week that has ended counts, decided or not; the week under way is said on its own (its
    # sessions are not all due yet, so counting its whole plan would understate adherence).
    adherence = sorted(adherence, key=lambda a: a.week)
    ended = [a for a in adherence if start_date + timedelta(days=7 * a.week) <= generated_on]
    under_way = [
        a for a in adherence if a not in ended and start_date + timedelta(days=7 * (a.week - 1)) <= generated_on
    ]
    planned = sum(a.planned for a in ended)
    done = sum(a.done for a in ended)
    lines = [
        ngettext(
            "Plan of %(weeks)s week from %(start)s; week %(week)s on %(today)s.",
            "Plan of %(weeks)s weeks from %(start)s; week %(week)s on %(today)s.",
            len(plan.weeks),
        )
        % {
            "weeks": len(plan.weeks),
            "start": date_words(start_date, year=True),
            "week": min(max((generated_on - start_date).days // 7 + 1, 1), len(plan.weeks) or 1),
            "today": date_words(generated_on, year=True),
        }
    ]
    if planned:
        values = {
            "done": done,
            "planned": planned,
            "percent": round(100 * done / planned),
            "first": ended[0].week,
            "last": ended[-1].week,
        }
        lines.append(
            (
                gettext("Sessions done: %(done)s of %(planned)s planned (%(percent)s%%) in week %(first)s.")
                if len(ended) == 1
                else gettext(
                    "Sessions done: %(done)s of %(planned)s planned (%(percent)s%%) in weeks %(first)s-%(last)s."
                )
            )
            % values
        )
    for week in under_way:
        lines.append(
            gettext("Week %(week)s, under way: %(done)s of %(planned)s planned sessions done so far.")
            % {"week": week.week, "done": week.done, "planned": week.planned}
        )
    if pain_entries:
        last = max(pain_entries, key=lambda e: e.date)
        scores = ", ".join(
            words % {"value": value}
            for words, value in (
                (gettext("during %(value)s"), last.during),
                (gettext("after %(value)s"), last.after),
                (gettext("next morning %(value)s"), last.next_morning),
            )
            if value is not None
        )
        lines.append(
            gettext("Last check-in %(day)s: pain %(scores)s.") % {"day": date_words(last.date), "scores": scores}
            if scores
            else gettext("Last check-in %(day)s: pain not given.") % {"day": date_words(last.date)}
        )
    open_alerts = [a for a in alerts if a.acknowledged_on is None]
    lines.append(
        gettext("Open alerts: %(open)s (%(urgent)s urgent). Dose overrides: %(overrides)s.")
        % {"open": len(open_alerts), "urgent": sum(a.urgent for a in open_alerts), "overrides": len(overrides)}
    )
    if plan.components_without_exercise:
        lines.append(
            gettext("No exercise passed the limits for: %(components)s (a clinician must choose one).")
            % {"components": ", ".join(plan.components_without_exercise)}
        )
    return tuple(lines)


def progress_report(
    plan: Plan,
    *,
    patient: PatientInfo,
    contact: ContactInfo,
    start_date: date,
    generated_on: date,
    assessments: Sequence[AssessmentEntry] = (),
    pain_entries: Sequence[PainEntry] = (),
    adherence: Sequence[WeekAdherence] = (),
    measures: Sequence[MeasureEntry] = (),
    decisions: Sequence[DecisionEntry] = (),
    alerts: Sequence[AlertEntry] = (),
    overrides: Sequence[OverrideEntry] = (),
    progression_config: ProgressionConfig | None = None,
    symptoms: Sequence[tuple[str, ...]] = (),
) -> ReportDocument:
    """Everything the clinician's progress report says: history, limits with their rules, trends,
    every decision with its reasons, alerts and overrides."""
    first_week, last_week = (plan.weeks[0], plan.weeks[-1]) if plan.weeks else (None, None)
    items = tuple(
        ItemRow(
            item.exercise.name,
            gettext(COMPONENT_WORDS.get(item.component, item.component.capitalize())),
            _clinical_dose((first_week.dose_for(item.slug) or item).dose if first_week else item.dose),
            _clinical_dose((last_week.dose_for(item.slug) or item).dose if last_week else item.dose),
        )
        for item in plan.items
    )
    rules: dict[str, Rule] = {rule.id: rule for rule in plan.limits.rules}
    return ReportDocument(
        title=gettext("Progress report for %(name)s") % {"name": patient.name},
        author=contact.physio_name or contact.clinic_name,
        patient=patient,
        contact=contact,
        start_date=start_date,
        end_date=plan_end(start_date, plan),
        generated_on=generated_on,
        summary=_summary(plan, start_date, generated_on, pain_entries, adherence, alerts, overrides),
        assessments=tuple(
            AssessmentSummary(a.assessed_on, a.assessed_by, assessment_lines(a.profile), a.notes)
            for a in sorted(assessments, key=lambda a: a.assessed_on)
        ),
        items=items,
        limits=limit_rows(plan.limits),
        rules=tuple(RuleRow(r.id, r.text, r.evidence, r.source) for r in rules.values()),
        pain_chart=pain_chart(pain_entries, progression_config, title=gettext("Pain during, after and next morning")),
        rpe_chart=effort_chart(pain_entries, plan.limits),
        adherence_chart=adherence_chart(adherence),
        measure_charts=measure_charts(measures),
        decisions=tuple(
            DecisionRow(
                d.week,
                d.decided_on,
                gettext(ACTION_WORDS.get(d.action, d.action)),
                gettext(d.light or "no data"),
                tuple(d.reasons),
                tuple(d.changes),
                d.review_required,
            )
            for d in sorted(decisions, key=lambda d: (d.week, d.decided_on))
        ),
        alerts=tuple(
            AlertRow(
                a.created_on,
                ALERT_WORDS.get(a.kind, a.kind.replace("_", " ")),
                a.message,
                a.urgent,
                _status(a.acknowledged_on, a.acknowledged_by, a.note),
            )
            for a in sorted(alerts, key=lambda a: a.created_on)
        ),
        overrides=tuple(
            OverrideRow(
                o.created_on, o.author, o.exercise, tuple(o.limits_exceeded), o.reason, _status(o.acknowledged_on)
            )
            for o in sorted(overrides, key=lambda o: o.created_on)
        ),
        notice=gettext(plan.safety_notice or SAFETY_NOTICE),  # a stored notice reads in English unless it is this one
        targets=tuple(
            (
                t.text,
                str(t.expected_week) if t.expected_week is not None else gettext("not within the plan"),
                f"{number(t.reached)} {gettext(TARGET_MEASURE_WORDS.get(t.measure, t.measure))}",
                why_lower_text(t.reason) or "-",
            )
            for t in plan.targets
        ),
        symptoms=tuple(symptoms),
    )


def _status(acknowledged_on: date | None, by: str = "", note: str = "") -> str:
    if acknowledged_on is None:
        return gettext("Open")
    day = date_words(acknowledged_on)
    text = (
        gettext("Acknowledged %(day)s by %(name)s") % {"day": day, "name": by}
        if by
        else gettext("Acknowledged %(day)s") % {"day": day}
    )
    return f"{text}: {note}" if note else text

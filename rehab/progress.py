"""The series a progress chart (page, API or PDF) needs, computed from what rehab.selectors reads in a
handful of queries (no query here); and the pages' charts built from them by the same builder the PDF
report uses (planner.documents.charts). The plan handed in was scoped when it was fetched."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from planner.documents.charts import BarChart, TimeChart, adherence_chart, effort_chart, measure_charts, pain_chart
from planner.documents.inputs import MeasureEntry, PainEntry, WeekAdherence
from planner.vocabulary import MEASURES_BY_CODE, pain_site_label
from rehab import selectors
from rehab.adherence import adherence_rows
from rehab.measure_words import measure_label
from rehab.models import CheckInKind, Plan
from rehab.stored_words import alert_text


def _measure_words(kind: str) -> dict:
    """A measure's label (in the reader's language), unit and better direction (nothing for a kind no
    longer in the vocabulary)."""
    measure = MEASURES_BY_CODE.get(kind)
    if measure is None:
        return {}
    return {"label": measure_label(kind), "unit": measure.unit, "higher_is_better": measure.higher_is_better}


def plan_progress_series(plan: Plan, *, engine=None) -> dict:
    """Pain (during, after, next morning) and RPE by date, adherence per week, measures, decisions.

    Four queries whatever the plan's length: check-ins, decisions, measurements, alerts/overrides.
    """
    checkins = selectors.plan_checkin_rows(plan)
    decisions = selectors.plan_decisions(plan)
    measures = selectors.plan_measurements(plan)

    logged_per_week = defaultdict(int)
    for row in checkins:
        if row["kind"] == CheckInKind.SESSION:  # a symptom report is no session done
            logged_per_week[row["plan_week"]] += 1
    # Every week that has started, its planned sessions from the schedule when not decided yet.
    adherence = adherence_rows(
        plan=plan,
        decided={d.week: d.sessions_planned for d in decisions},
        logged={week: n for week, n in logged_per_week.items() if 1 <= week <= plan.weeks},
        today=plan.patient.today(),
        engine=engine,  # read from the plan only when a started week is not decided yet
    )
    series = defaultdict(list)
    for row in measures:
        series[row.kind].append({"date": row.measured_on, "value": float(row.value)})
    return {
        "plan": plan.pk,
        "pain": [
            {
                "date": r["date"],
                "checkin": r["id"],
                "during": r["pain_during"],
                "after": r["pain_after"],
                "next_morning": r["pain_next_morning"],
            }
            for r in checkins
        ],
        "rpe": [{"date": r["date"], "checkin": r["id"], "rpe": r["session_rpe"]} for r in checkins if r["session_rpe"]],
        "red_flags": [
            {"date": r["date"], "checkin": r["id"], "codes": r["red_flags"]} for r in checkins if r["red_flags"]
        ],
        # Where it hurt and the vital signs, for the check-ins that gave any.
        "symptoms": [
            {
                "date": r["date"],
                "checkin": r["id"],
                "pain_sites": [pain_site_label(code) for code in r["pain_regions"]],
                "painful_exercise": r["pain_item__exercise__name"],
                "heart_rate_avg": r["heart_rate_avg"],
                "heart_rate_max": r["heart_rate_max"],
                "spo2_min": r["spo2_min"],
                "supervised_by": " ".join(filter(None, (r["supervised_by__first_name"], r["supervised_by__last_name"])))
                or None,
            }
            for r in checkins
            if r["pain_regions"]
            or r["pain_item__exercise__name"]
            or r["supervised_by__last_name"]
            or any(r[k] is not None for k in ("heart_rate_avg", "heart_rate_max", "spo2_min"))
        ],
        "adherence": adherence,
        "measures": [
            {"kind": kind, **_measure_words(kind), "points": points} for kind, points in sorted(series.items())
        ],
        "decisions": [
            {
                "week": d.week,
                "action": d.action,
                "light": d.light or None,
                "reasons": d.reasons,
                "changes": d.changes,
                "review_required": d.review_required,
                "sessions_planned": d.sessions_planned,
                "sessions_done": d.sessions_done,
                "decided_at": d.decided_at,
            }
            for d in decisions
        ],
    }


def open_alerts_and_overrides(plan: Plan) -> dict:
    alerts = selectors.plan_alerts(plan)
    overrides = selectors.plan_overrides(plan)
    return {
        "alerts": [
            {
                "id": a.pk,
                "kind": a.kind,
                "urgent": a.urgent,
                "message": alert_text(a),
                "created_at": a.created_at,
                "acknowledged_at": a.acknowledged_at,
                "acknowledged_by": a.acknowledged_by.display_name if a.acknowledged_by else None,
                "note": a.acknowledgement_note,
            }
            for a in alerts
        ],
        "overrides": [
            {
                "id": o.pk,
                "exercise": o.item.exercise.name if o.item else None,
                "limits_exceeded": o.limits_exceeded,
                "reason": o.reason,
                "by": o.created_by.display_name,
                "at": o.created_at,
                "acknowledged_at": o.acknowledged_at,
            }
            for o in overrides
        ],
    }


@dataclass(frozen=True)
class ProgressCharts:
    """A plan's progress charts as the pages draw them. week_starts: each adherence week's first day
    (a page may draw the weeks over dates); measures: (measure code, chart) in the series' order."""

    pain: TimeChart
    effort: TimeChart
    adherence: BarChart
    week_starts: tuple[date, ...]
    measures: tuple[tuple[str, TimeChart], ...]


def progress_charts(progress: dict, start_date: date) -> ProgressCharts:
    """The charts of plan_progress_series' answer, with no query. The effort chart has no ceilings
    (the pages show the limits beside it); the PDF report adds them from the plan's limits."""
    rpe = {row["checkin"]: row["rpe"] for row in progress["rpe"]}
    pain = [
        PainEntry(row["date"], row["during"], row["after"], row["next_morning"], rpe.get(row["checkin"]))
        for row in progress["pain"]
    ]
    weeks = [WeekAdherence(row["week"], row["planned"], row["done"]) for row in progress["adherence"]]
    measures = []
    for measure in progress["measures"]:
        points = [MeasureEntry(measure["kind"], point["date"], point["value"]) for point in measure["points"]]
        measures += [(measure["kind"], chart) for chart in measure_charts(points)]
    return ProgressCharts(
        pain=pain_chart(pain),
        effort=effort_chart(pain),
        adherence=adherence_chart(weeks),
        week_starts=tuple(start_date + timedelta(days=7 * (week.week - 1)) for week in sorted(weeks, key=_week)),
        measures=tuple(measures),
    )


def _week(week: WeekAdherence) -> int:
    return week.week

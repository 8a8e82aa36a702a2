"""The caseload as rows: each patient's running plan, open alerts, last session and triage flags.

Reads only, scoped by rehab.selectors (a patient the user may not see never appears), in a fixed
number of queries whatever the caseload's size. What the rows are flagged for is planner.triage's
decision; this module turns rows into its facts. The dashboard, the caseload page and
GET /api/v1/caseload/ all read it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Sum

from planner.triage import CaseFacts, Flag, OpenAlert, WeekSessions, rank, triage
from rehab import selectors
from rehab.models import (
    RUNNING_STATUSES,
    Alert,
    CheckIn,
    CheckInKind,
    Patient,
    Plan,
    PlanStatus,
    ProgressionDecision,
    User,
)


@dataclass
class CaseRow:
    """One patient of the caseload. plan: the running plan; draft: a draft waiting for review."""

    patient: Patient
    plan: Plan | None = None
    week: int | None = None
    draft: Plan | None = None
    open_alerts: int = 0
    last_session: date | None = None
    flags: tuple[Flag, ...] = field(default_factory=tuple)

    @property
    def rank(self) -> int:
        return rank(self.flags)


def case_rows(user: User, patients: Iterable[Patient]) -> list[CaseRow]:
    """The patients as rows with their flags, in their given order. Without clinical access (a clinic
    admin, a patient) the rows carry no plan, alert or flag."""
    rows = {patient.pk: CaseRow(patient) for patient in patients}
    if not rows or not user.is_care_staff:
        return list(rows.values())
    plans = selectors.plans_visible_to(user).filter(
        patient_id__in=rows, status__in=[*RUNNING_STATUSES, PlanStatus.DRAFT]
    )
    for plan in plans.order_by("created_at"):
        row = rows[plan.patient_id]
        if plan.is_running:
            row.plan, row.week = plan, plan.current_week(row.patient.today())
        else:
            row.draft = plan
    running = {row.plan.pk: row for row in rows.values() if row.plan}
    means, last = _mean_pain_by_week(running)
    decisions = _last_decisions(running)
    alerts: dict[int, list[OpenAlert]] = {}
    for alert in selectors.alerts_visible_to(user).filter(patient_id__in=rows):
        rows[alert.patient_id].open_alerts += 1
        alerts.setdefault(alert.patient_id, []).append(_open_alert(alert))
    for row in rows.values():
        plan = row.plan
        facts = CaseFacts(
            alerts=tuple(alerts.get(row.patient.pk, ())),
            paused=plan is not None and plan.status == PlanStatus.PAUSED,
            pause_reason=plan.pause_reason if plan else "",
            weekly_mean_pain=tuple(sorted(means.get(plan.pk, {}).items())) if plan else (),
            current_week=row.week,
            last_decision=decisions.get(plan.pk) if plan else None,
        )
        row.flags = triage(facts)
        row.last_session = last.get(plan.pk) if plan else None
    return list(rows.values())


def dashboard_order(rows: list[CaseRow]) -> list[CaseRow]:
    """Most urgent first; then more open alerts; then by name."""
    return sorted(rows, key=lambda row: (row.rank, -row.open_alerts, row.patient.last_name, row.patient.first_name))


def _open_alert(alert: Alert) -> OpenAlert:
    return OpenAlert(alert.kind, alert.urgent, alert.message, alert.get_kind_display())


def _mean_pain_by_week(plan_ids) -> tuple[dict[int, dict[int, float]], dict[int, date]]:
    """({plan id: {week: mean of every pain score logged that week}}, {plan id: last session date}), one query."""
    rows = (
        CheckIn.objects.filter(plan_id__in=plan_ids, kind=CheckInKind.SESSION)
        .values("plan_id", "plan_week")
        .annotate(
            sessions=Count("id"),
            mornings=Count("pain_next_morning"),
            total=Sum("pain_during") + Sum("pain_after"),
            morning_total=Sum("pain_next_morning"),
            last=Max("date"),
        )
    )
    means: dict[int, dict[int, float]] = {}
    last: dict[int, date] = {}
    for row in rows:
        scores = 2 * row["sessions"] + row["mornings"]
        means.setdefault(row["plan_id"], {})[row["plan_week"]] = (row["total"] + (row["morning_total"] or 0)) / scores
        last[row["plan_id"]] = max(filter(None, (last.get(row["plan_id"]), row["last"])))
    return means, last


def _last_decisions(plan_ids) -> dict[int, WeekSessions]:
    """Each plan's latest weekly decision's sessions done and planned, one query."""
    latest: dict[int, WeekSessions] = {}
    decisions = (
        ProgressionDecision.objects.filter(plan_id__in=plan_ids)
        .order_by("plan_id", "-week")
        .values_list("plan_id", "week", "sessions_done", "sessions_planned")
    )
    for plan_id, week, done, planned in decisions:
        latest.setdefault(plan_id, WeekSessions(week, done, planned))
    return latest

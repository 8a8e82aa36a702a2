"""The caseload as rows: each patient's running plan, open alerts, last session and triage flags.

No query of its own: rehab.selectors.caseload reads the rows' facts, scoped (a patient the user may
not see never appears), in a fixed number of queries whatever the caseload's size. What the rows
are flagged for is planner.triage's decision; this module turns rows into its facts. The dashboard,
the caseload page and GET /api/v1/caseload/ all read it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from planner.triage import CaseFacts, Flag, OpenAlert, WeekSessions, rank, triage
from rehab import selectors
from rehab.models import Alert, Patient, Plan, PlanStatus, User
from rehab.stored_words import alert_text, pause_reason_text


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
    for plan in selectors.caseload_plans(user, rows):
        row = rows[plan.patient_id]
        if plan.is_running:
            row.plan, row.week = plan, plan.current_week(row.patient.today())
        else:
            row.draft = plan
    running = {row.plan.pk: row for row in rows.values() if row.plan}
    means, last = _mean_pain_by_week(selectors.session_pain_by_week(user, running))
    decisions = _last_decisions(selectors.decisions_newest_week_first(user, running))
    alerts: dict[int, list[OpenAlert]] = {}
    for alert in selectors.caseload_alerts(user, rows):
        rows[alert.patient_id].open_alerts += 1
        alerts.setdefault(alert.patient_id, []).append(_open_alert(alert))
    for row in rows.values():
        plan = row.plan
        facts = CaseFacts(
            alerts=tuple(alerts.get(row.patient.pk, ())),
            paused=plan is not None and plan.status == PlanStatus.PAUSED,
            pause_reason=pause_reason_text(plan) if plan else "",
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
    return OpenAlert(alert.kind, alert.urgent, alert_text(alert), alert.get_kind_display())


def _mean_pain_by_week(rows: list[dict]) -> tuple[dict[int, dict[int, float]], dict[int, date]]:
    """({plan id: {week: mean of every pain score logged that week}}, {plan id: last session date}) from
    selectors.session_pain_by_week's rows."""
    means: dict[int, dict[int, float]] = {}
    last: dict[int, date] = {}
    for row in rows:
        scores = 2 * row["sessions"] + row["mornings"]
        means.setdefault(row["plan_id"], {})[row["plan_week"]] = (row["total"] + (row["morning_total"] or 0)) / scores
        last[row["plan_id"]] = max(filter(None, (last.get(row["plan_id"]), row["last"])))
    return means, last


def _last_decisions(decisions: list[tuple[int, int, int, int]]) -> dict[int, WeekSessions]:
    """Each plan's latest weekly decision's sessions done and planned, from
    selectors.decisions_newest_week_first's rows."""
    latest: dict[int, WeekSessions] = {}
    for plan_id, week, done, planned in decisions:
        latest.setdefault(plan_id, WeekSessions(week, done, planned))
    return latest

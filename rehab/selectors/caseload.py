"""What the caseload's rows are built from (rehab.caseload), each a single query whatever the
caseload's size, all scoped to what the user may see: a patient or plan outside their care team is
never counted, even when its id is handed in."""

from collections.abc import Iterable

from django.db.models import Count, Max, QuerySet, Sum

from rehab.models import RUNNING_STATUSES, Alert, CheckInKind, Plan, PlanStatus, ProgressionDecision, User
from rehab.selectors.alerts import alerts_visible_to
from rehab.selectors.checkins import checkins_visible_to
from rehab.selectors.plans import plans_visible_to


def caseload_plans(user: User, patient_ids: Iterable[int]) -> QuerySet[Plan]:
    """The patients' running plans and drafts, oldest first (a newer plan of a patient comes last)."""
    return (
        plans_visible_to(user)
        .filter(patient_id__in=patient_ids, status__in=[*RUNNING_STATUSES, PlanStatus.DRAFT])
        .order_by("created_at")
    )


def caseload_alerts(user: User, patient_ids: Iterable[int]) -> QuerySet[Alert]:
    """The patients' open alerts, urgent first, then newest (alerts_visible_to's order)."""
    return alerts_visible_to(user).filter(patient_id__in=patient_ids)


def session_pain_by_week(user: User, plan_ids: Iterable[int]) -> list[dict]:
    """Per plan and plan week with sessions: {"plan_id", "plan_week", "sessions", "mornings" (sessions
    with a next-morning score), "total" (pain during + after), "morning_total", "last" (latest date)}."""
    rows = (
        checkins_visible_to(user)
        .filter(plan_id__in=plan_ids, kind=CheckInKind.SESSION)
        .values("plan_id", "plan_week")
        .annotate(
            sessions=Count("id"),
            mornings=Count("pain_next_morning"),
            total=Sum("pain_during") + Sum("pain_after"),
            morning_total=Sum("pain_next_morning"),
            last=Max("date"),
        )
    )
    return [dict(row) for row in rows]


def decisions_newest_week_first(user: User, plan_ids: Iterable[int]) -> list[tuple[int, int, int, int]]:
    """(plan id, week, sessions done, sessions planned) of the plans' weekly decisions, by plan, the
    latest week first."""
    decisions = (
        ProgressionDecision.objects.filter(plan__in=plans_visible_to(user), plan_id__in=plan_ids)
        .order_by("plan_id", "-week")
        .values_list("plan_id", "week", "sessions_done", "sessions_planned")
    )
    return list(decisions)

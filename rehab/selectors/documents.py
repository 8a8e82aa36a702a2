"""The reads behind the plan PDF and the progress report (rehab.documents fills the documents).

The plan or patient handed in has already been scoped to the requesting user (selectors.plan_get,
selectors.patient_get); these read what belongs to it. The clinician's report picks its plan
through the user's own scope (`report_plan`).
"""

import functools
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from rehab.models import (
    RUNNING_STATUSES,
    Alert,
    Assessment,
    CheckIn,
    CheckInKind,
    LimitOverride,
    Measurement,
    Patient,
    Plan,
    ProgressionDecision,
    User,
)
from rehab.selectors.plans import plans_visible_to


def report_plan(user: User, patient: Patient) -> Plan | None:
    """The plan the report is about: the patient's running plan, else their latest one the user may see;
    with its patient, the patient's clinic and its author (the report prints them)."""
    plans = plans_visible_to(user).filter(patient=patient).select_related("patient__clinic", "author")
    return plans.filter(status__in=RUNNING_STATUSES).first() or plans.first()


def plan_with_people(plan_id: int) -> Plan:
    """The plan with its patient, the patient's clinic and its author: one query."""
    return Plan.objects.select_related("patient__clinic", "author").get(pk=plan_id)


def _marker(model: Any, function: Any, field: str = "id", **where: Any) -> Subquery:
    """A subquery: `function` over the plan's rows of `model` (their count, their last id)."""
    rows = model.objects.filter(plan=OuterRef("pk"), **where).order_by().values("plan")
    return Subquery(rows.annotate(value=function(field)).values("value")[:1])


def plan_for_pdf(plan_id: int) -> Plan:
    """The plan with its patient, clinic and author, and markers of its check-ins and decisions: one query.

    checkin_morning_last: a next-morning pain added to a logged session changes the pain chart
    without adding a check-in. supervised_done: the supervised sessions, counted here rather than in a
    query of their own (selectors.supervised_sessions_done counts the same rows)."""
    return _plans_for_pdf().get(pk=plan_id)


@functools.cache
def _plans_for_pdf() -> QuerySet[Plan]:
    # Built once per process (its six subqueries took Django a tenth of drawing a booklet to put
    # together); never evaluated itself: each read filters a copy of it.
    return Plan.objects.select_related("patient__clinic", "author").annotate(
        checkin_count=_marker(CheckIn, Count),
        checkin_last=_marker(CheckIn, Max),
        checkin_morning_last=_marker(CheckIn, Max, "pain_next_morning_at"),
        supervised_done=_marker(CheckIn, Count, kind=CheckInKind.SESSION, supervised_by__isnull=False),
        decision_count=_marker(ProgressionDecision, Count),
        decision_last=_marker(ProgressionDecision, Max),
    )


def plan_checkin_rows(plan: Plan, fields: Sequence[str]) -> list[tuple]:
    """The plan's check-ins in date order, as tuples of `fields`."""
    return list(CheckIn.objects.filter(plan=plan).order_by("date").values_list(*fields))


def decision_for_week(plan: Plan, week: int) -> ProgressionDecision | None:
    """The weekly decision taken when plan week `week` ended, if any."""
    return ProgressionDecision.objects.filter(plan=plan, week=week).first()


def plan_decisions(plan: Plan) -> list[ProgressionDecision]:
    return list(ProgressionDecision.objects.filter(plan=plan).order_by("week"))


def patient_assessments(patient: Patient) -> QuerySet[Assessment]:
    """Oldest first, with who assessed."""
    return Assessment.objects.filter(patient=patient).select_related("assessed_by").order_by("assessed_on")


def patient_measurements(patient: Patient) -> QuerySet[Measurement]:
    return Measurement.objects.filter(patient=patient).order_by("measured_on", "id")


def patient_alerts(patient: Patient) -> QuerySet[Alert]:
    """Oldest first, with who acknowledged each."""
    return Alert.objects.filter(patient=patient).select_related("acknowledged_by").order_by("created_at")


def plan_overrides(plan: Plan) -> QuerySet[LimitOverride]:
    """The plan's recorded limit overrides, with their author and exercise."""
    return LimitOverride.objects.filter(plan=plan).select_related("created_by", "item__exercise")

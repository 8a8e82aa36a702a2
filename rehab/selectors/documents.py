"""The reads behind the plan PDF and the progress report (rehab.documents fills the documents).

The plan or patient handed in has already been scoped to the requesting user (selectors.plan_get,
selectors.patient_get); these read what belongs to it. The clinician's report picks its plan
through the user's own scope (`report_plan`).
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import DateTimeField, Field, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext

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


def _marker(sql: str, output_field: Field) -> RawSQL:
    """A per-plan subquery in plain SQL over the plan row's own table (as selectors.plans' markers):
    the ORM's Subquery and OuterRef took milliseconds to compile on every read. The SQL holds the
    models' table and column names and constants only, never a value from a request."""
    return RawSQL(sql.format(plan=Plan._meta.db_table), (), output_field=output_field)  # noqa: S611


_CHECKINS, _DECISIONS = CheckIn._meta.db_table, ProgressionDecision._meta.db_table
# Over the plan's check-ins and decisions: how many, the last id, the last next-morning pain's time.
# A plan without any gives 0 and NULL (they only enter the PDF's cache key, and a supervised count).
_MARKERS: dict[str, tuple[str, Field]] = {
    "checkin_count": (f"SELECT COUNT(*) FROM {_CHECKINS} c WHERE c.plan_id = {{plan}}.id", IntegerField()),  # noqa: S608
    "checkin_last": (f"SELECT MAX(c.id) FROM {_CHECKINS} c WHERE c.plan_id = {{plan}}.id", IntegerField()),  # noqa: S608
    "checkin_morning_last": (
        f"SELECT MAX(c.pain_next_morning_at) FROM {_CHECKINS} c WHERE c.plan_id = {{plan}}.id",  # noqa: S608
        DateTimeField(),
    ),
    "supervised_done": (
        f"SELECT COUNT(*) FROM {_CHECKINS} c WHERE c.plan_id = {{plan}}.id "  # noqa: S608
        f"AND c.kind = '{CheckInKind.SESSION.value}' AND c.supervised_by_id IS NOT NULL",
        IntegerField(),
    ),
    "decision_count": (f"SELECT COUNT(*) FROM {_DECISIONS} d WHERE d.plan_id = {{plan}}.id", IntegerField()),  # noqa: S608
    "decision_last": (f"SELECT MAX(d.id) FROM {_DECISIONS} d WHERE d.plan_id = {{plan}}.id", IntegerField()),  # noqa: S608
}


def plan_for_pdf(plan_id: int) -> Plan:
    """The plan with its patient, clinic and author, and markers of its check-ins and decisions: one query.

    checkin_morning_last: a next-morning pain added to a logged session changes the pain chart
    without adding a check-in. supervised_done: the supervised sessions, counted here rather than in a
    query of their own (selectors.supervised_sessions_done counts the same rows)."""
    return _for_pdf(Plan.objects.all()).get(pk=plan_id)


def plan_for_pdf_visible_to(user: User, plan_id: Any) -> Plan:
    """plan_for_pdf of a plan the user may see (selectors.plan_get's scope, else 404), in the same one
    query: the PDF download reads its plan once, not once to check access and again to draw."""
    try:
        return _for_pdf(plans_visible_to(user)).get(pk=plan_id)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404(gettext("No such plan.")) from None


def _for_pdf(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    markers = {name: _marker(sql, field) for name, (sql, field) in _MARKERS.items()}
    return plans.select_related("patient__clinic", "author").annotate(**markers)


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

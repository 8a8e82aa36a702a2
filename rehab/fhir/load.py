"""Reads what an export holds, scoped by the selectors (an unseen plan or patient is a 404; a clinic
admin, who may not read clinical data, gets 404 too), in a constant number of queries."""

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from rehab import selectors
from rehab.fhir.base import Canon
from rehab.fhir.bundle import PatientRows, build_bundle
from rehab.fhir.careplan import PlanRows
from rehab.models import Alert, AlertKind, CheckIn, CheckInItem, Measurement, PlanItem, ProgressionDecision
from rehab.services.plans import engine_plan


def canon() -> Canon:
    return Canon(settings.FHIR_CANONICAL_BASE)


def _plan_rows(plans) -> list[PlanRows]:
    """Items, check-ins (with what was done) and decisions of all `plans` in one query each."""
    ids = [plan.pk for plan in plans]
    items = PlanItem.objects.filter(plan_id__in=ids).select_related("exercise").order_by("plan_id", "position")
    checkins = (
        CheckIn.objects.filter(plan_id__in=ids)
        .select_related("logged_by", "pain_item__exercise")
        .prefetch_related(
            Prefetch("items", queryset=CheckInItem.objects.select_related("plan_item__exercise").order_by("id"))
        )
        .order_by("date", "id")
    )
    decisions = ProgressionDecision.objects.filter(plan_id__in=ids).order_by("plan_id", "week")
    grouped = {pk: ([], [], []) for pk in ids}
    for item in items:
        grouped[item.plan_id][0].append(item)
    for checkin in checkins:
        grouped[checkin.plan_id][1].append(checkin)
    for decision in decisions:
        grouped[decision.plan_id][2].append(decision)
    return [
        PlanRows(
            plan=plan,
            engine=engine_plan(plan),
            items=grouped[plan.pk][0],
            checkins=grouped[plan.pk][1],
            decisions=grouped[plan.pk][2],
            week=plan.current_week(),
        )
        for plan in plans
    ]


def _export(patient, plans, *, measurements: Q, alerts: Q) -> dict:
    care_team = list(patient.care_team.order_by("last_name", "first_name", "id"))
    plan_rows = _plan_rows(plans)
    rows = PatientRows(
        patient=patient,
        care_team=care_team,
        plans=plan_rows,
        measurements=list(
            Measurement.objects.filter(measurements, patient=patient)
            .select_related("recorded_by")
            .order_by("-measured_on", "-id")
        ),
        alerts=list(
            Alert.objects.filter(alerts, patient=patient, kind=AlertKind.RED_FLAG, acknowledged_at__isnull=True)
            .select_related("checkin")
            .order_by("created_at", "id")
        ),
    )
    return build_bundle(canon(), rows, timestamp=timezone.now())


def _plans(queryset):
    return queryset.select_related("patient__clinic", "patient__user", "author", "assessment")


def plan_bundle(user, plan_id) -> tuple[dict, object]:
    """The export of one plan (its check-ins, decisions, the measures of its weeks and its open red
    flags) and the plan; 404 for a plan the user may not see."""
    plan = selectors.plan_get(user, plan_id)
    plan = _plans(selectors.plans_visible_to(user)).get(pk=plan.pk)
    end = plan.end_date
    bundle = _export(
        plan.patient,
        [plan],
        measurements=Q(measured_on__gte=plan.start_date, measured_on__lte=end),
        alerts=Q(plan=plan),
    )
    return bundle, plan


def patient_bundle(user, patient_id) -> tuple[dict, object]:
    """The export of every plan of one patient the user may see, with all measures and open red flags."""
    patient = selectors.patient_get(user, patient_id, clinical=True)
    plans = list(_plans(selectors.plans_visible_to(user).filter(patient=patient)).order_by("start_date", "id"))
    patient = plans[0].patient if plans else patient
    return _export(patient, plans, measurements=Q(), alerts=Q()), patient

"""The patient's assessments and measurements, read through the clinical scope; and what a plan's
progress (rehab.progress: pages, API, PDF report) is computed from, for a plan scoped when it was
fetched (selectors.plan_get and friends, or a task's own plan)."""

from django.db.models import QuerySet

from rehab.models import Assessment, CheckIn, LimitOverride, Measurement, Patient, Plan, ProgressionDecision, User
from rehab.selectors.patients import patient_get


def assessments_of(user: User, patient_id) -> QuerySet[Assessment]:
    patient = patient_get(user, patient_id, clinical=True)
    return patient.assessments.select_related("assessed_by").order_by("-assessed_on", "-id")


def latest_assessment(patient: Patient) -> Assessment | None:
    return patient.assessments.order_by("-assessed_on", "-id").first()


def measurements_of(user: User, patient_id) -> QuerySet[Measurement]:
    patient = patient_get(user, patient_id, clinical=True)
    return patient.measurements.select_related("recorded_by")


# The fields of a check-in a progress chart and its tables show (one row each, oldest first).
CHECKIN_PROGRESS_FIELDS = (
    "id",
    "kind",
    "date",
    "plan_week",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "session_rpe",
    "red_flags",
    "pain_regions",
    "pain_item__exercise__name",
    "heart_rate_avg",
    "heart_rate_max",
    "spo2_min",
    "supervised_by__first_name",
    "supervised_by__last_name",
)


def plan_checkin_rows(plan: Plan) -> list[dict]:
    """Every check-in of the plan, oldest first, as {field: value} of CHECKIN_PROGRESS_FIELDS."""
    return list(CheckIn.objects.filter(plan=plan).order_by("date").values(*CHECKIN_PROGRESS_FIELDS))


def plan_decisions(plan: Plan) -> list[ProgressionDecision]:
    """The plan's weekly decisions, week by week."""
    return list(ProgressionDecision.objects.filter(plan=plan).order_by("week"))


def plan_measurements(plan: Plan) -> QuerySet[Measurement]:
    """The plan's patient's measurements (every one, not only the plan's weeks), oldest first."""
    return Measurement.objects.filter(patient_id=plan.patient_id).order_by("measured_on", "id")


def plan_overrides(plan: Plan) -> QuerySet[LimitOverride]:
    """The plan's limit overrides, each with who made it and the item's exercise."""
    return LimitOverride.objects.filter(plan=plan).select_related("created_by", "item__exercise")

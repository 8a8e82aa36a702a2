"""Recording what patients report: session check-ins, next-morning pain and measurements."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from planner.vitals import LOW_OXYGEN, oxygen_findings
from planner.vocabulary import LAB_MEASURE_CODES, MEASURES, PAIN_SITE_CODES
from rehab.clinical import progression_config, red_pain_threshold
from rehab.models import (
    Alert,
    AlertKind,
    CheckIn,
    CheckInItem,
    CheckInKind,
    Measurement,
    Patient,
    Plan,
    PlanItem,
    PlanStatus,
    Role,
    User,
)
from rehab.queue import enqueue_on_commit
from rehab.services.alerts import follow_up_due
from rehab.services.errors import InvalidInput, NotAllowed

RUNNING = (PlanStatus.ACTIVE, PlanStatus.PAUSED)
MEASURE_RANGES = {code: (low, high) for code, _label, _unit, low, high, _better in MEASURES}


def plan_week_of(plan: Plan, day: date) -> int:
    return (day - plan.start_date).days // 7 + 1


def vital_sign_red_flags(plan: Plan, spo2_min: int | None) -> list[str]:
    """A desaturation during exercise is a stop rule: it becomes the red flag "low_oxygen"."""
    if oxygen_findings(spo2_min, plan.assessment.resting_spo2, progression_config()):
        return [LOW_OXYGEN]
    return []


def needs_follow_up(checkin: CheckIn) -> bool:
    """A red flag, or pain above the red threshold, needs the care team at once."""
    threshold = red_pain_threshold()
    pains = [checkin.pain_during, checkin.pain_after, checkin.pain_next_morning]
    return bool(checkin.red_flags) or any(p is not None and p > threshold for p in pains)


def _validate(plan: Plan, day: date, today: date, items: list[dict], pain_item: PlanItem | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if day > today:
        errors["date"] = ["A session cannot be logged for a day that has not come yet."]
    elif not 1 <= plan_week_of(plan, day) <= plan.weeks:
        errors["date"] = [f"This plan runs from {plan.start_date} for {plan.weeks} weeks; the date is outside it."]
    item_ids = {item["plan_item"].pk for item in items}
    # An item whose exercise the limits later removed keeps its row (its history), not its place.
    in_plan = {entry["exercise"]["slug"] for entry in plan.engine["items"]}
    if any(item["plan_item"].plan_id != plan.pk for item in items) or any(
        item["plan_item"].exercise.slug not in in_plan for item in items
    ):
        errors["items"] = ["Each item must be an exercise of this plan."]
    elif len(item_ids) != len(items):
        errors["items"] = ["Each exercise may appear only once."]
    if pain_item is not None and (pain_item.plan_id != plan.pk or pain_item.exercise.slug not in in_plan):
        errors["pain_item"] = ["The exercise that hurt must be an exercise of this plan."]
    if errors:
        raise InvalidInput(errors)


def checkin_record(
    *,
    actor: User,
    plan: Plan,
    idempotency_key: str,
    date: date,
    pain_during: int,
    pain_after: int,
    items: list[dict] | None = None,
    session_rpe: int | None = None,
    pain_next_morning: int | None = None,
    red_flags: list[str] | None = None,
    notes: str = "",
    kind: str = CheckInKind.SESSION,
    pain_regions: list[str] | None = None,
    pain_item: PlanItem | None = None,
    heart_rate_avg: int | None = None,
    heart_rate_max: int | None = None,
    spo2_min: int | None = None,
    supervised_by: User | None = None,
) -> tuple[CheckIn, bool]:
    """Store a session; returns (check-in, created). A retry with the same key returns the first.

    The check-in is committed whether or not the broker answers: its follow-up (pause and
    alerts for red flags or red pain) goes through the outbox, and runs inline if the broker
    is down, so a red flag always reaches the care team.
    """
    existing = CheckIn.objects.filter(logged_by=actor, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    if plan.status not in (PlanStatus.ACTIVE, PlanStatus.PAUSED):
        raise InvalidInput({"plan": ["Sessions can be logged only on an active plan."]})
    if actor.role == Role.CLINIC_ADMIN:
        raise NotAllowed("A clinic admin cannot log sessions.")
    items = items or []
    today = plan.patient.today()
    _validate(plan, date, today, items, pain_item)
    if heart_rate_avg is not None and heart_rate_max is not None and heart_rate_avg > heart_rate_max:
        raise InvalidInput({"heart_rate_max": ["The highest heart rate cannot be below the average."]})
    red_flags = sorted(set(red_flags or []) | set(vital_sign_red_flags(plan, spo2_min)))
    try:
        with transaction.atomic():
            if kind == CheckInKind.SYMPTOMS and not red_flags:
                raise InvalidInput({"red_flags": ["A symptom report needs at least one red flag."]})
            if kind == CheckInKind.SESSION and CheckIn.objects.filter(plan=plan, date=date, kind=kind).exists():
                raise InvalidInput({"date": ["A session is already logged for this day; change it instead."]})
            checkin = CheckIn.objects.create(
                plan=plan,
                patient=plan.patient,
                date=date,
                plan_week=plan_week_of(plan, date),
                kind=kind,
                logged_by=actor,
                on_behalf=actor.role != Role.PATIENT,
                session_rpe=session_rpe,
                pain_during=pain_during,
                pain_after=pain_after,
                pain_next_morning=pain_next_morning,
                pain_next_morning_at=timezone.now() if pain_next_morning is not None else None,
                red_flags=sorted(set(red_flags or [])),
                notes=notes,
                idempotency_key=idempotency_key,
                pain_regions=[code for code in PAIN_SITE_CODES if code in set(pain_regions or [])],
                pain_item=pain_item,
                heart_rate_avg=heart_rate_avg,
                heart_rate_max=heart_rate_max,
                spo2_min=spo2_min,
                supervised_by=supervised_by,
            )
            CheckInItem.objects.bulk_create([CheckInItem(checkin=checkin, **item) for item in items])
            if needs_follow_up(checkin):
                follow_up_due(checkin)
    except IntegrityError:
        # Two identical requests raced: the other one stored it; return that one.
        existing = CheckIn.objects.filter(logged_by=actor, idempotency_key=idempotency_key).first()
        if existing is None:
            raise InvalidInput({"date": ["A session is already logged for this day; change it instead."]}) from None
        return existing, False
    return checkin, True


@transaction.atomic
def checkin_add_next_morning(
    *, actor: User, checkin: CheckIn, pain_next_morning: int, red_flags: list[str] | None = None
) -> CheckIn:
    """The next-morning pain (and any red flag noticed since) for a logged session."""
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if actor.role == Role.CLINIC_ADMIN:
        raise NotAllowed("A clinic admin cannot log sessions.")
    checkin.pain_next_morning = pain_next_morning
    checkin.pain_next_morning_at = timezone.now()
    new_flags = set(red_flags or []) - set(checkin.red_flags)
    checkin.red_flags = sorted(set(checkin.red_flags) | new_flags)
    checkin.save(update_fields=["pain_next_morning", "pain_next_morning_at", "red_flags"])
    if needs_follow_up(checkin):
        follow_up_due(checkin)
    return checkin


@transaction.atomic
def checkin_add_red_flags(*, actor: User, checkin: CheckIn, red_flags: list[str]) -> CheckIn:
    """Red flags noticed after a session was logged join that session; the follow-up runs at once."""
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if actor.role == Role.CLINIC_ADMIN:
        raise NotAllowed("A clinic admin cannot log sessions.")
    checkin.red_flags = sorted(set(checkin.red_flags) | set(red_flags))
    checkin.save(update_fields=["red_flags"])
    if needs_follow_up(checkin):
        follow_up_due(checkin)
    return checkin


@transaction.atomic
def measurement_record(
    *,
    actor: User,
    patient: Patient,
    kind: str,
    value,
    measured_on: date,
    notes: str = "",
    upper_limit_normal=None,
):
    """Store a measure; a CK at or above the rule's factor times the patient's first CK alerts the team."""
    if actor.role not in (Role.PHYSIOTHERAPIST, Role.CLINICIAN):
        raise NotAllowed("Only physiotherapists and clinicians record measurements.")
    low, high = MEASURE_RANGES[kind]
    if not low <= float(value) <= high:
        raise InvalidInput({"value": [f"{kind} must be between {low} and {high}."]})
    if upper_limit_normal is not None and kind not in LAB_MEASURE_CODES:
        raise InvalidInput({"upper_limit_normal": ["Only laboratory values (CK) carry an upper limit of normal."]})
    measurement = Measurement.objects.create(
        patient=patient,
        kind=kind,
        value=value,
        upper_limit_normal=upper_limit_normal,
        measured_on=measured_on,
        recorded_by=actor,
        notes=notes,
    )
    if kind == "ck_u_l":
        _alert_on_ck_rise(measurement)
    return measurement


def _alert_on_ck_rise(measurement: Measurement) -> None:
    baseline = (
        Measurement.objects.filter(patient=measurement.patient, kind="ck_u_l", measured_on__lte=measurement.measured_on)
        .exclude(pk=measurement.pk)
        .order_by("measured_on", "id")
        .first()
    )
    factor = progression_config().ck_rise_factor
    if baseline is None or baseline.value <= 0 or float(measurement.value) < float(baseline.value) * factor:
        return
    ratio = float(measurement.value) / float(baseline.value)
    ceiling = (
        f" (upper limit of normal {measurement.upper_limit_normal:g} U/L)" if measurement.upper_limit_normal else ""
    )
    alert = Alert.objects.create(
        patient=measurement.patient,
        plan=Plan.objects.filter(patient=measurement.patient, status__in=RUNNING).first(),
        kind=AlertKind.CK_RISE,
        urgent=True,
        measurement=measurement,
        message=(
            f"{measurement.patient.full_name}: CK {measurement.value:g} U/L on {measurement.measured_on}{ceiling}, "
            f"{ratio:.1f} times the baseline of {baseline.value:g} U/L on {baseline.measured_on}. Resistance "
            "progression is held at the next weekly decision; please review."
        ),
    )
    enqueue_on_commit("rehab.tasks.email_alert", alert.pk, inline_if_broker_down=True)

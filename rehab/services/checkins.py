"""Recording what patients report: session check-ins, next-morning pain and measurements."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext

from planner.effort import BORG, SCALES, borg_equivalent, effort_problem
from planner.progression.said import Fixed, said
from planner.progression.signals import ck_rise
from planner.vitals import LOW_OXYGEN, oxygen_findings
from planner.vocabulary import LAB_MEASURE_CODES, MEASURES_BY_CODE, PAIN_SITE_CODES
from rehab.clinical import progression_config, red_pain_threshold
from rehab.measure_words import measure_label
from rehab.models import (
    RUNNING_STATUSES,
    Alert,
    AlertKind,
    CheckIn,
    CheckInKind,
    Measurement,
    Patient,
    Plan,
    PlanItem,
    Role,
    User,
)
from rehab.queue import enqueue_on_commit
from rehab.services.alerts import follow_up_due, follow_up_enqueue
from rehab.services.checkin_rows import insert_checkin
from rehab.services.errors import InvalidInput, NotAllowed
from rehab.services.progression import strength_signal
from rehab.stored_words import as_stored


def vital_sign_red_flags(plan: Plan, spo2_min: int | None) -> list[str]:
    """A desaturation during exercise is a stop rule: it becomes the red flag "low_oxygen"."""
    if spo2_min is None:
        return []  # nothing measured: the assessment need not be read
    if oxygen_findings(spo2_min, plan.assessment.resting_spo2, progression_config()):
        return [LOW_OXYGEN]
    return []


def needs_follow_up(checkin: CheckIn) -> bool:
    """A red flag, or pain above the red threshold, needs the care team at once."""
    threshold = red_pain_threshold()
    pains = [checkin.pain_during, checkin.pain_after, checkin.pain_next_morning]
    return bool(checkin.red_flags) or any(p is not None and p > threshold for p in pains)


def effort_fields(
    *, session_rpe: int | None, effort_scale: str | None, effort_value: int | None
) -> dict[str, int | str | None]:
    """What is stored of a session's effort: the scale and answer as asked, and the 6-20 equivalent.

    An answer on any scale (effort_scale + effort_value) gives session_rpe its 6-20 equivalent
    (planner.effort, clinical-reference 1a); a bare session_rpe is an answer on 6-20. A session_rpe
    sent with an answer must be that answer's equivalent. Raises InvalidInput per field.
    """
    if effort_value is None:
        if effort_scale not in (None, "", BORG) and session_rpe is not None:
            raise InvalidInput(
                {
                    "effort_value": [
                        gettext("Give the effort on the %(scale)s scale as effort_value.") % {"scale": effort_scale}
                    ]
                }
            )
        return {
            "session_rpe": session_rpe,
            "effort_scale": BORG if session_rpe is not None else "",
            "effort_value": session_rpe,
        }
    if not effort_scale:
        raise InvalidInput({"effort_scale": [gettext("Say which scale effort_value is on (borg_6_20 or cr10).")]})
    problem = effort_problem(effort_scale, effort_value)
    if problem:
        field = "effort_value" if effort_scale in SCALES else "effort_scale"
        raise InvalidInput({field: [problem]})
    equivalent = borg_equivalent(effort_scale, effort_value)
    if session_rpe is not None and session_rpe != equivalent:
        raise InvalidInput(
            {"session_rpe": [f"{effort_value} on {effort_scale} is {equivalent} on 6-20, not {session_rpe}."]}
        )
    return {"session_rpe": equivalent, "effort_scale": effort_scale, "effort_value": effort_value}


def _item_id(value) -> int:
    """Items arrive as PlanItem rows (pages, tests) or as bare ids (the API): the id is what is stored."""
    return value.pk if isinstance(value, PlanItem) else int(value)


def _validate(plan: Plan, day: date, today: date, item_ids: list[int], pain_item_id: int | None) -> None:
    """Dates and items, in one query for all items: each must be a row of this plan still in it.

    An item whose exercise the limits later removed keeps its row (its history) but not its
    place (PlanItem.in_plan), so the plan's snapshot need not be loaded to tell.
    """
    errors: dict[str, list[str]] = {}
    if day > today:
        errors["date"] = [gettext("A session cannot be logged for a day that has not come yet.")]
    elif not plan.covers(day):
        errors["date"] = [
            ngettext(
                "This plan runs from %(start)s for %(count)s week; the date is outside it.",
                "This plan runs from %(start)s for %(count)s weeks; the date is outside it.",
                plan.weeks,
            )
            % {"start": date_format(plan.start_date), "count": plan.weeks}
        ]
    items_ok, pain_item_ok = _in_plan(plan, frozenset(item_ids), pain_item_id)
    if not items_ok:
        errors["items"] = [gettext("Each item must be an exercise of this plan.")]
    elif len(set(item_ids)) != len(item_ids):
        errors["items"] = [gettext("Each exercise may appear only once.")]
    if not pain_item_ok:
        errors["pain_item"] = [gettext("The exercise that hurt must be an exercise of this plan.")]
    if errors:
        raise InvalidInput(errors)


def _in_plan(plan: Plan, item_ids: frozenset[int], pain_item_id: int | None) -> tuple[bool, bool]:
    """(every item is in the plan, the painful item is), from what selectors.plan_to_log counted
    with the plan when it checked these very ids, else in one query of our own."""
    if getattr(plan, "checked_items", None) == (item_ids, pain_item_id):
        counted = plan.items_in_plan, plan.pain_item_in_plan  # type: ignore[attr-defined]  # selectors' annotations
        return counted[0] == len(item_ids), pain_item_id is None or counted[1]
    asked = item_ids | ({pain_item_id} if pain_item_id is not None else set())
    if not asked:
        return True, True
    found = set(PlanItem.objects.filter(plan_id=plan.pk, in_plan=True, pk__in=asked).values_list("pk", flat=True))
    return item_ids <= found, pain_item_id is None or pain_item_id in found


def _first_with_key(actor: User, idempotency_key: str) -> CheckIn | None:
    return CheckIn.objects.filter(logged_by=actor, idempotency_key=idempotency_key).first()


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
    effort_scale: str | None = None,
    effort_value: int | None = None,
    pain_next_morning: int | None = None,
    red_flags: list[str] | None = None,
    notes: str = "",
    kind: str = CheckInKind.SESSION,
    pain_regions: list[str] | None = None,
    pain_item: PlanItem | int | None = None,
    heart_rate_avg: int | None = None,
    heart_rate_max: int | None = None,
    spo2_min: int | None = None,
    supervised_by: User | None = None,
) -> tuple[CheckIn, bool]:
    """Store a session; returns (check-in, created). A retry with the same key returns the first.

    The check-in is committed whether or not the broker answers: its follow-up (pause and
    alerts for red flags or red pain) goes through the outbox, and runs inline if the broker
    is down, so a red flag always reaches the care team.

    The plan should come with its patient and assessment joined (selectors.plan_to_log); its
    engine snapshot is never read. A session with items and no red flag costs three queries: the
    items (one query for all of them), the check-in and its items (plus a red flag's outbox row).
    The idempotency key and the one session per plan and day are the unique constraints' job:
    an insert they refuse is answered from the row already there, and an invalid retry of a
    stored key still gets the first check-in back (the key is looked up only when something failed).

    Effort comes as session_rpe (Borg 6-20) or as an answer on a scale (effort_scale, effort_value);
    either way the 6-20 equivalent is stored in session_rpe, which the weekly decision reads.
    """
    if actor.role == Role.CLINIC_ADMIN:
        raise NotAllowed(gettext("A clinic admin cannot log sessions."))
    try:
        effort = effort_fields(session_rpe=session_rpe, effort_scale=effort_scale, effort_value=effort_value)
        return _insert(
            actor=actor,
            plan=plan,
            idempotency_key=idempotency_key,
            date=date,
            pain_during=pain_during,
            pain_after=pain_after,
            items=items or [],
            **effort,
            pain_next_morning=pain_next_morning,
            red_flags=red_flags,
            notes=notes,
            kind=kind,
            pain_regions=pain_regions,
            pain_item_id=_item_id(pain_item) if pain_item is not None else None,
            heart_rate_avg=heart_rate_avg,
            heart_rate_max=heart_rate_max,
            spo2_min=spo2_min,
            supervised_by=supervised_by,
        ), True
    except InvalidInput:
        # A retry after the plan or the day moved on (paused, an item removed) still returns the first.
        existing = _first_with_key(actor, idempotency_key)
        if existing is None:
            raise
        return existing, False
    except IntegrityError:
        # The key was used before (a retry, or two identical requests racing): return that check-in.
        existing = _first_with_key(actor, idempotency_key)
        if existing is None:
            raise InvalidInput(
                {"date": [gettext("A session is already logged for this day; change it instead.")]}
            ) from None
        return existing, False


def _insert(*, actor: User, plan: Plan, items: list[dict], pain_item_id: int | None, **fields) -> CheckIn:
    if not plan.is_running:
        raise InvalidInput({"plan": [gettext("Sessions can be logged only on an active plan.")]})
    day, kind = fields["date"], fields["kind"]
    items = [{**item, "plan_item_id": _item_id(item["plan_item"])} for item in items]
    for item in items:
        del item["plan_item"]
    _validate(plan, day, plan.patient.today(), [item["plan_item_id"] for item in items], pain_item_id)
    heart_rate_avg, heart_rate_max = fields["heart_rate_avg"], fields["heart_rate_max"]
    if heart_rate_avg is not None and heart_rate_max is not None and heart_rate_avg > heart_rate_max:
        raise InvalidInput({"heart_rate_max": [gettext("The highest heart rate cannot be below the average.")]})
    red_flags = sorted(set(fields.pop("red_flags") or []) | set(vital_sign_red_flags(plan, fields["spo2_min"])))
    if kind == CheckInKind.SYMPTOMS and not red_flags:
        raise InvalidInput({"red_flags": [gettext("A symptom report needs at least one red flag.")]})
    pain_regions = set(fields.pop("pain_regions") or [])
    checkin = CheckIn(
        plan=plan,
        patient=plan.patient,
        plan_week=plan.week_of(day),
        logged_by=actor,
        on_behalf=actor.role != Role.PATIENT,
        pain_next_morning_at=timezone.now() if fields["pain_next_morning"] is not None else None,
        red_flags=red_flags,
        pain_regions=[code for code in PAIN_SITE_CODES if code in pain_regions],
        pain_item_id=pain_item_id,
        **fields,
    )
    follow_up = needs_follow_up(checkin)
    if follow_up:
        checkin.follow_up_due_at = timezone.now()
    # The follow-up's outbox row is written in the check-in's transaction; without one, on PostgreSQL,
    # the check-in and its items are one statement (rehab/services/checkin_rows.py).
    rows = insert_checkin(checkin, items, then=(lambda: follow_up_enqueue(checkin)) if follow_up else None)
    # The rows just written are the check-in's items: answering with them costs no query.
    checkin._prefetched_objects_cache = {"items": rows}  # type: ignore[attr-defined]  # as prefetch_related fills it
    return checkin


@transaction.atomic
def checkin_add_next_morning(
    *, actor: User, checkin: CheckIn, pain_next_morning: int, red_flags: list[str] | None = None
) -> CheckIn:
    """The next-morning pain (and any red flag noticed since) for a logged session."""
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if actor.role == Role.CLINIC_ADMIN:
        raise NotAllowed(gettext("A clinic admin cannot log sessions."))
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
        raise NotAllowed(gettext("A clinic admin cannot log sessions."))
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
    if not actor.is_care_staff:
        raise NotAllowed(gettext("Only physiotherapists and clinicians record measurements."))
    low, high = MEASURES_BY_CODE[kind].low, MEASURES_BY_CODE[kind].high
    if not low <= float(value) <= high:
        wanted = gettext("%(measure)s must be between %(low)s and %(high)s.")
        raise InvalidInput({"value": [wanted % {"measure": measure_label(kind), "low": low, "high": high}]})
    if upper_limit_normal is not None and kind not in LAB_MEASURE_CODES:
        raise InvalidInput(
            {"upper_limit_normal": [gettext("Only laboratory values (CK) carry an upper limit of normal.")]}
        )
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
    """An urgent alert when this CK result is a rise over the patient's earlier ones (planner ck_rise, the
    rule the weekly decision holds resistance by)."""
    earlier = (
        Measurement.objects.filter(patient=measurement.patient, kind="ck_u_l", measured_on__lte=measurement.measured_on)
        .exclude(pk=measurement.pk)
        .order_by("measured_on", "id")
    )
    rows = [*earlier, measurement]
    signals = [strength_signal(row) for row in rows]
    rise = ck_rise(signals, progression_config().ck_rise_factor)
    if rise is None:
        return
    baseline = rows[signals.index(rise[1])]
    ratio = float(measurement.value) / float(baseline.value)
    values = {
        "patient": measurement.patient.full_name,
        "value": f"{float(measurement.value):g}",  # 300, not the column's 300.00
        "day": str(measurement.measured_on),
        "ratio": Fixed(ratio, 1),
        "baseline": f"{float(baseline.value):g}",
        "baseline_day": str(baseline.measured_on),
    }
    if measurement.upper_limit_normal:
        sentence = said(
            gettext_noop(
                "%(patient)s: CK %(value)s U/L on %(day)s (upper limit of normal %(normal)s U/L), %(ratio)s times "
                "the baseline of %(baseline)s U/L on %(baseline_day)s. Resistance progression is held at the next "
                "weekly decision; please review."
            ),
            normal=f"{float(measurement.upper_limit_normal):g}",
            **values,
        )
    else:
        sentence = said(
            gettext_noop(
                "%(patient)s: CK %(value)s U/L on %(day)s, %(ratio)s times the baseline of %(baseline)s U/L on "
                "%(baseline_day)s. Resistance progression is held at the next weekly decision; please review."
            ),
            **values,
        )
    message, words = as_stored(sentence)
    alert = Alert.objects.create(
        patient=measurement.patient,
        plan=Plan.objects.filter(patient=measurement.patient, status__in=RUNNING_STATUSES).first(),
        kind=AlertKind.CK_RISE,
        urgent=True,
        measurement=measurement,
        message=message,
        said=words,
    )
    enqueue_on_commit("rehab.tasks.email_alert", alert.pk, inline_if_broker_down=True)

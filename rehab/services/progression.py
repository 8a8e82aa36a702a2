"""The weekly progression decision: rows -> engine -> one decision per (plan, week), applied to the plan.

Idempotent by construction: the plan row is locked, an existing decision for the week is
returned unchanged, and the unique (plan, week) constraint stops a second writer.
"""

from dataclasses import replace
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max

from planner import serialize
from planner.editing import reschedule_from
from planner.growth import default_growth_rules
from planner.progression import (
    CheckInSignal,
    ItemReport,
    ItemState,
    StrengthSignal,
    WeekContext,
    decide_progression,
)
from planner.progression import (
    ProgressionDecision as EngineDecision,
)
from planner.progression_rules import is_inflammatory_myopathy
from planner.types import Dose
from rehab.clinical import progression_config
from rehab.models import (
    Alert,
    AlertKind,
    CheckIn,
    CheckInKind,
    Measurement,
    Plan,
    PlanStatus,
    ProgressionDecision,
)
from rehab.queue import enqueue_on_commit
from rehab.services.plans import engine_plan, overridden_slugs

RUNNING = (PlanStatus.ACTIVE, PlanStatus.PAUSED)


# A week is decided one day after it ends, so the next-morning pain of its last session is in.
GRACE_DAYS = 1


def weeks_ended(plan: Plan, as_of: date) -> int:
    """How many plan weeks are ready for a decision on `as_of` (ended, plus the grace day)."""
    return max(0, min(plan.weeks, ((as_of - plan.start_date).days - GRACE_DAYS) // 7))


def plans_due(as_of: date) -> list[int]:
    """Running plans with at least one ended week that has no decision yet (two queries)."""
    last_decided = dict(
        ProgressionDecision.objects.filter(plan__status__in=RUNNING)
        .values("plan_id")
        .annotate(last=Max("week"))
        .values_list("plan_id", "last")
    )
    due = []
    for plan in Plan.objects.filter(status__in=RUNNING, start_date__lte=as_of).only("id", "start_date", "weeks"):
        if weeks_ended(plan, as_of) > last_decided.get(plan.pk, 0):
            due.append(plan.pk)
    return due


def plan_progress(*, plan_id: int, as_of: date) -> list[ProgressionDecision]:
    """Decide every ended week of the plan that has no decision yet, in order."""
    made = []
    while True:
        try:
            decision = _decide_next_week(plan_id=plan_id, as_of=as_of)
        except IntegrityError:
            return made  # another worker decided this week at the same moment; its decision stands
        if decision is None:
            return made
        made.append(decision)


@transaction.atomic
def _decide_next_week(*, plan_id: int, as_of: date) -> ProgressionDecision | None:
    plan = Plan.objects.select_for_update().select_related("patient", "assessment").get(pk=plan_id)
    if plan.status not in RUNNING:
        return None
    previous = plan.decisions.order_by("-week").first()
    week = (previous.week if previous else 0) + 1
    if week > weeks_ended(plan, as_of):
        return None
    engine = engine_plan(plan)
    context = _context(plan, engine, week, previous)
    checkins = _signals(plan, week)
    strength = _strength(plan, _week_end(plan, week))
    decided = decide_progression(context, checkins, engine.limits, strength, config=progression_config())
    if plan.status == PlanStatus.PAUSED and decided.action == "advance":
        decided = _held(decided)  # never advance a plan the clinician has paused
    row = _store(plan, week, decided, context)
    _apply(plan, engine, week, decided, row)
    return row


def _week_end(plan: Plan, week: int) -> date:
    return plan.start_date + timedelta(days=7 * week - 1)


def _sessions_planned(doses) -> int:
    # A session is a day with exercise; the busiest item sets how many days that takes.
    return max((dose.frequency_per_week for dose in doses), default=0)


def _context(plan: Plan, engine, week: int, previous: ProgressionDecision | None) -> WeekContext:
    this_week = engine.weeks[week - 1]
    carry = previous.carry if previous else {}
    held = carry.get("held_doses", {})
    trails = carry.get("growth_trails", {})
    assessment = plan.assessment
    window = default_growth_rules().window_weeks
    earlier = engine.weeks[max(0, week - 1 - window) : week - 1]
    return WeekContext(
        week=week,
        sessions_planned=_sessions_planned(d.dose for d in this_week.doses),
        baseline_pain=plan.assessment.pain_at_rest,
        items=tuple(
            ItemState(
                slug=item.slug,
                dose=this_week.dose_for(item.slug).dose,
                progression=item.progression,
                held_dose=serialize.from_dict(Dose, held[item.slug]) if held.get(item.slug) else None,
                regions_loaded=item.exercise.regions_loaded,
                # The doses the item had in the weeks before (the growth cap's window reads them).
                history=tuple(
                    scheduled.dose for past in earlier if (scheduled := past.dose_for(item.slug)) is not None
                ),
                growth_trail=tuple(serialize.from_dict(Dose, d) for d in trails.get(item.slug, ())),
            )
            for item in engine.items
            if this_week.dose_for(item.slug) is not None
        ),
        previous_light=previous.light or None if previous else None,
        previous_action=previous.action if previous else None,
        previous_mean_pain=carry.get("mean_pain"),
        weeks_since_regression=carry.get("weeks_since_regression"),
        amber_weeks_before=carry.get("amber_weeks", 0),
        week_end=_week_end(plan, week),
        strength_gate=is_inflammatory_myopathy(plan.patient.diagnoses, assessment.inflammation_activity),
        resting_spo2=assessment.resting_spo2,
        protected_regions=tuple(assessment.heterotopic_ossification_regions),
    )


def _signals(plan: Plan, week: int) -> list[CheckInSignal]:
    rows = (
        CheckIn.objects.filter(plan=plan, plan_week=week)
        .select_related("pain_item__exercise")
        .prefetch_related("items__plan_item__exercise")
    )
    return [_symptoms_signal(row) if row.kind == CheckInKind.SYMPTOMS else _session_signal(row) for row in rows]


def _symptoms_signal(row: CheckIn) -> CheckInSignal:
    """A symptom report is no session: its red flags count, its pain-at-the-time is not exercise pain."""
    return CheckInSignal(checkin_id=row.pk, date=row.date, planned_session=False, red_flags=tuple(row.red_flags))


def _session_signal(row: CheckIn) -> CheckInSignal:
    return CheckInSignal(
        checkin_id=row.pk,
        date=row.date,
        planned_session=True,
        items=tuple(
            ItemReport(
                slug=item.plan_item.exercise.slug,
                done=item.done,
                sets=item.sets,
                reps=item.reps,
                load_kg=float(item.load_kg) if item.load_kg is not None else None,
                minutes=float(item.minutes) if item.minutes is not None else None,
            )
            for item in row.items.all()
        )
        # A session logged without per-exercise detail still counts as done.
        or (ItemReport(slug="_session", done=True),),
        session_rpe=row.session_rpe,
        pain_during=row.pain_during,
        pain_after=row.pain_after,
        pain_next_morning=row.pain_next_morning,
        red_flags=tuple(row.red_flags),
        pain_sites=tuple(row.pain_regions),
        pain_slug=row.pain_item.exercise.slug if row.pain_item_id else None,
        heart_rate_avg=row.heart_rate_avg,
        heart_rate_max=row.heart_rate_max,
        spo2_min=row.spo2_min,
    )


def _strength(plan: Plan, until: date) -> list[StrengthSignal]:
    rows = Measurement.objects.filter(patient=plan.patient, measured_on__lte=until).order_by("measured_on", "id")
    return [StrengthSignal(kind=row.kind, date=row.measured_on, value=float(row.value)) for row in rows]


def _held(decided: EngineDecision) -> EngineDecision:
    items = tuple(replace(item, dose=item.previous, changed_variable=None, direction=None) for item in decided.items)
    return replace(decided, action="hold", items=items)


def _reason_dict(reason) -> dict:
    return {
        "rule_id": reason.rule.id,
        "rule_text": reason.rule.text,
        "evidence": reason.rule.evidence,
        "source": reason.rule.source,
        "text": reason.text,
        "checkin_ids": list(reason.checkin_ids),
    }


def _store(plan: Plan, week: int, decided: EngineDecision, context: WeekContext) -> ProgressionDecision:
    since = context.weeks_since_regression
    since = 1 if decided.action == "regress" else (since + 1 if since is not None else None)
    return ProgressionDecision.objects.create(
        plan=plan,
        week=week,
        action=decided.action,
        light=decided.light or "",
        reasons=[_reason_dict(reason) for reason in decided.reasons],
        doses_before={item.slug: serialize.to_dict(item.previous) for item in decided.items},
        doses_after={item.slug: serialize.to_dict(item.dose) for item in decided.items},
        changes={
            item.slug: {"variable": item.changed_variable, "direction": item.direction, "text": item.text}
            for item in decided.items
        },
        review_required=decided.review_required,
        remind_patient=decided.remind_patient,
        sessions_planned=decided.sessions_planned,
        sessions_done=decided.sessions_done,
        carry={
            "held_doses": {
                item.slug: serialize.to_dict(item.held_dose) for item in decided.items if item.held_dose is not None
            },
            "mean_pain": decided.mean_pain if decided.mean_pain is not None else context.previous_mean_pain,
            "weeks_since_regression": since,
            "amber_weeks": context.amber_weeks_before + 1 if decided.light == "amber" else 0,
            "growth_trails": {
                item.slug: [serialize.to_dict(dose) for dose in item.growth_trail]
                for item in decided.items
                if item.growth_trail
            },
        },
    )


def _apply(plan: Plan, engine, week: int, decided: EngineDecision, row: ProgressionDecision) -> None:
    summary = "; ".join(reason.text for reason in decided.reasons[:3])
    if week < plan.weeks:
        overridden = overridden_slugs(plan)
        doses = dict(decided.new_doses)
        kept = set()
        for item in decided.items:
            # A dose a physiotherapist put above a limit (override) is held where it was put: the
            # engine's clamp would silently undo it, and growth above a limit needs its own override.
            # A step down (regress) is taken as decided, which brings it back within the limits.
            if item.slug in overridden and item.direction != "down":
                doses[item.slug] = item.previous
                kept.add(item.slug)
        engine = reschedule_from(engine, week + 1, doses, held=overridden, keep_as_given=frozenset(kept))
        plan.engine = serialize.to_dict(engine)
    elif plan.status == PlanStatus.ACTIVE:
        plan.status = PlanStatus.COMPLETED
    if decided.action == "pause_for_review" and plan.status == PlanStatus.ACTIVE:
        plan.status = PlanStatus.PAUSED
        plan.pause_reason = f"Week {week} review: {summary}"
    plan.version += 1
    plan._change_reason = f"Week {week} decision: {decided.action} ({decided.light or 'no data'}) — {summary}"
    plan.save()
    _alerts(plan, week, decided, row, summary)
    if week < plan.weeks and plan.patient.email:
        # The patient is told what changed and why, with the sheet drawn from the plan just saved.
        enqueue_on_commit("rehab.tasks.email_plan_change", row.pk)


def _alerts(plan: Plan, week: int, decided: EngineDecision, row: ProgressionDecision, summary: str) -> None:
    name = plan.patient.full_name
    if decided.action == "pause_for_review":
        alert = Alert.objects.create(
            patient=plan.patient,
            plan=plan,
            kind=AlertKind.REVIEW,
            urgent=True,
            decision=row,
            message=f"{name}: progression paused for review after week {week}. {summary}",
        )
        enqueue_on_commit("rehab.tasks.email_alert", alert.pk, inline_if_broker_down=True)
    elif (
        any(reason.rule.id.startswith("progression.strength.") for reason in decided.reasons)
        and not plan.alerts.filter(kind=AlertKind.STRENGTH_DROP, acknowledged_at__isnull=True).exists()
    ):
        # One open strength alert at a time: an untested drop is re-read every week until re-tested.
        Alert.objects.create(
            patient=plan.patient,
            plan=plan,
            kind=AlertKind.STRENGTH_DROP,
            urgent=False,
            decision=row,
            message=f"{name}: week {week} held and review requested. {summary}",
        )
    _flag_alerts(plan, week, decided, row)
    if decided.remind_patient and plan.status == PlanStatus.ACTIVE:
        Alert.objects.create(
            patient=plan.patient,
            plan=plan,
            kind=AlertKind.NO_CHECKINS,
            urgent=False,
            decision=row,
            message=f"{name} logged no session in week {week}; the dose is held and the patient reminded.",
        )
        enqueue_on_commit("rehab.tasks.remind_patient", plan.patient_id, "no_checkins")


# Decision flags that become an alert for the care team: (kind, urgent, what it asks of them).
FLAG_ALERTS = {
    # flag: (alert kind, urgent, what it asks of the care team, the rule whose finding it quotes)
    "no_strength_baseline": (
        AlertKind.RETEST_DUE,
        False,
        "record a baseline MMT-8 or FI-3: resistance is held",
        "safety.strength.baseline_required",
    ),
    "retest_due": (
        AlertKind.RETEST_DUE,
        False,
        "strength re-test due (MMT-8 or FI-3): resistance is held",
        "safety.strength.retest_due",
    ),
    "ck_rising": (
        AlertKind.CK_RISE,
        True,
        "CK is rising: resistance progression is held; please review",
        "safety.ck.rising_hold",
    ),
    "amber_streak": (
        AlertKind.AMBER_STREAK,
        False,
        "three amber weeks in a row; please review the plan",
        "progression.decision.amber_streak_review",
    ),
}


def _flag_alerts(plan: Plan, week: int, decided: EngineDecision, row: ProgressionDecision) -> None:
    """One open alert per kind and plan: a re-read flag does not pile up alerts week after week."""
    name = plan.patient.full_name
    for flag in decided.flags:
        if flag not in FLAG_ALERTS:
            continue
        kind, urgent, ask, rule_id = FLAG_ALERTS[flag]
        if plan.alerts.filter(kind=kind, acknowledged_at__isnull=True).exists():
            continue
        detail = next((r.text for r in decided.reasons if r.rule.id == rule_id), "")
        alert = Alert.objects.create(
            patient=plan.patient,
            plan=plan,
            kind=kind,
            urgent=urgent,
            decision=row,
            message=f"{name}, week {week}: {ask}. {detail}".strip(),
        )
        if urgent:
            enqueue_on_commit("rehab.tasks.email_alert", alert.pk, inline_if_broker_down=True)

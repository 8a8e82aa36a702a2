# Kept whole: the weekly decision's service and the alerts it raises, written in one transaction, just over 500 lines.
"""The weekly progression decision: rows -> engine -> one decision per (plan, week), applied to the plan.

Idempotent by construction: the plan row is locked, an existing decision for the week is
returned unchanged, and the unique (plan, week) constraint stops a second writer.

Two paths decide with the same code: `plan_progress` here, one plan-week per transaction (the
reference), and rehab.services.sweep, a chunk of plans per transaction with bulk reads and writes.
Everything between the rows and the writes (rows -> signals, the engine call, the decision row,
the plan's next state, the alerts and messages it raises) is in the functions below that take
already-loaded rows, so the two paths cannot drift apart.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop

from planner.decision_doses import NOTHING_CITED, Cited, DoseWriter, dose_from
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
from planner.progression.said import Joined, Said, Word, said
from planner.progression_rules import is_inflammatory_myopathy
from rehab.clinical import progression_config
from rehab.models import (
    RUNNING_STATUSES,
    Alert,
    AlertKind,
    CheckIn,
    CheckInItem,
    CheckInKind,
    Measurement,
    Plan,
    PlanStatus,
    ProgressionDecision,
)
from rehab.queue import enqueue_on_commit
from rehab.services.plan_store import cited_by, store_parts
from rehab.services.plans import engine_plan, overridden_slugs
from rehab.services.sweep_writes import DecidedState, decided_states_write
from rehab.stored_words import as_stored

RUNNING = RUNNING_STATUSES  # the name the sweep imports


# A week is decided one day after it ends, so the next-morning pain of its last session is in.
GRACE_DAYS = 1


def weeks_ended(plan: Plan, as_of: date) -> int:
    """How many plan weeks are ready for a decision on `as_of` (ended, plus the grace day)."""
    return ended_weeks(plan.start_date, plan.weeks, as_of)


def ended_weeks(start_date: date, weeks: int, as_of: date) -> int:
    return max(0, min(weeks, ((as_of - start_date).days - GRACE_DAYS) // 7))


def plans_due(as_of: date) -> list[int]:
    """Running plans with at least one ended week that has no decision yet, in id order (one query)."""
    last_decided = ProgressionDecision.objects.filter(plan=OuterRef("pk")).order_by("-week").values("week")[:1]
    rows = (
        # A plan that started less than a week and the grace day ago has no week to decide.
        Plan.objects.filter(status__in=RUNNING, start_date__lte=as_of - timedelta(days=7 + GRACE_DAYS))
        .annotate(last=Coalesce(Subquery(last_decided), 0))
        .order_by("pk")
        .values_list("pk", "start_date", "weeks", "last")
    )
    return [
        pk for pk, start, weeks, last in rows.iterator(chunk_size=10_000) if ended_weeks(start, weeks, as_of) > last
    ]


def plan_progress(*, plan_id: int, as_of: date) -> list[ProgressionDecision]:
    """Decide every ended week of the plan that has no decision yet, in order."""
    made: list[ProgressionDecision] = []
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
    # No key update: a check-in's foreign key on the plan does not wait for the decision (rehab.services.sweep).
    plan = (
        Plan.objects.select_for_update(no_key=True, of=("self",))
        .select_related("patient", "assessment")
        .get(pk=plan_id)
    )
    if not plan.is_running:
        return None
    previous = plan.decisions.order_by("-week").first()
    week = (previous.week if previous else 0) + 1
    if week > weeks_ended(plan, as_of):
        return None
    engine = engine_plan(plan)
    rows = list(CheckIn.objects.filter(plan=plan, plan_week=week).order_by(*CHECKIN_ORDER))
    items = CheckInItem.objects.filter(checkin__in=rows).order_by("id")
    slugs = item_slugs(plan.items.values_list("id", "exercise__slug"))
    measures = Measurement.objects.filter(patient=plan.patient, measured_on__lte=week_end(plan, week))
    decided, context = decide_week(
        plan,
        engine,
        week,
        previous,
        checkin_signals(rows, items, slugs),
        strength_signals(measures.order_by(*MEASUREMENT_ORDER), week_end(plan, week)),
    )
    row = decision_row(plan, week, decided, context)
    assert row.cited is not None  # decision_row sets what its doses cite
    store_parts(row.cited.parts())
    row.save()
    _apply(plan, engine, week, decided, row)
    return row


# The order the engine reads rows in, the same on both paths (reason texts list check-ins in it).
CHECKIN_ORDER = ("-date", "-id")
MEASUREMENT_ORDER = ("measured_on", "id")


def week_end(plan: Plan, week: int) -> date:
    return plan.start_date + timedelta(days=7 * week - 1)


def decide_week(
    plan: Plan,
    engine,
    week: int,
    previous: ProgressionDecision | None,
    checkins: list[CheckInSignal],
    strength: list[StrengthSignal],
) -> tuple[EngineDecision, WeekContext]:
    """The pure engine's decision for one plan week, from signals already read."""
    context = week_context(plan, engine, week, previous)
    decided = decide_progression(context, checkins, engine.limits, strength, config=progression_config())
    if plan.status == PlanStatus.PAUSED and decided.action == "advance":
        decided = _held(decided)  # never advance a plan the clinician has paused
    return decided, context


def _sessions_planned(doses) -> int:
    # A session is a day with exercise; the busiest item sets how many days that takes.
    return max((dose.frequency_per_week for dose in doses), default=0)


def week_context(plan: Plan, engine, week: int, previous: ProgressionDecision | None) -> WeekContext:
    this_week = engine.weeks[week - 1]
    carry = previous.carry if previous else {}
    held = carry.get("held_doses", {})
    trails = carry.get("growth_trails", {})
    cited = cited_by(previous) if previous else NOTHING_CITED
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
                held_dose=dose_from(held[item.slug], cited) if held.get(item.slug) else None,
                regions_loaded=item.exercise.regions_loaded,
                # The doses the item had in the weeks before (the growth cap's window reads them).
                history=tuple(
                    scheduled.dose for past in earlier if (scheduled := past.dose_for(item.slug)) is not None
                ),
                growth_trail=tuple(dose_from(d, cited) for d in trails.get(item.slug, ())),
            )
            for item in engine.items
            if this_week.dose_for(item.slug) is not None
        ),
        previous_light=previous.light or None if previous else None,
        previous_action=previous.action if previous else None,
        previous_mean_pain=carry.get("mean_pain"),
        weeks_since_regression=carry.get("weeks_since_regression"),
        amber_weeks_before=carry.get("amber_weeks", 0),
        week_end=week_end(plan, week),
        strength_gate=is_inflammatory_myopathy(plan.patient.diagnoses, assessment.inflammation_activity),
        resting_spo2=assessment.resting_spo2,
        protected_regions=tuple(assessment.heterotopic_ossification_regions),
        # Highly active inflammation is reassessed within weeks (clinical-reference 8a): the date it is judged from.
        reassess_from=assessment.assessed_on if assessment.inflammation_activity == "high" else None,
    )


def item_slugs(pairs: Iterable[tuple[int, str]]) -> dict[int, str]:
    """PlanItem id -> exercise slug, from (id, slug) pairs (one query for a plan or a chunk of plans)."""
    return dict(pairs)


def checkin_signals(
    rows: Sequence[CheckIn], items: Iterable[CheckInItem], slug_of: Mapping[int, str]
) -> list[CheckInSignal]:
    """One week's check-in rows (in CHECKIN_ORDER) as the engine's signals.

    items: the CheckInItem rows of those check-ins, in id order (others are ignored);
    slug_of: PlanItem id -> exercise slug, for the items and the exercise that hurt.
    """
    by_checkin: dict[int, list[CheckInItem]] = {}
    for item in items:
        by_checkin.setdefault(item.checkin_id, []).append(item)
    return [
        _symptoms_signal(row) if row.kind == CheckInKind.SYMPTOMS else _session_signal(row, by_checkin, slug_of)
        for row in rows
    ]


def _symptoms_signal(row: CheckIn) -> CheckInSignal:
    """A symptom report is no session: its red flags count, its pain-at-the-time is not exercise pain."""
    return CheckInSignal(checkin_id=row.pk, date=row.date, planned_session=False, red_flags=tuple(row.red_flags))


def _session_signal(row: CheckIn, items: Mapping[int, list[CheckInItem]], slug_of: Mapping[int, str]) -> CheckInSignal:
    return CheckInSignal(
        checkin_id=row.pk,
        date=row.date,
        planned_session=True,
        items=tuple(
            ItemReport(
                slug=slug_of[item.plan_item_id],
                done=item.done,
                sets=item.sets,
                reps=item.reps,
                load_kg=float(item.load_kg) if item.load_kg is not None else None,
                minutes=float(item.minutes) if item.minutes is not None else None,
            )
            for item in items.get(row.pk, ())
        )
        # A session logged without per-exercise detail still counts as done.
        or (ItemReport(slug="_session", done=True),),
        session_rpe=row.session_rpe,
        pain_during=row.pain_during,
        pain_after=row.pain_after,
        pain_next_morning=row.pain_next_morning,
        red_flags=tuple(row.red_flags),
        pain_sites=tuple(row.pain_regions),
        pain_slug=slug_of[row.pain_item_id] if row.pain_item_id else None,
        heart_rate_avg=row.heart_rate_avg,
        heart_rate_max=row.heart_rate_max,
        spo2_min=row.spo2_min,
    )


def strength_signals(rows: Iterable[Measurement], until: date) -> list[StrengthSignal]:
    """The patient's measures up to `until`, rows in MEASUREMENT_ORDER (later ones are skipped)."""
    return [strength_signal(row) for row in rows if row.measured_on <= until]


def strength_signal(row: Measurement) -> StrengthSignal:
    return StrengthSignal(
        kind=row.kind,
        date=row.measured_on,
        value=float(row.value),
        upper_limit_normal=float(row.upper_limit_normal) if row.upper_limit_normal else None,
    )


def _held(decided: EngineDecision) -> EngineDecision:
    items = tuple(replace(item, dose=item.previous, changed_variable=None, direction=None) for item in decided.items)
    return replace(decided, action="hold", items=items)


def _reason_dict(reason) -> dict:
    # "text" is the audit's English; "said" the same sentence as its template and values, which the
    # pages and the report say in the reader's language (planner.progression.said.text_of).
    return {
        "rule_id": reason.rule.id,
        "rule_text": reason.rule.text,
        "evidence": reason.rule.evidence,
        "source": reason.rule.source,
        "text": reason.text,
        "said": reason.said.as_data() if reason.said is not None else None,
        "checkin_ids": list(reason.checkin_ids),
    }


def _change_dict(item) -> dict:
    return {
        "variable": item.changed_variable,
        "direction": item.direction,
        "text": item.text,
        "said": item.said.as_data() if item.said is not None else None,
    }


def decision_row(plan: Plan, week: int, decided: EngineDecision, context: WeekContext) -> ProgressionDecision:
    """The decision as an unsaved row (saved one by one here, in bulk by the sweep)."""
    since = context.weeks_since_regression
    since = 1 if decided.action == "regress" else (since + 1 if since is not None else None)
    doses = _stored_doses(decided)
    row = ProgressionDecision(
        plan=plan,
        week=week,
        action=decided.action,
        light=decided.light or "",
        reasons=[_reason_dict(reason) for reason in decided.reasons],
        doses_before=dict(doses.before),
        doses_after=dict(doses.after),
        changes={item.slug: _change_dict(item) for item in decided.items},
        review_required=decided.review_required,
        remind_patient=decided.remind_patient,
        sessions_planned=decided.sessions_planned,
        sessions_done=decided.sessions_done,
        carry={
            "held_doses": dict(doses.held),
            "mean_pain": decided.mean_pain if decided.mean_pain is not None else context.previous_mean_pain,
            "weeks_since_regression": since,
            "amber_weeks": context.amber_weeks_before + 1 if decided.light == "amber" else 0,
            "growth_trails": {slug: list(trail) for slug, trail in doses.trails.items()},
        },
    )
    row.cited = doses.cited
    row.rule_index = row.cited.index
    return row


@dataclass(frozen=True)
class _StoredDoses:
    """A decision's doses as stored (planner.decision_doses.DoseWriter), with what they cite."""

    before: dict
    after: dict
    held: dict
    trails: dict
    cited: Cited


# Stored doses by the decided doses they store. Storing a dose serialises it with its rationale and
# rule texts (≈ 0.15 ms each, forty-odd a decision: a sixth of the sweep's CPU time), and decisions of
# plans from one template mostly store the same doses: each distinct set is stored once per process.
# Keyed by value (doses are frozen dataclasses), so a hit is exactly what storing them again gives.
_STORED_DOSES: dict[tuple, _StoredDoses] = {}
_STORED_DOSES_MAX = 1024  # bounded: a population of many distinct dose sets empties it and starts again


def _stored_doses(decided: EngineDecision) -> _StoredDoses:
    key = tuple((item.slug, item.previous, item.dose, item.held_dose, item.growth_trail) for item in decided.items)
    known = _STORED_DOSES.get(key)
    if known is not None:
        return known
    rules = DoseWriter()  # each rule text and rationale stored once, as shared parts
    # In this order (what a dose cites goes into the index the first time it is met).
    before = {item.slug: rules.dose(item.previous) for item in decided.items}
    after = {item.slug: rules.dose(item.dose) for item in decided.items}
    held = {item.slug: rules.dose(item.held_dose) for item in decided.items if item.held_dose is not None}
    trails = {
        item.slug: tuple(rules.dose(dose) for dose in item.growth_trail) for item in decided.items if item.growth_trail
    }
    made = _StoredDoses(before, after, held, trails, rules.cited())
    if len(_STORED_DOSES) >= _STORED_DOSES_MAX:
        _STORED_DOSES.clear()
    _STORED_DOSES[key] = made
    return made


def decision_summary(decided: EngineDecision) -> str:
    return "; ".join(reason.text for reason in decided.reasons[:3])


def _summary_said(decided: EngineDecision) -> Joined:
    """decision_summary as said values: each reason by its template (its English where it kept none)."""
    return Joined(tuple(reason.said or reason.text for reason in decided.reasons[:3]), "; ")


def plan_next_state(
    plan: Plan, engine, week: int, decided: EngineDecision, overridden: frozenset[str], *, reschedule=reschedule_from
):
    """Set the plan's status, pause reason, version and change reason after the decision (in memory).

    Returns the rescheduled engine plan when weeks remain (the caller stores it), else None.
    reschedule: planner.editing.reschedule_from, or a function that gives the same plan another way
    (the sweep reschedules item by item, planner.stored_items).
    """
    summary = decision_summary(decided)
    rescheduled = None
    if week < plan.weeks:
        doses = dict(decided.new_doses)
        kept = set()
        for item in decided.items:
            # A dose a physiotherapist put above a limit (override) is held where it was put: the
            # engine's clamp would silently undo it, and growth above a limit needs its own override.
            # A step down (regress) is taken as decided, which brings it back within the limits.
            if item.slug in overridden and item.direction != "down":
                doses[item.slug] = item.previous
                kept.add(item.slug)
        rescheduled = reschedule(engine, week + 1, doses, held=overridden, keep_as_given=frozenset(kept))
    elif plan.status == PlanStatus.ACTIVE:
        plan.status = PlanStatus.COMPLETED
    if decided.action == "pause_for_review" and plan.status == PlanStatus.ACTIVE:
        plan.status = PlanStatus.PAUSED
        plan.pause_reason, plan.pause_said = as_stored(
            said(gettext_noop("Week %(week)s review: %(reasons)s"), week=week, reasons=_summary_said(decided))
        )
    plan.version += 1
    plan._change_reason = f"Week {week} decision: {decided.action} ({decided.light or 'no data'}) — {summary}"  # type: ignore[attr-defined]  # django-simple-history's reason for the next save()
    return rescheduled


def _apply(plan: Plan, engine, week: int, decided: EngineDecision, row: ProgressionDecision) -> None:
    rescheduled = plan_next_state(plan, engine, week, decided, overridden_slugs(plan))
    decided_states_write([DecidedState(plan=plan, engine=rescheduled, week=week, decision=row)])
    open_kinds = set(plan.alerts.filter(acknowledged_at__isnull=True).values_list("kind", flat=True))
    for follow_up in follow_ups(plan, week, decided, open_kinds):
        alert = None
        if follow_up.alert is not None:
            alert = Alert.objects.create(decision=row, **follow_up.alert)
        message = follow_up.message(row, alert)
        if message is not None:
            task, args, inline = message
            enqueue_on_commit(task, *args, inline_if_broker_down=inline)


@dataclass(frozen=True)
class FollowUp:
    """What a decided week raises besides the decision: an alert for the care team and/or a queued task.

    alert: the Alert's fields (without the decision, saved first); task: the task queued once it
    commits, its arguments read from the saved decision and alert (see `message`).
    """

    alert: dict | None
    task: str | None = None
    inline_if_broker_down: bool = False
    patient_id: int | None = None

    def message(self, decision: ProgressionDecision, alert: Alert | None) -> tuple[str, list, bool] | None:
        if self.task == "rehab.tasks.email_alert":
            # follow_ups asks for an alert email only together with the alert it sends.
            assert alert is not None
            return self.task, [alert.pk], self.inline_if_broker_down
        if self.task == "rehab.tasks.remind_patient":
            return self.task, [self.patient_id, "no_checkins"], False
        if self.task == "rehab.tasks.email_plan_change":
            return self.task, [decision.pk], False
        return None


def follow_ups(plan: Plan, week: int, decided: EngineDecision, open_kinds: set[str]) -> list[FollowUp]:
    """The alerts and messages of a decided week, in the order they are made.

    open_kinds: the plan's unacknowledged alert kinds; updated with the alerts made here, so a
    caller deciding several weeks in a row sees the alerts of the weeks before.
    """
    summary = _summary_said(decided)
    name = plan.patient.full_name
    made: list[FollowUp] = []

    def alert(kind, urgent, sentence: Said, **then):
        open_kinds.add(kind)
        message, words = as_stored(sentence)
        fields = {"patient": plan.patient, "plan": plan, "kind": kind, "urgent": urgent, "message": message}
        made.append(FollowUp(alert={**fields, "said": words}, **then))

    if decided.action == "pause_for_review":
        alert(
            AlertKind.REVIEW,
            True,
            said(
                gettext_noop("%(patient)s: progression paused for review after week %(week)s. %(reasons)s"),
                patient=name,
                week=week,
                reasons=summary,
            ),
            task="rehab.tasks.email_alert",
            inline_if_broker_down=True,
        )
    elif (
        any(reason.rule.id.startswith("progression.strength.") for reason in decided.reasons)
        and AlertKind.STRENGTH_DROP not in open_kinds
    ):
        # One open strength alert at a time: an untested drop is re-read every week until re-tested.
        alert(
            AlertKind.STRENGTH_DROP,
            False,
            said(
                gettext_noop("%(patient)s: week %(week)s held and review requested. %(reasons)s"),
                patient=name,
                week=week,
                reasons=summary,
            ),
        )
    # One open alert per kind and plan: a re-read flag does not pile up alerts week after week.
    for flag in decided.flags:
        if flag not in FLAG_ALERTS:
            continue
        kind, urgent, ask, rule_id = FLAG_ALERTS[flag]
        if kind in open_kinds:
            continue
        quoted = next((r for r in decided.reasons if r.rule.id == rule_id), None)
        sentence = (
            said(
                gettext_noop("%(patient)s, week %(week)s: %(ask)s. %(detail)s"),
                patient=name,
                week=week,
                ask=Word(ask),
                detail=quoted.said or quoted.text,
            )
            if quoted is not None and quoted.text
            else said(gettext_noop("%(patient)s, week %(week)s: %(ask)s."), patient=name, week=week, ask=Word(ask))
        )
        if urgent:
            alert(kind, urgent, sentence, task="rehab.tasks.email_alert", inline_if_broker_down=True)
        else:
            alert(kind, urgent, sentence)
    if decided.remind_patient and plan.status == PlanStatus.ACTIVE:
        alert(
            AlertKind.NO_CHECKINS,
            False,
            said(
                gettext_noop(
                    "%(patient)s logged no session in week %(week)s; the dose is held and the patient reminded."
                ),
                patient=name,
                week=week,
            ),
            task="rehab.tasks.remind_patient",
            patient_id=plan.patient_id,
        )
    if week < plan.weeks and plan.patient.email:
        # The patient is told what changed and why, with the sheet drawn from the plan just saved.
        made.append(FollowUp(alert=None, task="rehab.tasks.email_plan_change"))
    return made


# Decision flags that become an alert for the care team: (kind, urgent, what it asks of them).
FLAG_ALERTS = {
    # flag: (alert kind, urgent, what it asks of the care team, the rule whose finding it quotes)
    "no_strength_baseline": (
        AlertKind.RETEST_DUE,
        False,
        gettext_noop("record a baseline MMT-8 or FI-3: resistance is held"),
        "safety.strength.baseline_required",
    ),
    "retest_due": (
        AlertKind.RETEST_DUE,
        False,
        gettext_noop("strength re-test due (MMT-8 or FI-3): resistance is held"),
        "safety.strength.retest_due",
    ),
    "ck_rising": (
        AlertKind.CK_RISE,
        True,
        gettext_noop("CK is rising: resistance progression is held; please review"),
        "safety.ck.rising_hold",
    ),
    "reassessment_due": (
        AlertKind.REASSESSMENT_DUE,
        False,
        gettext_noop("reassessment due (highly active inflammation): no dose advances until a new assessment"),
        "safety.inflammation.reassessment_due",
    ),
    "amber_streak": (
        AlertKind.AMBER_STREAK,
        False,
        gettext_noop("three amber weeks in a row; please review the plan"),
        "progression.decision.amber_streak_review",
    ),
}

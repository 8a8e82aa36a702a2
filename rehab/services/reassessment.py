"""A new assessment changes the patient's running plan, in the same transaction.

The decision is pure (planner.reassessment.reassess); this module loads the rows, stores the
result and raises the alerts:
- tightened limits, clamped doses and swapped or removed exercises are in force at once; the plan
  points at the new assessment, its version goes up, and its history names every change;
- a flare (rule data, planner/data/rules_flare.json) also pauses the plan and sends the care team
  an urgent FLARE alert, emailed through the outbox after commit (inline if the broker is down);
- looser limits are only proposed, in a non-urgent LIMITS_LOOSENED alert: a clinician applies them
  with a reason through `plan_limits_adjust` (PATCH /api/v1/plans/{id}/limits/).

Every text it stores (the history reason, the pause reason, the alerts) keeps its English for the record
and its sentence as a catalogue template beside it (rehab.stored_words), so each reader sees it in their
own language; the changes it returns are said in the requester's.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from planner.limits import compute_limits
from planner.progression.said import Joined, Said, said
from planner.reassessment import Reassessment, reassess
from planner.reassessment_words import (
    change_reason_said,
    changes_as_data,
    item_change_short_said,
    limit_change_said,
    profile_change_said,
)
from rehab.clinical import active_catalogue, profile_from_assessment
from rehab.models import (
    RUNNING_STATUSES,
    Alert,
    AlertKind,
    Assessment,
    ChangeTrigger,
    Exercise,
    Plan,
    PlanItem,
    PlanStatus,
    User,
)
from rehab.queue import enqueue_on_commit
from rehab.selectors import latest_assessment
from rehab.services.plans import _save as save_plan
from rehab.services.plans import engine_plan, overridden_slugs
from rehab.stored_words import as_stored


@dataclass
class RunningPlanOutcome:
    """What a reassessment did to the running plan (the assessments API returns it)."""

    id: int
    changes: list[dict] = field(default_factory=list)
    paused: bool = False
    alert_id: int | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "changes": self.changes, "paused": self.paused, "alert_id": self.alert_id}


def plan_reassess(*, actor: User, assessment: Assessment) -> RunningPlanOutcome | None:
    """Put `assessment` in force on the patient's running plan. None when there is none.

    Only the patient's latest assessment changes the plan (a back-dated entry is history). Running
    it twice for the same assessment changes nothing the second time: the plan already points at
    it, and the alerts are unique per (assessment, kind).
    """
    with transaction.atomic():
        plan = (
            Plan.objects.select_for_update()
            .select_related("patient", "assessment")
            .filter(patient=assessment.patient, status__in=RUNNING_STATUSES)
            .first()
        )
        if plan is None:
            return None
        latest = latest_assessment(plan.patient)  # `assessment` at least: never None here
        if plan.assessment_id == assessment.pk or latest is None or latest.pk != assessment.pk:
            return RunningPlanOutcome(id=plan.pk, paused=plan.status == PlanStatus.PAUSED)
        engine = engine_plan(plan)
        profile = profile_from_assessment(plan.patient, assessment)
        result = reassess(
            engine, profile, compute_limits(profile), active_catalogue(), plan.current_week(), overridden_slugs(plan)
        )
        _add_item_rows(plan, result)
        # The history row keeps the reason's English and its template (rehab.models.plans), set by save_plan.
        reason = change_reason_said(result, assessment.assessed_on)
        plan.assessment = assessment
        if result.is_flare and plan.status == PlanStatus.ACTIVE:
            plan.status = PlanStatus.PAUSED
            plan.pause_reason, plan.pause_said = as_stored(_flare_said(result, assessment))
        save_plan(plan, result.plan, reason, actor, trigger=ChangeTrigger.REASSESSMENT)
        alert = _alerts(plan, assessment, result)
        return RunningPlanOutcome(
            id=plan.pk,
            changes=changes_as_data(result),
            paused=plan.status == PlanStatus.PAUSED,
            alert_id=alert.pk if alert else None,
        )


def _add_item_rows(plan: Plan, result: Reassessment) -> None:
    """A PlanItem row for each replacement, so check-ins and overrides can point at it."""
    slugs = result.replacements()
    if not slugs:
        return
    existing = set(
        PlanItem.objects.filter(plan=plan, exercise__slug__in=slugs).values_list("exercise__slug", flat=True)
    )
    exercises = dict(Exercise.objects.filter(slug__in=slugs).values_list("slug", "id"))
    position = max(PlanItem.objects.filter(plan=plan).values_list("position", flat=True), default=0)
    items = {item.slug: item for item in result.plan.items}
    rows = []
    for slug in slugs:
        if slug in existing:
            continue
        position += 1
        rows.append(
            PlanItem(plan=plan, position=position, exercise_id=exercises[slug], component=items[slug].component)
        )
    PlanItem.objects.bulk_create(rows)


def _flare_said(result: Reassessment, assessment: Assessment) -> Said:
    """The pause reason. Its English begins "Flare at the reassessment of <ISO date>": the patient's page
    reads the date from it (frontend.patient.pause_words)."""
    return said(
        gettext_noop("Flare at the reassessment of %(day)s: %(changes)s. Progression paused for review."),
        day=assessment.assessed_on.isoformat(),
        changes=Joined(tuple(profile_change_said(change) for change in result.flare), "; "),
    )


def _create_once(**fields) -> tuple[Alert, bool]:
    """The alert for (assessment, kind), created once: a retry finds the one already there."""
    try:
        with transaction.atomic():
            return Alert.objects.create(**fields), True
    except IntegrityError:
        return Alert.objects.get(assessment=fields["assessment"], kind=fields["kind"]), False


def _limits_said(changes) -> Joined:
    return Joined(tuple(limit_change_said(change) for change in changes), "; ")


def _alerts(plan: Plan, assessment: Assessment, result: Reassessment) -> Alert | None:
    patient = plan.patient
    first = None
    if result.is_flare:
        lines: list[Said] = [_flare_said(result, assessment)]
        if result.tightened:
            lines.append(
                said(gettext_noop("Limits tightened at once: %(limits)s."), limits=_limits_said(result.tightened))
            )
        moved = [c for c in result.items if c.kind in ("swapped", "removed", "override_released")]
        if moved:
            changes = Joined(tuple(item_change_short_said(c) for c in moved), "; ")
            lines.append(said(gettext_noop("Exercises: %(changes)s."), changes=changes))
        message, message_said = as_stored(
            said(gettext_noop("%(patient)s: %(what)s"), patient=patient.full_name, what=Joined(tuple(lines), " "))
        )
        alert, created = _create_once(
            patient=patient,
            plan=plan,
            assessment=assessment,
            kind=AlertKind.FLARE,
            urgent=True,
            message=message,
            said=message_said,
        )
        if created:
            enqueue_on_commit("rehab.tasks.email_alert", alert.pk, inline_if_broker_down=True)
        first = alert
    if result.proposed:
        message, message_said = as_stored(
            said(
                gettext_noop(
                    "%(patient)s: the reassessment of %(day)s would allow looser limits; the plan keeps its "
                    "stricter ones until a clinician applies these with a reason (plan limits): %(limits)s."
                ),
                patient=patient.full_name,
                day=assessment.assessed_on.isoformat(),
                limits=_limits_said(result.proposed),
            )
        )
        alert, _created = _create_once(
            patient=patient,
            plan=plan,
            assessment=assessment,
            kind=AlertKind.LIMITS_LOOSENED,
            urgent=False,
            message=message,
            said=message_said,
        )
        first = first or alert
    return first

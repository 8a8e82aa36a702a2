"""A new assessment changes the patient's running plan, in the same transaction.

The decision is pure (planner.reassessment.reassess); this module loads the rows, stores the
result and raises the alerts:
- tightened limits, clamped doses and swapped or removed exercises are in force at once; the plan
  points at the new assessment, its version goes up, and its history names every change;
- a flare (rule data, planner/data/rules_flare.json) also pauses the plan and sends the care team
  an urgent FLARE alert, emailed through the outbox after commit (inline if the broker is down);
- looser limits are only proposed, in a non-urgent LIMITS_LOOSENED alert: a clinician applies them
  with a reason through `plan_limits_adjust` (PATCH /api/v1/plans/{id}/limits/).
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from planner.limits import compute_limits
from planner.reassessment import Reassessment, change_reason, changes_as_data, limit_change_words, reassess
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
        reason = change_reason(result, assessment.assessed_on)
        plan.assessment = assessment
        if result.is_flare and plan.status == PlanStatus.ACTIVE:
            plan.status = PlanStatus.PAUSED
            plan.pause_reason = _flare_words(result, assessment)
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


def _flare_words(result: Reassessment, assessment: Assessment) -> str:
    what = "; ".join(f"{c.label} {c.before} → {c.after}".replace("_", " ") for c in result.flare)
    return f"Flare at the reassessment of {assessment.assessed_on}: {what}. Progression paused for review."


def _create_once(**fields) -> tuple[Alert, bool]:
    """The alert for (assessment, kind), created once: a retry finds the one already there."""
    try:
        with transaction.atomic():
            return Alert.objects.create(**fields), True
    except IntegrityError:
        return Alert.objects.get(assessment=fields["assessment"], kind=fields["kind"]), False


def _alerts(plan: Plan, assessment: Assessment, result: Reassessment) -> Alert | None:
    patient = plan.patient
    first = None
    if result.is_flare:
        lines = [_flare_words(result, assessment)]
        if result.tightened:
            lines.append("Limits tightened at once: " + "; ".join(map(limit_change_words, result.tightened)) + ".")
        moved = [c for c in result.items if c.kind in ("swapped", "removed", "override_released")]
        if moved:
            lines.append("Exercises: " + "; ".join(_item_words(c) for c in moved) + ".")
        alert, created = _create_once(
            patient=patient,
            plan=plan,
            assessment=assessment,
            kind=AlertKind.FLARE,
            urgent=True,
            message=f"{patient.full_name}: " + " ".join(lines),
        )
        if created:
            enqueue_on_commit("rehab.tasks.email_alert", alert.pk, inline_if_broker_down=True)
        first = alert
    if result.proposed:
        alert, _created = _create_once(
            patient=patient,
            plan=plan,
            assessment=assessment,
            kind=AlertKind.LIMITS_LOOSENED,
            urgent=False,
            message=(
                f"{patient.full_name}: the reassessment of {assessment.assessed_on} would allow looser limits; "
                "the plan keeps its stricter ones until a clinician applies these with a reason "
                f"(plan limits): {'; '.join(map(limit_change_words, result.proposed))}."
            ),
        )
        first = first or alert
    return first


def _item_words(change) -> str:
    if change.kind == "swapped":
        return f"{change.name} replaced by {change.replacement_name}"
    if change.kind == "removed":
        return f"{change.name} removed"
    return f"{change.name}: {change.reason}"

"""Generating, editing, activating and pausing plans. Limits are enforced on every change."""

from dataclasses import replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from planner import serialize
from planner.editing import DoseEditError, edit_dose, edit_violations, reschedule_from, tighten_limits
from planner.limits import HeldBack, apply_adjustments, check_dose, loosened_fields
from planner.progression.said import ExerciseName, Joined, Said, said
from planner.rules import default_rulebook
from planner.schedule import build_plan
from planner.types import AdjustmentError, Dose, LimitAdjustment, LoadLimits
from planner.types import Plan as EnginePlan
from planner.violations import violation_text
from rehab.clinical import active_catalogue, profile_from_assessment
from rehab.models import (
    RUNNING_STATUSES,
    Alert,
    AlertKind,
    ChangeTrigger,
    LimitOverride,
    Patient,
    Plan,
    PlanItem,
    PlanStatus,
    Role,
    User,
)
from rehab.selectors import latest_assessment
from rehab.services.errors import Conflict, InvalidInput, NotAllowed
from rehab.services.plan_store import (
    PlanWrite,
    load_engine,
    next_undecided_week,
    store_engines,
    store_new_plan,
    stored_form,
)
from rehab.stored_words import as_stored

MAX_PLAN_WEEKS = 52
# Limits whose loosening is a medical decision (clinical-reference 8a: supervised start after clearance).
CLINICIAN_ONLY_LOOSENING = ("clearance_required", "supervised_sessions", "supervision_required")
# How a refusal names them, in the reader's language.
CLINICIAN_ONLY_WORDS = {
    "clearance_required": gettext_lazy("medical clearance"),
    "supervised_sessions": gettext_lazy("supervised sessions"),
    "supervision_required": gettext_lazy("supervised start"),
}


def engine_plan(plan: Plan) -> EnginePlan:
    """The plan's typed engine plan, read from its rows (rehab.services.plan_store)."""
    return load_engine(plan)


def _require_care_staff(actor: User, *roles: str) -> None:
    if actor.role not in (roles or Role.CARE):
        raise NotAllowed(gettext("Your role may not change plans."))


def _check_version(plan: Plan, version: int | None) -> None:
    if version is None:
        raise InvalidInput({"version": [gettext("Send the plan's version you are editing (optimistic concurrency).")]})
    if version != plan.version:
        raise Conflict(
            gettext("The plan changed since you loaded it (your version %(yours)s, now %(now)s). Reload and retry.")
            % {"yours": version, "now": plan.version}
        )


def exceeded_dict(found) -> dict:
    """A broken limit as an override stores it: the limit, its English and its template (rehab.stored_words)."""
    return {"limit": found.limit, "message": found.message, "said": found.said.as_data() if found.said else None}


def _stored(sentence: Said) -> dict:
    """An alert's message and its template (rehab.stored_words), as the row's fields."""
    message, words = as_stored(sentence)
    return {"message": message, "said": words}


def _audit(row, actor: User, reason: str | Said) -> None:
    """Author and reason for the history row the next save writes.

    A reason the product words is a sentence (Said): a plan's history row keeps its English and, beside
    it, its template (rehab.models.plans), so the audit trail and the plan history say it in the
    reader's language; the PlanChange rows of the same save carry the same English and read the same.

    The author is set explicitly rather than left to the request middleware, so that a change made
    outside a request (a page test, a shell, a command) still names who made it.
    """
    if isinstance(reason, Said):
        row._change_reason, row._change_said = as_stored(reason)
    else:
        row._change_reason = reason
    row._history_user = actor


def _english(reason: str | Said) -> str:
    """A reason's English, as the PlanChange rows keep it (a sentence's; a plain text as written)."""
    return reason.english() if isinstance(reason, Said) else reason


def _save(
    plan: Plan, engine: EnginePlan, reason: str | Said, actor: User, *, trigger: str = ChangeTrigger.EDIT
) -> None:
    """Store the plan's new engine state: item rows and a PlanChange per changed field, then the plan row."""
    plan.version += 1
    week = next_undecided_week(plan)
    store_engines(
        [PlanWrite(plan=plan, engine=engine, dose_week=week, trigger=trigger, reason=_english(reason), by=actor)]
    )
    _audit(plan, actor, reason)
    plan.save()


@transaction.atomic
def plan_generate(*, actor: User, patient: Patient, start_date: date, weeks: int = 12) -> Plan:
    """A draft plan from the patient's latest assessment: limits, prescription, schedule."""
    _require_care_staff(actor, Role.PHYSIOTHERAPIST)
    if not 1 <= weeks <= MAX_PLAN_WEEKS:
        raise InvalidInput({"weeks": [gettext("A plan lasts 1 to %(most)s weeks.") % {"most": MAX_PLAN_WEEKS}]})
    assessment = _assessment_for_plan(patient)
    built = build_plan(profile_from_assessment(patient, assessment), active_catalogue(), weeks=weeks)
    reason = said(gettext_noop("Generated from the assessment of %(day)s"), day=assessment.assessed_on.isoformat())
    # build_plan applies the limits last to every dose it writes (the engine's property tests hold it
    # to that), so its plan is stored without checking each dose again.
    return _store_new_plan(actor, patient, assessment, start_date, built, reason)


def _assessment_for_plan(patient: Patient):
    assessment = latest_assessment(patient)
    if assessment is None:
        raise InvalidInput({"patient": [gettext("Record an assessment first: the load limits are computed from it.")]})
    return assessment


@transaction.atomic
def plan_store_built(*, actor: User, patient: Patient, start_date: date, built: EnginePlan, reason: Said) -> Plan:
    """Store an engine plan built elsewhere (a template refitted to the patient) as the patient's draft.

    The plan must come from the patient's latest assessment and keep within its own limits: a dose above
    them is refused here as it would be for an edit without an override (limits are applied last).
    """
    _require_care_staff(actor, Role.PHYSIOTHERAPIST)
    if not 1 <= len(built.weeks) <= MAX_PLAN_WEEKS:
        raise InvalidInput({"weeks": [gettext("A plan lasts 1 to %(most)s weeks.") % {"most": MAX_PLAN_WEEKS}]})
    assessment = _assessment_for_plan(patient)
    above = [
        f"{scheduled.exercise_slug}, week {week.number}: {violation_text(violation)}"
        for week in built.weeks
        for scheduled in week.doses
        for violation in check_dose(scheduled, built.limits)
    ]
    above += [f"{item.slug}: {violation_text(v)}" for item in built.items for v in check_dose(item, built.limits)]
    if above:
        raise InvalidInput(
            {"plan": [gettext("A dose is above the patient's limits: %(limits)s") % {"limits": "; ".join(above[:5])}]}
        )
    return _store_new_plan(actor, patient, assessment, start_date, built, reason)


def _store_new_plan(
    actor: User, patient: Patient, assessment, start_date: date, built: EnginePlan, reason: Said
) -> Plan:
    """The Plan row, its history row, its item rows with their columns filled and the new parts."""
    stored = stored_form(built)
    plan = Plan(
        patient=patient,
        assessment=assessment,
        author=actor,
        start_date=start_date,
        weeks=len(built.weeks),
        blueprint=stored.blueprint,
    )
    _audit(plan, actor, reason)
    plan.save()
    store_new_plan(plan, built, stored)
    return plan


def _edited_dose(current: Dose, changes: dict, limits: LoadLimits) -> Dose:
    try:
        return edit_dose(current, changes, limits, default_rulebook().anchors)
    except DoseEditError as error:
        raise InvalidInput(
            {field: [message[0].upper() + message[1:] + "."] for field, message in error.errors.items()}
        ) from None


def overridden_slugs(plan: Plan) -> frozenset[str]:
    """Exercises whose dose a physiotherapist accepted above a limit: they are held, never re-clamped."""
    return frozenset(
        LimitOverride.objects.filter(plan=plan, item__isnull=False).values_list("item__exercise__slug", flat=True)
    )


@transaction.atomic
def plan_item_update(
    *,
    actor: User,
    plan: Plan,
    item: PlanItem,
    version: int | None,
    changes: dict,
    reason: str = "",
    override_reason: str = "",
) -> Plan:
    """Change one item's dose from the current week on. Above a limit: 400, unless overridden.

    Only a physiotherapist may override, with a reason; the override is stored, audited and
    flagged for the clinician as an alert.
    """
    _require_care_staff(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _check_version(plan, version)
    if plan.status in (PlanStatus.COMPLETED, PlanStatus.ARCHIVED):
        raise Conflict(gettext("A completed or archived plan cannot be changed."))
    engine = engine_plan(plan)
    week = plan.edit_week()
    slug = item.exercise.slug
    current = engine.weeks[week - 1].dose_for(slug)
    if current is None:
        raise InvalidInput({"item": [gettext("This exercise is no longer part of the plan.")]})
    new_dose = _edited_dose(current.dose, changes, engine.limits)
    violations = edit_violations(engine, slug, week, new_dose)
    override = None
    if violations:
        if not override_reason.strip():
            errors: dict[str, list[str]] = {}
            for violation in violations:
                errors.setdefault(violation.limit, []).append(violation_text(violation))
            raise InvalidInput(errors)
        if actor.role != Role.PHYSIOTHERAPIST:
            raise NotAllowed(gettext("Only a physiotherapist may accept a dose above a limit."))
        override = LimitOverride.objects.create(
            plan=plan,
            item=item,
            limits_exceeded=[exceeded_dict(v) for v in violations],
            dose=serialize.to_dict(new_dose),
            reason=override_reason.strip(),
            created_by=actor,
        )
        Alert.objects.create(
            patient=plan.patient,
            plan=plan,
            override=override,
            kind=AlertKind.OVERRIDE,
            urgent=False,
            **_stored(
                said(
                    gettext_noop("%(author)s set %(exercise)s above a limit (%(limits)s). Reason: %(reason)s"),
                    author=actor.display_name,
                    exercise=ExerciseName(item.exercise.slug, item.exercise.name),
                    limits=Joined(tuple(v.said or v.message for v in violations), "; "),
                    reason=override_reason.strip(),
                )
            ),
        )
    # Every overridden item (this one included, if overridden now) keeps its accepted dose: clamping
    # the other items' doses here would silently undo an override recorded earlier.
    held = overridden_slugs(plan)
    engine = reschedule_from(engine, week, {slug: new_dose}, held=held, keep_as_given=held)
    what: str | Said = reason.strip() or said(gettext_noop("Dose edited"))
    if override is not None:
        what = said(
            gettext_noop("%(what)s — above the limits with override: %(reason)s"), what=what, reason=override.reason
        )
    edit = said(
        gettext_noop("%(exercise)s, from week %(week)s: %(what)s"),
        exercise=ExerciseName(item.exercise.slug, item.exercise.name),
        week=week,
        what=what,
    )
    _save(plan, engine, edit, actor)
    return plan


@transaction.atomic
def plan_activate(*, actor: User, plan: Plan, version: int | None) -> Plan:
    """Make a draft the patient's plan; a plan already running for them is completed.

    A draft whose rules ask for medical clearance starts only once a clinician has recorded it
    (409 ClearanceRequired naming the rules otherwise).
    """
    _require_care_staff(actor, Role.PHYSIOTHERAPIST)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _check_version(plan, version)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(
            gettext("Only a draft can be activated; this plan is %(status)s.")
            % {"status": plan.get_status_display().lower()}
        )
    from rehab.services.clearance import require_clearance  # it builds on this module

    # Before anything is written: a plan the rules keep waiting for clearance stores nothing.
    require_clearance(plan)
    engine = engine_plan(plan)
    if not engine.items:
        raise InvalidInput(
            {"plan": [gettext("This plan has no exercise within the limits; adjust it before activating.")]}
        )
    for running in Plan.objects.select_for_update().filter(patient=plan.patient, status__in=RUNNING_STATUSES):
        running.status = PlanStatus.COMPLETED
        _audit(running, actor, said(gettext_noop("Replaced by plan %(number)s"), number=str(plan.pk)))
        running.save()
    plan.status = PlanStatus.ACTIVE
    plan.activated_at = timezone.now()
    plan.version += 1
    _audit(plan, actor, said(gettext_noop("Activated")))
    plan.save()
    return plan


def _would_loosen(limits: LoadLimits, requested: list[LimitAdjustment]) -> bool:
    """Whether valid adjustments would loosen a limit, judged as if a reason had been given.

    Invalid ones are left to apply_adjustments, which names each field that is wrong.
    """
    with_reason = [replace(adjustment, reason="(pending)") for adjustment in requested]
    try:
        return bool(loosened_fields(limits, apply_adjustments(limits, with_reason)))
    except HeldBack:
        return True  # a loosening that the paired unit's ceiling holds back is still a loosening
    except AdjustmentError:
        return False


@transaction.atomic
def plan_limits_adjust(*, actor: User, plan: Plan, version: int | None, adjustments: list[dict], reason: str) -> Plan:
    """A clinician tightens (or, with a reason, loosens) limits; from this week on every item's
    progression ceilings follow the new limits and its doses are clamped to them and forecast again."""
    _require_care_staff(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _check_version(plan, version)
    if plan.status in (PlanStatus.COMPLETED, PlanStatus.ARCHIVED):
        raise Conflict(gettext("A completed or archived plan cannot be changed."))
    engine = engine_plan(plan)
    requested = [
        LimitAdjustment(field=a["field"], value=a["value"], reason=reason.strip(), author=actor.display_name)
        for a in adjustments
    ]
    if not reason.strip() and _would_loosen(engine.limits, requested):
        # Said before the engine refuses each loosened field, so that the answer names what is missing.
        raise InvalidInput({"reason": [gettext("Loosening a limit needs a recorded reason.")]})
    try:
        new_limits: LoadLimits = apply_adjustments(engine.limits, requested)
    except AdjustmentError as error:
        raise InvalidInput({f"adjustments.{k}": [v] for k, v in error.errors.items()}) from None
    loosened = loosened_fields(engine.limits, new_limits)
    if loosened and not reason.strip():
        raise InvalidInput({"reason": [gettext("Loosening a limit needs a recorded reason.")]})
    medical = [change.field for change in loosened if change.field in CLINICIAN_ONLY_LOOSENING]
    if medical and actor.role != Role.CLINICIAN:
        # Clearance and the supervised start are medical decisions: a physiotherapist may not waive them.
        raise NotAllowed(
            gettext("Only a clinician may loosen %(limits)s.")
            % {"limits": ", ".join(str(CLINICIAN_ONLY_WORDS[field]) for field in medical)}
        )
    week = plan.edit_week()
    # A dropped exercise leaves the engine plan; its PlanItem row stays, because check-ins and
    # overrides point at it (deleting it would cascade to the patient's logged sessions and to
    # the record of who accepted a dose above a limit). The plan's history names what was dropped.
    # Every item's step ceilings follow the new limits (a loosened ceiling lets the schedule and the
    # weekly decisions grow up to it); an overridden item keeps the dose accepted for it.
    engine, dropped = tighten_limits(engine, new_limits, week, held=overridden_slugs(plan))
    words = ", ".join(f"{a.field} → {a.value}" for a in requested)
    note = (
        said(gettext_noop("Limits changed (%(changes)s): %(reason)s"), changes=words, reason=reason.strip())
        if reason.strip()
        else said(gettext_noop("Limits changed (%(changes)s)"), changes=words)
    )
    if dropped:
        note = said(
            gettext_noop("%(change)s; removed because the new limits forbid them: %(removed)s"),
            change=note,
            removed=", ".join(dropped),
        )
    _save(plan, engine, note, actor, trigger=ChangeTrigger.LIMITS)
    return plan


@transaction.atomic
def plan_resume(*, actor: User, plan: Plan, version: int | None, reason: str) -> Plan:
    """A clinician resumes a paused plan, with a reason; it continues from the held dose."""
    _require_care_staff(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _check_version(plan, version)
    if plan.status != PlanStatus.PAUSED:
        raise Conflict(
            gettext("Only a paused plan can be resumed; this plan is %(status)s.")
            % {"status": plan.get_status_display().lower()}
        )
    if not reason.strip():
        raise InvalidInput({"reason": [gettext("Say why the plan can resume.")]})
    from rehab.services.clearance import require_clearance  # it builds on this module

    # A reassessment (a flare) may have made clearance necessary while the plan ran: it resumes only
    # once a clinician has recorded it, as a draft would start.
    require_clearance(plan)
    plan.status = PlanStatus.ACTIVE
    plan.pause_reason, plan.pause_said = "", None
    plan.version += 1
    _audit(plan, actor, said(gettext_noop("Resumed: %(reason)s"), reason=reason.strip()))
    plan.save()
    return plan


@transaction.atomic
def plan_email(*, actor: User, plan: Plan) -> str:
    """Queue the plan PDF for the patient's email address; sent after commit by a task."""
    from rehab.queue import enqueue_on_commit

    _require_care_staff(actor)
    if not plan.is_running:
        raise InvalidInput({"plan": [gettext("Only an active plan can be sent to the patient.")]})
    if not plan.patient.email:
        raise InvalidInput({"email": [gettext("This patient has no email address; add one to the record first.")]})
    enqueue_on_commit("rehab.tasks.email_plan_pdf", plan.pk)
    _audit(plan, actor, said(gettext_noop("Plan PDF emailed to the patient by %(name)s"), name=actor.display_name))
    plan.save(update_fields=["updated_at"])
    return plan.patient.email

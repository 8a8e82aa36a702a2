"""Every read of patient data goes through here, scoped to what the requesting user may see.

The rules (README "Access"):
- a patient sees only their own record;
- physiotherapists and clinicians see the patients whose care team they are on, in their clinic;
- a clinic admin sees the patient list of their own clinic (to manage care teams) but no
  clinical data unless they are on the care team;
- nothing crosses clinics. An object the user may not see is a 404, never a 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from rehab.models import (
    RUNNING_STATUSES,
    Alert,
    Assessment,
    CheckIn,
    CheckInKind,
    Clearance,
    LimitOverride,
    Measurement,
    Patient,
    Plan,
    PlanChange,
    PlanItem,
    RecordAccess,
    Role,
    User,
)


def patients_visible_to(user: User) -> QuerySet[Patient]:
    """Patient records the user may open (demographics and care team)."""
    clinic_id = _clinic_of(user)
    if clinic_id is None:
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user, clinic_id=clinic_id)
    if user.role == Role.CLINIC_ADMIN:
        return Patient.objects.filter(clinic_id=clinic_id)
    return Patient.objects.filter(clinic_id=clinic_id, care_team=user)


def _clinic_of(user: User) -> int | None:
    """The signed-in user's clinic, or None (anonymous, or an account outside any clinic)."""
    return getattr(user, "clinic_id", None) if user.is_authenticated else None


def patients_with_clinical_access(user: User) -> QuerySet[Patient]:
    """Patients whose clinical data (assessments, plans, check-ins) the user may read."""
    clinic_id = _clinic_of(user)
    if clinic_id is None:
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user, clinic_id=clinic_id)
    return Patient.objects.filter(clinic_id=clinic_id, care_team=user)


def patient_get(user: User, patient_id, *, clinical: bool = False) -> Patient:
    scope = patients_with_clinical_access(user) if clinical else patients_visible_to(user)
    try:
        return scope.get(pk=patient_id)
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None


def assessments_of(user: User, patient_id) -> QuerySet[Assessment]:
    patient = patient_get(user, patient_id, clinical=True)
    return patient.assessments.select_related("assessed_by").order_by("-assessed_on", "-id")


def latest_assessment(patient: Patient) -> Assessment | None:
    return patient.assessments.order_by("-assessed_on", "-id").first()


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """Plans of the patients with clinical access; a patient sees only their running plan, never drafts."""
    plans = Plan.objects.filter(patient__in=patients_with_clinical_access(user))
    if getattr(user, "role", None) == Role.PATIENT:
        plans = plans.filter(status__in=RUNNING_STATUSES)
    return plans


def plan_get(user: User, plan_id) -> Plan:
    try:
        return plans_visible_to(user).select_related("patient").get(pk=plan_id)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan.") from None


def running_plan(patient: Patient) -> Plan | None:
    return patient.plans.filter(status__in=RUNNING_STATUSES).first()


def plan_to_log(user: User, plan_id: int | None = None, *, item_ids=(), pain_item_id: int | None = None) -> Plan | None:
    """The plan a check-in is logged against, in one query: the given plan (404 if unseen) or,
    without one, the patient's own running plan (None if they have none).

    Patient and assessment come joined and the engine snapshot stays in the database: logging a
    session never reads it. The same query counts which of `item_ids` (and whether `pain_item_id`)
    are items of this plan still in it; checkins.checkin_record reads that instead of asking again.
    """
    item_ids = frozenset(item_ids)
    in_plan = PlanItem.objects.filter(plan=OuterRef("pk"), in_plan=True).order_by()
    counted = in_plan.filter(pk__in=item_ids).values("plan").annotate(n=Count("pk")).values("n")
    plans = (
        plans_visible_to(user)
        .select_related("patient", "assessment")
        .defer("blueprint")
        .annotate(
            items_in_plan=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
            if item_ids
            else Value(0, output_field=IntegerField()),
            pain_item_in_plan=Exists(in_plan.filter(pk=pain_item_id)) if pain_item_id is not None else Value(False),
        )
    )
    if plan_id is not None:
        plan = plans.filter(pk=plan_id).first()
        if plan is None:
            raise Http404("No such plan.")
    elif getattr(user, "role", None) == Role.PATIENT:
        plan = plans.filter(status__in=RUNNING_STATUSES).first()
    else:
        return None
    if plan is not None:
        # Not a field: a note for checkins.checkin_record saying which ids the annotations counted.
        plan.checked_items = (item_ids, pain_item_id)  # type: ignore[attr-defined]
    return plan


def plan_clearances(plan: Plan) -> QuerySet[Clearance]:
    """The plan's medical clearances, newest first. The plan was scoped when it was fetched."""
    return Clearance.objects.filter(plan=plan).select_related("granted_by").order_by("-created_at", "-id")


def supervised_sessions_done(plan: Plan) -> int:
    """Sessions of the plan done at the clinic with a physiotherapist watching."""
    return CheckIn.objects.filter(plan=plan, kind=CheckInKind.SESSION, supervised_by__isnull=False).count()


def plan_history(plan: Plan) -> list[dict]:
    """Every change to a plan (status, doses, limits), its items and its overrides, newest first.

    A plan row's change is described by its reason (which services always write); the doses and
    limits it changed are the PlanChange rows of the same version (item, week, field, from → to).
    """
    entries = []
    for row in plan.history.select_related("history_user").order_by("history_date", "history_id"):
        entries.append(
            {
                "at": row.history_date,
                "object": "plan",
                "object_id": row.id,
                "action": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                "by": row.history_user.display_name if row.history_user else "system",
                "reason": row.history_change_reason or "",
                "status": row.status,
                "version": row.version,
            }
        )
    overrides = LimitOverride.objects.filter(plan=plan).select_related("created_by", "item__exercise")
    for override in overrides:
        entries.append(
            {
                "at": override.created_at,
                "object": "override",
                "object_id": override.pk,
                "action": "override",
                "by": override.created_by.display_name,
                "reason": override.reason,
                "exercise": override.item.exercise.name if override.item else None,
                "limits_exceeded": override.limits_exceeded,
                "acknowledged_at": override.acknowledged_at,
            }
        )
    changes = PlanChange.objects.filter(plan=plan).select_related("by", "item__exercise").order_by("created_at", "id")
    for change in changes:
        entries.append(
            {
                "at": change.created_at,
                "object": "change",
                "object_id": change.pk,
                "action": change.trigger,
                "by": change.by.display_name if change.by else "system",
                "reason": change.reason,
                "exercise": change.item.exercise.name if change.item else None,
                "field": change.field,
                "week": change.week,
                "before": change.before,
                "after": change.after,
                "version": change.version,
            }
        )
    removed = PlanItem.history.model.objects.filter(plan_id=plan.pk, history_type="-").select_related("history_user")
    for row in removed:
        entries.append(
            {
                "at": row.history_date,
                "object": "plan_item",
                "object_id": row.id,
                "action": "deleted",
                "by": row.history_user.display_name if row.history_user else "system",
                "reason": row.history_change_reason or "Removed from the plan",
            }
        )
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries


def checkins_visible_to(user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(patient__in=patients_with_clinical_access(user))


def checkin_get(user: User, checkin_id) -> CheckIn:
    try:
        return checkins_visible_to(user).select_related("plan", "patient").get(pk=checkin_id)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404("No such check-in.") from None


def measurements_of(user: User, patient_id) -> QuerySet[Measurement]:
    patient = patient_get(user, patient_id, clinical=True)
    return patient.measurements.select_related("recorded_by")


def alerts_visible_to(user: User, *, include_acknowledged: bool = False) -> QuerySet[Alert]:
    """Alerts for the staff member's patients (patients do not receive alerts, they get advice)."""
    if not getattr(user, "is_care_staff", False):
        return Alert.objects.none()
    alerts = Alert.objects.filter(patient__in=patients_with_clinical_access(user))
    if not include_acknowledged:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return alerts.select_related("patient", "acknowledged_by").order_by("-urgent", "-created_at")


def care_team_candidates(user: User) -> QuerySet[User]:
    """Staff of the user's clinic who may join a care team."""
    staff = User.objects.filter(role__in=Role.CARE, is_active=True)
    if user.clinic_id is None:
        return staff.filter(clinic_id__isnull=True)
    return staff.filter(clinic_id=user.clinic_id)


def patient_audit_trail(user: User, patient_id) -> list[dict]:
    """Who changed what on the patient's record and assessments, when and why, newest first."""
    patient = patient_get(user, patient_id, clinical=True)
    entries = _history_entries("patient", patient.history.select_related("history_user"))
    assessment_rows = Assessment.history.model.objects.filter(patient_id=patient.pk).select_related("history_user")
    entries += _history_entries("assessment", assessment_rows)
    from rehab.audit_sources import extra_audit_entries  # later features add their own rows

    entries.extend(extra_audit_entries(patient))
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries


def _history_entries(kind: str, rows) -> list[dict]:
    """One entry per history row, diffed against the previous row of the same object.

    Diffs are computed in memory over one ordered fetch, so the trail costs one query per
    kind of object rather than one per row.
    """
    entries = []
    previous_by_object: dict[int, Any] = {}  # history rows: simple_history's models have no types
    for row in rows.order_by("history_date", "history_id"):
        previous = previous_by_object.get(row.id)
        changes = []
        if previous is not None:
            delta = row.diff_against(previous, foreign_keys_are_objs=False)
            changes = [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]
        previous_by_object[row.id] = row
        entries.append(
            {
                "at": row.history_date,
                "object": kind,
                "object_id": row.id,
                "action": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                "by": row.history_user.display_name if row.history_user else None,
                "reason": row.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries


def access_log_readers_see_address(user: User) -> bool:
    """Only the clinic admin sees the address a read came from (it identifies staff devices and
    the clinic's network; a patient learns who looked, what and when)."""
    return getattr(user, "role", None) == Role.CLINIC_ADMIN


def patient_access_log(user: User, patient_id) -> QuerySet[RecordAccess]:
    """Staff reads of one patient's data, newest first: for the patient themselves and the clinic
    admin of the patient's clinic. The care team sees the patient but not the log (403): it is a
    check on staff, kept by the admin and shown to the patient; everyone else gets 404."""
    patient = patient_get(user, patient_id)
    if user.role not in (Role.PATIENT, Role.CLINIC_ADMIN):
        raise PermissionDenied("Only the patient and the clinic admin read the access log.")
    return RecordAccess.objects.filter(patient=patient).select_related("actor")


def clinic_access_log(user: User, *, patient_id=None, actor_id=None) -> QuerySet[RecordAccess]:
    """Every staff read of the admin's clinic's patients, newest first, optionally for one patient
    or by one user. Empty for anyone but a clinic admin."""
    if getattr(user, "role", None) != Role.CLINIC_ADMIN or user.clinic_id is None:
        return RecordAccess.objects.none()
    rows = RecordAccess.objects.filter(patient__clinic_id=user.clinic_id).select_related("actor", "patient")
    if patient_id is not None:
        rows = rows.filter(patient_id=patient_id)
    if actor_id is not None:
        rows = rows.filter(actor_id=actor_id)
    return rows

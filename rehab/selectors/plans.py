"""Plans the user may see, the plan a check-in is logged against, the plan an API read shows, and a
plan's history."""

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext

from rehab.models import (
    RUNNING_STATUSES,
    CheckIn,
    CheckInKind,
    Clearance,
    LimitOverride,
    Patient,
    Plan,
    PlanChange,
    PlanItem,
    Role,
    User,
)
from rehab.selectors.patients import patients_with_clinical_access


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
        raise Http404(gettext("No such plan.")) from None


def plans_for_api(user: User, patient_id: int | None = None) -> QuerySet[Plan]:
    """The plans the API lists and acts on for this user (one patient's with `patient_id`), each with
    its patient and author."""
    plans = plans_visible_to(user)
    if patient_id is not None:
        plans = plans.filter(patient_id=patient_id)
    return plans.select_related("patient", "author")


def _marker(sql: str) -> RawSQL:
    """A per-plan subquery in plain SQL over the plan row's own table name: the ORM's Subquery and
    OuterRef cost milliseconds to compile on every request, more than the read itself. The SQL holds
    table names and constants of this module only, never a value from a request."""
    return RawSQL(sql.format(plan=Plan._meta.db_table), (), output_field=IntegerField())  # noqa: S611


# The newest plan version any of the plan's item rows was stored at.
ITEMS_WRITTEN = _marker(
    f"SELECT COALESCE(MAX(i.stored_version), 0) FROM {PlanItem._meta.db_table} i "  # noqa: S608
    "WHERE i.plan_id = {plan}.id"
)
# The plan's sessions done at the clinic with a physiotherapist watching (supervised_sessions_done's count).
SUPERVISED_DONE = _marker(
    f"SELECT COUNT(*) FROM {CheckIn._meta.db_table} c WHERE c.plan_id = {{plan}}.id "  # noqa: S608
    f"AND c.kind = '{CheckInKind.SESSION.value}' AND c.supervised_by_id IS NOT NULL"
)


def plan_to_show(user: User, plan_id: int) -> Plan:
    """The plan a read builds its answer from (404 if the user may not see it): the row with its
    patient, author and blueprint, and `supervised_done`, read in the same query."""
    try:
        return plans_for_api(user).annotate(supervised_done=SUPERVISED_DONE).order_by().get(pk=plan_id)
    except Plan.DoesNotExist:
        raise Http404(gettext("No such plan.")) from None


def plan_item_ids(plan: Plan) -> dict[str, int]:
    """Exercise slug -> PlanItem id (one small query); an item still in the plan wins over a removed one."""
    rows = PlanItem.objects.filter(plan=plan).order_by("in_plan").values_list("exercise__slug", "pk")
    return dict(rows)


def plan_item_of(plan: Plan, item_id: int) -> PlanItem:
    """One item row of a plan the caller already scoped, with its exercise (404 for another plan's)."""
    item = PlanItem.objects.select_related("exercise").filter(plan=plan, pk=item_id).first()
    if item is None:
        raise Http404(gettext("No such item in this plan."))
    return item


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
            raise Http404(gettext("No such plan."))
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
    """Sessions of the plan done at the clinic with a physiotherapist watching (read with the plan
    when plan_to_show fetched it)."""
    counted = getattr(plan, "supervised_done", None)
    if counted is not None:
        return counted
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
                "reason": row.history_change_reason or gettext("Removed from the plan"),
            }
        )
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries


def plan_reason_templates(plan: Plan) -> dict[str, dict]:
    """{English reason: its catalogue template} of the plan's history rows that kept one (a reassessment's).

    The PlanChange rows and removed items of the same save carry the same English reason, so a page finds
    the template of any of them here and says it in the reader's language (rehab.stored_words)."""
    rows = plan.history.filter(history_change_said__isnull=False)
    return dict(rows.values_list("history_change_reason", "history_change_said"))


def plans_of(user: User, patient: Patient) -> QuerySet[Plan]:
    """One patient's plans the user may see, with their authors."""
    return plans_visible_to(user).filter(patient=patient).select_related("author")


def plan_for_page(user: User, plan_id: int) -> Plan:
    """A plan the user may see (404 otherwise), with the patient, author and assessment the plan
    pages show, as fetched afresh after the scope check."""
    plan = plan_get(user, plan_id)
    return Plan.objects.select_related("patient", "author", "assessment").get(pk=plan.pk)


def plan_items_with_exercises(plan: Plan) -> QuerySet[PlanItem]:
    """The plan's item rows (those the limits removed too), each with its exercise."""
    return plan.items.select_related("exercise")

"""Check-ins (sessions, pain reports) the user may see, and what logging one reads."""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from rehab.models import RUNNING_STATUSES, CheckIn, Plan, PlanItem, Role, User
from rehab.selectors.patients import patients_with_clinical_access


def checkins_visible_to(user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(patient__in=patients_with_clinical_access(user))


def checkins_listed(user: User, *, patient_id: int | None = None, plan_id: int | None = None) -> QuerySet[CheckIn]:
    """The check-ins the API lists for the user, items prefetched, narrowed to one patient or plan."""
    checkins = checkins_visible_to(user).prefetch_related("items")
    if patient_id is not None:
        checkins = checkins.filter(patient_id=patient_id)
    if plan_id is not None:
        checkins = checkins.filter(plan_id=plan_id)
    return checkins


def checkin_get(user: User, checkin_id) -> CheckIn:
    try:
        return checkins_visible_to(user).select_related("plan", "patient").get(pk=checkin_id)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404("No such check-in.") from None


def own_plans_for_token(token_key: str, *, item_ids=(), pain_item_id: int | None = None) -> list[Plan]:
    """For the check-in fast path (rehab/api/checkin_fast.py), in one query: the running plan of the
    patient whose API token starts with `token_key`, joined to the patient and their login, with that
    token's digest and expiry (token_digest, token_expiry) for the caller to check, and, as
    plan_to_log counts them, how many of `item_ids` (and whether `pain_item_id`) are items of the plan.

    The scope is plans_visible_to's for a patient: their own record in their own clinic, running plans
    only. One row per candidate token (knox's key is a prefix; a collision gives two rows); none when
    the token, the login or the running plan is missing, and the caller then leaves the request to the
    full stack, which answers 401 or 400 as it always has.
    """
    item_ids = frozenset(item_ids)
    in_plan = PlanItem.objects.filter(plan=OuterRef("pk"), in_plan=True).order_by()
    counted = in_plan.filter(pk__in=item_ids).values("plan").annotate(n=Count("pk")).values("n")
    plans: list[Plan] = list(
        Plan.objects.filter(
            status__in=RUNNING_STATUSES,
            patient__user__auth_token_set__token_key=token_key,
            patient__user__role=Role.PATIENT,
            patient__clinic_id=F("patient__user__clinic_id"),
        )
        .select_related("patient__user")
        .defer("blueprint")
        .order_by()
        .annotate(
            token_digest=F("patient__user__auth_token_set__digest"),
            token_expiry=F("patient__user__auth_token_set__expiry"),
            items_in_plan=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
            if item_ids
            else Value(0, output_field=IntegerField()),
            pain_item_in_plan=Exists(in_plan.filter(pk=pain_item_id)) if pain_item_id is not None else Value(False),
        )
    )
    for plan in plans:
        plan.checked_items = (item_ids, pain_item_id)  # type: ignore[attr-defined]  # as plan_to_log notes it
    return plans

"""Check-ins (sessions, pain reports) the user may see, and what logging one reads."""

from functools import cache
from typing import TypeVar

from django.db import connection, models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from rehab.bulk_sql import server_bound_cursor
from rehab.models import RUNNING_STATUSES, CheckIn, CheckInItem, Clinic, Patient, Plan, PlanItem, Role, User
from rehab.selectors.patients import patients_with_clinical_access

M = TypeVar("M", bound=models.Model)


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


def checkin_items(checkin: CheckIn) -> list[CheckInItem]:
    """The check-in's items; no query for one that came with them (prefetched, or just stored)."""
    return list(checkin.items.all())


def checkin_get(user: User, checkin_id) -> CheckIn:
    try:
        return checkins_visible_to(user).select_related("plan", "patient").get(pk=checkin_id)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404(gettext("No such check-in.")) from None


def own_plans_for_token(token_key: str, *, item_ids=(), pain_item_id: int | None = None) -> list[Plan]:
    """For the check-in fast path (rehab/api/checkin_fast.py), in one query: the running plan of the
    patient whose live API token starts with `token_key`, with the patient and their login attached and
    that token's digest (plan.token_digest) for the caller to compare, the three languages the answer may
    be worded in (the login's, the patient's, the clinic's: rehab.i18n.activate_chosen_language), and, as
    plan_to_log counts them,
    how many of `item_ids` (and whether `pain_item_id`) are items of the plan still in it.

    The scope is plans_visible_to's for a patient (their own record in their own clinic, running plans
    only), and knox's for the token (not expired, the login active). One row per candidate token (knox's
    key is a prefix, so a collision gives two); none when anything is missing, and the caller then
    leaves the request to the full stack, which answers 401, 404 or 400 as it always has. Plain SQL:
    the ORM took longer to build this query than the database took to answer it. The rows are loaded
    with only the fields the check-in reads; any other field loads on access, as a deferred one does.
    """
    item_ids = sorted(set(item_ids))
    select, items_in_plan, source = _token_plan_sql()
    params: list = []
    postgresql = connection.vendor == "postgresql"
    if item_ids and postgresql:
        # One array whatever the number of items: the statement's text is the same at every call, and
        # bound on the server it is prepared once per connection (the database skips planning the join).
        # The array goes as its text ({1,2,3}), which the cast reads: the driver's list writer costs a
        # few percent of the check-in POST's CPU (py-spy under bench/bench_checkin.py, 2026-12-01).
        select += f", (SELECT COUNT(*) {items_in_plan} AND i.id = ANY(%s::bigint[]))"
        params.append("{" + ",".join(str(int(pk)) for pk in item_ids) + "}")
    elif item_ids:
        select += f", (SELECT COUNT(*) {items_in_plan} AND i.id IN ({', '.join(['%s'] * len(item_ids))}))"
        params += item_ids
    if pain_item_id is not None:
        select += f", (SELECT COUNT(*) {items_in_plan} AND i.id = %s)"
        params.append(pain_item_id)
    params += [token_key, Role.PATIENT, connection.ops.adapt_datetimefield_value(timezone.now()), *RUNNING_STATUSES]
    with server_bound_cursor() as cursor:
        cursor.execute(f"{select} {source}", params)
        rows = cursor.fetchall()
    plans = []
    for row in rows:
        plan_id, status, start_date, weeks, patient_id, time_zone, clinic_id, user_id, digest, *rest = row
        user_language, patient_language, clinic_language, *counts = rest
        user = _loaded(User, id=user_id, clinic_id=clinic_id, role=Role.PATIENT, is_active=True, language=user_language)
        patient = _loaded(
            Patient,
            id=patient_id,
            clinic_id=clinic_id,
            user_id=user_id,
            time_zone=time_zone,
            language=patient_language,
        )
        patient.clinic = _loaded(Clinic, id=clinic_id, language=clinic_language)
        # As token auth's select_related leaves them: the login's record (its language) costs no query.
        user._state.fields_cache["patient_record"] = patient
        plan = _loaded(Plan, id=plan_id, patient_id=patient_id, status=status, start_date=start_date, weeks=weeks)
        patient.user = user
        plan.patient = patient
        plan.token_digest = digest  # type: ignore[attr-defined]  # for the caller's comparison
        plan.items_in_plan = counts.pop(0) if item_ids else 0  # type: ignore[attr-defined]
        plan.pain_item_in_plan = bool(counts.pop(0)) if pain_item_id is not None else False  # type: ignore[attr-defined]
        plan.checked_items = (frozenset(item_ids), pain_item_id)  # type: ignore[attr-defined]  # as plan_to_log notes it
        plans.append(plan)
    return plans


def _loaded(model: type[M], **values) -> M:
    """A row of `model` as the ORM would load it with only these fields (the others deferred)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def _sql_names():
    from knox.models import AuthToken

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    def col(model, name):
        return connection.ops.quote_name(model._meta.get_field(name).column)

    return table, col, AuthToken


@cache
def _token_plan_sql() -> tuple[str, str, str]:
    """(select list, the items-in-plan subquery's body, FROM and WHERE), from the models' own names."""
    table, col, token = _sql_names()
    select = (
        f"SELECT p.{col(Plan, 'id')}, p.{col(Plan, 'status')}, p.{col(Plan, 'start_date')}, p.{col(Plan, 'weeks')}, "
        f"pt.{col(Patient, 'id')}, pt.{col(Patient, 'time_zone')}, pt.{col(Patient, 'clinic')}, "
        f"u.{col(User, 'id')}, t.{col(token, 'digest')}, u.{col(User, 'language')}, pt.{col(Patient, 'language')}, "
        f"c.{col(Clinic, 'language')}"
    )
    items = (
        f"FROM {table(PlanItem)} i WHERE i.{col(PlanItem, 'plan')} = p.{col(Plan, 'id')} "
        f"AND i.{col(PlanItem, 'in_plan')}"
    )
    source = (
        f"FROM {table(token)} t "
        f"JOIN {table(User)} u ON u.{col(User, 'id')} = t.{col(token, 'user')} "
        f"JOIN {table(Patient)} pt ON pt.{col(Patient, 'user')} = u.{col(User, 'id')} "
        f"AND pt.{col(Patient, 'clinic')} = u.{col(User, 'clinic')} "
        f"JOIN {table(Clinic)} c ON c.{col(Clinic, 'id')} = pt.{col(Patient, 'clinic')} "
        f"JOIN {table(Plan)} p ON p.{col(Plan, 'patient')} = pt.{col(Patient, 'id')} "
        f"WHERE t.{col(token, 'token_key')} = %s AND u.{col(User, 'role')} = %s AND u.{col(User, 'is_active')} "
        f"AND (t.{col(token, 'expiry')} IS NULL OR t.{col(token, 'expiry')} > %s) "
        f"AND p.{col(Plan, 'status')} IN ({', '.join(['%s'] * len(RUNNING_STATUSES))})"
    )
    return select, items, source

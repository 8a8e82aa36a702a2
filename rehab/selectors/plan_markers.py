"""The one query a cached plan read costs: the reader's scope and what the plan's answer is keyed by.

GET plans/{id}/ answers bytes kept in the cache (rehab.api.plan_cache); what it must ask the database
each time is whether this reader may see the plan, and the plan's markers: version, last save, the
newest version its items were stored at, the supervised sessions done, and the words and calendar the
answer shows. Django spends about 2.5 ms of CPU building and compiling that query (the scope's
subquery, the joins, the markers), five times what PostgreSQL takes to run it, on every request.

So the query is built by the ORM, from the same scope as every other plan read (plans_for_api), once
per process and shape (the reader's role, whether they have a clinic, whether `?patient=` narrows it),
with stand-in ids that no row can have; each read then runs that SQL with the stand-ins replaced by
the reader's, the clinic's, the plan's and the patient's ids. A scope that changes changes the SQL
the next process compiles; a compiled query whose parameters do not hold each stand-in where the ids
go is not kept, and the read goes through the ORM as usual.
"""

import threading
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from rehab.bulk_sql import server_bound_cursor
from rehab.models import Patient, Plan, User
from rehab.models.people import zone_named
from rehab.selectors.plans import ITEMS_WRITTEN, SUPERVISED_DONE, plans_for_api

# Ids no row has (ids are positive): where they land in the compiled query's parameters is where the
# reader's own go.
_READER, _CLINIC, _PLAN, _PATIENT = -7_300_000_001, -7_300_000_002, -7_300_000_003, -7_300_000_004
_FIELDS = (
    "id",
    "patient_id",
    "version",
    "updated_at",
    "status",
    "start_date",
    "weeks",
    "patient__first_name",
    "patient__last_name",
    "patient__time_zone",
    "author__first_name",
    "author__last_name",
    "author__username",
    "items_written",
    "supervised_done",
)
_NOTHING = ("", ())  # the scope is empty for this shape (a user without a clinic): every read is a 404
_compiled: dict[tuple, tuple[str, tuple] | None] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class PlanMarkers:
    """What the plan's compact answer depends on, as one query read it (rehab.api.plan_cache's key)."""

    plan_id: int
    patient_id: int
    version: int
    updated_at: str  # the last save, as the database gave it: compared, never computed with
    status: str
    start_date: date
    weeks: int
    patient_name: str
    patient_zone: str
    author_name: str
    items_written: int
    supervised_done: int

    def shown_week(self) -> int:
        """The plan week the answer shows (Plan.edit_week), by the patient's today in their zone."""
        today = timezone.localdate(timezone=zone_named(self.patient_zone))
        return _edit_week(self.status, self.start_date, self.weeks, today)


# Each read of a cached answer asks these with the same few values (its plans, its readers, the day):
# a model instance built for each call cost more than the rest of reading the markers.
@lru_cache(maxsize=4096)
def _edit_week(status: str, start_date: date, weeks: int, today: date) -> int:
    return Plan(status=status, start_date=start_date, weeks=weeks).edit_week(today)


@lru_cache(maxsize=4096)
def _patient_name(first: str, last: str) -> str:
    return Patient(first_name=first, last_name=last).full_name


@lru_cache(maxsize=4096)
def _author_name(first: str, last: str, username: str) -> str:
    return User(first_name=first, last_name=last, username=username).display_name


def _queryset(user: User, plan_id: int, patient_id: int | None):
    return (
        plans_for_api(user, patient_id)
        .filter(pk=plan_id)
        .annotate(items_written=ITEMS_WRITTEN, supervised_done=SUPERVISED_DONE)
        .order_by()
        .values_list(*_FIELDS)
    )


def _compile(user: User, narrowed: bool) -> tuple[str, tuple] | None:
    """The SQL of the read for this shape, with stand-in ids; None when it cannot be templated."""
    stand_in = User(pk=_READER, clinic_id=None if user.clinic_id is None else _CLINIC, role=user.role)
    try:
        sql, params = _queryset(stand_in, _PLAN, _PATIENT if narrowed else None).query.sql_with_params()
    except EmptyResultSet:
        return _NOTHING
    expected = {_READER, _PLAN} | ({_CLINIC} if user.clinic_id is not None else set())
    expected |= {_PATIENT} if narrowed else set()
    seen = {p for p in params if isinstance(p, int) and p <= _READER}
    if seen != expected or any(str(-n) in sql for n in expected):
        return None  # not where parameters go: leave this shape to the ORM
    return sql, tuple(params)


def plan_markers(user: User, plan_id: int, patient_id: int | None = None) -> PlanMarkers:
    """The plan's markers if the user may see it (with `patient_id`, only that patient's), else 404."""
    compiled = _compiled_for(user, patient_id is not None)
    if compiled == _NOTHING:
        raise Http404(gettext("No such plan."))
    if compiled is None:
        row = _queryset(user, plan_id, patient_id).first()
    else:
        sql, template = compiled
        with server_bound_cursor() as cursor:
            cursor.execute(sql, _bound(template, user, plan_id, patient_id))
            row = cursor.fetchone()
    if row is None:
        raise Http404(gettext("No such plan."))
    return _markers(row)


def plan_markers_read(user: User, plan_id: int) -> tuple[str, list] | None:
    """The SQL and parameters plan_markers(user, plan_id) runs, for a caller that sends them with another
    read (rehab.api.plan_get_fast); None when that shape is left to the ORM or sees nothing."""
    compiled = _compiled_for(user, False)
    if compiled is None or compiled == _NOTHING:
        return None
    sql, template = compiled
    return sql, _bound(template, user, plan_id, None)


def plan_markers_of_row(row: tuple) -> PlanMarkers | None:
    """The markers in a row plan_markers_read's SQL gave; None for its row of NULLs (a LEFT JOIN's: the
    user may not see the plan)."""
    return None if row[0] is None else _markers(row)


def _compiled_for(user: User, narrowed: bool) -> tuple[str, tuple] | None:
    shape = (user.role, user.clinic_id is None, narrowed)
    with _lock:
        if shape not in _compiled:
            _compiled[shape] = _compile(user, narrowed)
        return _compiled[shape]


def _bound(template: tuple, user: User, plan_id: int, patient_id: int | None) -> list:
    ids = {_READER: user.pk, _CLINIC: user.clinic_id, _PLAN: plan_id, _PATIENT: patient_id}
    return [ids.get(p, p) if isinstance(p, int) else p for p in template]


def _markers(row) -> PlanMarkers:
    (pk, patient_id, version, updated_at, status, start, weeks, first, last, zone, a_first, a_last, a_user) = row[:13]
    return PlanMarkers(
        plan_id=pk,
        patient_id=patient_id,
        version=version,
        updated_at=updated_at.isoformat() if isinstance(updated_at, datetime) else str(updated_at),
        status=status,
        # SQLite's cursor gives dates as text; PostgreSQL's as dates.
        start_date=start if isinstance(start, date) else date.fromisoformat(start),
        weeks=weeks,
        patient_name=_patient_name(first, last),
        patient_zone=zone,
        author_name=_author_name(a_first or "", a_last or "", a_user) if a_user else "",
        items_written=row[13] or 0,
        supervised_done=row[14] or 0,
    )

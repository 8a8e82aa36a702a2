"""The weekly progression sweep, set-based: a chunk of plans per transaction, a constant number of queries.

`plans_due` (rehab.services.progression, one query) lists the plans with an ended, undecided week;
`chunks` splits them (settings.SWEEP_CHUNK_SIZE); `sweep_chunk` decides one chunk:

1. lock the chunk's plans (PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent sweeps split the work
   and a plan another worker holds is left to it; SQLite serialises writers anyway);
2. load what the decisions read, for the whole chunk at once: last decisions, engine plans, the
   due weeks' check-ins and their items, measurements, overrides, open alerts;
3. decide in memory with the same functions as the per-plan path (rehab.services.progression),
   which stays the reference: a test runs both on the same data and compares the rows;
4. write decisions, plan state (rehab.services.sweep_writes), alerts and outbox messages in bulk.

A plan behind by several weeks is decided week by week, one round per week (each round a constant
number of queries), all in the chunk's one transaction. Guarantees: one decision per plan-week
(the unique constraint; a plan whose week another writer decided first is skipped, never
duplicated); a killed worker loses nothing (the transaction rolls back; the next sweep finds the
plans still due); a redelivered chunk finds its weeks decided and changes nothing.
"""

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery

from rehab.models import (
    Alert,
    CheckIn,
    CheckInItem,
    LimitOverride,
    Measurement,
    Plan,
    PlanItem,
    ProgressionDecision,
)
from rehab.queue import enqueue_many_on_commit
from rehab.services.plan_store import engine_of, stored_plans
from rehab.services.progression import (
    CHECKIN_ORDER,
    MEASUREMENT_ORDER,
    RUNNING,
    checkin_signals,
    decide_week,
    decision_row,
    follow_ups,
    plan_next_state,
    plans_due,
    strength_signals,
    week_end,
    weeks_ended,
)
from rehab.services.sweep_writes import DecidedState, decided_states_write

__all__ = ["chunks", "plans_due", "sweep", "sweep_chunk"]


def chunks(plan_ids: list[int], size: int | None = None) -> Iterator[list[int]]:
    size = size or settings.SWEEP_CHUNK_SIZE
    for start in range(0, len(plan_ids), size):
        yield plan_ids[start : start + size]


def sweep(*, as_of: date, size: int | None = None) -> list[ProgressionDecision]:
    """Decide every due plan-week in this process, chunk by chunk (the command and the bench)."""
    made = []
    for chunk in chunks(plans_due(as_of), size):
        made += sweep_chunk(plan_ids=chunk, as_of=as_of)
    return made


@dataclass
class _Chunk:
    """What the decisions of one chunk read, loaded for all its plans at once."""

    plans: dict[int, Plan]
    previous: dict[int, ProgressionDecision | None]
    engines: dict[int, object]
    checkins: dict[tuple[int, int], list[CheckIn]]
    items: dict[int, list[CheckInItem]]  # by check-in, in id order
    slugs: dict[int, str]
    measures: dict[int, list[Measurement]]
    overridden: dict[int, frozenset[str]]
    open_kinds: dict[int, set[str]] = field(default_factory=dict)


def sweep_chunk(*, plan_ids: Iterable[int], as_of: date) -> list[ProgressionDecision]:
    """Decide every ended, undecided week of these plans, in week order; returns the decisions made."""
    with _without_cyclic_gc(), transaction.atomic():
        return _sweep_chunk(list(plan_ids), as_of)


@contextmanager
def _without_cyclic_gc():
    """Pause Python's cycle collector while a chunk is in memory.

    A chunk holds hundreds of engine plans (tens of thousands of small objects each); every
    collection of the oldest generation walks them all, and allocating the next plans keeps
    triggering one: measured, 40 % of the sweep's CPU time. Reference counting still frees
    everything as it goes (the chunk's data has no cycles to speak of), and the collector runs
    again after the chunk.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _sweep_chunk(plan_ids: list[int], as_of: date) -> list[ProgressionDecision]:
    plans = _locked_plans(plan_ids)
    due = {pk: plan for pk, plan in plans.items() if weeks_ended(plan, as_of) > 0}
    if not due:
        return []
    chunk = _load(due, as_of)
    made: list[ProgressionDecision] = []
    while True:
        decided_now = _round(chunk, as_of)
        if not decided_now:
            return made
        made += decided_now


def _locked_plans(plan_ids: list[int]) -> dict[int, Plan]:
    query = Plan.objects.filter(pk__in=plan_ids, status__in=RUNNING).select_related("patient", "assessment")
    if connection.features.has_select_for_update_skip_locked:
        # Lock only the plans (not the joined patient and assessment); skip those another sweep holds.
        query = query.select_for_update(skip_locked=True, of=("self",))
    return {plan.pk: plan for plan in query.order_by("pk")}


def _next_week(previous: ProgressionDecision | None) -> int:
    return (previous.week if previous else 0) + 1


def _load(plans: dict[int, Plan], as_of: date) -> _Chunk:
    ids = list(plans)
    last_week = ProgressionDecision.objects.filter(plan=OuterRef("plan")).order_by("-week").values("week")[:1]
    previous: dict[int, ProgressionDecision | None] = dict.fromkeys(ids)
    for row in ProgressionDecision.objects.filter(plan_id__in=ids, week=Subquery(last_week)):
        previous[row.plan_id] = row
    # The weeks this chunk may decide: from the earliest undecided one to the latest ended one.
    first = min((previous[pk].week if previous[pk] else 0) + 1 for pk in ids)
    last = max(weeks_ended(plan, as_of) for plan in plans.values())
    checkins: dict[tuple[int, int], list[CheckIn]] = defaultdict(list)
    for row in CheckIn.objects.filter(plan_id__in=ids, plan_week__gte=first, plan_week__lte=last).order_by(
        *CHECKIN_ORDER
    ):
        checkins[(row.plan_id, row.plan_week)].append(row)
    items: dict[int, list[CheckInItem]] = defaultdict(list)
    for item in CheckInItem.objects.filter(
        checkin__plan_id__in=ids, checkin__plan_week__gte=first, checkin__plan_week__lte=last
    ).order_by("id"):
        items[item.checkin_id].append(item)
    until = max(week_end(plan, weeks_ended(plan, as_of)) for plan in plans.values())
    measures: dict[int, list[Measurement]] = defaultdict(list)
    patients = {plan.patient_id for plan in plans.values()}
    for row in Measurement.objects.filter(patient_id__in=patients, measured_on__lte=until).order_by(*MEASUREMENT_ORDER):
        measures[row.patient_id].append(row)
    overridden: dict[int, set[str]] = defaultdict(set)
    for plan_id, slug in LimitOverride.objects.filter(plan_id__in=ids, item__isnull=False).values_list(
        "plan_id", "item__exercise__slug"
    ):
        overridden[plan_id].add(slug)
    open_kinds: dict[int, set[str]] = {pk: set() for pk in ids}
    for plan_id, kind in Alert.objects.filter(plan_id__in=ids, acknowledged_at__isnull=True).values_list(
        "plan_id", "kind"
    ):
        open_kinds[plan_id].add(kind)
    stored = stored_plans(plans.values())
    return _Chunk(
        plans=plans,
        previous=previous,
        engines={pk: engine_of(plan, stored[pk]) for pk, plan in plans.items()},
        checkins=checkins,
        items=items,
        slugs=dict(PlanItem.objects.filter(plan_id__in=ids).values_list("id", "exercise__slug")),
        measures=measures,
        overridden={pk: frozenset(overridden.get(pk, ())) for pk in ids},
        open_kinds=open_kinds,
    )


@dataclass
class _Decided:
    plan: Plan
    week: int
    decided: object
    row: ProgressionDecision


def _round(chunk: _Chunk, as_of: date) -> list[ProgressionDecision]:
    """Decide the next undecided week of every plan of the chunk that has one; write it all in bulk."""
    decided: list[_Decided] = []
    for pk, plan in chunk.plans.items():
        week = _next_week(chunk.previous[pk])
        if plan.status not in RUNNING or week > weeks_ended(plan, as_of):
            continue
        engine = chunk.engines[pk]
        rows = chunk.checkins.get((pk, week), [])
        items = [item for row in rows for item in chunk.items.get(row.pk, ())]
        signals = checkin_signals(rows, items, chunk.slugs)
        strength = strength_signals(chunk.measures.get(plan.patient_id, ()), week_end(plan, week))
        outcome, context = decide_week(plan, engine, week, chunk.previous[pk], signals, strength)
        decided.append(_Decided(plan, week, outcome, decision_row(plan, week, outcome, context)))
    if not decided:
        return []
    decided = _insert_decisions(chunk, decided)
    states, alerts, follow = [], [], []
    for one in decided:
        pk = one.plan.pk
        chunk.previous[pk] = one.row
        rescheduled = plan_next_state(one.plan, chunk.engines[pk], one.week, one.decided, chunk.overridden[pk])
        if rescheduled is not None:
            chunk.engines[pk] = rescheduled
        states.append(DecidedState(plan=one.plan, engine=rescheduled, week=one.week, decision=one.row))
        for follow_up in follow_ups(one.plan, one.week, one.decided, chunk.open_kinds[pk]):
            alert = Alert(decision=one.row, **follow_up.alert) if follow_up.alert is not None else None
            if alert is not None:
                alerts.append(alert)
            follow.append((follow_up, one.row, alert))
    decided_states_write(states)
    Alert.objects.bulk_create(alerts, batch_size=1000)  # sets their ids: the messages below carry them
    enqueue_many_on_commit(
        [message for follow_up, row, alert in follow if (message := follow_up.message(row, alert)) is not None]
    )
    return [one.row for one in decided]


def _insert_decisions(chunk: _Chunk, decided: list[_Decided]) -> list[_Decided]:
    """Insert the round's decisions; a plan whose week another writer decided first drops out of the chunk.

    Under the plan locks this does not happen on PostgreSQL; it is the guarantee if it ever does
    (a per-plan run that did not lock, a redelivery racing on SQLite): skip, never duplicate.
    """
    try:
        with transaction.atomic():
            ProgressionDecision.objects.bulk_create([one.row for one in decided], batch_size=1000)
        return decided
    except IntegrityError:
        pass
    taken = set(
        ProgressionDecision.objects.filter(plan_id__in=[one.plan.pk for one in decided]).values_list("plan_id", "week")
    )
    kept = [one for one in decided if (one.plan.pk, one.week) not in taken]
    for one in decided:
        if (one.plan.pk, one.week) in taken:
            del chunk.plans[one.plan.pk]
    for one in kept:
        one.row.pk = None
    ProgressionDecision.objects.bulk_create([one.row for one in kept], batch_size=1000)
    return kept

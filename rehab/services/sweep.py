"""The weekly progression sweep, set-based: a chunk of plans per transaction, a constant number of queries.

`plans_due` (rehab.services.progression, one query) lists the plans with an ended, undecided week;
`chunks` splits them (settings.SWEEP_CHUNK_SIZE); `sweep_chunk` decides one chunk:

1. lock the chunk's plans (PostgreSQL: FOR NO KEY UPDATE SKIP LOCKED, so concurrent sweeps split the
   work and a plan another worker holds is left to it, while check-ins go on being logged; SQLite
   serialises writers anyway);
2. load what the decisions read, for the whole chunk at once: last decisions, the plans' stored
   items, the due weeks' check-ins and their items, measurements, overrides, open alerts;
3. decide in memory with the same functions as the per-plan path (rehab.services.progression),
   which stays the reference: a test runs both on the same data and compares the rows. The typed
   plan each decision reads is put together item by item, and rescheduled and stored again item by
   item (planner.stored_items): plans from one template share most items, so each distinct item is
   decoded and rescheduled once per process instead of once per plan;
4. write decisions, plan state (rehab.services.sweep_writes), alerts and outbox messages in bulk.

A plan behind by several weeks is decided week by week, one round per week (each round a constant
number of queries), all in the chunk's one transaction. Guarantees: one decision per plan-week
(the unique constraint; a plan whose week another writer decided first is skipped, never
duplicated); a killed worker loses nothing (the transaction rolls back; the next sweep finds the
plans still due); a redelivered chunk finds its weeks decided and changes nothing; one plan that
cannot be decided holds back no other (`sweep_chunk_or_each`).
"""

import gc
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery, TextField
from django.db.models.functions import Cast

from planner import stored_items
from planner.types import Plan as EnginePlan
from rehab.bulk_sql import insert_rows
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
from rehab.services.plan_store import cached_parts, read_cited, read_parts, store_parts
from rehab.services.progression import (
    CHECKIN_ORDER,
    MEASUREMENT_ORDER,
    RUNNING,
    checkin_signals,
    decide_week,
    decision_row,
    follow_ups,
    plan_next_state,
    plan_progress,
    plans_due,
    strength_signals,
    week_end,
    weeks_ended,
)
from rehab.services.sweep_history import history_copy
from rehab.services.sweep_json import decisions_insert
from rehab.services.sweep_writes import DecidedState, StoredItems, chunk_states_write

__all__ = ["chunks", "plans_due", "sweep", "sweep_chunk", "sweep_chunk_or_each"]

logger = logging.getLogger(__name__)
# The database or the network away: the task's retry, not a plan's fault.
_UNAVAILABLE = (OperationalError, InterfaceError, ConnectionError, OSError)


def chunks(plan_ids: list[int], size: int | None = None) -> Iterator[list[int]]:
    size = size or settings.SWEEP_CHUNK_SIZE
    for start in range(0, len(plan_ids), size):
        yield plan_ids[start : start + size]


def sweep(*, as_of: date, size: int | None = None) -> list[ProgressionDecision]:
    """Decide every due plan-week in this process, chunk by chunk (the command and the bench)."""
    made = []
    for chunk in chunks(plans_due(as_of), size):
        made += sweep_chunk_or_each(plan_ids=chunk, as_of=as_of)
    return made


@dataclass
class _Chunk:
    """What the decisions of one chunk read, loaded for all its plans at once."""

    plans: dict[int, Plan]
    previous: dict[int, ProgressionDecision | None]
    stored: dict[int, StoredItems]
    engines: dict[int, EnginePlan]
    checkins: dict[tuple[int, int], list["_CheckInRow"]]
    items: dict[int, list["_CheckInItemRow"]]  # by check-in, in id order
    slugs: dict[int, str]
    measures: dict[int, list[Measurement]]
    overridden: dict[int, frozenset[str]]
    open_kinds: dict[int, set[str]] = field(default_factory=dict)


def sweep_chunk(*, plan_ids: Iterable[int], as_of: date) -> list[ProgressionDecision]:
    """Decide every ended, undecided week of these plans, in week order; returns the decisions made."""
    with _without_cyclic_gc(), transaction.atomic():
        return _sweep_chunk(list(plan_ids), as_of)


def sweep_chunk_or_each(*, plan_ids: Iterable[int], as_of: date) -> list[ProgressionDecision]:
    """sweep_chunk; if the chunk fails for any other reason than an unavailable database, each of its
    plans is decided on its own (the per-plan path, one transaction a week, as plan_progress does).

    A chunk is one transaction, so one plan the engine cannot decide (a record written before a check
    that now refuses it, a bug that one plan's data meets) would otherwise roll back and hold back the
    decisions of every plan in its chunk, at every retry and every sweep. Deciding them one by one, the
    others are decided and only that plan waits: its error is logged with its id (ERROR, for the
    operators' alerting) and it stays due, so the next sweep tries it again once it is fixed.
    """
    ids = list(plan_ids)
    try:
        return sweep_chunk(plan_ids=ids, as_of=as_of)
    except _UNAVAILABLE:
        raise
    except Exception:
        logger.exception("weekly sweep: a chunk of %d plans failed; deciding them one by one", len(ids))
    made: list[ProgressionDecision] = []
    for plan_id in ids:
        try:
            made += plan_progress(plan_id=plan_id, as_of=as_of)
        except _UNAVAILABLE:
            raise
        except Exception:
            logger.exception("weekly decision failed for plan %s; it stays due", plan_id, extra={"plan_id": plan_id})
    return made


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
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
    query = (
        Plan.objects.filter(pk__in=plan_ids, status__in=RUNNING)
        .select_related("patient", "assessment")
        # The blueprint as its JSON text: the key of its decoded form (planner.stored_items.frame).
        .defer("blueprint")
        .annotate(blueprint_text=Cast("blueprint", TextField()))
    )
    if connection.features.has_select_for_update_skip_locked:
        # Lock only the plans (not the joined patient and assessment); skip those another sweep holds.
        # FOR NO KEY UPDATE: it excludes another sweep or edit of the plan as FOR UPDATE does, but not
        # the key-share lock a new check-in's foreign key takes on its plan, so a patient's check-in is
        # not held back for the seconds the chunk's transaction lasts (the sweep changes no plan's key).
        query = query.select_for_update(skip_locked=True, of=("self",), no_key=True)
    return {plan.pk: plan for plan in query.order_by("pk")}


def _next_week(previous: ProgressionDecision | None) -> int:
    return (previous.week if previous else 0) + 1


class _CheckInRow(NamedTuple):
    """The fields of a CheckIn that rehab.services.progression.checkin_signals reads (no model instance)."""

    pk: int
    plan_id: int
    plan_week: int
    kind: str
    date: date
    session_rpe: int | None
    pain_during: int
    pain_after: int
    pain_next_morning: int | None
    red_flags: list[str]
    pain_regions: list[str]
    pain_item_id: int | None
    heart_rate_avg: int | None
    heart_rate_max: int | None
    spo2_min: int | None


class _CheckInItemRow(NamedTuple):
    checkin_id: int
    plan_item_id: int
    done: bool
    sets: int | None
    reps: int | None
    load_kg: Any
    minutes: Any


def _rows(query: QuerySet[Any], row: type[Any]) -> Iterator[Any]:
    for values in query.values_list(*row._fields):
        yield row(*values)


def _load(plans: dict[int, Plan], as_of: date) -> _Chunk:
    ids = list(plans)
    last_week = ProgressionDecision.objects.filter(plan=OuterRef("plan")).order_by("-week").values("week")[:1]
    previous: dict[int, ProgressionDecision | None] = dict.fromkeys(ids)
    for row in ProgressionDecision.objects.filter(plan_id__in=ids, week=Subquery(last_week)):
        previous[row.plan_id] = row
    read_cited(previous.values())  # what their carried doses cite: ≤ 2 queries for the chunk
    # The weeks this chunk may decide: from the earliest undecided one to the latest ended one.
    first = min(_next_week(previous[pk]) for pk in ids)
    last = max(weeks_ended(plan, as_of) for plan in plans.values())
    checkins: dict[tuple[int, int], list[_CheckInRow]] = defaultdict(list)
    weeks = CheckIn.objects.filter(plan_id__in=ids, plan_week__gte=first, plan_week__lte=last)
    for row in _rows(weeks.order_by(*CHECKIN_ORDER), _CheckInRow):
        checkins[(row.plan_id, row.plan_week)].append(row)
    items: dict[int, list[_CheckInItemRow]] = defaultdict(list)
    reported = CheckInItem.objects.filter(
        checkin__plan_id__in=ids, checkin__plan_week__gte=first, checkin__plan_week__lte=last
    )
    for item in _rows(reported.order_by("id"), _CheckInItemRow):
        items[item.checkin_id].append(item)
    until = max(week_end(plan, weeks_ended(plan, as_of)) for plan in plans.values())
    measures: dict[int, list[Measurement]] = defaultdict(list)
    patients = {plan.patient_id for plan in plans.values()}
    for measure in Measurement.objects.filter(patient_id__in=patients, measured_on__lte=until).order_by(
        *MEASUREMENT_ORDER
    ):
        measures[measure.patient_id].append(measure)
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
    stored = _stored_items(plans)
    return _Chunk(
        plans=plans,
        previous=previous,
        stored=stored,
        engines={pk: stored_items.assemble(one.frame, one.items) for pk, one in stored.items()},
        checkins=checkins,
        items=items,
        slugs=dict(PlanItem.objects.filter(plan_id__in=ids).values_list("id", "exercise__slug")),
        measures=measures,
        overridden={pk: frozenset(overridden.get(pk, ())) for pk in ids},
        open_kinds=open_kinds,
    )


_ITEM_TEXTS = ("targets", "notes", "prescribed_dose", "schedule")


def _stored_items(plans: dict[int, Plan]) -> dict[int, StoredItems]:
    """Each plan's typed items in blueprint order, from its item rows: one query, and at most two more
    for the parts of blueprints and items this process has not decoded yet.

    A plan's blueprint and its items are written together, and the items record the plan version of
    that write: a plan whose items are newer than its row (written after the row was read) has its
    blueprint read again, so blueprint and items are of one moment (as plan_store.stored_plans does).
    """
    rows: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    written: dict[int, int] = {}
    texts = {f"{name}_text": Cast(name, TextField()) for name in _ITEM_TEXTS}
    query = PlanItem.objects.filter(plan_id__in=list(plans), in_plan=True).annotate(slug=F("exercise__slug"), **texts)
    fields = ("plan_id", "pk", "slug", "component", "exercise_part", "progression_part", "rationale_part")
    for row in query.values_list(*fields, *texts, "stored_version"):
        rows[row[0]].append(row[1:-1])  # (id, *RawItem)
        written[row[0]] = max(row[-1], written.get(row[0], 0))
    blueprints = {pk: plan.blueprint_text for pk, plan in plans.items()}  # type: ignore[attr-defined]
    behind = [pk for pk, plan in plans.items() if written.get(pk, 0) > plan.version]
    if behind:
        again = Plan.objects.filter(pk__in=behind).annotate(text=Cast("blueprint", TextField()))
        blueprints.update(again.values_list("pk", "text"))
    unknown = {text for text in blueprints.values() if not stored_items.knows_frame(text)}
    read_parts([json.loads(text) for text in unknown])
    made: dict[int, StoredItems] = {}
    kept: dict[int, list[tuple[Any, ...]]] = {}
    for pk, text in blueprints.items():
        plan_frame = stored_items.frame(text, cached_parts)
        order = {slug: n for n, slug in enumerate(plan_frame.blueprint["items"])}
        kept[pk] = sorted((row for row in rows.get(pk, ()) if row[1] in order), key=lambda row: order[row[1]])
        stray = [row[0] for row in rows.get(pk, ()) if row[1] not in order]
        made[pk] = StoredItems(plan_frame, [], {row[1]: row[0] for row in kept[pk]}, stray)
    # Items this process has not decoded yet: their parts are read in one query for the whole chunk.
    # Decoded once per distinct row content (a StoredItem depends on nothing else): the plans of a
    # chunk that meets a template for the first time hold hundreds of copies of each of its items.
    new: dict[tuple[Any, ...], Any] = {}
    for pk, one in made.items():
        for row in kept[pk]:
            raw = row[1:]
            if raw not in new and not stored_items.knows_item(one.frame, raw):
                new[raw] = stored_items.stored_item(raw)
    if new:
        read_parts([next(iter(made.values())).frame.blueprint], new.values())
    for pk, one in made.items():
        one.items = [stored_items.typed_item(one.frame, row[1:], cached_parts, new.get(row[1:])) for row in kept[pk]]
    return made


@dataclass
class _Decided:
    plan: Plan
    week: int
    decided: Any
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
        signals = checkin_signals(rows, items, chunk.slugs)  # type: ignore[arg-type]  # rows with a CheckIn's fields
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
        stored = chunk.stored[pk]
        rescheduled = plan_next_state(
            one.plan, chunk.engines[pk], one.week, one.decided, chunk.overridden[pk], reschedule=stored.reschedule
        )
        if rescheduled is not None:
            chunk.engines[pk] = rescheduled
        states.append(DecidedState(plan=one.plan, engine=rescheduled, week=one.week, decision=one.row))
        for follow_up in follow_ups(one.plan, one.week, one.decided, chunk.open_kinds[pk]):
            alert = Alert(decision=one.row, **follow_up.alert) if follow_up.alert is not None else None
            if alert is not None:
                alerts.append(alert)
            follow.append((follow_up, one.row, alert))
    chunk_states_write(states, chunk.stored)
    insert_rows(Alert, alerts)  # sets their ids: the messages below carry them
    # The alerts' audit trail, as Alert.objects.create writes it on the per-plan path (a bulk insert
    # sends no post_save, so django-simple-history would not see them).
    history_copy(Alert, alerts, update=False, default_change_reason=None)
    enqueue_many_on_commit(
        [message for follow_up, row, alert in follow if (message := follow_up.message(row, alert)) is not None]
    )
    return [one.row for one in decided]


def _insert_decisions(chunk: _Chunk, decided: list[_Decided]) -> list[_Decided]:
    """Insert the round's decisions; a plan whose week another writer decided first drops out of the chunk.

    Under the plan locks this does not happen on PostgreSQL; it is the guarantee if it ever does
    (a per-plan run that did not lock, a redelivery racing on SQLite): skip, never duplicate.
    """
    store_parts({key: part for one in decided if one.row.cited for key, part in one.row.cited.parts().items()})
    try:
        with transaction.atomic():
            decisions_insert([one.row for one in decided])
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
    decisions_insert([one.row for one in kept])
    return kept

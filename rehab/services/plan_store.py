"""An engine plan as rows: the Plan's blueprint, PlanItem columns and shared PlanParts (planner.storage).

`load_engine` reads a plan back (two queries: the items, and the parts this process has not seen
yet; parts never change, so each process keeps those it read). `store_engines` writes one or many
plans in a constant number of queries, whatever their number (the weekly sweep writes a chunk at
once): the parts (inserted once, shared), every item's columns, and one PlanChange per changed field.
The caller saves the Plan row itself (status, version, blueprint) with its own history reason.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import F, Max

from planner import serialize, storage
from planner.decision_doses import Cited, rationale_digests
from planner.types import LoadLimits
from planner.types import Plan as EnginePlan
from rehab.bulk_sql import update_rows
from rehab.models import Exercise, Plan, PlanChange, PlanItem, PlanPart, ProgressionDecision
from rehab.models.plans import ITEM_COLUMNS, User

# Parts read by this process, by digest. Bounded: a process that has seen this many distinct parts
# simply starts again (parts are small and shared; a typical clinic has a few thousand).
_PART_CACHE: dict[str, dict] = {}
PART_CACHE_SIZE = 50_000


def stored_parts(digests: Iterable[str]) -> dict[str, dict]:
    """The parts with these digests ({"kind", "body"} each), from this process's memo or one query."""
    wanted = set(digests)
    missing = wanted - _PART_CACHE.keys()
    if missing:
        if len(_PART_CACHE) > PART_CACHE_SIZE:
            _PART_CACHE.clear()
        for digest, kind, body in PlanPart.objects.filter(digest__in=missing).values_list("digest", "kind", "body"):
            _PART_CACHE[digest] = {"kind": kind, "body": body}
    try:
        return {digest: _PART_CACHE[digest] for digest in wanted}
    except KeyError as lost:
        raise LookupError(f"plan part {lost} is missing") from None


def cached_parts(digests: Iterable[str]) -> dict[str, dict]:
    """Parts this process has read or written already (no query; LookupError for one it has not)."""
    try:
        return {digest: _PART_CACHE[digest] for digest in digests}
    except KeyError as lost:
        raise LookupError(f"plan part {lost} was not read") from None


def read_parts(blueprints: Iterable[dict], items: Iterable[storage.StoredItem] = ()) -> None:
    """Read every part these blueprints and items refer to that this process has not read (≤ 2 queries)."""
    blueprints = list(blueprints)
    items = list(items)
    if not blueprints:
        return
    rule_maps = stored_parts(blueprint["rules"] for blueprint in blueprints)
    wanted: set[str] = set()
    for blueprint in blueprints:
        wanted |= storage.digests_referred(blueprint, (), rule_maps[blueprint["rules"]]["body"])
    wanted |= storage.digests_referred(blueprints[0], items) - storage.digests_referred(blueprints[0], ())
    stored_parts(wanted)


def _stored_doses(decision: ProgressionDecision) -> list[dict]:
    carry = decision.carry or {}
    trails = carry.get("growth_trails") or {}
    return [
        *decision.doses_before.values(),
        *decision.doses_after.values(),
        *(carry.get("held_doses") or {}).values(),
        *(dose for trail in trails.values() for dose in trail),
    ]


def read_cited(decisions: Iterable[ProgressionDecision | None]) -> None:
    """Give each decision what its stored doses cite, the rule texts and rationales (≤ 2 queries for all)."""
    todo = [decision for decision in decisions if decision is not None and decision.cited is None]
    if not todo:
        return
    indexes = stored_parts({decision.rule_index for decision in todo if decision.rule_index})
    wanted: set[str] = set()
    for decision in todo:
        wanted |= rationale_digests(_stored_doses(decision))
    rationales = {key: part["body"] for key, part in stored_parts(wanted).items()}
    for decision in todo:
        rules = indexes[decision.rule_index]["body"] if decision.rule_index else {}
        decision.cited = Cited(index=decision.rule_index, rules=rules, rationales=rationales)


def cited_by(decision: ProgressionDecision) -> Cited:
    """What a stored decision's doses cite (queries only for what this process has not read)."""
    read_cited([decision])
    assert decision.cited is not None  # read_cited gives every decision its own
    return decision.cited


def remember_parts(parts: dict[str, dict]) -> None:
    """Parts this process has just written (what a later read in the process finds without a query)."""
    if len(_PART_CACHE) > PART_CACHE_SIZE:
        _PART_CACHE.clear()
    for digest, part in parts.items():
        _PART_CACHE.setdefault(digest, part)


def _stored_items(plan_ids: Iterable[int]) -> tuple[dict[int, list[storage.StoredItem]], dict[int, int]]:
    """Each plan's items in the plan, and the newest plan version its items were written at."""
    rows = PlanItem.objects.filter(plan_id__in=list(plan_ids), in_plan=True).values_list(
        "plan_id",
        "exercise__slug",
        "component",
        "exercise_part",
        "progression_part",
        "rationale_part",
        "targets",
        "notes",
        "prescribed_dose",
        "schedule",
        "stored_version",
    )
    by_plan: dict[int, list[storage.StoredItem]] = {}
    written: dict[int, int] = {}
    for plan_id, slug, component, exercise, progression, rationale, targets, notes, dose, schedule, version in rows:
        by_plan.setdefault(plan_id, []).append(
            storage.StoredItem(slug, component, exercise, progression, rationale, targets, notes, dose, schedule)
        )
        written[plan_id] = max(version, written.get(plan_id, 0))
    return by_plan, written


def stored_plans(plans: Iterable[Plan]) -> dict[int, storage.StoredPlan]:
    """The stored form of each plan, in a constant number of queries (items, then parts not seen yet).

    A plan's blueprint and its items are written together, and the items record the plan version of
    that write. A Plan row at that version or later already holds the matching blueprint; a row loaded
    before a later write (or without its blueprint) has its blueprint read again, so blueprint and
    items are always of one moment.
    """
    plans = list(plans)
    all_items, written = _stored_items(plan.pk for plan in plans)
    blueprints: dict[int, dict] = {}
    behind = []
    for plan in plans:
        if "blueprint" in plan.get_deferred_fields() or written.get(plan.pk, 0) > plan.version:
            behind.append(plan.pk)
        else:
            blueprints[plan.pk] = plan.blueprint
    if behind:
        blueprints.update(Plan.objects.filter(pk__in=behind).values_list("pk", "blueprint"))
    # The blueprint's item order says which items the plan has; a row outside it is not read.
    items = {
        pk: [item for item in all_items.get(pk, ()) if item.slug in set(blueprint["items"])]
        for pk, blueprint in blueprints.items()
    }
    rule_maps = stored_parts(blueprint["rules"] for blueprint in blueprints.values())
    wanted: set[str] = set()
    for pk, blueprint in blueprints.items():
        wanted |= storage.digests_referred(blueprint, items.get(pk, ()), rule_maps[blueprint["rules"]]["body"])
    parts = stored_parts(wanted)
    return {pk: storage.StoredPlan(blueprint, tuple(items.get(pk, ())), parts) for pk, blueprint in blueprints.items()}


def engine_of(plan: Plan, stored: storage.StoredPlan) -> EnginePlan:
    engine = serialize.from_dict(EnginePlan, storage.join(stored))
    # What the next store_engines compares with, to record the changes.
    plan._stored_plan = stored  # type: ignore[attr-defined]  # a cache on the row, not a field
    return engine


# Typed plans this process rebuilt, by a digest of what they were rebuilt from (blueprint and items):
# an entry can never be stale, whatever was written or rolled back since. The typed plan is immutable,
# so it is shared; what it saves is the rebuild (join and from_dict), the costly part of a read.
_LOADED: OrderedDict[str, EnginePlan] = OrderedDict()
LOADED_PLANS_KEPT = 64


def forget_loaded_plans() -> None:
    """Drop the typed plans this process keeps."""
    _LOADED.clear()


def _rebuilt_from(stored: storage.StoredPlan) -> str:
    """A digest of the blueprint and items a typed plan is rebuilt from. Of their repr, not their
    canonical JSON (storage.digest): as exact for values read from JSON (the repr of a dict, list,
    string, number, boolean or None names its type and every character), and written in C, where
    sorting and encoding the JSON cost a twentieth of drawing a plan PDF. Keys order differently at
    most, which only misses the cache."""
    values = [stored.blueprint, [[getattr(item, f.name) for f in fields(item)] for item in stored.items]]
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()


def load_engine(plan: Plan) -> EnginePlan:
    """The typed engine plan of a Plan row: one query (its items) once the parts are known."""
    cached = getattr(plan, "_engine_plan", None)
    if cached is not None and cached[0] == plan.version:
        return cached[1]
    stored = stored_plans([plan])[plan.pk]
    key = _rebuilt_from(stored)
    engine = _LOADED.get(key)
    if engine is None:
        engine = serialize.from_dict(EnginePlan, storage.join(stored))
        _LOADED[key] = engine
        if len(_LOADED) > LOADED_PLANS_KEPT:
            _LOADED.popitem(last=False)
    else:
        _LOADED.move_to_end(key)
    plan._stored_plan = stored  # type: ignore[attr-defined]  # what the next store_engines compares with
    plan._engine_plan = (plan.version, engine)  # type: ignore[attr-defined]  # a cache on the row, not a field
    return engine


def plan_document(plan: Plan) -> dict:
    """The plan as planner.serialize's document (what the staff plan page's template tags read)."""
    return serialize.to_dict(load_engine(plan))


def load_limits(plan: Plan) -> LoadLimits:
    """The plan's limits alone (its blueprint and the rule texts), without its items and weeks."""
    blueprint = plan.blueprint
    rule_map = stored_parts([blueprint["rules"]])[blueprint["rules"]]["body"]
    provenance = blueprint["limits"]["provenance"]
    parts = stored_parts({provenance, *rule_map.values()})
    index = {rule_id: _rule_entry(parts[key]["body"]) for rule_id, key in rule_map.items()}
    data = {**blueprint["limits"], "provenance": dict(parts[provenance]["body"]), "rule_index": index}
    return serialize.from_dict(LoadLimits, data)


def _rule_entry(body: dict) -> dict:
    return {"text": body["text"], "evidence": body["evidence"], "source": body["source"]}


def next_undecided_week(plan: Plan) -> int:
    """The first plan week without a progression decision: the week whose dose is the current one."""
    last = ProgressionDecision.objects.filter(plan=plan).aggregate(last=Max("week"))["last"] or 0
    return min(plan.weeks, last + 1)


@dataclass
class PlanWrite:
    """One plan's new engine state to store, and what to record about the change."""

    plan: Plan
    engine: EnginePlan
    dose_week: int
    trigger: str
    reason: str
    by: User | None = None
    decision: ProgressionDecision | None = None
    stored: storage.StoredPlan | None = None  # the engine already split (stored_form), if the caller has it
    created: bool = False  # a plan just created: nothing stored before, nothing to compare with


def stored_form(engine: EnginePlan) -> storage.StoredPlan:
    return storage.split(serialize.to_dict(engine))


def store_new_plan(plan: Plan, engine: EnginePlan, stored: storage.StoredPlan) -> None:
    """A just-saved plan's item rows, inserted with their columns filled, and the parts not stored yet.

    What store_engines does for a plan's first write, without reading back the rows it has just made:
    a new plan has nothing to compare with (no change rows) and its items are new rows.
    """
    store_parts(stored.parts)
    slugs = [item.slug for item in stored.items]
    exercise_ids = dict(Exercise.objects.filter(slug__in=slugs).values_list("slug", "id"))
    rows = []
    for position, item in enumerate(stored.items, start=1):
        row = PlanItem(plan=plan, position=position, exercise_id=exercise_ids[item.slug], component=item.component)
        _fill(row, item, 1)
        row.stored_version = plan.version
        rows.append(row)
    PlanItem.objects.bulk_create(rows)
    plan._stored_plan = stored  # type: ignore[attr-defined]  # a cache on the row, not a field
    plan._engine_plan = (plan.version, engine)  # type: ignore[attr-defined]  # a cache on the row, not a field


def store_parts(parts: dict[str, dict]) -> None:
    """Insert the parts not stored yet (most are: shared by other plans) and keep them in this process."""
    if not parts:
        return
    stored_already = set(PlanPart.objects.filter(digest__in=list(parts)).values_list("digest", flat=True))
    PlanPart.objects.bulk_create(
        [
            PlanPart(digest=key, kind=part["kind"], body=part["body"])
            for key, part in parts.items()
            if key not in stored_already
        ],
        ignore_conflicts=True,  # another transaction may store the same part at the same moment
    )
    remember_parts(parts)


def store_engines(writes: list[PlanWrite]) -> None:
    """Store each plan's engine as blueprint, item columns, parts and change rows (constant queries).

    Sets `plan.blueprint`; the caller saves the Plan row (its version must already be the new one,
    which the change rows record). Every engine item must have its PlanItem row already.
    """
    if not writes:
        return
    previous = {w.plan.pk: getattr(w.plan, "_stored_plan", None) for w in writes}  # the cache engine_of leaves
    previous = {pk: stored for pk, stored in previous.items() if stored is not None}
    unknown = [w.plan for w in writes if not w.created and w.plan.pk not in previous]
    if unknown:
        previous.update(stored_plans(unknown))
    stored = {id(w): w.stored or stored_form(w.engine) for w in writes}
    parts = {}
    for new in stored.values():
        parts.update(new.parts)
    store_parts(parts)
    # Each plan's item rows by slug (grouped once: a chunk writes hundreds of plans).
    rows: dict[int, dict[str, PlanItem]] = {}
    for item_row in PlanItem.objects.filter(plan_id__in=[w.plan.pk for w in writes]).annotate(slug=F("exercise__slug")):
        rows.setdefault(item_row.plan_id, {})[item_row.slug] = item_row
    changes = []
    touched = []
    for write in writes:
        new = stored[id(write)]
        write.plan.blueprint = new.blueprint
        kept = {item.slug for item in new.items}
        plan_rows = rows.get(write.plan.pk, {})
        for item in new.items:
            row = plan_rows.get(item.slug)
            if row is None:
                raise LookupError(f"plan {write.plan.pk} has no item row for {item.slug}")
            _fill(row, item, write.dose_week)
            row.stored_version = write.plan.version
            touched.append(row)
        for slug, row in plan_rows.items():
            if slug not in kept and row.in_plan:
                row.in_plan = False
                touched.append(row)
        for change in storage.changes_between(previous.get(write.plan.pk), new):
            changes.append(
                PlanChange(
                    plan=write.plan,
                    item=plan_rows[change.slug] if change.slug else None,
                    week=change.week,
                    field=change.field,
                    before=change.before,
                    after=change.after,
                    trigger=write.trigger,
                    reason=write.reason,
                    decision=write.decision,
                    by=write.by,
                    version=write.plan.version,
                )
            )
        write.plan._stored_plan = new  # type: ignore[attr-defined]  # a cache on the row, not a field
        write.plan._engine_plan = (write.plan.version, write.engine)  # type: ignore[attr-defined]  # a cache on the row, not a field
    update_rows(PlanItem, touched, ITEM_COLUMNS)
    PlanChange.objects.bulk_create(changes, batch_size=1000)


def _fill(row: PlanItem, item: storage.StoredItem, dose_week: int) -> None:
    row.in_plan = True
    row.exercise_part = item.exercise
    row.progression_part = item.progression
    row.rationale_part = item.rationale
    row.targets = item.targets
    row.notes = item.notes
    row.prescribed_dose = item.dose
    row.schedule = item.schedule
    current = storage.dose_in_week(item, dose_week)
    values = storage.dose_variables(current)
    row.dose_week = dose_week if current is not None else None
    row.frequency_per_week = values["frequency_per_week"]
    row.minutes = values["minutes"]
    row.sets = values["sets"]
    row.reps = values["reps"]
    row.hold_seconds = values["hold_seconds"]
    row.intensity = values["intensity"] or []

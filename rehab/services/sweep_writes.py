"""Every write of a plan's state after weekly decisions, for one plan or a chunk of plans, in bulk.

The per-plan path (rehab.services.progression) writes through `decided_states_write`: the plan's new
schedule (the engine's rows, rehab.services.plan_store, with one PlanChange per changed field naming
the decision), and the Plan row's status, pause reason and version with one history record giving
the change reason. The set-based sweep (rehab.services.sweep) writes the same rows through
`chunk_states_write`, from items it rescheduled and stored one by one (planner.stored_items): only
the item columns a reschedule can change, the change rows those items carry, and the blueprint
where its rule map changed. A test compares the two paths' rows. A constant number of queries
whatever the number of plans.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from planner import storage, stored_items
from planner.types import Dose
from planner.types import Plan as EnginePlan
from rehab.bulk_sql import insert_values, update_rows, update_values
from rehab.models import ChangeTrigger, Plan, PlanChange, PlanItem, ProgressionDecision
from rehab.models.plans import DOSE_COLUMNS
from rehab.services.plan_store import PlanWrite, cached_parts, store_engines, store_parts
from rehab.services.sweep_history import history_copy

PLAN_FIELDS = ["blueprint", "status", "pause_reason", "pause_said", "version", "updated_at"]
# What a reschedule can change in an item row (the part digests, targets and notes stay as they are).
RESCHEDULED_COLUMNS = ("stored_version", *DOSE_COLUMNS)


@dataclass
class DecidedState:
    """One plan after one decided week.

    plan: the row with its new status, pause_reason, version and _change_reason already set
        (rehab.services.progression.plan_next_state); engine: the rescheduled engine plan when
        weeks remain, else None; decision: the saved decision that made the change.
    """

    plan: Plan
    engine: EnginePlan | None
    week: int
    decision: ProgressionDecision


def decided_states_write(states: list[DecidedState]) -> None:
    """Store the plans' new schedules and Plan rows with their history (inside the caller's transaction)."""
    if not states:
        return
    store_engines(
        [
            PlanWrite(
                plan=state.plan,
                engine=state.engine,
                # The week after the decided one starts with the decided doses: it is the current one.
                dose_week=state.week + 1,
                trigger=ChangeTrigger.DECISION,
                reason=state.plan._change_reason,  # type: ignore[attr-defined]  # set by plan_next_state
                decision=state.decision,
            )
            for state in states
            if state.engine is not None
        ]
    )
    now = timezone.now()
    plans = [state.plan for state in states]
    for plan in plans:
        plan.updated_at = now  # what save() would set (auto_now); bulk_update does not
    # Each plan's history record carries its own _change_reason (the decision's summary).
    bulk_update_with_history(plans, Plan, PLAN_FIELDS, batch_size=1000, default_date=now)


@dataclass
class StoredItems:
    """A plan of a sweep chunk as the sweep holds it: its decoded blueprint and its typed items.

    items: in blueprint order; row_ids: PlanItem id by slug; stray: ids of item rows marked in the
    plan that its blueprint does not name (the write takes them out, as store_engines does);
    rescheduled: the items after the last `reschedule`, until they are written.
    """

    frame: stored_items.Frame
    items: list[stored_items.TypedItem]
    row_ids: dict[str, int]
    stray: list[int] = field(default_factory=list)
    rescheduled: list[stored_items.Rescheduled] | None = None
    new_blueprint: dict[str, Any] | None = None  # written since the frame was decoded (next round decodes it)

    def reschedule(
        self,
        engine: EnginePlan,
        week: int,
        doses: Mapping[str, Dose],
        *,
        held: frozenset[str] = frozenset(),
        keep_as_given: frozenset[str] = frozenset(),
    ) -> EnginePlan:
        """planner.editing.reschedule_from(engine, ...), item by item (engine is this plan's typed plan)."""
        if self.new_blueprint is not None:
            self.frame = stored_items.frame(storage.canonical(self.new_blueprint), cached_parts)
            self.new_blueprint = None
        if not 1 <= week <= len(engine.weeks):
            raise ValueError(f"week {week} is outside the plan (1-{len(engine.weeks)})")
        unknown = set(doses) - {one.item.slug for one in self.items}
        if unknown:
            raise ValueError(f"not in the plan: {sorted(unknown)}")
        self.rescheduled = [
            stored_items.reschedule_item(
                self.frame,
                one,
                week,
                doses.get(one.item.slug),
                held=one.item.slug in held,
                keep_as_given=one.item.slug in keep_as_given,
            )
            for one in self.items
        ]
        return stored_items.assemble(self.frame, [one.typed for one in self.rescheduled])


def chunk_states_write(states: list[DecidedState], stored: dict[int, StoredItems]) -> None:
    """Store a chunk's decided plans from their items rescheduled one by one (constant queries)."""
    if not states:
        return
    now = timezone.now()
    item_values: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []  # PlanChange rows as CHANGE_COLUMNS values
    parts: dict[str, dict[str, Any]] = {}
    new_blueprints: list[Plan] = []
    whole: list[PlanWrite] = []
    stray: list[tuple[int, bool]] = []
    # What each rescheduled item writes, once per item of the chunk: plans from one template share
    # their rescheduled items (planner.stored_items memoises them), so most repeat hundreds of times.
    written: dict[int, tuple[stored_items.Rescheduled, tuple[Any, ...], list[tuple[Any, ...]]]] = {}
    for state in states:
        plan = state.plan
        plan.updated_at = now  # what save() would set (auto_now)
        one = stored[plan.pk]
        if state.engine is None or one.rescheduled is None:
            continue
        done, one.rescheduled = one.rescheduled, None
        reason = plan._change_reason  # type: ignore[attr-defined]  # set by plan_next_state
        try:
            blueprint, rules_part = stored_items.stored_blueprint(one.frame, done)
        except stored_items.RuleTextConflict:
            # Two items cite one rule id with different texts: the whole-plan path picks the text.
            plan._stored_plan = storage.StoredPlan(  # type: ignore[attr-defined]  # what store_engines compares with
                one.frame.blueprint, tuple(typed.stored for typed in one.items)
            )
            whole.append(
                PlanWrite(
                    plan=plan,
                    engine=state.engine,
                    dose_week=state.week + 1,
                    trigger=ChangeTrigger.DECISION,
                    reason=reason,
                    decision=state.decision,
                )
            )
            one.items = [item.typed for item in done]
            continue
        stray += [(pk, False) for pk in one.stray]
        one.stray = []
        for item in done:
            row_id = one.row_ids[item.typed.item.slug]
            known = written.get(id(item))
            if known is None or known[0] is not item:
                known = (item, *_written(item))
                written[id(item)] = known
                parts.update(item.parts)
            _item, values, change_texts = known
            item_values.append((row_id, plan.version, *values))
            for week, name, before, after in change_texts:
                changes.append((plan.pk, row_id, week, name, before, after, reason, state.decision.pk, plan.version))
        one.items = [item.typed for item in done]
        if blueprint["rules"] != one.frame.blueprint["rules"]:
            parts.update(rules_part)
            plan.blueprint = blueprint
            new_blueprints.append(plan)
            one.new_blueprint = blueprint
    store_parts(parts)
    update_values(PlanItem, RESCHEDULED_COLUMNS, item_values)
    update_values(PlanItem, ["in_plan"], stray)
    changes_write(changes)
    store_engines(whole)  # sets each plan's blueprint; the Plan rows are written below
    for write in whole:
        stored[write.plan.pk].new_blueprint = write.plan.blueprint
        new_blueprints.append(write.plan)
    plans = [state.plan for state in states]
    update_rows(Plan, plans, ["status", "pause_reason", "pause_said", "version", "updated_at"])
    update_rows(Plan, new_blueprints, ["blueprint"])
    # Each plan's history record carries its own _change_reason (the decision's summary).
    history_copy(Plan, plans, update=True, date=now)


def _written(item: stored_items.Rescheduled) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """An item's RESCHEDULED_COLUMNS values after stored_version, and its changes as (week, field,
    before, after) with the values as JSON text."""
    values = tuple(item.columns[name] for name in RESCHEDULED_COLUMNS[1:])
    return values, [(change.week, change.field, _json(change.before), _json(change.after)) for change in item.changes]


# The PlanChange columns a decision's change fills; `by` stays empty and created_at takes its default.
CHANGE_COLUMNS = ("plan", "item", "week", "field", "before", "after", "reason", "decision", "version")


def changes_write(changes: list[tuple[Any, ...]]) -> None:
    """Insert a chunk's PlanChange rows (CHANGE_COLUMNS values, trigger DECISION) in one statement.

    Built as plain tuples: PlanChange instances and bulk_create cost ≈ 1 ms of Python a row, and a
    chunk of 500 plans changes thousands of fields.
    """
    if not changes:
        return
    columns = [list(column) for column in zip(*changes, strict=True)]
    insert_values(PlanChange, [*CHANGE_COLUMNS, "trigger"], [*columns, [ChangeTrigger.DECISION.value] * len(changes)])


def _json(value: Any) -> str | None:
    """A JSONField's value in the database's form (None stays SQL NULL, as a model save stores it)."""
    return None if value is None else json.dumps(value)

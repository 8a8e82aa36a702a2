"""A stored plan item by item: each item decoded, rescheduled and stored back on its own, memoised by content.

Rebuilding a whole typed plan from its rows (storage.join, serialize.from_dict) and splitting the
rescheduled plan again (serialize.to_dict, storage.split) cost most of the weekly sweep. Every one of
those steps works item by item: planner.editing.reschedule_from forecasts each item from that item's
own doses, serialize writes each item's weeks from that item alone, and split keeps each item's
schedule in its own record. So running the same functions on a plan of one item gives exactly that
item's part of the whole plan's result, and that result depends on nothing but the item's stored
content, the plan's limits and rule texts, the week and the dose given. Both steps are memoised here
by that content:

- `frame`: a blueprint decoded (profile, limits, targets), per blueprint;
- `typed_item`: an item's typed PrescriptionItem and its dose of each week, per item content;
- `reschedule_item`: the item after reschedule_from, stored again (its StoredItem, the parts it
  needs, its rule ids, its item columns and its recorded changes), per (item, limits, week, dose);
- `assemble` puts a typed plan together from a frame and its items (what the decision reads), and
  `stored_blueprint` gives the blueprint after a reschedule (only its rule map can change).

Plans built from the same template with the same limits share most of their items, so a chunk of
plans decodes and reschedules each distinct item once. A test compares every result with the whole
plan's path (join/from_dict, reschedule_from, split/to_dict, changes_between).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner import serialize, storage
from planner.editing import reschedule_from
from planner.types import Dose, Plan, PlanWeek, PrescriptionItem, ScheduledDose

Parts = Mapping[str, Mapping[str, Any]]
# The item as its row holds it: slug, component, the three part digests, then the JSON texts of its
# targets, notes, prescribed dose and schedule (any JSON text of a value stands for that value).
RawItem = tuple[str, str, str, str, str, str, str, str, str]

# Entries each memo keeps before it starts again (a process sweeping a large clinic sees many items).
MEMO_SIZE = 20_000


class RuleTextConflict(ValueError):
    """Two items of one plan refer to one rule id with different texts: the whole plan's rule index
    keeps the first it meets, so the caller stores that plan the whole-plan way."""


@dataclass(frozen=True, eq=False)
class Frame:
    """A plan's blueprint decoded: everything but its items, shared by the plans with that blueprint.

    rule_map: rule id -> rule part digest for the rules the limits and the targets refer to.
    limits_key: the limits as canonical JSON (with the rule map's digest, which fixes their texts).
    """

    blueprint: dict[str, Any]
    plan: Plan  # the typed plan without items and weeks
    rule_map: dict[str, str]
    limits_key: str
    rules: serialize.RuleDecoder  # the whole plan's rules (its blueprint's rule map), decoded once for its items


@dataclass(frozen=True, eq=False)
class TypedItem:
    """One item as the typed plan holds it: the PrescriptionItem and its dose of each week (None: none)."""

    stored: storage.StoredItem
    item: PrescriptionItem
    weeks: tuple[ScheduledDose | None, ...]
    texts: dict[str, str]  # the JSON texts of targets, notes, dose and schedule, as written


@dataclass(frozen=True, eq=False)
class Rescheduled:
    """One item after reschedule_from at `week`, stored again.

    columns: the PlanItem columns the write sets (the dose of `week` as columns, the compact dose and
    schedule as JSON texts); changes: what changed from the item before (storage.changes_between).
    """

    typed: TypedItem
    parts: dict[str, dict[str, Any]]
    rule_map: dict[str, str]
    changes: tuple[storage.FieldChange, ...]
    columns: dict[str, Any]


_FRAMES: dict[str, Frame] = {}
_ITEMS: dict[tuple[Any, ...], TypedItem] = {}
_RESCHEDULED: dict[tuple[Any, ...], list[tuple[Dose | None, Rescheduled]]] = {}
# Doses an item's reschedule at one week keeps (a decision advances, holds or regresses it: a few).
DOSES_PER_SLOT = 16
_BLUEPRINTS: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}


def forget() -> None:
    """Drop every memo (tests that compare with the whole-plan path start from nothing)."""
    for memo in (_FRAMES, _ITEMS, _RESCHEDULED, _BLUEPRINTS):
        memo.clear()


def _bounded(memo: dict[Any, Any]) -> dict[Any, Any]:
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    return memo


def text(value: Any) -> str:
    """A value's JSON text as the database layer writes it."""
    return json.dumps(value)


def frame(blueprint_text: str, parts: Callable[[set[str]], Parts]) -> Frame:
    """The decoded blueprint. parts(digests) returns those parts (called only when not memoised)."""
    found = _FRAMES.get(blueprint_text)
    if found is not None:
        return found
    blueprint = json.loads(blueprint_text)
    rule_map = dict(parts({blueprint["rules"]})[blueprint["rules"]]["body"])
    known = parts(storage.digests_referred(blueprint, (), rule_map))
    empty = {**blueprint, "items": [], "weeks": 0}
    plan = serialize.from_dict(Plan, storage.join(storage.StoredPlan(empty, (), _plain(known))))
    base = storage.split(serialize.to_dict(plan))
    limits_key = storage.canonical([blueprint["limits"], blueprint["rules"]])
    rules = serialize.rule_decoder(storage.rule_index_of(blueprint, known))
    made = Frame(blueprint, plan, dict(base.parts[base.blueprint["rules"]]["body"]), limits_key, rules)
    _bounded(_FRAMES)[blueprint_text] = made
    return made


def _plain(parts: Parts) -> dict[str, dict[str, Any]]:
    return {digest: dict(part) for digest, part in parts.items()}


def knows_frame(blueprint_text: str) -> bool:
    """Whether `frame` has this blueprint decoded already (else the caller reads its parts first)."""
    return blueprint_text in _FRAMES


def _item_key(plan_frame: Frame, raw: RawItem) -> tuple[Any, ...]:
    return (plan_frame.blueprint["rules"], plan_frame.blueprint["weeks"], *raw)


def knows_item(plan_frame: Frame, raw: RawItem) -> bool:
    """Whether `typed_item` has this item decoded already (else the caller reads its parts first)."""
    return _item_key(plan_frame, raw) in _ITEMS


def stored_item(raw: RawItem) -> storage.StoredItem:
    """The StoredItem an item row holds."""
    slug, component, exercise, progression, rationale, targets, notes, dose, schedule = raw
    return storage.StoredItem(
        slug,
        component,
        exercise,
        progression,
        rationale,
        json.loads(targets),
        json.loads(notes),
        json.loads(dose),
        json.loads(schedule),
    )


def typed_item(
    plan_frame: Frame, raw: RawItem, parts: Callable[[set[str]], Parts], decoded: storage.StoredItem | None = None
) -> TypedItem:
    """The typed item whose row is `raw` (decoded: the StoredItem of those texts, if the caller has it)."""
    key = _item_key(plan_frame, raw)
    found = _ITEMS.get(key)
    if found is not None:
        return found
    slug, _component, _exercise, _progression, _rationale, targets, notes, dose, schedule = raw
    stored = decoded or stored_item(raw)
    # Only the item and its weeks are decoded, against the plan's rules the frame decoded once: what
    # from_dict(Plan, join(...)) of a plan of this item alone gives for it, without decoding the plan's
    # profile, limits and whole rule index again for every item (a sixth of the sweep of individual plans).
    known = parts(storage.digests_referred({**plan_frame.blueprint, "items": [slug]}, (stored,)))
    document, scheduled = storage.join_item(stored, known)
    item, by_week = serialize.item_from_dict(document, scheduled, plan_frame.rules)
    texts = {"targets": targets, "notes": notes, "prescribed_dose": dose, "schedule": schedule}
    weeks = tuple(by_week.get(number) for number in range(1, plan_frame.blueprint["weeks"] + 1))
    made = TypedItem(stored, item, weeks, texts)
    _bounded(_ITEMS)[key] = made
    return made


def assemble(plan_frame: Frame, items: Sequence[TypedItem]) -> Plan:
    """The typed plan of these items (what serialize.from_dict(Plan, storage.join(...)) gives)."""
    base = plan_frame.plan
    weeks = tuple(
        PlanWeek(number, tuple(dose for one in items if (dose := one.weeks[number - 1]) is not None))
        for number in range(1, plan_frame.blueprint["weeks"] + 1)
    )
    return Plan(
        profile=base.profile,
        limits=base.limits,
        items=tuple(one.item for one in items),
        weeks=weeks,
        components_without_exercise=base.components_without_exercise,
        safety_notice=base.safety_notice,
        targets=base.targets,
    )


def _alone(plan_frame: Frame, one: TypedItem) -> Plan:
    base = plan_frame.plan
    weeks = tuple(PlanWeek(number, () if dose is None else (dose,)) for number, dose in enumerate(one.weeks, start=1))
    return Plan(base.profile, base.limits, (one.item,), weeks, (), base.safety_notice, ())


def reschedule_item(
    plan_frame: Frame, one: TypedItem, week: int, dose: Dose | None, *, held: bool, keep_as_given: bool
) -> Rescheduled:
    """The item after reschedule_from(plan, week, {slug: dose}, ...) on its plan, stored again."""
    # Looked up by everything but the dose, then the dose compared: hashing a Dose hashes every rule
    # its rationale cites (≈ 3.5 µs a dose), where comparing two doses that cite the same rule objects
    # mostly compares identities. The same hits as a key with the dose in it.
    key = (one, plan_frame.limits_key, week, held, keep_as_given)
    given_before = _RESCHEDULED.get(key)
    for given, found in given_before or ():
        if given is dose or given == dose:
            return found
    slug = one.item.slug
    new = reschedule_from(
        _alone(plan_frame, one),
        week,
        {} if dose is None else {slug: dose},
        held=frozenset({slug}) if held else frozenset(),
        keep_as_given=frozenset({slug}) if keep_as_given else frozenset(),
    )
    # Only the item is written and split: the plan's profile and limits are the blueprint's (frame), and
    # digesting every rule of the plan again for each item was a third of a reschedule that misses.
    weeks = [(w.number, entry) for w in new.weeks if (entry := w.dose_for(slug)) is not None]
    stored, item_parts, rule_map = storage.split_item(*serialize.item_to_dict(new.items[0], weeks))
    texts = {
        "targets": one.texts["targets"],
        "notes": one.texts["notes"],
        "prescribed_dose": text(stored.dose),
        "schedule": text(stored.schedule),
    }
    typed = TypedItem(stored, new.items[0], tuple(w.dose_for(slug) for w in new.weeks), texts)
    frame_of_one = {"limits": {}, "items": [slug], "weeks": plan_frame.blueprint["weeks"]}
    changes = storage.changes_between(
        storage.StoredPlan(frame_of_one, (one.stored,)), storage.StoredPlan(frame_of_one, (stored,))
    )
    current = storage.dose_in_week(stored, week)
    columns = {
        **storage.dose_variables(current),
        "dose_week": week if current is not None else None,
        "prescribed_dose": texts["prescribed_dose"],
        "schedule": texts["schedule"],
    }
    columns["intensity"] = text(columns["intensity"] or [])
    kinds = ("rule", "rationale", "exercise", "progression")
    made = Rescheduled(
        typed=typed,
        parts={digest: dict(part) for digest, part in item_parts.items() if part["kind"] in kinds},
        rule_map=rule_map,
        changes=tuple(changes),
        columns=columns,
    )
    if given_before is None or len(given_before) >= DOSES_PER_SLOT:
        given_before = []
        _bounded(_RESCHEDULED)[key] = given_before
    given_before.append((dose, made))
    return made


def stored_blueprint(plan_frame: Frame, items: Sequence[Rescheduled]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The blueprint after these items were rescheduled, and the rule map's part ({digest: part}).

    Only the rule map can change (a decision's rationale may cite rules the plan did not cite before,
    and a forecast may stop citing some); raises RuleTextConflict when two items cite one rule id with
    different texts.
    """
    key = (plan_frame, *items)
    found = _BLUEPRINTS.get(key)
    if found is not None:
        return found
    rule_map = dict(plan_frame.rule_map)
    for one in items:
        for rule_id, digest in one.rule_map.items():
            if rule_map.setdefault(rule_id, digest) != digest:
                raise RuleTextConflict(rule_id)
    body = {"kind": "rules", "body": rule_map}
    rules = storage.digest(body)
    made = ({**plan_frame.blueprint, "rules": rules}, {rules: body})
    _bounded(_BLUEPRINTS)[key] = made
    return made

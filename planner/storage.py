"""How a plan is stored: a small blueprint, one record per item, and content-addressed parts.

planner.serialize turns a Plan into one JSON document (≈190 KB for a 12-week plan: every exercise
definition, every rule text and every week's doses, repeated in every plan and every history copy).
This module splits that document into what a database keeps as rows:

- the blueprint: profile, limits (rule ids), the order of the items, the number of weeks, targets,
  the safety notice: a few KB;
- one StoredItem per item: its prescribed dose and its week-by-week schedule in a compact form
  (short keys; a week's dose only when it differs from the week before, its rationale only when
  that differs), its targets and notes, and the digests of its exercise definition, progression
  rule and rationale;
- parts, keyed by a digest of their content: exercise definitions, progression rules, rationales
  (which rules set which value), the limits' provenance, the targets, the plan's rule list and the
  rule texts. Identical parts are shared by every plan that uses them, and a part never changes,
  so a plan still shows the texts it was built with after the library or the rules change.

`split(document)` and `join(stored)` work on serialize's dicts and are exact inverses
(`join(split(d)) == d` for every document serialize writes, derived values excepted); `join_item`
is one item's share of `join` (its document and its week entries), for a reader that decodes items
one by one (planner.stored_items);
`changes_between` says which fields of which item changed from one stored plan to the next, for a
history that records what changed rather than a copy of everything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# Dose fields in the compact form (the derived volume fields are not stored: serialize recomputes them).
_DOSE_KEYS = (
    ("frequency_per_week", "f"),
    ("minutes", "m"),
    ("sets", "s"),
    ("reps", "r"),
    ("hold_seconds", "h"),
)
DOSE_VARIABLES = (*(name for name, _ in _DOSE_KEYS), "intensity")
_DERIVED = ("volume_per_week", "volume_unit")


DIGEST_LENGTH = 32


def digest(body: Any) -> str:
    """The content address of a JSON-safe value: sha256 of its canonical JSON."""
    # 128 bits: collisions are out of reach for any number of parts a clinic will ever store.
    return hashlib.sha256(canonical(body).encode()).hexdigest()[:DIGEST_LENGTH]


def canonical(body: Any) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class StoredItem:
    slug: str
    component: str
    exercise: str  # digest of the exercise definition part
    progression: str  # digest of the progression rule part
    rationale: str  # digest of the item's rationale part ({field: [rule ids]})
    targets: list[Any]
    notes: list[Any]
    dose: dict[str, Any]  # the prescribed (week-1) dose, compact
    schedule: list[Any]  # [[week, compact dose or None when the same as the week before, changed, growth_pct], ...]


@dataclass(frozen=True)
class StoredPlan:
    blueprint: dict[str, Any]
    items: tuple[StoredItem, ...]
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)  # digest -> body, for every digest referred to


def ordered(mapping: Mapping[str, Any]) -> list[Any]:
    """A dict whose order means something (rationale fields, provenance) as [key, value] pairs:
    PostgreSQL's jsonb (the plan parts' column, and every JSON column before migration 0027) keeps a
    dict's keys in its own order, not in the order they were written."""
    return [[key, value] for key, value in mapping.items()]


def compact_dose(
    dose: Mapping[str, Any], *, component: str, dose_kind: str, with_rationale: bool = True
) -> dict[str, Any]:
    out = {short: dose[name] for name, short in _DOSE_KEYS if dose.get(name) is not None}
    out["i"] = [[t["unit"], t["low"], t["high"]] for t in dose["intensity"]]
    if dose["component"] != component:
        out["c"] = dose["component"]
    if dose["dose_kind"] != dose_kind:
        out["k"] = dose["dose_kind"]
    if with_rationale and "rationale" in dose:
        out["ra"] = dose["rationale"]
    return out


def expand_dose(data: Mapping[str, Any], *, component: str, dose_kind: str) -> dict[str, Any]:
    dose = {
        "component": data.get("c", component),
        "dose_kind": data.get("k", dose_kind),
        "frequency_per_week": data["f"],
        "intensity": [{"unit": u, "low": low, "high": high} for u, low, high in data["i"]],
    }
    for name, short in _DOSE_KEYS[1:]:
        dose[name] = data.get(short)
    if "ra" in data:
        dose["rationale"] = data["ra"]
    return dose


def _same_dose(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in ("f", "m", "s", "r", "h", "i", "c", "k"))


def split(document: Mapping[str, Any]) -> StoredPlan:
    """A serialize.to_dict(Plan) document as blueprint, items and parts."""
    parts: dict[str, dict[str, Any]] = {}

    def part(kind: str, body: Any) -> str:
        key = _known_digest(kind, body) or digest({"kind": kind, "body": body})
        parts[key] = {"kind": kind, "body": body}
        return key

    rules = {
        rule_id: part("rule", {"id": rule_id, **entry}) for rule_id, entry in document.get("rule_index", {}).items()
    }
    scheduled: dict[str, list[dict[str, Any]]] = {entry["exercise"]["slug"]: [] for entry in document["items"]}
    for week in document["weeks"]:
        for entry in week["doses"]:
            scheduled[entry["exercise_slug"]].append({"number": week["number"], "scheduled": entry})
    items = [_stored_item(entry, scheduled[entry["exercise"]["slug"]], part) for entry in document["items"]]
    limits = dict(document["limits"])
    limits["provenance"] = part("provenance", ordered(limits["provenance"]))
    blueprint = {
        "profile": document["profile"],
        "limits": limits,
        "items": [item.slug for item in items],
        "weeks": len(document["weeks"]),
        "components_without_exercise": document["components_without_exercise"],
        "safety_notice": document["safety_notice"],
        "targets": part("targets", document.get("targets", [])),
        "rules": part("rules", rules),
    }
    return StoredPlan(blueprint=blueprint, items=tuple(items), parts=parts)


def split_item(
    document: Mapping[str, Any], scheduled: Iterable[Mapping[str, Any]], rule_index: Mapping[str, Any]
) -> tuple[StoredItem, dict[str, dict[str, Any]], dict[str, str]]:
    """One item's share of `split`, from serialize.item_to_dict's three values: its StoredItem, the parts it
    refers to (its exercise, progression, rationales and rules) and its rule map (rule id -> digest)."""
    parts: dict[str, dict[str, Any]] = {}

    def part(kind: str, body: Any) -> str:
        key = _known_digest(kind, body) or digest({"kind": kind, "body": body})
        parts[key] = {"kind": kind, "body": body}
        return key

    rules = {rule_id: part("rule", {"id": rule_id, **entry}) for rule_id, entry in rule_index.items()}
    return _stored_item(document, scheduled, part), parts, rules


def _stored_item(
    entry: Mapping[str, Any], scheduled: Iterable[Mapping[str, Any]], part: Callable[[str, Any], str]
) -> StoredItem:
    """The StoredItem of an item's document and its week entries ({"number", "scheduled"}, in week order)."""
    component, dose_kind = entry["component"], entry["exercise"]["dose_kind"]
    schedule = []
    for week in scheduled:
        one = week["scheduled"]
        dose = compact_dose(one["dose"], component=component, dose_kind=dose_kind)
        if "ra" in dose:
            dose["ra"] = part("rationale", ordered(dose["ra"]))
        schedule.append([week["number"], dose, one["changed"], one["growth_pct"]])
    return StoredItem(
        slug=entry["exercise"]["slug"],
        component=component,
        exercise=part("exercise", entry["exercise"]),
        progression=part("progression", entry["progression"]),
        rationale=part("rationale", ordered(entry["rationale"])),
        targets=list(entry.get("targets", ())),
        notes=list(entry.get("notes", ())),
        dose=_with_rationale_part(compact_dose(entry["dose"], component=component, dose_kind=dose_kind), part),
        schedule=_compress(schedule),
    )


# The sweep splits every rescheduled item on its own, and each split digests every rule text and
# rationale the item cites: the same few hundred bodies, hashed again for every item of every plan
# (half the split's time). Those two kinds are kept by a key that is cheap to build.
def _known_digest(kind: str, body: Any) -> str | None:
    if kind == "rule" and body.keys() == _RULE_KEYS:
        return _rule_digest(body["id"], body["text"], body["evidence"], body["source"])
    if kind == "rationale":
        return rationale_digest(body)
    return None


def rationale_digest(body: Iterable[Any]) -> str:
    """The digest of a "rationale" part ([[field, [rule ids]], ...]), kept per process."""
    return _rationale_digest(tuple((name, tuple(ids)) for name, ids in body))


_RULE_KEYS = {"id", "text", "evidence", "source"}


@lru_cache(maxsize=16384)
def _rule_digest(rule_id: str, text: str, evidence: str, source: str) -> str:
    body = {"id": rule_id, "text": text, "evidence": evidence, "source": source}
    return digest({"kind": "rule", "body": body})


@lru_cache(maxsize=65536)
def _rationale_digest(fields: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return digest({"kind": "rationale", "body": [[name, list(ids)] for name, ids in fields]})


def _with_rationale_part(dose: dict[str, Any], part: Callable[[str, Any], str]) -> dict[str, Any]:
    if "ra" in dose:
        dose["ra"] = part("rationale", ordered(dose["ra"]))
    return dose


def _with_rationale_body(dose: dict[str, Any], parts: Mapping[str, Any]) -> dict[str, Any]:
    if "ra" in dose:
        dose = {**dose, "ra": dict(parts[dose["ra"]]["body"])}
    return dose


def _compress(schedule: list[Any]) -> list[Any]:
    """A week's dose is written only when it differs from the week before (None: the same dose)."""
    out, previous = [], None
    for number, dose, changed, growth in schedule:
        same = previous is not None and _same_dose(previous, dose) and "ra" not in dose
        out.append([number, None if same else dose, changed, growth])
        if not same:
            previous = dose
    return out


def expand_schedule(schedule: list[Any]) -> list[tuple[int, dict[str, Any], str | None, float]]:
    """(week, compact dose with its rationale only where it changed, changed, growth_pct) per scheduled week."""
    out: list[tuple[int, dict[str, Any], str | None, float]] = []
    previous: dict[str, Any] = {}
    for number, dose, changed, growth in schedule:
        if dose is None:
            # A week written as None repeats the dose before it (a schedule never starts with one).
            dose = {key: value for key, value in previous.items() if key != "ra"}
        out.append((number, dose, changed, growth))
        previous = dose
    return out


def join(stored: StoredPlan) -> dict[str, Any]:
    """The serialize.to_dict(Plan) document that `split` came from."""
    parts = stored.parts
    blueprint = stored.blueprint
    by_slug = {item.slug: item for item in stored.items}
    ordered = [by_slug[slug] for slug in blueprint["items"]]
    rule_index = rule_index_of(blueprint, parts)
    items: list[dict[str, Any]] = []
    weeks: dict[int, list[dict[str, Any]]] = {}
    for item in ordered:
        document, scheduled = join_item(item, parts)
        items.append(document)
        for entry in scheduled:
            weeks.setdefault(entry["number"], []).append(entry["scheduled"])
    limits = {**blueprint["limits"], "provenance": dict(parts[blueprint["limits"]["provenance"]]["body"])}
    return {
        "profile": blueprint["profile"],
        "limits": limits,
        "items": items,
        "weeks": [{"number": n, "doses": weeks.get(n, [])} for n in range(1, blueprint["weeks"] + 1)],
        "components_without_exercise": blueprint["components_without_exercise"],
        "safety_notice": blueprint["safety_notice"],
        "targets": parts[blueprint["targets"]]["body"],
        "rule_index": rule_index,
    }


def rule_index_of(blueprint: Mapping[str, Any], parts: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The serialize rule_index of a stored plan: its rule map's rules with their texts."""
    rule_index = {}
    for rule_id, key in parts[blueprint["rules"]]["body"].items():
        body = parts[key]["body"]
        rule_index[rule_id] = {"text": body["text"], "evidence": body["evidence"], "source": body["source"]}
    return rule_index


def join_item(item: StoredItem, parts: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One stored item's part of `join`: its document in "items", and its entry of each week it has a dose
    in, as {"number": week, "scheduled": its entry in that week's "doses"}."""
    exercise = parts[item.exercise]["body"]
    dose_kind = exercise["dose_kind"]
    document = {
        "exercise": exercise,
        "component": item.component,
        "dose": expand_dose(_with_rationale_body(item.dose, parts), component=item.component, dose_kind=dose_kind),
        "progression": parts[item.progression]["body"],
        "rationale": dict(parts[item.rationale]["body"]),
        "targets": item.targets,
        "notes": item.notes,
    }
    scheduled = [
        {
            "number": number,
            "scheduled": {
                "exercise_slug": item.slug,
                "dose": expand_dose(_with_rationale_body(dose, parts), component=item.component, dose_kind=dose_kind),
                "changed": changed,
                "growth_pct": growth,
            },
        }
        for number, dose, changed, growth in expand_schedule(item.schedule)
    ]
    return document, scheduled


def dose_in_week(item: StoredItem, week: int) -> dict[str, Any] | None:
    """The item's compact dose in plan week `week` (without rationale), None when it has none that week."""
    found = None
    for number, dose, _changed, _growth in expand_schedule(item.schedule):
        if number > week:
            break
        found = dose if number == week else None
    if found is None:
        return None
    return {key: value for key, value in found.items() if key != "ra"}


def dose_variables(compact: Mapping[str, Any] | None) -> dict[str, Any]:
    """The compact dose's variables by their full names (None for an item without a dose)."""
    if compact is None:
        return dict.fromkeys(DOSE_VARIABLES)
    values = {name: compact.get(short) for name, short in _DOSE_KEYS}
    values["intensity"] = [list(entry) for entry in compact["i"]]
    return values


@dataclass(frozen=True)
class FieldChange:
    """One recorded change: item slug (None for the plan's limits), plan week (None when not per week),
    field name, and the values before and after."""

    slug: str | None
    week: int | None
    field: str
    before: object
    after: object


def _flatten(prefix: str, value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        out = {}
        for key, inner in value.items():
            out.update(_flatten(f"{prefix}.{key}" if prefix else key, inner))
        return out
    return {prefix: value}


def changes_between(before: StoredPlan | None, after: StoredPlan) -> list[FieldChange]:
    """What changed from one stored plan to the next, field by field.

    Limits: every limit value that changed. Items: each one added or removed, and for each item kept,
    the first plan week whose dose differs and every dose variable that differs in it (what a
    clinician reads as "from week 5, minutes 20 → 25"; the forecast after it follows from the rules).
    """
    if before is None:
        return []
    changes: list[FieldChange] = []
    old_limits = _flatten("", {k: v for k, v in before.blueprint["limits"].items() if k not in ("rules", "provenance")})
    new_limits = _flatten("", {k: v for k, v in after.blueprint["limits"].items() if k not in ("rules", "provenance")})
    for name in sorted(set(old_limits) | set(new_limits)):
        if old_limits.get(name) != new_limits.get(name):
            changes.append(FieldChange(None, None, f"limits.{name}", old_limits.get(name), new_limits.get(name)))
    old_items = {item.slug: item for item in before.items}
    new_items = {item.slug: item for item in after.items}
    for slug in old_items.keys() - new_items.keys():
        changes.append(FieldChange(slug, None, "in_plan", True, False))
    for slug in new_items.keys() - old_items.keys():
        changes.append(FieldChange(slug, None, "in_plan", False, True))
    weeks = max(before.blueprint["weeks"], after.blueprint["weeks"])
    for slug in [s for s in after.blueprint["items"] if s in old_items]:
        old, new = old_items[slug], new_items[slug]
        old_weeks = {n: dose for n, dose, _c, _g in expand_schedule(old.schedule)}
        new_weeks = {n: dose for n, dose, _c, _g in expand_schedule(new.schedule)}
        for week in range(1, weeks + 1):
            a, b = old_weeks.get(week), new_weeks.get(week)
            if (a is None and b is None) or (a is not None and b is not None and _same_dose(a, b)):
                continue
            va, vb = dose_variables(a), dose_variables(b)
            for name in DOSE_VARIABLES:
                if va[name] != vb[name]:
                    changes.append(FieldChange(slug, week, name, va[name], vb[name]))
            break
    return changes


def digests_referred(
    blueprint: Mapping[str, Any], items: Iterable[StoredItem], rule_map: Mapping[str, Any] | None = None
) -> set[str]:
    """Every part digest a blueprint and its items refer to (what a loader must fetch).

    The rule parts are listed by the blueprint's "rules" part: pass its body as `rule_map` to include
    them (a loader fetches that part first, or finds it in its cache).
    """
    wanted = {blueprint["rules"], blueprint["limits"]["provenance"], blueprint["targets"]}
    if rule_map is not None:
        wanted.update(rule_map.values())
    for item in items:
        wanted.update((item.exercise, item.progression, item.rationale))
        if "ra" in item.dose:
            wanted.add(item.dose["ra"])
        wanted.update(dose["ra"] for _n, dose, _c, _g in item.schedule if dose is not None and "ra" in dose)
    return wanted

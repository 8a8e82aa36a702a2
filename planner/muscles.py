"""Target muscle groups: which groups a profile's exercise choice aims at, from rule data.

planner/data/rules_selection.json lists target rules (id, text, evidence, source, a condition on the
profile, the MUSCLE_GROUPS they target and the components that serve them) and how far a component's
exercise count may grow to cover them. prescribe.py covers the targets first; every item says which
targets it serves and cites their rules. Nothing here depends on a particular patient: a myositis
profile gets the MMT-8 groups because a rule's condition matches, not because of a branch in code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.rules import Condition, RuleDataError, compile_condition
from planner.types import ExerciseSpec, Profile, Rule
from planner.vocabulary import COMPONENTS, DOSE_KINDS, MOVEMENT_TAGS, MUSCLE_GROUPS

SELECTION_RULES_PATH = Path(__file__).resolve().parent / "data" / "rules_selection.json"

# How a target may use the component's exercise count, strongest first (see rules_selection.json).
SLOTS = ("added", "within", "fill")


@dataclass(frozen=True)
class ServedBy:
    """Which exercises serve a target beyond working the muscle group: dose kinds (empty: any) and
    movement attributes the exercise must all carry (e.g. a spinal-extension hold)."""

    dose_kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def admits(self, spec: ExerciseSpec) -> bool:
        if self.dose_kinds and spec.dose_kind not in self.dose_kinds:
            return False
        return set(self.tags) <= set(spec.tags)


@dataclass(frozen=True)
class TargetRule:
    rule: Rule
    when: Condition
    groups: tuple[str, ...]
    components: tuple[str, ...]
    slots: str
    served_by: ServedBy


@dataclass(frozen=True)
class Target:
    """One muscle group a component aims at for this profile.

    group: one of MUSCLE_GROUPS; slots: the strongest SLOTS value of the rules naming it;
    served_by: what an exercise must be to serve it; rules: every rule that made it a target.
    """

    group: str
    slots: str
    served_by: ServedBy
    rules: tuple[Rule, ...]

    def served_by_exercise(self, spec: ExerciseSpec) -> bool:
        return self.group in spec.muscle_groups and self.served_by.admits(spec)


@dataclass(frozen=True)
class SelectionBook:
    """The selection rule data. max_counts: component -> (largest count, its rule)."""

    targets: tuple[TargetRule, ...]
    max_counts: Mapping[str, tuple[int, Rule]]
    aerobic_reach_rule: Rule

    def all_rules(self) -> tuple[Rule, ...]:
        return (
            *(target.rule for target in self.targets),
            *(rule for _, rule in self.max_counts.values()),
            self.aerobic_reach_rule,
        )


def _rule(data: Mapping[str, Any], where: str) -> Rule:
    try:
        return Rule(id=data["id"], text=data["text"], evidence=data["evidence"], source=data["source"])
    except KeyError as missing:
        raise RuleDataError(f"{where}: missing {missing}") from None
    except ValueError as error:
        raise RuleDataError(f"{where}: {error}") from None


def _unknown(values: Iterable[str], vocabulary: Iterable[str]) -> list[str]:
    return sorted(set(values) - set(vocabulary))


def selection_book_from_data(data: Mapping[str, Any]) -> SelectionBook:
    """Build and validate the selection rules from the parsed JSON document."""
    targets = []
    for entry in data["targets"]:
        where = f"target rule {entry.get('id')}"
        served = entry.get("served_by", {})
        problems = {
            "groups": _unknown(entry["groups"], MUSCLE_GROUPS),
            "components": _unknown(entry["components"], COMPONENTS),
            "served_by.dose_kinds": _unknown(served.get("dose_kinds", ()), DOSE_KINDS),
            "served_by.tags": _unknown(served.get("tags", ()), MOVEMENT_TAGS),
        }
        for name, unknown in problems.items():
            if unknown:
                raise RuleDataError(f"{where}: unknown {name} {unknown}")
        if entry["slots"] not in SLOTS:
            raise RuleDataError(f"{where}: slots must be one of {SLOTS}")
        targets.append(
            TargetRule(
                rule=_rule(entry, where),
                when=compile_condition(entry["when"], where),
                groups=tuple(entry["groups"]),
                components=tuple(entry["components"]),
                slots=entry["slots"],
                served_by=ServedBy(tuple(served.get("dose_kinds", ())), tuple(served.get("tags", ()))),
            )
        )
    max_counts = {}
    for entry in data["counts"]:
        where = f"count rule {entry.get('id')}"
        if entry["component"] not in COMPONENTS:
            raise RuleDataError(f"{where}: unknown component {entry['component']!r}")
        max_counts[entry["component"]] = (int(entry["max_count"]), _rule(entry, where))
    book = SelectionBook(
        targets=tuple(targets),
        max_counts=max_counts,
        aerobic_reach_rule=_rule(data["aerobic_reach"], "aerobic_reach"),
    )
    ids = [rule.id for rule in book.all_rules()]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise RuleDataError(f"duplicate rule ids: {duplicates}")
    return book


def load_selection_book(path: Path | str = SELECTION_RULES_PATH) -> SelectionBook:
    with open(path, encoding="utf-8") as source:
        return selection_book_from_data(json.load(source))


@lru_cache(maxsize=1)
def default_selection_book() -> SelectionBook:
    """The shipped selection rules, read once per process."""
    return load_selection_book()


def _stricter(first: ServedBy, second: ServedBy) -> ServedBy:
    """Both conditions at once: the dose kinds both allow (empty means any) and every tag either needs."""
    if not first.dose_kinds or not second.dose_kinds:
        kinds = first.dose_kinds or second.dose_kinds
    else:
        kinds = tuple(kind for kind in first.dose_kinds if kind in second.dose_kinds) or ("none-allowed",)
    return ServedBy(kinds, tuple(dict.fromkeys(first.tags + second.tags)))


def targets_for(profile: Profile, component: str, book: SelectionBook | None = None) -> tuple[Target, ...]:
    """The profile's target groups for `component`, strongest slots first, then in rule-data order.

    A group named by several rules keeps the strongest slots and cites every rule; their served_by
    conditions must all hold (the strictest wins).
    """
    book = book or default_selection_book()
    fired = tuple(
        index
        for index, target_rule in enumerate(book.targets)
        if component in target_rule.components and target_rule.when(profile)
    )
    # The same rules give the same targets: one tuple per (book, component, rules that fired), so that
    # the prescription's choices can be kept under it (the book is held, so its id stays its own).
    key = (id(book), component, fired)
    found = _TARGETS.get(key)
    if found is not None and found[0] is book:
        return found[1]
    if len(_TARGETS) >= 4096:
        _TARGETS.clear()
    targets = _merged_targets(book, fired)
    _TARGETS[key] = (book, targets)
    return targets


_TARGETS: dict[tuple[int, str, tuple[int, ...]], tuple[SelectionBook, tuple[Target, ...]]] = {}


def _merged_targets(book: SelectionBook, fired: tuple[int, ...]) -> tuple[Target, ...]:
    merged: dict[str, Target] = {}
    for target_rule in (book.targets[index] for index in fired):
        for group in target_rule.groups:
            previous = merged.get(group)
            if previous is None:
                merged[group] = Target(group, target_rule.slots, target_rule.served_by, (target_rule.rule,))
                continue
            strongest = min(previous.slots, target_rule.slots, key=SLOTS.index)
            served = _stricter(previous.served_by, target_rule.served_by)
            merged[group] = Target(group, strongest, served, (*previous.rules, target_rule.rule))
    ordered = list(merged.values())
    ordered.sort(key=lambda target: SLOTS.index(target.slots))  # stable: data order within a slot kind
    return tuple(ordered)


def max_count(component: str, base: int, book: SelectionBook | None = None) -> tuple[int, tuple[Rule, ...]]:
    """The most exercises `component` may have when targets need them (never fewer than `base`)."""
    book = book or default_selection_book()
    if component not in book.max_counts:
        return base, ()
    largest, rule = book.max_counts[component]
    return max(base, largest), (rule,)

"""Choosing exercises: progression chains, and the choice that covers a component's targets.

planner/prescribe.py's steps 2 and 3 (its docstring): greedily, each pick the allowed variant serving
the most uncovered targets (the easiest variant of its chain that serves them), then fill the count
with the easiest variants of the chains that cover the most muscle groups (regions for stretches), ties
broken by less equipment, gentler impact, then slug. The template refit (planner/template_refit.py) and
the reassessment (planner/reassessment.py) choose with the same helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.dosing import unique_rules
from planner.memo import token
from planner.muscles import SLOTS, Target
from planner.types import ExerciseSpec, Rule
from planner.vocabulary import IMPACT_LEVELS

# ---------------------------------------------------------------------------------------------
# Progression chains
# ---------------------------------------------------------------------------------------------


def _chain_position(spec: ExerciseSpec, by_slug: dict[str, ExerciseSpec]) -> tuple[str, int]:
    """(slug of the easiest variant in the chain, steps from it), following `easier` links."""
    current, steps, seen = spec, 0, {spec.slug}
    while current.easier in by_slug and current.easier not in seen:
        current = by_slug[current.easier]
        seen.add(current.slug)
        steps += 1
    return current.slug, steps


def _chains(allowed: Iterable[ExerciseSpec], by_slug: dict[str, ExerciseSpec]) -> dict[str, list[ExerciseSpec]]:
    """Allowed exercises grouped by the root of their chain, easiest variant first."""
    positions = _positions(by_slug)
    chains: dict[str, list[tuple[int, str, ExerciseSpec]]] = {}
    for spec in allowed:
        found = positions.get(spec.slug)
        if found is None or by_slug.get(spec.slug) is not spec:
            found = _chain_position(spec, by_slug)  # not the library's own entry: walk its chain
        root, steps = found
        chains.setdefault(root, []).append((steps, spec.slug, spec))
    return {root: [entry[2] for entry in sorted(entries, key=lambda e: e[:2])] for root, entries in chains.items()}


_POSITIONS: dict[int, tuple[dict[str, ExerciseSpec], dict[str, tuple[str, int]]]] = {}


def _positions(by_slug: dict[str, ExerciseSpec]) -> dict[str, tuple[str, int]]:
    """Every library exercise's chain position, once per library (by identity of its slug index)."""
    found = _POSITIONS.get(id(by_slug))
    if found is None or found[0] is not by_slug:
        if len(_POSITIONS) >= 8:
            _POSITIONS.pop(next(iter(_POSITIONS)))
        found = _POSITIONS[id(by_slug)] = (
            by_slug,
            {slug: _chain_position(spec, by_slug) for slug, spec in by_slug.items()},
        )
    return found[1]


def _easiest_variants(allowed: Iterable[ExerciseSpec], by_slug: dict[str, ExerciseSpec]) -> list[ExerciseSpec]:
    return [variants[0] for variants in _chains(allowed, by_slug).values()]


def is_main_block(spec: ExerciseSpec) -> bool:
    """True for exercises of a session's main block (no roles listed, or "main" among them)."""
    return not spec.session_roles or "main" in spec.session_roles


def _covers(spec: ExerciseSpec) -> frozenset[str]:
    if spec.component == "flexibility" and spec.stretched_regions:
        return frozenset(spec.stretched_regions)
    return frozenset(spec.muscle_groups)


def _equipment_needed(spec: ExerciseSpec) -> tuple[int, int]:
    """How much an exercise asks of the patient's kit: a pool (a trip out) first, then item count."""
    return ("pool" in spec.equipment, sum(1 for item in spec.equipment if item != "none"))


# ---------------------------------------------------------------------------------------------
# Choosing exercises
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One chosen exercise. targets: the component's targets it serves; rules: why it was chosen
    beyond the component's selection rules (its targets' rules, a raised count)."""

    spec: ExerciseSpec
    targets: tuple[Target, ...]
    rules: tuple[Rule, ...] = ()


def select_for_targets(
    pool: Iterable[ExerciseSpec],
    by_slug: dict[str, ExerciseSpec],
    targets: tuple[Target, ...],
    count: int,
    largest: int,
    largest_rules: tuple[Rule, ...] = (),
) -> tuple[Choice, ...]:
    """Cover `targets` first, then fill up to the count for coverage (see the module docstring).

    count: the component's count from the dose rules; largest: the most it may grow to.
    """
    chains = _chains(pool, by_slug)
    # What each candidate serves and covers, and its fixed tie-breakers, worked out once per exercise.
    # Sets are bit masks here: target t is bit t (covered once any target of its group is served) and
    # each muscle group or region a bit of its own, so "how many are new" is one AND and a bit count.
    if len(_COVER_BITS) >= 4096:
        # Renumbered before a selection starts, never during one (its masks must agree with each other).
        _COVER_BITS.clear()
        _EXERCISE_BITS.clear()
    serving = _serving(targets)
    slot_bits = serving.slot_bits
    served_by: dict[str, tuple[Target, ...]] = {}
    served_bits: dict[str, tuple[int, int]] = {}  # (the targets served, the targets their groups cover)
    covers: dict[str, int] = {}
    ties: dict[str, tuple[int, tuple[int, int], int, str]] = {}
    for variants in chains.values():
        for steps, spec in enumerate(variants):
            slug = spec.slug
            served_by[slug], served_bits[slug] = serving.of(spec)
            covers[slug], fixed_ties = _exercise_bits(spec)
            ties[slug] = (steps, *fixed_ties)
    chosen: list[Choice] = []
    covered_targets = 0
    covered = 0
    limit = count
    for slots in SLOTS:
        wanted = slot_bits[slots]
        while len(chosen) < (limit if slots == "fill" else largest):
            best = None
            open_targets = ~covered_targets
            for root, variants in chains.items():
                for spec in variants:
                    serves = served_bits[spec.slug][0] & open_targets
                    new = (serves & wanted).bit_count()
                    if not new:
                        continue
                    key = (-new, -serves.bit_count(), -(covers[spec.slug] & ~covered).bit_count(), *ties[spec.slug])
                    if best is None or key < best[0]:
                        best = (key, root, spec)
                    break  # the easiest variant of a chain that serves a target is the one to start at
            if best is None:
                break
            _, root, spec = best
            del chains[root]
            served = served_by[spec.slug]
            raised = len(chosen) >= limit and slots == "within"
            chosen.append(
                Choice(spec, served, unique_rules(*(t.rules for t in served), largest_rules if raised else ()))
            )
            covered_targets |= served_bits[spec.slug][1]
            covered |= covers[spec.slug]
            if slots == "added":
                limit += 1
        limit = min(max(limit, len(chosen)), max(largest, count))
    remaining = [variants[0] for variants in chains.values()]
    while remaining and len(chosen) < limit:
        pick = min(remaining, key=lambda spec: (-(covers[spec.slug] & ~covered).bit_count(), *ties[spec.slug][1:]))
        remaining.remove(pick)
        served = served_by[pick.slug]
        chosen.append(Choice(pick, served, unique_rules(*(t.rules for t in served))))
        covered |= covers[pick.slug]
    return tuple(chosen)


class _Serving:
    """Which of one tuple of targets each exercise serves, as select_for_targets reads it, worked out
    once per exercise (by identity: the exercise is held, so its id stays its own)."""

    def __init__(self, targets: tuple[Target, ...]) -> None:
        self.targets = targets
        self.group_bits: dict[str, int] = {}
        for position, target in enumerate(targets):
            self.group_bits[target.group] = self.group_bits.get(target.group, 0) | 1 << position
        self.slot_bits = {slots: sum(1 << n for n, t in enumerate(targets) if t.slots == slots) for slots in SLOTS}
        self._of: dict[int, tuple[ExerciseSpec, tuple[Target, ...], tuple[int, int]]] = {}

    def of(self, spec: ExerciseSpec) -> tuple[tuple[Target, ...], tuple[int, int]]:
        """(the targets `spec` serves, (their bits, the bits of the targets their groups cover))."""
        found = self._of.get(id(spec))
        if found is None or found[0] is not spec:
            targets = self.targets
            positions = [n for n, target in enumerate(targets) if target.served_by_exercise(spec)]
            served = tuple(targets[n] for n in positions)
            bits = (_union(1 << n for n in positions), _union(self.group_bits[target.group] for target in served))
            if len(self._of) >= 4096:
                self._of.clear()
            found = self._of[id(spec)] = (spec, served, bits)
        return found[1], found[2]


# By the targets' token (planner.memo.token: equal targets, one token).
_SERVINGS: dict[int, _Serving] = {}


def _serving(targets: tuple[Target, ...]) -> _Serving:
    key = token(targets)
    found = _SERVINGS.get(key)
    if found is None:
        if len(_SERVINGS) >= 1024:
            _SERVINGS.clear()
        found = _SERVINGS[key] = _Serving(targets)
    return found


# A bit per muscle group or region an exercise covers (_covers): only ever counted, so any one bit per
# name will do; names come from the catalogues' exercises (select_for_targets bounds the table).
_COVER_BITS: dict[str, int] = {}
# Per exercise (by identity, held): its cover bits and its fixed tie-breakers (kit, impact, slug).
_EXERCISE_BITS: dict[int, tuple[ExerciseSpec, int, tuple[tuple[int, int], int, str]]] = {}


def _exercise_bits(spec: ExerciseSpec) -> tuple[int, tuple[tuple[int, int], int, str]]:
    found = _EXERCISE_BITS.get(id(spec))
    if found is None or found[0] is not spec:
        if len(_EXERCISE_BITS) >= 4096:
            _EXERCISE_BITS.clear()
        covers = _union(_COVER_BITS.setdefault(name, 1 << len(_COVER_BITS)) for name in _covers(spec))
        ties = (_equipment_needed(spec), IMPACT_LEVELS.index(spec.impact), spec.slug)
        found = _EXERCISE_BITS[id(spec)] = (spec, covers, ties)
    return found[1], found[2]


def _union(masks: Iterable[int]) -> int:
    found = 0
    for mask in masks:
        found |= mask
    return found

"""Prescription: profile + library + limits -> FITT-VP items, each value with its rationale.

For each component (aerobic, resistance, flexibility, neuromotor) the engine
1. keeps the exercises that break no limit and suit the patient's equipment and positions;
2. keeps the easiest allowed variant of each progression chain;
3. picks the ones that cover the most muscle groups (regions for stretches), ties broken by less
   equipment, gentler impact, then slug, so the plan never depends on the library's order (the one
   aerobic activity is chosen for walking-level impact and no equipment first);
4. doses each from the dose rules (planner/data/rules_doses.json), bounded by the limits, and
   attaches its progression rule. The limits are applied last (clamp_dose).
Same input, same plan: nothing here depends on time, randomness or dict ordering of the input.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from planner.catalogue import allowed_exercises
from planner.dosing import progression_rule, start_dose, unique_rules
from planner.rules import DoseParameters, Rulebook, default_rulebook
from planner.types import (
    ExerciseSpec,
    LoadLimits,
    Prescription,
    PrescriptionItem,
    Profile,
    Rule,
    ValueRationale,
)
from planner.vocabulary import COMPONENTS, IMPACT_LEVELS

# The limit fields that decide which exercises are allowed (cited in every item's "exercise" rationale).
FILTER_LIMITS = ("max_impact", "excluded_tags", "avoid_regions", "no_loading_regions")


# ---------------------------------------------------------------------------------------------
# Choosing exercises
# ---------------------------------------------------------------------------------------------


def _chain_position(spec: ExerciseSpec, by_slug: dict[str, ExerciseSpec]) -> tuple[str, int]:
    """(slug of the easiest variant in the chain, steps from it), following `easier` links."""
    current, steps, seen = spec, 0, {spec.slug}
    while current.easier in by_slug and current.easier not in seen:
        current = by_slug[current.easier]
        seen.add(current.slug)
        steps += 1
    return current.slug, steps


def _easiest_variants(allowed: Iterable[ExerciseSpec], by_slug: dict[str, ExerciseSpec]) -> list[ExerciseSpec]:
    best: dict[str, tuple[int, str, ExerciseSpec]] = {}
    for spec in allowed:
        root, steps = _chain_position(spec, by_slug)
        key = (steps, spec.slug, spec)
        if root not in best or key[:2] < best[root][:2]:
            best[root] = key
    return [entry[2] for entry in best.values()]


def _covers(spec: ExerciseSpec) -> frozenset[str]:
    if spec.component == "flexibility" and spec.stretched_regions:
        return frozenset(spec.stretched_regions)
    return frozenset(spec.muscle_groups)


def _equipment_needed(spec: ExerciseSpec) -> tuple[int, int]:
    """How much an exercise asks of the patient's kit: a pool (a trip out) first, then item count."""
    return ("pool" in spec.equipment, sum(1 for item in spec.equipment if item != "none"))


def select_exercises(
    component: str,
    allowed: Iterable[ExerciseSpec],
    catalogue: Iterable[ExerciseSpec],
    params: DoseParameters,
    limits: LoadLimits,
) -> tuple[ExerciseSpec, ...]:
    """Pick the component's exercises from the allowed ones (see the module docstring)."""
    by_slug = {spec.slug: spec for spec in catalogue}
    pool = _easiest_variants((spec for spec in allowed if spec.component == component), by_slug)
    count, _ = params.selection(component, "count")
    preferred = None
    if component == "aerobic":
        wanted, _ = params.selection("aerobic", "preferred_impact")
        preferred = min(IMPACT_LEVELS.index(wanted), IMPACT_LEVELS.index(limits.max_impact))
    chosen: list[ExerciseSpec] = []
    covered: frozenset[str] = frozenset()
    while pool and len(chosen) < count:
        pick = min(pool, key=partial(_rank, covered=covered, preferred_impact=preferred))
        pool.remove(pick)
        chosen.append(pick)
        covered |= _covers(pick)
    return tuple(chosen)


def _rank(spec: ExerciseSpec, covered: frozenset[str], preferred_impact: int | None):
    """Sort key for the next pick: lower is better."""
    impact = IMPACT_LEVELS.index(spec.impact)
    equipment = _equipment_needed(spec)
    new_groups = len(_covers(spec) - covered)
    if preferred_impact is not None:
        # One aerobic activity: walking-level impact and no equipment matter more than coverage.
        return (abs(impact - preferred_impact), equipment, -new_groups, impact, spec.slug)
    return (-new_groups, equipment, impact, spec.slug)


def _selection_rules(component: str, params: DoseParameters, limits: LoadLimits, book: Rulebook) -> tuple[Rule, ...]:
    count_rules = params.selection(component, "count")[1]
    impact_rules = params.selection("aerobic", "preferred_impact")[1] if component == "aerobic" else ()
    filters = (limits.rules_for(path) for path in FILTER_LIMITS)
    return unique_rules(book.selection_rules, count_rules, impact_rules, *filters)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def prescribe(
    profile: Profile, catalogue: Iterable[ExerciseSpec], limits: LoadLimits, rulebook: Rulebook | None = None
) -> Prescription:
    """FITT-VP items for the four components; exercises that break a limit never appear."""
    book = rulebook or default_rulebook()
    catalogue = tuple(catalogue)
    params = DoseParameters(profile, book)
    allowed = allowed_exercises(catalogue, limits, profile)
    items, uncovered = [], []
    cap_rules = limits.rules_for("weekly_progression_max_pct")
    for component in COMPONENTS:
        chosen = select_exercises(component, allowed, catalogue, params, limits)
        if not chosen:
            uncovered.append(component)
            continue
        selection_rules = _selection_rules(component, params, limits, book)
        for spec in chosen:
            dose = start_dose(spec, profile, params, limits, book)
            progression = progression_rule(spec, dose, params, limits)
            step_rules = unique_rules(*(step.rules for step in progression.steps), cap_rules)
            items.append(
                PrescriptionItem(
                    exercise=spec,
                    component=component,
                    dose=dose,
                    progression=progression,
                    rationale=(ValueRationale("exercise", selection_rules), ValueRationale("progression", step_rules)),
                )
            )
    return Prescription(items=tuple(items), components_without_exercise=tuple(uncovered))

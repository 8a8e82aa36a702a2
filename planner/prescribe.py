"""Prescription: profile + library + limits -> FITT-VP items, each value with its rationale.

For each component (aerobic, resistance, flexibility, neuromotor) the engine
1. keeps the exercises that break no limit, suit the patient's equipment and positions, and belong
   to the main block of a session (warm-up and cool-down movements are left to the session builder);
2. covers the profile's target muscle groups first (planner/muscles.py, rules_selection.json):
   greedily, each pick the allowed variant serving the most uncovered targets, the easiest variant of
   its progression chain that serves them; "added" targets (spinal-extensor holds, breathing) come on
   top of the component's count, "within" targets (the MMT-8 groups in myositis) may raise the count
   up to its maximum, "fill" targets (each major muscle group) are covered within the count;
3. fills the rest of the count with the easiest allowed variant of the chains that cover the most
   muscle groups (regions for stretches), ties broken by less equipment, gentler impact, then slug;
4. picks the one aerobic activity among those whose progression chain can reach the plan's aerobic
   intensity ceiling, at brisk-walking impact and with no equipment first, starting at the easiest
   variant that reaches the starting intensity;
5. doses each from the dose rules (planner/data/rules_doses.json), bounded by the limits, and
   attaches its progression rule. The limits are applied last (clamp_dose).
Each item names the targets it serves and cites their rules; an item that presses a region the
clinician marked "padded and short" says so in its notes ("Use a cushion; keep sitting short.").
Same input, same plan: nothing here depends on time, randomness or dict ordering of the input.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from functools import partial
from typing import Any

from planner.catalogue import CatalogueIndex, allowed_exercises, catalogue_index, padded_regions_pressed
from planner.choosing import Choice, _chains, _covers, _equipment_needed, is_main_block, select_for_targets
from planner.dosing import progression_rule, start_dose, unique_rules
from planner.memo import AEROBIC_CEILING_UNITS, component_limits, interned, memo_for, token
from planner.muscles import SelectionBook, default_selection_book, max_count, targets_for
from planner.regions import default_region_map
from planner.relative_zone import patient_dose, relative_within, stand_in_limits
from planner.rules import DoseParameters, Rulebook, default_rulebook, dose_parameters
from planner.types import (
    Dose,
    ExerciseSpec,
    LoadLimits,
    Prescription,
    PrescriptionItem,
    Profile,
    ProgressionRule,
    Rule,
    ValueRationale,
)
from planner.vocabulary import COMPONENTS, IMPACT_LEVELS

# The limit fields that decide which exercises are allowed (cited in every item's "exercise" rationale).
FILTER_LIMITS = ("max_impact", "excluded_tags", "avoid_regions", "no_loading_regions")


# ---------------------------------------------------------------------------------------------
# Each component's exercises (the chains and the target-covering choice: planner/choosing.py)
# ---------------------------------------------------------------------------------------------


def _class_index(book: Rulebook, name: str | None) -> int:
    names = [level.name for level in book.anchors.intensity_classes]
    return names.index(name) if name in names else -1


def _ceiling_class_index(book: Rulebook, hrr_pct: float) -> int:
    """The highest ACSM class whose range starts at or below `hrr_pct`."""
    index = 0
    for position, level in enumerate(book.anchors.intensity_classes):
        if level.hrr_pct[0] <= hrr_pct:
            index = position
    return index


def select_aerobic(
    pool: Iterable[ExerciseSpec],
    by_slug: dict[str, ExerciseSpec],
    params: DoseParameters,
    limits: LoadLimits,
    book: Rulebook,
    selection: SelectionBook,
    remember: Callable[[Hashable, Callable[[], tuple[Choice, ...]]], tuple[Choice, ...]] | None = None,
) -> tuple[Choice, ...]:
    """The aerobic activity (see the module docstring, step 4).

    remember: the catalogue index's memo when `pool` is named by a key in `remember`'s keys (the
    choice is then kept per pool and the few numbers it reads).
    """
    count, _ = params.selection("aerobic", "count")
    wanted, _ = params.selection("aerobic", "preferred_impact")
    preferred = min(IMPACT_LEVELS.index(wanted), IMPACT_LEVELS.index(limits.max_impact))
    ceiling_pct, _ = params.get("aerobic", "minutes", "intensity_ceiling_hrr_pct")
    ceiling = _ceiling_class_index(book, min(ceiling_pct, limits.aerobic.max_hrr_pct))
    start_name, _ = params.get("aerobic", "minutes", "intensity_class_start")
    start = min(_class_index(book, start_name), ceiling)
    pick = partial(_pick_aerobic, pool, by_slug, book, count, preferred, ceiling, start, selection.aerobic_reach_rule)
    if remember is None:
        return pick()
    classes = tuple(level.name for level in book.anchors.intensity_classes)
    return remember((count, preferred, ceiling, start, classes, selection.aerobic_reach_rule), pick)


def _pick_aerobic(
    pool: Iterable[ExerciseSpec],
    by_slug: dict[str, ExerciseSpec],
    book: Rulebook,
    count: int,
    preferred: int,
    ceiling: int,
    start: int,
    reach_rule: Rule,
) -> tuple[Choice, ...]:
    candidates = []
    for variants in _chains(pool, by_slug).values():
        top = max(_class_index(book, spec.intensity_reach) for spec in variants)
        first = next((spec for spec in variants if _class_index(book, spec.intensity_reach) >= start), variants[0])
        candidates.append((top >= ceiling, first))
    chosen: list[Choice] = []
    covered: frozenset[str] = frozenset()
    while candidates and len(chosen) < count:
        best = min(
            candidates,
            key=lambda entry: (
                not entry[0],
                abs(IMPACT_LEVELS.index(entry[1].impact) - preferred),
                _equipment_needed(entry[1]),
                -len(_covers(entry[1]) - covered),
                IMPACT_LEVELS.index(entry[1].impact),
                entry[1].slug,
            ),
        )
        candidates.remove(best)
        chosen.append(Choice(best[1], (), (reach_rule,) if best[0] else ()))
        covered |= _covers(best[1])
    return tuple(chosen)


def select_exercises(
    component: str,
    allowed: Iterable[ExerciseSpec],
    catalogue: Iterable[ExerciseSpec],
    params: DoseParameters,
    limits: LoadLimits,
    profile: Profile | None = None,
    rulebook: Rulebook | None = None,
    selection: SelectionBook | None = None,
) -> tuple[Choice, ...]:
    """Pick the component's exercises from the allowed ones (see the module docstring)."""
    book = rulebook or default_rulebook()
    selection = selection or default_selection_book()
    index = catalogue_index(catalogue) if type(catalogue) is tuple else None
    by_slug = index.by_slug if index is not None else {spec.slug: spec for spec in catalogue}
    allowed_key = index.key_of(allowed) if index is not None else None

    def pool() -> list[ExerciseSpec]:
        return [spec for spec in allowed if spec.component == component and is_main_block(spec)]

    # The choice depends only on the component's pool (its allowed main-block exercises), the targets
    # and the counts, and many patients share them: kept on the catalogue's index, keyed by the pool's
    # mask (the allowed mask and the mask of the component's main block).
    remember = None
    if index is not None and allowed_key is not None:
        main = index.remember(
            ("main_block", component),
            lambda: sum(
                1 << n for n, spec in enumerate(index.catalogue) if spec.component == component and is_main_block(spec)
            ),
        )
        pool_key = ("pool", component, allowed_key & main)
        remember = partial(_remember_for, index, pool_key)
    if component == "aerobic":
        return select_aerobic(pool(), by_slug, params, limits, book, selection, remember)
    count, _ = params.selection(component, "count")
    targets = targets_for(profile, component, selection) if profile is not None else ()
    largest, largest_rules = max_count(component, count, selection)

    def pick() -> tuple[Choice, ...]:
        return select_for_targets(pool(), by_slug, targets, count, largest, largest_rules)

    if remember is None:
        return pick()
    return remember((token(targets), count, largest, largest_rules), pick)


def _remember_for(
    index: CatalogueIndex, pool_key: Hashable, key: Hashable, compute: Callable[[], tuple[Choice, ...]]
) -> tuple[Choice, ...]:
    return index.remember((pool_key, key), compute)


def _selection_rules(component: str, params: DoseParameters, limits: LoadLimits, book: Rulebook) -> tuple[Rule, ...]:
    """The rules every choice of the component cites: kept (planner.memo) by what they read, the tier's
    triggers and the rules of the limits that filter exercises; one tuple for all who share them."""
    key = (component, params.fired, *[token(limits.rules_for(path)) for path in FILTER_LIMITS])
    return memo_for(book).get("selection rules", key, partial(_selection_rules_of, component, params, limits, book))


def _selection_rules_of(component: str, params: DoseParameters, limits: LoadLimits, book: Rulebook) -> tuple[Rule, ...]:
    count_rules = params.selection(component, "count")[1]
    impact_rules = params.selection("aerobic", "preferred_impact")[1] if component == "aerobic" else ()
    filters = (limits.rules_for(path) for path in FILTER_LIMITS)
    return unique_rules(book.selection_rules, count_rules, impact_rules, *filters)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def prescribe(
    profile: Profile,
    catalogue: Iterable[ExerciseSpec],
    limits: LoadLimits,
    rulebook: Rulebook | None = None,
    selection: SelectionBook | None = None,
) -> Prescription:
    """FITT-VP items for the four components; exercises that break a limit never appear."""
    book = rulebook or default_rulebook()
    catalogue = tuple(catalogue)
    params = dose_parameters(profile, book)
    allowed = allowed_exercises(catalogue, limits, profile)
    anatomy = default_region_map()
    read_limits: dict[str, int] = {}  # per component (interned): the same for every item of the plan
    items, uncovered = [], []
    for component in COMPONENTS:
        chosen = select_exercises(component, allowed, catalogue, params, limits, profile, book, selection)
        if not chosen:
            uncovered.append(component)
            continue
        selection_rules = _selection_rules(component, params, limits, book)
        # What an exercise's dose reads besides the exercise: the tier, the guidance and its limits.
        # Named by one int for the component (planner.memo.interned): its guidance is hashed once.
        reads = (interned((params.fired, params.guidance_for(component, profile))),)
        for choice in chosen:
            spec = choice.spec
            padded = padded_regions_pressed(spec, limits, profile)
            padded_rules = (anatomy.padded_rule,) if padded and anatomy.padded_rule else ()
            dose, progression, step_rules = _kept_dose(spec, reads, read_limits, profile, params, limits, book)
            # selection_rules has each rule once already: most choices add nothing to it.
            if choice.rules or padded_rules:
                exercise_rules = _exercise_rules(choice, selection_rules, padded_rules)
            else:
                exercise_rules = selection_rules
            items.append(
                PrescriptionItem(
                    exercise=spec,
                    component=component,
                    dose=dose,
                    progression=progression,
                    rationale=(ValueRationale("exercise", exercise_rules), ValueRationale("progression", step_rules)),
                    targets=tuple(target.group for target in choice.targets),
                    notes=(anatomy.padded_note,) if padded else (),
                )
            )
    return Prescription(items=tuple(items), components_without_exercise=tuple(uncovered))


def _exercise_rules(
    choice: Choice, selection_rules: tuple[Rule, ...], padded_rules: tuple[Rule, ...]
) -> tuple[Rule, ...]:
    """unique_rules(choice.rules, selection_rules, padded_rules), kept by the identity of the choice and
    of the selection rules (both kept objects, held by the entry) and the padded rules."""
    key = (id(choice), id(selection_rules), padded_rules)
    found = _EXERCISE_RULES.get(key)
    if found is not None and found[0] is choice and found[1] is selection_rules:
        return found[2]
    if len(_EXERCISE_RULES) >= 16384:
        _EXERCISE_RULES.clear()
    rules = unique_rules(choice.rules, selection_rules, padded_rules)
    _EXERCISE_RULES[key] = (choice, selection_rules, rules)
    return rules


_EXERCISE_RULES: dict[tuple[int, int, tuple[Rule, ...]], tuple[Choice, tuple[Rule, ...], tuple[Rule, ...]]] = {}


def _kept_dose(
    spec: ExerciseSpec,
    reads: tuple[Any, ...],
    read_limits: dict[str, int],
    profile: Profile,
    params: DoseParameters,
    limits: LoadLimits,
    book: Rulebook,
) -> tuple[Dose, ProgressionRule, tuple[Rule, ...]]:
    """_dose_and_growth, kept (planner.memo) by what it reads; an aerobic dose with a heart-rate zone is
    kept in %HRR and read in the patient's heart rate (planner.relative_zone)."""
    dosing = memo_for(book).store("dosing")
    stand_in = stand_in_limits(limits) if spec.component == "aerobic" else None
    if stand_in is not None:
        if "relative aerobic" not in read_limits:
            read_limits["relative aerobic"] = interned(component_limits(stand_in, "aerobic"))
        key = (token(spec), *reads, read_limits["relative aerobic"])
        kept = dosing.get(key)
        if kept is None:
            kept = memo_for(book).get("dosing", key, partial(_dose_and_growth, spec, profile, params, stand_in, book))
        relative, progression, step_rules = kept
        if relative_within(relative, progression, limits):
            return patient_dose(relative, limits), progression, step_rules
    if spec.component not in read_limits:
        read_limits[spec.component] = interned(component_limits(limits, spec.component))
    key = (token(spec), *reads, read_limits[spec.component])
    kept = dosing.get(key)
    if kept is None:
        kept = memo_for(book).get("dosing", key, partial(_dose_and_growth, spec, profile, params, limits, book))
    return kept


def _dose_and_growth(
    spec: ExerciseSpec, profile: Profile, params: DoseParameters, limits: LoadLimits, book: Rulebook
) -> tuple[Dose, ProgressionRule, tuple[Rule, ...]]:
    """An exercise's week-1 dose, its progression rule and the rules its steps and the cap cite."""
    dose = start_dose(spec, profile, params, limits, book)
    if spec.component in ("flexibility", "neuromotor"):
        # Kept under a key without the aerobic ceilings (planner.memo.component_limits): none may bound it.
        assert AEROBIC_CEILING_UNITS.isdisjoint(target.unit for target in dose.intensity), dose
    progression = progression_rule(spec, dose, params, limits)
    cap_rules = limits.rules_for("weekly_progression_max_pct")
    return dose, progression, unique_rules(*(step.rules for step in progression.steps), cap_rules)

"""The engine's faster ways of working an answer out give the answer the plain way gives.

Exercise choice counts what a candidate would newly cover with bit masks, the targets' outlook reads each
component's weeks once, rule lists are merged through a dict and the intensity ceilings are kept per
limits. Each is checked here against the plain version it replaced (kept below, as it was written) over
generated profiles, so a speed-up can never change a plan.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import allowed_exercises, load_default_catalogue
from planner.choosing import Choice, _chains, _covers, _equipment_needed, is_main_block, select_for_targets
from planner.dosing import unique_rules
from planner.growth import GOVERNING_UNITS, governing_unit
from planner.limits import apply_adjustments, check_dose, clamp_dose, compute_limits
from planner.muscles import SLOTS, Target, default_selection_book, max_count, targets_for
from planner.prescribe import prescribe
from planner.rules import default_rulebook, dose_parameters
from planner.schedule import schedule
from planner.targets import _why_lower, applicable_targets, measure, plan_targets
from planner.types import LimitAdjustment, PlanWeek, TargetOutlook
from planner.vocabulary import COMPONENTS, IMPACT_LEVELS
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()
BY_SLUG = {spec.slug: spec for spec in LIBRARY}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plain_select_for_targets(pool, by_slug, targets, count, largest, largest_rules=()):
    """select_for_targets as it was before the bit masks: sets of groups and names."""
    chains = _chains(pool, by_slug)
    served_by, covers, ties = {}, {}, {}
    for variants in chains.values():
        for steps, spec in enumerate(variants):
            served_by[spec.slug] = tuple(target for target in targets if target.served_by_exercise(spec))
            covers[spec.slug] = _covers(spec)
            ties[spec.slug] = (steps, _equipment_needed(spec), IMPACT_LEVELS.index(spec.impact), spec.slug)
    chosen = []
    covered_targets = set()
    covered = frozenset()
    limit = count
    for slots in SLOTS:
        while len(chosen) < (limit if slots == "fill" else largest):
            best = None
            for root, variants in chains.items():
                for spec in variants:
                    served = served_by[spec.slug]
                    new = sum(1 for t in served if t.slots == slots and t.group not in covered_targets)
                    if not new:
                        continue
                    also = sum(1 for t in served if t.group not in covered_targets)
                    key = (-new, -also, -len(covers[spec.slug] - covered), *ties[spec.slug])
                    if best is None or key < best[0]:
                        best = (key, root, spec)
                    break
            if best is None:
                break
            _, root, spec = best
            del chains[root]
            served = served_by[spec.slug]
            raised = len(chosen) >= limit and slots == "within"
            chosen.append(
                Choice(spec, served, unique_rules(*(t.rules for t in served), largest_rules if raised else ()))
            )
            covered_targets |= {t.group for t in served}
            covered |= covers[spec.slug]
            if slots == "added":
                limit += 1
        limit = min(max(limit, len(chosen)), max(largest, count))
    remaining = [variants[0] for variants in chains.values()]
    while remaining and len(chosen) < limit:
        pick = min(remaining, key=lambda spec: (-len(covers[spec.slug] - covered), *ties[spec.slug][1:]))
        remaining.remove(pick)
        served = served_by[pick.slug]
        chosen.append(Choice(pick, served, unique_rules(*(t.rules for t in served))))
        covered |= covers[pick.slug]
    return tuple(chosen)


def plain_plan_targets(profile, items, weeks, limits):
    """plan_targets as it was before each component's weeks were gathered once per plan."""
    outlooks = []
    for target in applicable_targets(profile):
        mine = [item for item in items if item.component == target.component]
        if not mine or not weeks:
            continue
        expected, reached = None, 0.0
        for week in weeks:
            doses = [s.dose for item in mine if (s := week.dose_for(item.slug)) is not None]
            reached = measure(target.component, target.measure, doses)
            if expected is None and reached >= target.value:
                expected = week.number
        if expected is not None:
            reason, rules = "", (target.rule,)
        else:
            reason, why = _why_lower(mine, weeks[-1], limits, len(weeks))
            rules = unique_rules((target.rule,), why)
        outlooks.append(
            TargetOutlook(
                target.id,
                target.component,
                target.measure,
                target.value,
                target.rule.text,
                expected,
                round(reached, 1),
                reason,
                rules,
            )
        )
    return tuple(outlooks)


def plain_unique_rules(*groups):
    seen, result = set(), []
    for group in groups:
        for rule in group:
            if rule.id not in seen:
                seen.add(rule.id)
                result.append(rule)
    return tuple(result)


def every_target():
    """Every target the selection rules can give, for any component."""
    book = default_selection_book()
    found = {}
    for component in COMPONENTS:
        for rule in book.targets:
            for group in rule.groups:
                if component in rule.components:
                    found[(component, group, rule.slots)] = Target(group, rule.slots, rule.served_by, (rule.rule,))
    return tuple(found.values())


TARGETS = every_target()


@SETTINGS
@given(profiles(), st.sampled_from([c for c in COMPONENTS if c != "aerobic"]))
def test_exercise_choice_by_bit_masks_equals_the_plain_one_for_the_profiles_targets(profile, component):
    limits = compute_limits(profile)
    params = dose_parameters(profile, default_rulebook())
    pool = [s for s in allowed_exercises(LIBRARY, limits, profile) if s.component == component and is_main_block(s)]
    count, _ = params.selection(component, "count")
    largest, largest_rules = max_count(component, count)
    targets = targets_for(profile, component)

    fast = select_for_targets(pool, BY_SLUG, targets, count, largest, largest_rules)

    assert fast == plain_select_for_targets(pool, BY_SLUG, targets, count, largest, largest_rules)


@settings(SETTINGS, max_examples=300)
@given(
    profiles(),
    st.sampled_from([c for c in COMPONENTS if c != "aerobic"]),
    st.lists(st.sampled_from(TARGETS), max_size=12),
    st.integers(0, 6),
    st.integers(0, 8),
)
def test_exercise_choice_by_bit_masks_equals_the_plain_one_for_any_targets(profile, component, targets, count, largest):
    """Any targets, in any order, a group named twice or the same target twice: the same choice."""
    pool = [s for s in allowed_exercises(LIBRARY, compute_limits(profile), profile) if s.component == component]
    targets = tuple(targets)

    fast = select_for_targets(pool, BY_SLUG, targets, count, largest)

    assert fast == plain_select_for_targets(pool, BY_SLUG, targets, count, largest)


TIGHTENINGS = st.sampled_from(
    [
        (),
        (LimitAdjustment("aerobic.max_rpe", 11, author="t"),),
        (LimitAdjustment("resistance.max_pct_1rm", 40, author="t"),),
        (LimitAdjustment("flexibility.max_hold_seconds", 15, author="t"),),
        (LimitAdjustment("aerobic.hr_zone_bpm", None, author="t", reason="unreliable"),),
    ]
)


@SETTINGS
@given(profiles(), TIGHTENINGS, st.sampled_from((1, 4, 12)))
def test_target_outlooks_equal_the_plain_ones(profile, tightening, weeks):
    limits = compute_limits(profile)
    if tightening:
        limits = apply_adjustments(limits, tightening)
    items = prescribe(profile, LIBRARY, limits).items
    scheduled = schedule(items, limits, weeks)

    assert plan_targets(profile, items, scheduled, limits) == plain_plan_targets(profile, items, scheduled, limits)
    # Weeks that name an item twice, or miss one: the first dose of a slug counts, as dose_for finds it.
    last = scheduled[-1].doses
    odd = tuple(PlanWeek(week.number, week.doses[1:] + last[:2] + week.doses[:1]) for week in scheduled)
    assert plan_targets(profile, items, odd, limits) == plain_plan_targets(profile, items, odd, limits)


@SETTINGS
@given(profiles(), profiles())
def test_merged_rule_lists_equal_the_plain_merge(first, second):
    book = default_rulebook()
    groups = [compute_limits(first, book).rules, compute_limits(second, book).rules, (), book.selection_rules]

    assert unique_rules(*groups) == plain_unique_rules(*groups)
    assert unique_rules(*reversed(groups)) == plain_unique_rules(*reversed(groups))


@SETTINGS
@given(profiles(), TIGHTENINGS)
def test_clamping_and_dose_checks_read_the_ceilings_of_the_limits_they_are_given(profile, tightening):
    """The ceilings are kept per limits object: limits tightened later are read afresh, never the old ones."""
    limits = compute_limits(profile)
    items = prescribe(profile, LIBRARY, limits).items
    tightened = apply_adjustments(limits, tightening) if tightening else limits
    for item in items:
        clamp_dose(item.dose, limits)  # the first limits' ceilings are kept now
        clamped = clamp_dose(item.dose, tightened)
        assert check_dose(clamped, tightened) == []
        assert governing_unit(clamped) == next(
            (unit for unit in GOVERNING_UNITS[clamped.component] if clamped.intensity_in(unit) is not None), None
        )

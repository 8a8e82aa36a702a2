"""Limits that move the ceilings: when a clinician changes a limit, every item's progression step
ceilings follow it (planner.editing.tighten_limits rebuilds each rule with planner.dosing), so a
loosened ceiling lets the doses grow up to it and a tightened one stops them there."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import load_default_catalogue
from planner.editing import reschedule_from, tighten_limits
from planner.intensity import hrr_for_rpe, load_for_rpe, rpe_for_hrr, rpe_for_load
from planner.limits import HeldBack, apply_adjustments, check_dose, clamp_dose
from planner.rules import DoseParameters, default_rulebook
from planner.schedule import build_plan
from planner.types import LimitAdjustment, Profile
from planner.vocabulary import BONE_FRAGILITY, CARDIOPULMONARY_STATUS, INFLAMMATION_ACTIVITY
from tests.planner.conftest import build_profile

LIBRARY = load_default_catalogue()
ANCHORS = default_rulebook().anchors
# A ceiling's paired field and the value that matches it (planner.intensity's conversions).
PARTNERS = {
    "resistance.max_pct_1rm": ("resistance.max_rpe", rpe_for_load),
    "resistance.max_rpe": ("resistance.max_pct_1rm", load_for_rpe),
    "aerobic.max_hrr_pct": ("aerobic.max_rpe", rpe_for_hrr),
    "aerobic.max_rpe": ("aerobic.max_hrr_pct", hrr_for_rpe),
}
WEEKS = 20

# The limit each step ceiling must stay within, by the item's component, the step's variable and
# the unit the dose is measured in (a band's intensity step counts band levels, which no limit bounds).
STEP_LIMITS = {
    ("resistance", "intensity", "pct_1rm"): lambda limits: limits.resistance.max_pct_1rm,
    ("aerobic", "intensity", "pct_hrr"): lambda limits: limits.aerobic.max_hrr_pct,
    ("flexibility", "hold_seconds", None): lambda limits: limits.flexibility.max_hold_seconds,
}


def _step(item, variable):
    return next(step for step in item.progression.steps if step.variable == variable)


def _loads(plan, slug):
    return [week.dose_for(slug).dose.intensity_in("pct_1rm").high for week in plan.weeks]


def _rule_ceiling(plan, item, name):
    return DoseParameters(plan.profile, default_rulebook()).get(item.component, item.exercise.dose_kind, name)[0]


def _resistance(plan):
    return [item for item in plan.items if item.component == "resistance" and item.dose.intensity_in("pct_1rm")]


def _at_fifty_percent():
    """A fit adult's draft whose load ceiling a clinician lowered to 50 %1RM from the start."""
    plan = build_plan(build_profile(), LIBRARY, weeks=WEEKS)
    lowered = apply_adjustments(plan.limits, [LimitAdjustment("resistance.max_pct_1rm", 50)])
    plan, _ = tighten_limits(plan, lowered, 1)
    return plan


def test_loosening_the_load_ceiling_with_a_reason_lifts_every_resistance_step_ceiling():
    plan = _at_fifty_percent()
    looser = apply_adjustments(plan.limits, [LimitAdjustment("resistance.max_pct_1rm", 60, "CK normal for 3 months")])

    after, dropped = tighten_limits(plan, looser, 3)

    assert dropped == ()
    for item in _resistance(after):
        expected = min(60, _rule_ceiling(after, item, "load_ceiling_pct_1rm"))
        assert _step(item, "intensity").ceiling == expected, item.slug
        if expected == 60:
            assert "clinician.resistance.max_pct_1rm" in {rule.id for rule in _step(item, "intensity").rules}


def _at_time_and_frequency_ceilings(item, dose):
    """`dose` with every step but the load at its ceiling, so the load is the next thing to grow."""
    tops = {s.variable: s.ceiling for s in item.progression.steps if s.variable != "intensity"}
    return replace(dose, **{name: int(top) for name, top in tops.items()})


def test_after_loosening_later_weeks_grow_past_the_old_ceiling_but_not_past_the_new_one():
    plan = _at_fifty_percent()
    looser = apply_adjustments(plan.limits, [LimitAdjustment("resistance.max_pct_1rm", 60, "CK normal for 3 months")])
    item = next(item for item in _resistance(plan) if _rule_ceiling(plan, item, "load_ceiling_pct_1rm") >= 60)
    ready = _at_time_and_frequency_ceilings(item, plan.weeks[2].dose_for(item.slug).dose)
    unchanged = reschedule_from(plan, 3, {item.slug: ready})

    after, _ = tighten_limits(unchanged, looser, 3)

    before, later = _loads(unchanged, item.slug), _loads(after, item.slug)
    assert max(before) <= 50
    assert later[:2] == before[:2]  # the weeks before the change happened as they were
    assert 50 < max(later) <= 60
    for week in after.weeks[2:]:
        for scheduled in week.doses:
            assert check_dose(scheduled, looser) == [], (week.number, scheduled.exercise_slug)


def test_tightening_the_load_ceiling_lowers_the_step_ceilings_and_the_doses():
    plan = build_plan(build_profile(), LIBRARY, weeks=WEEKS)
    tighter = apply_adjustments(plan.limits, [LimitAdjustment("resistance.max_pct_1rm", 45)])

    after, _ = tighten_limits(plan, tighter, 4)

    for item in _resistance(after):
        assert _step(item, "intensity").ceiling <= 45
        assert max(_loads(after, item.slug)[3:]) <= 45
        assert _loads(after, item.slug)[:3] == _loads(plan, item.slug)[:3]


def test_the_hold_ceiling_follows_a_changed_stretch_limit():
    plan = build_plan(build_profile(), LIBRARY, weeks=WEEKS)
    stretches = [item for item in plan.items if item.component == "flexibility" and item.dose.hold_seconds]
    assert stretches

    shorter = apply_adjustments(plan.limits, [LimitAdjustment("flexibility.max_hold_seconds", 15)])
    after, _ = tighten_limits(plan, shorter, 2)

    for item in after.items:
        if item.component == "flexibility" and item.dose.hold_seconds:
            assert _step(item, "hold_seconds").ceiling <= 15
            assert all(week.dose_for(item.slug).dose.hold_seconds <= 15 for week in after.weeks[1:])


def test_the_items_progression_rationale_cites_the_new_limit():
    plan = _at_fifty_percent()
    looser = apply_adjustments(plan.limits, [LimitAdjustment("resistance.max_pct_1rm", 60, "CK normal for 3 months")])

    after, _ = tighten_limits(plan, looser, 3)

    item = next(item for item in _resistance(after) if _step(item, "intensity").ceiling == 60)
    assert "clinician.resistance.max_pct_1rm" in {rule.id for rule in item.rules_for("progression")}


def test_an_overridden_item_is_held_where_it_was_put_not_clamped():
    plan = build_plan(build_profile(), LIBRARY, weeks=WEEKS)
    item = _resistance(plan)[0]
    above = replace(plan.weeks[2].dose_for(item.slug).dose)
    tighter = apply_adjustments(plan.limits, [LimitAdjustment("resistance.max_pct_1rm", 30)])

    after, _ = tighten_limits(plan, tighter, 3, held=frozenset({item.slug}))

    assert all(week.dose_for(item.slug).dose == above for week in after.weeks[2:])
    assert check_dose(above, tighter)  # it is above the new limit: the override, not a clamp, keeps it


# ---------------------------------------------------------------------------------------------
# Property: after any limit change every step ceiling is within the matching limit
# ---------------------------------------------------------------------------------------------

PROFILES = st.builds(
    Profile,
    age=st.integers(18, 95),
    bone_fragility=st.sampled_from(BONE_FRAGILITY),
    vertebral_fracture=st.booleans(),
    inflammation_activity=st.sampled_from(INFLAMMATION_ACTIVITY),
    pain_at_rest=st.integers(0, 9),
    resting_hr=st.integers(45, 100),
    measured_hr_max=st.none() | st.integers(150, 200),
    beta_blocker=st.booleans(),
    arrhythmia=st.booleans(),
    cardiopulmonary_status=st.sampled_from(CARDIOPULMONARY_STATUS),
    sedentary=st.booleans(),
)
CHANGES = st.lists(
    st.one_of(
        st.tuples(st.just("resistance.max_pct_1rm"), st.integers(20, 90)),
        st.tuples(st.just("resistance.max_rpe"), st.integers(9, 17)),
        st.tuples(st.just("aerobic.max_hrr_pct"), st.integers(25, 89)),
        st.tuples(st.just("aerobic.max_rpe"), st.integers(8, 17)),
        st.tuples(st.just("flexibility.max_hold_seconds"), st.integers(5, 90)),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda change: change[0],
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PROFILES, CHANGES, st.integers(1, 8), st.booleans())
def test_every_step_ceiling_is_within_its_limit_after_any_adjustment(profile, changes, week, pair_them):
    plan = build_plan(profile, LIBRARY, weeks=10)
    adjustments = [LimitAdjustment(path, value, "reviewed") for path, value in changes]
    if pair_them:
        # Change a ceiling in both its units at once, so that the paired unit does not hold it back.
        named = {path for path, _ in changes}
        adjustments += [
            LimitAdjustment(PARTNERS[path][0], PARTNERS[path][1](value, ANCHORS), "reviewed")
            for path, value in changes
            if path in PARTNERS and PARTNERS[path][0] not in named
        ]
    try:
        limits = apply_adjustments(plan.limits, adjustments)
    except HeldBack:
        return  # only a loosening that the paired unit's ceiling holds back is refused here

    after, _ = tighten_limits(plan, limits, week)

    for item in after.items:
        for step in item.progression.steps:
            for (component, variable, unit), bound in STEP_LIMITS.items():
                measured = unit is None or item.dose.intensity_in(unit) is not None
                if (component, variable) == (item.component, step.variable) and measured:
                    assert step.ceiling <= bound(limits), (item.slug, step)
        for scheduled in (w.dose_for(item.slug) for w in after.weeks[week - 1 :]):
            assert scheduled.dose == clamp_dose(scheduled.dose, limits)
            assert check_dose(scheduled.dose, limits) == []

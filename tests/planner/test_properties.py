"""Properties that hold for every assessment: random profiles, the real library, whole 12-week plans."""

import json
from dataclasses import replace
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import load_default_catalogue
from planner.growth import allowed_volume, is_capped, weekly_volume
from planner.limits import (
    check_dose,
    compute_limits,
    get_field,
    loosened_fields,
)
from planner.schedule import build_plan
from planner.serialize import from_dict, to_dict
from planner.types import DOSE_RATIONALE_FIELDS, LimitAdjustment, LoadLimits, Plan, Profile
from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    EQUIPMENT,
    IMPACT_LEVELS,
    INFLAMMATION_ACTIVITY,
    MOVEMENT_TAGS,
    POSITIONS,
    SEXES,
)

LIBRARY = load_default_catalogue()
PLAN_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def subsets(values, max_size):
    return st.lists(st.sampled_from(values), max_size=max_size, unique=True).map(tuple)


@st.composite
def profiles(draw):
    resting_hr = draw(st.integers(30, 150))
    return Profile(
        age=draw(st.integers(18, 110)),
        sex=draw(st.sampled_from(SEXES)),
        bone_fragility=draw(st.sampled_from(BONE_FRAGILITY)),
        vertebral_fracture=draw(st.booleans()),
        heterotopic_ossification_regions=draw(subsets(BODY_REGIONS, 4)),
        inflammation_activity=draw(st.sampled_from(INFLAMMATION_ACTIVITY)),
        pain_at_rest=draw(st.integers(0, 10)),
        resting_hr=resting_hr,
        measured_hr_max=draw(st.none() | st.integers(max(80, resting_hr + 1), 230)),
        beta_blocker=draw(st.booleans()),
        arrhythmia=draw(st.booleans()),
        cardiopulmonary_status=draw(st.sampled_from(CARDIOPULMONARY_STATUS)),
        avoid_regions=draw(subsets(BODY_REGIONS, 3)),
        available_equipment=draw(st.none() | subsets(EQUIPMENT, 8)),
        unavailable_positions=draw(subsets(POSITIONS, 3)),
        sedentary=draw(st.booleans()),
    )


def all_doses(plan: Plan):
    yield from (item.dose for item in plan.items)
    yield from (entry.dose for week in plan.weeks for entry in week.doses)


@PLAN_SETTINGS
@given(profiles())
def test_with_an_unreliable_heart_rate_no_week_has_a_heart_rate_target(profile):
    # Clinical-reference 8a: beta blocker or arrhythmia -> no heart-rate zone; effort governs.
    plan = build_plan(profile, LIBRARY)
    unreliable = profile.beta_blocker or profile.arrhythmia
    assert (plan.limits.aerobic.hr_zone_bpm is None) >= unreliable
    if unreliable:
        for dose in all_doses(plan):
            assert all(target.unit != "hr_bpm" for target in dose.intensity), dose


@PLAN_SETTINGS
@given(profiles())
def test_no_item_and_no_week_exceeds_any_limit(profile):
    plan = build_plan(profile, LIBRARY)

    for item in plan.items:
        assert check_dose(item, plan.limits, profile) == [], item.slug
    for week in plan.weeks:
        for entry in week.doses:
            assert check_dose(entry, plan.limits) == [], (week.number, entry.exercise_slug)


@PLAN_SETTINGS
@given(profiles())
def test_no_excluded_tag_or_protected_region_ever_appears(profile):
    plan = build_plan(profile, LIBRARY)
    limits = plan.limits

    for item in plan.items:
        spec = item.exercise
        assert not set(spec.tags) & set(limits.excluded_tags)
        assert not set(spec.pressure_regions) & set(limits.avoid_regions)
        if "end_range_stretch" in spec.tags:
            assert not set(spec.stretched_regions) & set(limits.avoid_regions)
        assert not set(spec.regions_loaded) & set(profile.avoid_regions)
        assert not set(spec.pressure_regions) & set(profile.heterotopic_ossification_regions)
        if profile.available_equipment is not None:
            assert set(spec.equipment) - {"none"} <= set(profile.available_equipment)
        assert spec.position not in profile.unavailable_positions


@PLAN_SETTINGS
@given(profiles())
def test_impact_is_never_above_the_maximum(profile):
    plan = build_plan(profile, LIBRARY)

    ceiling = IMPACT_LEVELS.index(plan.limits.max_impact)
    assert all(IMPACT_LEVELS.index(item.exercise.impact) <= ceiling for item in plan.items)


@PLAN_SETTINGS
@given(profiles())
def test_growth_never_exceeds_the_cap_averaged_over_its_window_and_never_shrinks(profile):
    plan = build_plan(profile, LIBRARY)
    cap = plan.limits.weekly_progression_max_pct

    for before, after in pairwise(plan.weeks):
        for old, new in zip(before.doses, after.doses, strict=True):
            assert old.exercise_slug == new.exercise_slug
            assert weekly_volume(new.dose) >= weekly_volume(old.dose), (after.number, new.exercise_slug)
    for item in plan.items:
        if not is_capped(item.component):
            continue
        doses = [week.dose_for(item.slug).dose for week in plan.weeks]
        for number in range(1, len(doses)):
            assert weekly_volume(doses[number]) <= allowed_volume(doses[:number], cap), (number + 1, item.slug)


@PLAN_SETTINGS
@given(profiles())
def test_the_same_input_gives_the_same_plan(profile):
    first = build_plan(profile, LIBRARY)
    again = build_plan(replace(profile), tuple(reversed(LIBRARY)))

    assert first == again


@PLAN_SETTINGS
@given(profiles())
def test_every_value_has_a_non_empty_rationale(profile):
    plan = build_plan(profile, LIBRARY)

    for item in plan.items:
        assert item.rules_for("exercise")
        assert item.rules_for("progression")
        assert all(step.rules for step in item.progression.steps)
    for dose in all_doses(plan):
        for name in DOSE_RATIONALE_FIELDS:
            rules = dose.rules_for(name)
            assert rules, name
            assert all(rule.evidence in {"G", "C", "R", "D"} and rule.text and rule.source for rule in rules)
    cited = {rule_id for _, ids in plan.limits.provenance for rule_id in ids}
    assert cited <= {rule.id for rule in plan.limits.rules}


@st.composite
def profile_and_worse(draw):
    """A profile and the same patient with every condition at least as bad."""
    profile = draw(profiles())

    def worse(vocabulary, current):
        return draw(st.sampled_from(vocabulary[vocabulary.index(current) :]))

    worse_profile = replace(
        profile,
        bone_fragility=worse(BONE_FRAGILITY, profile.bone_fragility),
        vertebral_fracture=profile.vertebral_fracture or draw(st.booleans()),
        inflammation_activity=worse(INFLAMMATION_ACTIVITY, profile.inflammation_activity),
        cardiopulmonary_status=worse(CARDIOPULMONARY_STATUS, profile.cardiopulmonary_status),
        pain_at_rest=draw(st.integers(profile.pain_at_rest, 10)),
        heterotopic_ossification_regions=profile.heterotopic_ossification_regions + draw(subsets(BODY_REGIONS, 3)),
        avoid_regions=profile.avoid_regions + draw(subsets(BODY_REGIONS, 3)),
        sedentary=profile.sedentary or draw(st.booleans()),
    )
    return profile, worse_profile


@settings(max_examples=200, deadline=None)
@given(profile_and_worse())
def test_a_worse_assessment_never_loosens_a_limit(pair):
    profile, worse = pair

    assert loosened_fields(compute_limits(profile), compute_limits(worse)) == ()


TIGHTENABLE = (
    "aerobic.max_rpe",
    "aerobic.max_hrr_pct",
    "resistance.max_pct_1rm",
    "resistance.max_rpe",
    "flexibility.max_hold_seconds",
    "weekly_progression_max_pct",
)


@st.composite
def tightenings(draw, limits: LoadLimits):
    adjustments = []
    for path in draw(st.lists(st.sampled_from(TIGHTENABLE), unique=True, max_size=4)):
        current = get_field(limits, path)
        lowest = 6 if path.endswith("max_rpe") else 1
        adjustments.append(LimitAdjustment(path, draw(st.integers(min(lowest, int(current)), int(current)))))
    if draw(st.booleans()):
        adjustments.append(
            LimitAdjustment(
                "excluded_tags", list(limits.excluded_tags) + draw(st.lists(st.sampled_from(MOVEMENT_TAGS), max_size=3))
            )
        )
    if draw(st.booleans()):
        adjustments.append(LimitAdjustment("resistance.min_reps", limits.resistance.min_reps + draw(st.integers(0, 5))))
    return adjustments


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_clinician_tightenings_need_no_reason_and_bind_every_week(data):
    profile = data.draw(profiles())
    adjustments = data.draw(tightenings(compute_limits(profile)))

    plan = build_plan(profile, LIBRARY, adjustments=adjustments)

    assert loosened_fields(compute_limits(profile), plan.limits) == ()
    for week in plan.weeks:
        for entry in week.doses:
            assert check_dose(entry, plan.limits) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_a_plan_survives_a_json_round_trip(profile):
    plan = build_plan(profile, LIBRARY)

    stored = json.loads(json.dumps(to_dict(plan)))

    assert from_dict(Plan, stored) == plan
    assert from_dict(Profile, to_dict(profile)) == profile
    assert from_dict(LoadLimits, json.loads(json.dumps(to_dict(plan.limits)))) == plan.limits

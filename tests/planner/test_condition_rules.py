"""Each condition contributes its own exclusions and ceilings (clinical-reference 8a), combined monotonically.

Every row of the 8a table holds for every profile that has the condition, whatever else it has; a
profile's limits are the strictest combination, so adding a condition or making one worse never
loosens a limit, never lets an excluded movement back in, and no prescribed exercise carries an
excluded attribute or breaks a limit.
"""

import random
from dataclasses import replace
from functools import lru_cache
from itertools import product

import pytest

from planner.catalogue import allowed_exercises, load_default_catalogue
from planner.limits import check_dose, compute_limits, loosened_fields
from planner.prescribe import prescribe
from planner.regions import default_region_map
from planner.types import Profile
from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    EQUIPMENT,
    IMPACT_LEVELS,
    INFLAMMATION_ACTIVITY,
    POSITIONS,
)
from tests.planner.conftest import build_profile, motivating_case_profile

LIBRARY = load_default_catalogue()
ANATOMY = default_region_map()

SPINE_SPARING = {
    "ballistic",
    "rapid",
    "swinging",
    "loaded_spinal_flexion",
    "end_range_spinal_flexion",
    "loaded_spinal_twist",
    "end_range_spinal_twist",
    "floor_lift",
}


def _impact_at_most(limits, level):
    return IMPACT_LEVELS.index(limits.max_impact) <= IMPACT_LEVELS.index(level)


# The 8a table, written from the reference (not from the rule data): (condition, applies to profile,
# tags that must be excluded, a check on the other limits).
CONDITIONS = (
    (
        "bone fragility from osteoporosis up",
        lambda p: p.bone_fragility in ("osteoporosis", "fragility_fracture") or p.vertebral_fracture,
        SPINE_SPARING,
        lambda p, limits: _impact_at_most(limits, "moderate") and limits.supervision_required,
    ),
    (
        "low bone mass",
        lambda p: p.bone_fragility == "low_bone_mass",
        {"loaded_spinal_flexion"},
        lambda p, limits: _impact_at_most(limits, "moderate"),
    ),
    (
        "fragility or vertebral fracture",
        lambda p: p.bone_fragility == "fragility_fracture" or p.vertebral_fracture,
        SPINE_SPARING | {"running", "jumping"},
        lambda p, limits: _impact_at_most(limits, "low") and limits.resistance.max_pct_1rm <= 60,
    ),
    (
        "vertebral fracture",
        lambda p: p.vertebral_fracture,
        SPINE_SPARING,
        lambda p, limits: limits.aerobic.max_hrr_pct <= 59,
    ),
    (
        "inflammation moderate or high",
        lambda p: p.inflammation_activity in ("moderate", "high"),
        {"ballistic", "heavy_eccentric", "floor_transfer", "floor_to_stand"},
        lambda p, limits: (
            limits.aerobic.max_hrr_pct <= 39 and limits.resistance.max_pct_1rm <= 50 and limits.supervision_required
        ),
    ),
    (
        "inflammation high",
        lambda p: p.inflammation_activity == "high",
        {"heavy_isometric", "heavy_eccentric", "ballistic"},
        lambda p, limits: (
            limits.resistance.max_pct_1rm <= 40 and limits.resistance.min_reps >= 15 and limits.clearance_required
        ),
    ),
    (
        "cardiopulmonary monitor",
        lambda p: p.cardiopulmonary_status == "monitor",
        set(),
        lambda p, limits: limits.aerobic.max_hrr_pct <= 59 and limits.aerobic.max_rpe <= 13,
    ),
    (
        "cardiopulmonary restricted",
        lambda p: p.cardiopulmonary_status == "restricted",
        {"ballistic", "jumping", "rapid", "swinging", "heavy_isometric", "floor_to_stand"},
        lambda p, limits: (
            limits.aerobic.max_hrr_pct <= 39
            and limits.aerobic.max_rpe <= 11
            and limits.clearance_required
            and limits.supervision_required
        ),
    ),
    (
        "beta blocker",
        lambda p: p.beta_blocker,
        set(),
        lambda p, limits: limits.aerobic.hr_zone_bpm is None,
    ),
    (
        "ossified region",
        lambda p: bool(p.heterotopic_ossification_regions),
        {"ballistic", "heavy_eccentric", "massage_or_heat"},
        lambda p, limits: (
            set(p.heterotopic_ossification_regions) <= set(limits.avoid_regions)
            and limits.flexibility.max_hold_seconds <= 30
        ),
    ),
    (
        "age 65 or more, or sedentary",
        lambda p: p.age >= 65 or p.sedentary,
        set(),
        lambda p, limits: limits.resistance.max_pct_1rm <= 50 and limits.resistance.min_reps >= 10,
    ),
)


def condition_problems(profile, limits):
    problems = []
    for name, applies, tags, check in CONDITIONS:
        if not applies(profile):
            continue
        missing = set(tags) - set(limits.excluded_tags)
        if missing:
            problems.append(f"{name}: {sorted(missing)} not excluded")
        if not check(profile, limits):
            problems.append(f"{name}: a ceiling is missing")
    return problems


def item_problems(profile, limits, item):
    """What is wrong with a prescribed item under the limits (an empty list when nothing)."""
    spec = item.exercise
    problems = [violation.message for violation in check_dose(item, limits, profile)]
    if set(spec.tags) & set(limits.excluded_tags):
        problems.append(f"{spec.slug} carries {set(spec.tags) & set(limits.excluded_tags)}")
    if ANATOMY.pressed_protected(spec.pressure_regions, limits.avoid_regions):
        problems.append(f"{spec.slug} presses a protected region")
    if "end_range_stretch" in spec.tags and ANATOMY.stretched_protected(spec.stretched_regions, limits.avoid_regions):
        problems.append(f"{spec.slug} stretches across a protected region")
    return problems


def loosened(before, after):
    """loosened_fields, except that a heart-rate zone may give way to effort (RPE) governing.

    A beta blocker (or a heart-rate reserve too small to use) removes the zone on purpose; the
    RPE ceiling then governs, and check_dose refuses any heart-rate target, which is stricter.
    """
    changes = loosened_fields(before, after)
    return tuple(
        change
        for change in changes
        if not (change.field == "aerobic.hr_zone_bpm" and change.after is None)
        or after.aerobic.max_rpe > before.aerobic.max_rpe
    )


# --- The profile matrix ----------------------------------------------------------------------------

MATRIX = list(
    product(
        BONE_FRAGILITY,
        INFLAMMATION_ACTIVITY,
        CARDIOPULMONARY_STATUS,
        ((), ("gluteal_left", "gluteal_right")),
        (40, 57, 75),
        (False, True),  # vertebral fracture
    )
)


@pytest.mark.parametrize(("bone", "inflammation", "cardio", "ossified", "age", "vertebral"), MATRIX)
def test_every_combination_keeps_every_conditions_exclusions_and_prescribes_none_of_them(
    bone, inflammation, cardio, ossified, age, vertebral
):
    profile = build_profile(
        age=age,
        bone_fragility=bone,
        inflammation_activity=inflammation,
        cardiopulmonary_status=cardio,
        heterotopic_ossification_regions=ossified,
        vertebral_fracture=vertebral,
    )
    limits = compute_limits(profile)

    assert condition_problems(profile, limits) == []
    prescription = prescribe(profile, LIBRARY, limits)
    for item in prescription.items:
        assert item_problems(profile, limits, item) == [], item.slug


# --- A sweep of random profiles, each made worse ---------------------------------------------------

SWEEP_SIZE = 100_000
CHAIN = 4
PRESCRIBE_EVERY = 97  # prescribing takes about 1 ms, so a sample of the pairs is prescribed in full
ALLOWED_EVERY = 13


def _subset(rng, values, most):
    return tuple(rng.sample(values, rng.randint(0, most)))


def random_profile(rng):
    resting = rng.randint(30, 150)
    return Profile(
        age=rng.randint(18, 110),
        bone_fragility=rng.choice(BONE_FRAGILITY),
        vertebral_fracture=rng.random() < 0.2,
        heterotopic_ossification_regions=_subset(rng, BODY_REGIONS, 3) if rng.random() < 0.4 else (),
        inflammation_activity=rng.choice(INFLAMMATION_ACTIVITY),
        pain_at_rest=rng.randint(0, 10),
        resting_hr=resting,
        measured_hr_max=rng.randint(max(80, resting + 1), 230) if rng.random() < 0.2 else None,
        beta_blocker=rng.random() < 0.2,
        cardiopulmonary_status=rng.choice(CARDIOPULMONARY_STATUS),
        avoid_regions=_subset(rng, BODY_REGIONS, 2) if rng.random() < 0.3 else (),
        available_equipment=None if rng.random() < 0.7 else _subset(rng, EQUIPMENT, 10),
        unavailable_positions=_subset(rng, POSITIONS, 2) if rng.random() < 0.3 else (),
        sedentary=rng.random() < 0.3,
    )


def _worse_in(rng, vocabulary, current):
    return rng.choice(vocabulary[vocabulary.index(current) :])


WORSENINGS = (
    lambda rng, p: replace(p, bone_fragility=_worse_in(rng, BONE_FRAGILITY, p.bone_fragility)),
    lambda rng, p: replace(p, vertebral_fracture=True),
    lambda rng, p: replace(p, inflammation_activity=_worse_in(rng, INFLAMMATION_ACTIVITY, p.inflammation_activity)),
    lambda rng, p: replace(p, cardiopulmonary_status=_worse_in(rng, CARDIOPULMONARY_STATUS, p.cardiopulmonary_status)),
    lambda rng, p: replace(
        p, heterotopic_ossification_regions=(*p.heterotopic_ossification_regions, rng.choice(BODY_REGIONS))
    ),
    lambda rng, p: replace(p, avoid_regions=(*p.avoid_regions, rng.choice(BODY_REGIONS))),
    lambda rng, p: replace(p, age=rng.randint(max(p.age, 65), 110)),
    lambda rng, p: replace(p, age=rng.randint(p.age, 110)),
    lambda rng, p: replace(p, sedentary=True),
    lambda rng, p: replace(p, beta_blocker=True),
    lambda rng, p: replace(p, pain_at_rest=rng.randint(p.pain_at_rest, 10)),
)


@lru_cache(maxsize=4096)
def _allowed(max_impact, excluded, avoid, no_loading):
    limits_like = _LimitsKey(max_impact, excluded, avoid, no_loading)
    return frozenset(spec.slug for spec in allowed_exercises(LIBRARY, limits_like))


class _LimitsKey:
    """Only the limit fields that decide which exercises are allowed (hashable for the cache)."""

    def __init__(self, max_impact, excluded_tags, avoid_regions, no_loading_regions):
        self.max_impact = max_impact
        self.excluded_tags = excluded_tags
        self.avoid_regions = avoid_regions
        self.no_loading_regions = no_loading_regions


def allowed_slugs(limits):
    return _allowed(limits.max_impact, limits.excluded_tags, limits.avoid_regions, limits.no_loading_regions)


def test_a_sweep_of_random_profiles_made_worse_never_loosens_or_readmits_anything():
    """SWEEP_SIZE (profile, worse profile) pairs: each random profile is made worse CHAIN times in a
    row (one to three worsenings each time), and every step is one pair, so each limit computed is
    compared twice."""
    rng = random.Random(20250501)
    failures = []
    number = 0
    while number < SWEEP_SIZE:
        profile = random_profile(rng)
        before = compute_limits(profile)
        for _ in range(CHAIN):
            worse = profile
            for _ in range(rng.randint(1, 3)):
                worse = rng.choice(WORSENINGS)(rng, worse)
            after = compute_limits(worse)
            failures += pair_problems(profile, before, worse, after, number)
            assert len(failures) < 5, failures
            profile, before, number = worse, after, number + 1
    assert failures == []


def pair_problems(profile, before, worse, after, number):
    found = []
    if loosened(before, after):
        found.append((profile, worse, loosened(before, after)))
    if not set(before.excluded_tags) <= set(after.excluded_tags):
        found.append((profile, worse, "an excluded movement came back"))
    if not set(before.avoid_regions) <= set(after.avoid_regions):
        found.append((profile, worse, "a protected region came back"))
    problems = condition_problems(worse, after)
    if problems:
        found.append((worse, problems))
    if number % ALLOWED_EVERY == 0 and not allowed_slugs(after) <= allowed_slugs(before):
        found.append((profile, worse, sorted(allowed_slugs(after) - allowed_slugs(before))))
    if number % PRESCRIBE_EVERY == 0:
        for item in prescribe(worse, LIBRARY, after).items:
            problems = item_problems(worse, after, item)
            if problems:
                found.append((worse, problems))
    return found


# --- The motivating case, from the general rules ------------------------------------------------------


def test_the_motivating_case_gets_every_exclusion_of_its_conditions():
    profile = motivating_case_profile()
    limits = compute_limits(profile)

    assert condition_problems(profile, limits) == []
    assert {"floor_transfer", "floor_to_stand", "floor_lift", "rapid", "swinging", "massage_or_heat"} <= set(
        limits.excluded_tags
    )


def test_the_motivating_case_gets_no_stretch_across_the_buttocks_and_no_floor_work():
    profile = motivating_case_profile()
    limits = compute_limits(profile)
    slugs = {item.slug for item in prescribe(profile, LIBRARY, limits).items}
    allowed = {spec.slug for spec in allowed_exercises(LIBRARY, limits, profile)}

    for slug in ("pigeon-stretch", "deep-hamstring-stretch", "floor-rise-practice", "fast-leg-swings", "sit-to-stand"):
        assert slug not in allowed
    assert not slugs - allowed


# --- Protected regions and the tissue that crosses them --------------------------------------------------


def _excluded_for(region):
    limits = compute_limits(build_profile(heterotopic_ossification_regions=(region,)))
    return {spec.slug for spec in LIBRARY} - {spec.slug for spec in allowed_exercises(LIBRARY, limits)}


@pytest.mark.parametrize("region", ["gluteal_left", "greater_trochanter_left", "ischial_tuberosity_left"])
def test_a_protected_buttock_landmark_rules_out_end_range_hip_and_thigh_stretches(region):
    excluded = _excluded_for(region)

    # gluteals and hip rotators (pigeon), hamstrings (deep hamstring stretch), hip flexors (leg swings)
    assert {"pigeon-stretch", "deep-hamstring-stretch", "fast-leg-swings"} <= excluded


def test_a_protected_sitting_bone_rules_out_sitting():
    excluded = _excluded_for("ischial_tuberosity_right")

    assert {"seated-marching", "recumbent-bike", "sit-to-stand"} <= excluded
    assert "brisk-walking" not in excluded


def test_a_protected_sacrum_rules_out_lying_on_the_back_but_not_upright_sitting_work_it_does_not_press():
    excluded = _excluded_for("sacrum")

    assert {"bridge-on-bed", "abdominal-crunch", "recumbent-bike"} <= excluded


def test_a_protected_calf_leaves_hip_stretches_alone():
    excluded = _excluded_for("calf_left")

    assert "calf-stretch-off-step" in excluded
    assert "pigeon-stretch" not in excluded or "pigeon-stretch" in _excluded_for("calf_right")


def test_every_anatomy_region_is_a_body_region_and_reaches_itself():
    for region in BODY_REGIONS:
        assert region in ANATOMY.reach[region]
        assert region in ANATOMY.overlap[region]

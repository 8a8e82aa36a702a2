"""Exercise choice by target muscles: the vocabulary, the target rules, coverage and padded seating.

No database: profiles, the shipped library and the rule data only.
"""

import json
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import DEFAULT_CATALOGUE_PATH, allowed_exercises, load_default_catalogue
from planner.choosing import _chain_position, is_main_block
from planner.limits import check_dose, compute_limits
from planner.muscles import SLOTS, default_selection_book, max_count, targets_for
from planner.prescribe import prescribe
from planner.rules import DoseParameters, default_rulebook
from planner.serialize import from_dict, to_dict
from planner.types import EVIDENCE_TAGS, Plan, Profile
from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    COMPONENTS,
    EQUIPMENT,
    INFLAMMATION_ACTIVITY,
    MUSCLE_GROUPS,
    POSITIONS,
    SESSION_ROLES,
)
from tests.planner.conftest import build_profile, motivating_case_profile, vertebral_fracture_profile

LIBRARY = load_default_catalogue()
BY_SLUG = {spec.slug: spec for spec in LIBRARY}
RAW_LIBRARY = json.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))
MMT8_AND_HIP_FLEXORS = {
    "neck_flexors",
    "deltoids",
    "biceps",
    "wrist_extensors",
    "gluteus_maximus",
    "gluteus_medius",
    "quadriceps",
    "ankle_dorsiflexors",
    "hip_flexors",
}
GLUTEAL = ("gluteal_left", "gluteal_right")


def plan_for(profile):
    limits = compute_limits(profile)
    return limits, prescribe(profile, LIBRARY, limits)


def slugs(specs):
    return {spec.slug for spec in specs}


# --- The vocabulary and the library ---------------------------------------------------------------


def test_every_library_exercise_names_only_muscle_groups_of_the_vocabulary():
    outside = {entry["slug"]: entry["muscle_groups"] for entry in RAW_LIBRARY if not entry["muscle_groups"]}
    outside |= {
        entry["slug"]: [group for group in entry["muscle_groups"] if group not in MUSCLE_GROUPS]
        for entry in RAW_LIBRARY
        if set(entry["muscle_groups"]) - set(MUSCLE_GROUPS)
    }
    assert outside == {}


def test_every_target_group_is_worked_by_some_library_exercise():
    worked = {group for spec in LIBRARY for group in spec.muscle_groups}
    targeted = {group for rule in default_selection_book().targets for group in rule.groups}
    assert targeted <= worked


def test_session_roles_use_the_vocabulary_and_warm_up_and_cool_down_movements_exist():
    for spec in LIBRARY:
        assert set(spec.session_roles) <= set(SESSION_ROLES), spec.slug
    for role in ("warm_up", "cool_down"):
        assert len([spec for spec in LIBRARY if role in spec.session_roles]) >= 4, role


def test_every_aerobic_activity_says_which_intensity_class_it_can_reach():
    classes = [level.name for level in default_rulebook().anchors.intensity_classes]
    for spec in LIBRARY:
        if spec.component == "aerobic":
            assert spec.intensity_reach in classes, spec.slug
        else:
            assert spec.intensity_reach is None, spec.slug


def test_the_library_has_breathing_exercises_and_a_trainer_that_needs_its_equipment():
    breathing = [spec for spec in LIBRARY if "respiratory_muscles" in spec.muscle_groups]
    assert len(breathing) >= 3
    assert any("inspiratory_trainer" in spec.equipment for spec in breathing)
    assert any(spec.position == "standing" for spec in breathing)


def test_side_lying_hip_abduction_presses_the_greater_trochanter():
    spec = next(spec for spec in LIBRARY if spec.slug == "side-lying-hip-abduction")
    assert {"greater_trochanter_left", "greater_trochanter_right"} <= set(spec.pressure_regions)


# --- Target rules -------------------------------------------------------------------------------


def test_every_target_and_count_rule_cites_its_evidence_and_source():
    for rule in default_selection_book().all_rules():
        assert rule.id
        assert rule.text
        assert rule.source
        assert rule.evidence in EVIDENCE_TAGS


def test_inflammatory_myopathy_targets_the_mmt8_groups_and_the_hip_flexors():
    for activity in ("low", "moderate", "high"):
        targets = targets_for(build_profile(inflammation_activity=activity), "resistance")
        within = {target.group for target in targets if target.slots in ("added", "within")}
        assert within == MMT8_AND_HIP_FLEXORS


def test_without_a_condition_the_targets_are_the_major_muscle_groups_within_the_count():
    targets = targets_for(build_profile(), "resistance")
    assert targets
    assert {target.slots for target in targets} == {"fill"}
    assert targets_for(build_profile(), "neuromotor") == ()


# --- Coverage over random profiles -----------------------------------------------------------------


def subsets(values, max_size):
    return st.lists(st.sampled_from(values), max_size=max_size, unique=True).map(tuple)


@st.composite
def profiles(draw):
    ossified = draw(subsets(BODY_REGIONS, 3))
    avoid = draw(subsets(BODY_REGIONS, 2))
    protected = ossified + avoid
    padded = draw(st.lists(st.sampled_from(protected), unique=True).map(tuple)) if protected else ()
    return Profile(
        age=draw(st.integers(18, 95)),
        bone_fragility=draw(st.sampled_from(BONE_FRAGILITY)),
        vertebral_fracture=draw(st.booleans()),
        heterotopic_ossification_regions=ossified,
        inflammation_activity=draw(st.sampled_from(INFLAMMATION_ACTIVITY)),
        pain_at_rest=draw(st.integers(0, 10)),
        cardiopulmonary_status=draw(st.sampled_from(CARDIOPULMONARY_STATUS)),
        avoid_regions=avoid,
        padded_pressure_regions=padded,
        available_equipment=draw(st.none() | subsets(EQUIPMENT, 8)),
        unavailable_positions=draw(subsets(POSITIONS, 3)),
        sedentary=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_every_servable_target_is_served_within_the_count_and_nothing_breaks_a_limit(profile):
    limits, prescription = plan_for(profile)
    allowed = [spec for spec in allowed_exercises(LIBRARY, limits, profile) if is_main_block(spec)]
    params = DoseParameters(profile, default_rulebook())
    for item in prescription.items:
        assert check_dose(item, limits, profile) == [], item.slug
        assert is_main_block(item.exercise), item.slug
        assert set(item.targets) <= set(item.exercise.muscle_groups), item.slug
    for component in COMPONENTS:
        items = [item for item in prescription.items if item.component == component]
        served = {group for item in items for group in item.targets}
        base, _ = params.selection(component, "count")
        largest, _ = max_count(component, base)
        used_chains = {_chain_position(item.exercise, BY_SLUG)[0] for item in items}
        for target in targets_for(profile, component):
            # One exercise per progression chain: a chain already in the plan serves through its chosen variant.
            can = [
                spec
                for spec in allowed
                if spec.component == component
                and target.served_by_exercise(spec)
                and _chain_position(spec, BY_SLUG)[0] not in used_chains
            ]
            if not can or target.group in served:
                continue
            # Unserved only when the count was used up: the component's maximum for added and within
            # targets, the plan's count (at least the base count) for the rest.
            full = largest if target.slots in SLOTS[:2] else base
            assert len(items) >= full, (component, target.group, [item.slug for item in items])


# --- The motivating case, a vertebral fracture, fit adults ----------------------------------------------


def test_the_motivating_case_serves_the_mmt8_groups_and_hip_flexors_its_limits_allow_and_breathes():
    profile = motivating_case_profile()
    limits, prescription = plan_for(profile)
    allowed = allowed_exercises(LIBRARY, limits, profile)
    servable = {g for spec in allowed if spec.component == "resistance" for g in spec.muscle_groups}
    served = {group for item in prescription.items if item.component == "resistance" for group in item.targets}

    assert MMT8_AND_HIP_FLEXORS & servable == MMT8_AND_HIP_FLEXORS  # the library can serve them all
    assert served >= MMT8_AND_HIP_FLEXORS
    breathing = [item for item in prescription.items if "respiratory_muscles" in item.targets]
    assert len(breathing) == 1
    assert "targets.respiratory" in {rule.id for rule in breathing[0].rules_for("exercise")}
    for item in prescription.items:
        assert not set(GLUTEAL) & set(item.exercise.pressure_regions), item.slug


def test_each_item_cites_the_rules_of_the_targets_it_serves():
    _, prescription = plan_for(motivating_case_profile())
    for item in prescription.items:
        cited = {rule.id for rule in item.rules_for("exercise")}
        for group in item.targets:
            rules = {
                rule.id
                for target in targets_for(motivating_case_profile(), item.component)
                for rule in target.rules
                if target.group == group
            }
            assert rules <= cited, (item.slug, group)


def test_a_vertebral_fracture_gets_a_spinal_extensor_hold():
    _, prescription = plan_for(vertebral_fracture_profile())
    holds = [
        item
        for item in prescription.items
        if "spinal_extensors" in item.targets
        and item.exercise.dose_kind == "hold"
        and "spinal_extension" in item.exercise.tags
    ]
    assert holds
    assert "targets.bone_spinal_extensor_holds" in {rule.id for rule in holds[0].rules_for("exercise")}


def test_the_spinal_extensor_hold_comes_on_top_of_the_balance_work():
    _, with_fracture = plan_for(vertebral_fracture_profile())
    _, without = plan_for(build_profile(age=68))
    balance = [item for item in with_fracture.items if item.component == "neuromotor" and not item.targets]
    assert len(balance) == len([item for item in without.items if item.component == "neuromotor"])


def test_a_fit_young_adult_gets_an_aerobic_activity_that_reaches_moderate_intensity():
    _, prescription = plan_for(build_profile(age=25))
    aerobic = next(item for item in prescription.items if item.component == "aerobic")
    assert aerobic.exercise.intensity_reach in ("moderate", "vigorous")
    assert aerobic.slug != "seated-marching"


def test_an_uncapped_aerobic_ceiling_chooses_a_mode_that_reaches_vigorous_work():
    book = default_rulebook()
    classes = [level.name for level in book.anchors.intensity_classes]
    profile = build_profile(age=25)
    limits = compute_limits(profile)
    from planner.prescribe import select_aerobic

    params = DoseParameters(profile, book)
    ceiling, _ = params.get("aerobic", "minutes", "intensity_ceiling_hrr_pct")
    pool = [spec for spec in allowed_exercises(LIBRARY, limits, profile) if spec.component == "aerobic"]
    (choice,) = select_aerobic(pool, {s.slug: s for s in LIBRARY}, params, limits, book, default_selection_book())
    reach = classes.index(choice.spec.intensity_reach)
    needed = max(i for i, level in enumerate(book.anchors.intensity_classes) if level.hrr_pct[0] <= ceiling)
    assert reach >= needed


# --- Padded, short pressure ------------------------------------------------------------------------


def test_padded_gluteal_regions_readmit_seated_work_for_the_case_and_nothing_else():
    plain = motivating_case_profile()
    padded = motivating_case_profile(padded_pressure_regions=GLUTEAL)
    before = slugs(allowed_exercises(LIBRARY, compute_limits(plain), plain))
    after = slugs(allowed_exercises(LIBRARY, compute_limits(padded), padded))
    readmitted = after - before

    assert before <= after
    assert {"recumbent-bike", "sit-to-stand"} <= readmitted
    by_slug = {spec.slug: spec for spec in LIBRARY}
    for slug in readmitted:
        spec = by_slug[slug]
        assert spec.position == "seated", slug
        assert "end_range_stretch" not in spec.tags or not set(GLUTEAL) & set(spec.stretched_regions), slug


def test_padded_regions_never_readmit_end_range_stretches_or_lying_on_the_region():
    padded = motivating_case_profile(padded_pressure_regions=GLUTEAL)
    allowed = allowed_exercises(LIBRARY, compute_limits(padded), padded)
    for spec in allowed:
        assert spec.position in ("seated",) or not set(GLUTEAL) & set(spec.pressure_regions), spec.slug
    assert "deep-hamstring-stretch" not in slugs(allowed)
    assert "bridge-on-bed" not in slugs(allowed)


def test_a_padded_region_that_is_not_protected_changes_nothing():
    plain = build_profile(age=60)
    marked = build_profile(age=60, padded_pressure_regions=GLUTEAL)
    assert slugs(allowed_exercises(LIBRARY, compute_limits(plain), plain)) == slugs(
        allowed_exercises(LIBRARY, compute_limits(marked), marked)
    )


def test_seated_items_on_padded_regions_tell_the_patient_to_use_a_cushion_and_sit_briefly():
    _, prescription = plan_for(motivating_case_profile(padded_pressure_regions=GLUTEAL))
    seated = [item for item in prescription.items if set(GLUTEAL) & set(item.exercise.pressure_regions)]
    assert seated
    for item in seated:
        assert item.notes == ("Use a cushion; keep sitting short.",)
        assert "regions.padded_short_pressure" in {rule.id for rule in item.rules_for("exercise")}
    for item in prescription.items:
        if item not in seated:
            assert item.notes == ()


# --- Stored plans ------------------------------------------------------------------------------


def test_an_item_stored_before_targets_and_notes_existed_still_loads():
    from planner.schedule import build_plan

    plan = build_plan(motivating_case_profile(), LIBRARY)
    data = to_dict(plan)
    for item in data["items"]:
        del item["targets"], item["notes"]
        item["exercise"].pop("session_roles"), item["exercise"].pop("intensity_reach")
    data["profile"].pop("padded_pressure_regions")
    restored = from_dict(Plan, data)
    assert all(item.targets == () and item.notes == () for item in restored.items)
    assert restored.profile == replace(plan.profile, padded_pressure_regions=())


def test_targets_and_notes_survive_a_round_trip():
    from planner.schedule import build_plan

    plan = build_plan(motivating_case_profile(padded_pressure_regions=GLUTEAL), LIBRARY)
    restored = from_dict(Plan, to_dict(plan))
    assert [item.targets for item in restored.items] == [item.targets for item in plan.items]
    assert [item.notes for item in restored.items] == [item.notes for item in plan.items]
    assert restored.profile.padded_pressure_regions == GLUTEAL

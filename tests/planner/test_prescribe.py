"""Prescription: which exercises, at which starting dose, and why."""

import pytest

from planner.limits import check_dose, compute_limits
from planner.prescribe import prescribe
from planner.types import DOSE_RATIONALE_FIELDS
from planner.vocabulary import COMPONENTS, IMPACT_LEVELS
from tests.planner.conftest import (
    beta_blocker_profile,
    build_profile,
    high_inflammation_profile,
    motivating_case_profile,
    vertebral_fracture_profile,
)


def plan_for(profile, library):
    limits = compute_limits(profile)
    return limits, prescribe(profile, library, limits)


def items_of(prescription, component):
    return [item for item in prescription.items if item.component == component]


def only(items):
    assert len(items) == 1
    return items[0]


# --- The motivating case ---------------------------------------------------------------------------


def test_the_motivating_case_gets_all_four_components(library):
    _, prescription = plan_for(motivating_case_profile(), library)

    assert {item.component for item in prescription.items} == set(COMPONENTS)
    assert prescription.components_without_exercise == ()


def test_the_motivating_case_has_nothing_above_low_impact_and_no_loaded_spinal_flexion(library):
    _, prescription = plan_for(motivating_case_profile(), library)

    for item in prescription.items:
        assert IMPACT_LEVELS.index(item.exercise.impact) <= IMPACT_LEVELS.index("low"), item.slug
        assert "loaded_spinal_flexion" not in item.exercise.tags
        assert "loaded_spinal_twist" not in item.exercise.tags


def test_the_motivating_case_never_presses_or_end_range_stretches_the_gluteal_masses(library):
    _, prescription = plan_for(motivating_case_profile(), library)
    gluteal = {"gluteal_left", "gluteal_right"}

    for item in prescription.items:
        assert not gluteal & set(item.exercise.pressure_regions), item.slug
        if "end_range_stretch" in item.exercise.tags:
            assert not gluteal & set(item.exercise.stretched_regions), item.slug


def test_the_motivating_case_starts_light_in_the_karvonen_zone(library):
    _, prescription = plan_for(motivating_case_profile(), library)
    aerobic = only(items_of(prescription, "aerobic")).dose

    assert (aerobic.intensity_in("pct_hrr").low, aerobic.intensity_in("pct_hrr").high) == (30, 39)
    assert (aerobic.intensity_in("hr_bpm").low, aerobic.intensity_in("hr_bpm").high) == (99, 108)
    assert aerobic.intensity_in("rpe_6_20").high <= 11
    # The myositis home programme's walk: 15 minutes on 5 days from week 1 (clinical-reference 8d).
    assert aerobic.frequency_per_week == 5
    assert aerobic.minutes == 15


def test_the_motivating_case_starts_resistance_at_forty_percent_with_one_set(library):
    limits, prescription = plan_for(motivating_case_profile(), library)

    for item in items_of(prescription, "resistance"):
        # A weight starts at 40 %1RM; a band or bodyweight at its first level, at the effort of that load.
        load = item.dose.intensity_in("pct_1rm")
        assert load is None or load.high == 40
        assert load is not None or item.dose.intensity_in("band_level") or item.dose.intensity_in("tempo_level")
        assert item.dose.sets == 1
        assert item.dose.reps >= limits.resistance.min_reps
        assert item.dose.intensity_in("rpe_6_20").high <= limits.resistance.max_rpe


def test_the_motivating_case_holds_stretches_no_longer_than_thirty_seconds(library):
    _, prescription = plan_for(motivating_case_profile(), library)

    assert all(item.dose.hold_seconds <= 30 for item in items_of(prescription, "flexibility"))


def test_the_motivating_case_grows_by_small_load_steps_under_the_weekly_cap(library):
    _, prescription = plan_for(motivating_case_profile(), library)

    assert {item.progression.max_weekly_growth_pct for item in prescription.items} == {10}
    for item in items_of(prescription, "resistance"):
        load_steps = [s for s in item.progression.steps if s.variable == "intensity"]
        if item.dose.intensity_in("pct_1rm") is not None:
            # About 5 % of a 40 %1RM load, every second week: the bottom of the 2-10 % range.
            assert [(s.increment, s.every_weeks) for s in load_steps] == [(2, 2)]


# --- Contrasting profiles --------------------------------------------------------------------------


def test_a_fit_adult_starts_at_the_general_recommendations(library):
    limits, prescription = plan_for(build_profile(), library)
    aerobic = only(items_of(prescription, "aerobic")).dose

    assert (aerobic.frequency_per_week, aerobic.minutes) == (5, 30)
    assert (aerobic.intensity_in("pct_hrr").low, aerobic.intensity_in("pct_hrr").high) == (40, 59)
    resistance = items_of(prescription, "resistance")
    assert len(resistance) == 8
    assert {item.dose.intensity_in("pct_1rm").high for item in resistance if item.dose.intensity_in("pct_1rm")} <= {60}
    assert {item.dose.sets for item in resistance} == {2}
    assert not limits.supervision_required


def test_a_fit_adult_gets_more_volume_than_the_motivating_case(library):
    _, fit = plan_for(build_profile(), library)
    _, case = plan_for(motivating_case_profile(), library)

    def weekly_aerobic(prescription):
        return only(items_of(prescription, "aerobic")).dose.volume_per_week

    def weekly_resistance(prescription):
        return sum(item.dose.volume_per_week for item in items_of(prescription, "resistance"))

    assert weekly_aerobic(fit) >= 2 * weekly_aerobic(case)
    # The case may have as many resistance exercises (its MMT-8 targets raise the count), each lighter.
    assert len(items_of(fit, "resistance")) >= len(items_of(case, "resistance"))
    assert weekly_resistance(fit) / len(items_of(fit, "resistance")) > weekly_resistance(case) / len(
        items_of(case, "resistance")
    )


def test_a_vertebral_fracture_keeps_the_spine_unloaded_and_impact_at_walking_level(library):
    limits, prescription = plan_for(vertebral_fracture_profile(), library)

    for item in prescription.items:
        assert not {"loaded_spinal_flexion", "loaded_spinal_twist", "floor_transfer"} & set(item.exercise.tags)
        assert IMPACT_LEVELS.index(item.exercise.impact) <= IMPACT_LEVELS.index("low")
    aerobic = only(items_of(prescription, "aerobic")).dose
    assert aerobic.intensity_in("pct_hrr").high <= 59
    assert limits.supervision_required


def test_high_inflammation_alone_starts_light_but_keeps_the_spine_rules_off(library):
    limits, prescription = plan_for(high_inflammation_profile(), library)

    assert "loaded_spinal_flexion" not in limits.excluded_tags
    for item in items_of(prescription, "resistance"):
        load = item.dose.intensity_in("pct_1rm")
        assert load is None or load.high <= 40
        if item.dose.dose_kind == "sets_reps":
            assert item.dose.reps >= 15
    assert only(items_of(prescription, "aerobic")).dose.intensity_in("pct_hrr").high <= 39
    assert limits.supervision_required


def test_a_beta_blocker_makes_effort_the_governing_aerobic_target(library):
    _, prescription = plan_for(beta_blocker_profile(), library)
    aerobic = only(items_of(prescription, "aerobic")).dose

    assert aerobic.intensity[0].unit == "rpe_6_20"
    assert aerobic.intensity_in("hr_bpm") is None
    assert "aerobic.beta_blocker_rpe_governs" in {rule.id for rule in aerobic.rules_for("intensity")}


# --- Choosing exercises ----------------------------------------------------------------------------


def test_exercises_that_break_a_limit_never_appear(tiny_library):
    limits, prescription = plan_for(motivating_case_profile(), tiny_library)

    chosen = {item.slug for item in prescription.items}
    assert not chosen & {
        "jogging",
        "recumbent-bike",
        "seated-knee-extension",
        "deep-glute-stretch",
        "weighted-sit-up",
        "russian-twist",
        "jump-squat",
    }
    assert all(check_dose(item, limits) == [] for item in prescription.items)


def test_each_chain_starts_at_its_easiest_allowed_variant(tiny_library):
    _, prescription = plan_for(build_profile(), tiny_library)

    assert only(items_of(prescription, "aerobic")).slug == "brisk-walking"  # jogging is harder


def test_only_available_equipment_and_possible_positions_are_used(library):
    profile = motivating_case_profile(available_equipment=(), unavailable_positions=("in_water", "supine"))
    _, prescription = plan_for(profile, library)

    assert prescription.items
    for item in prescription.items:
        assert set(item.exercise.equipment) == {"none"}, item.slug
        assert item.exercise.position not in {"in_water", "supine"}


def test_a_component_without_an_allowed_exercise_is_reported(tiny_library):
    no_balance = tuple(spec for spec in tiny_library if spec.component != "neuromotor")

    _, prescription = plan_for(build_profile(), no_balance)

    assert prescription.components_without_exercise == ("neuromotor",)


def test_the_same_input_gives_the_same_prescription_whatever_the_library_order(library):
    profile = motivating_case_profile()

    first = plan_for(profile, library)[1]
    again = plan_for(profile, library)[1]
    reordered = plan_for(profile, tuple(reversed(library)))[1]

    assert first == again == reordered


# --- Rationale -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile", [build_profile(), motivating_case_profile(), beta_blocker_profile()], ids=["fit", "case", "beta-blocker"]
)
def test_every_prescribed_value_carries_its_rules(library, profile):
    _, prescription = plan_for(profile, library)

    for item in prescription.items:
        for name in ("exercise", "progression", *DOSE_RATIONALE_FIELDS):
            rules = item.rules_for(name)
            assert rules, (item.slug, name)
            assert all(rule.text and rule.evidence in "GCRD" and rule.source for rule in rules)
        for step in item.progression.steps:
            assert step.rules, (item.slug, step.variable)


def test_the_aerobic_intensity_cites_the_inflammation_rule_and_karvonen(library):
    _, prescription = plan_for(motivating_case_profile(), library)
    cited = {rule.id for rule in only(items_of(prescription, "aerobic")).dose.rules_for("intensity")}

    assert {"inflammation.active_light_aerobic", "aerobic.karvonen", "aerobic.hr_max_tanaka"} <= cited


def test_progression_ceilings_never_exceed_the_limits(library):
    limits, prescription = plan_for(motivating_case_profile(), library)

    for item in prescription.items:
        for step in item.progression.steps:
            if step.variable == "intensity" and item.component == "aerobic":
                assert step.ceiling <= limits.aerobic.max_hrr_pct
            if step.variable == "intensity" and item.component == "resistance":
                assert step.ceiling <= limits.resistance.max_pct_1rm
            if step.variable == "hold_seconds" and item.component == "flexibility":
                assert step.ceiling <= limits.flexibility.max_hold_seconds

"""Load limits: from the assessment to the ceilings, clinician adjustments, and the dose checks."""

import json
from dataclasses import replace
from fractions import Fraction

import pytest

from planner.catalogue import exercise_violations
from planner.limits import (
    apply_adjustments,
    check_dose,
    check_growth,
    clamp_dose,
    compute_limits,
    growth_measure,
    loosened_fields,
)
from planner.rules import DOSE_RULES_PATH, LIMIT_RULES_PATH, default_rulebook, load_rulebook
from planner.types import AdjustmentError, Dose, Intensity, LimitAdjustment, Profile, ProfileError
from planner.vocabulary import IMPACT_LEVELS
from tests.planner.conftest import (
    beta_blocker_profile,
    build_profile,
    high_inflammation_profile,
    motivating_case_profile,
    vertebral_fracture_profile,
)


def ids(rules):
    return {rule.id for rule in rules}


# --- Computing limits ------------------------------------------------------------------------------


def test_the_motivating_case_gets_walking_level_impact_and_a_light_karvonen_zone():
    limits = compute_limits(motivating_case_profile())

    assert limits.max_impact == "low"
    assert limits.aerobic.hr_max_bpm == pytest.approx(208 - 0.7 * 57)  # Tanaka: 168.1
    assert limits.aerobic.max_hrr_pct == 39
    assert limits.aerobic.max_rpe == 11
    assert limits.aerobic.hr_zone_bpm == (99, 108)  # 70 + 30..39 % x (168.1 - 70)
    assert limits.resistance.max_pct_1rm == 50
    assert limits.resistance.min_reps >= 10
    assert limits.supervision_required
    # The weekly volume cap is the baseline's; fragile bones and inflammation get small load steps instead
    # (the gentle tier's dose rules, clinical-reference 3: 2-10 % load steps, the bottom of the range here).
    assert limits.weekly_progression_max_pct == 10


def test_the_motivating_case_protects_the_gluteal_masses_and_the_spine():
    limits = compute_limits(motivating_case_profile())

    assert {"gluteal_left", "gluteal_right"} <= set(limits.avoid_regions)
    assert {"loaded_spinal_flexion", "loaded_spinal_twist", "ballistic", "heavy_eccentric"} <= set(limits.excluded_tags)
    assert {"running", "jumping", "prone_loading"} <= set(limits.excluded_tags)
    # The ossified regions are protected from pressure and stretch, not forbidden to move.
    assert limits.no_loading_regions == ()


def test_the_strictest_rule_wins_when_rules_overlap():
    # Osteoporosis alone allows moderate impact; a vertebral fracture allows only walking level.
    limits = compute_limits(build_profile(bone_fragility="osteoporosis", vertebral_fracture=True))

    assert limits.max_impact == "low"
    assert limits.rule_ids_for("max_impact") == ("impact.vertebral_fracture",)


def test_rules_that_agree_on_the_winning_value_are_all_cited():
    # Inflammation and a vertebral fracture both allow walking-level impact at most: both are cited.
    limits = compute_limits(build_profile(inflammation_activity="moderate", vertebral_fracture=True))

    assert {"impact.active_inflammation", "impact.vertebral_fracture"} <= set(limits.rule_ids_for("max_impact"))


def test_a_fit_adult_has_only_the_baseline_limits():
    limits = compute_limits(build_profile())

    assert limits.max_impact == "high"
    assert limits.excluded_tags == ()
    assert limits.avoid_regions == ()
    assert limits.aerobic.max_hrr_pct == 89
    assert limits.resistance.max_pct_1rm == 70
    assert limits.weekly_progression_max_pct == 10
    assert not limits.supervision_required


def test_low_bone_mass_allows_moderate_impact_but_no_loaded_spinal_flexion():
    limits = compute_limits(build_profile(bone_fragility="low_bone_mass"))

    assert limits.max_impact == "moderate"
    assert "loaded_spinal_flexion" in limits.excluded_tags
    assert "loaded_spinal_twist" in limits.excluded_tags


def test_a_vertebral_fracture_keeps_aerobic_work_moderate_and_bans_floor_transfers():
    limits = compute_limits(vertebral_fracture_profile())

    assert limits.aerobic.max_hrr_pct == 59
    assert limits.aerobic.max_rpe == 13
    assert "floor_transfer" in limits.excluded_tags
    assert limits.resistance.max_pct_1rm <= 60
    assert limits.supervision_required


def test_high_inflammation_is_stricter_than_moderate_inflammation():
    moderate = compute_limits(build_profile(inflammation_activity="moderate"))
    high = compute_limits(high_inflammation_profile())

    assert high.resistance.max_pct_1rm < moderate.resistance.max_pct_1rm
    assert high.resistance.min_reps > moderate.resistance.min_reps
    assert high.supervision_required
    assert moderate.supervision_required
    assert loosened_fields(moderate, high) == ()


def test_inflammation_alone_leaves_the_spine_rules_out():
    limits = compute_limits(high_inflammation_profile())

    assert "loaded_spinal_flexion" not in limits.excluded_tags
    assert limits.max_impact == "low"


def test_a_beta_blocker_removes_the_heart_rate_zone_so_effort_governs():
    limits = compute_limits(beta_blocker_profile())

    assert limits.aerobic.hr_zone_bpm is None
    assert limits.aerobic.hr_max_bpm is None
    assert limits.aerobic.max_rpe == 17
    assert limits.rule_ids_for("aerobic.hr_zone_bpm") == ("aerobic.beta_blocker_rpe_governs",)


def test_an_arrhythmia_removes_the_heart_rate_zone_as_a_beta_blocker_does():
    # Clinical-reference 8a: "beta-blocker or arrhythmia: no heart-rate zone; effort governs".
    limits = compute_limits(build_profile(age=68, arrhythmia=True))

    assert limits.aerobic.hr_zone_bpm is None
    assert limits.aerobic.hr_max_bpm is None
    assert limits.rule_ids_for("aerobic.hr_zone_bpm") == ("aerobic.beta_blocker_rpe_governs",)


def test_a_measured_maximum_heart_rate_replaces_the_tanaka_estimate():
    limits = compute_limits(build_profile(age=57, measured_hr_max=150, resting_hr=60, inflammation_activity="moderate"))

    assert limits.aerobic.hr_max_bpm == 150
    assert limits.aerobic.hr_zone_bpm == (87, 95)  # 60 + 30..39 % x 90
    assert "aerobic.hr_max_measured" in limits.rule_ids_for("aerobic.hr_zone_bpm")


def test_an_unusable_heart_rate_reserve_gives_no_zone():
    limits = compute_limits(build_profile(age=100, resting_hr=130))

    assert limits.aerobic.hr_zone_bpm is None
    assert limits.rule_ids_for("aerobic.hr_zone_bpm") == ("aerobic.hr_reserve_unusable",)


@pytest.mark.parametrize(("status", "max_rpe"), [("cleared", 17), ("monitor", 13), ("restricted", 11)])
def test_cardiopulmonary_status_caps_aerobic_effort(status, max_rpe):
    assert compute_limits(build_profile(cardiopulmonary_status=status)).aerobic.max_rpe == max_rpe


def test_high_pain_at_rest_lowers_the_ceilings():
    calm = compute_limits(build_profile(pain_at_rest=1))
    sore = compute_limits(build_profile(pain_at_rest=5))
    severe = compute_limits(build_profile(pain_at_rest=8))

    assert sore.aerobic.max_rpe < calm.aerobic.max_rpe
    assert severe.aerobic.max_rpe < sore.aerobic.max_rpe
    assert sore.resistance.max_pct_1rm <= 60
    assert severe.supervision_required


def test_older_adults_lift_at_most_half_their_maximum():
    limits = compute_limits(build_profile(age=70))

    assert limits.resistance.max_pct_1rm == 50
    assert limits.resistance.min_reps == 10


def test_assessment_regions_are_neither_loaded_pressed_nor_stretched():
    limits = compute_limits(build_profile(avoid_regions=("knee_left",)))

    assert limits.no_loading_regions == ("knee_left",)
    assert limits.avoid_regions == ("knee_left",)


def test_every_limit_names_the_rules_that_set_it():
    for profile in (build_profile(), motivating_case_profile(), beta_blocker_profile(), vertebral_fracture_profile()):
        limits = compute_limits(profile)
        rule_ids = ids(limits.rules)
        for path in (
            "max_impact",
            "aerobic.max_rpe",
            "aerobic.max_hrr_pct",
            "aerobic.hr_zone_bpm",
            "resistance.max_pct_1rm",
            "resistance.max_rpe",
            "resistance.min_reps",
            "flexibility.max_hold_seconds",
            "excluded_tags",
            "avoid_regions",
            "no_loading_regions",
            "weekly_progression_max_pct",
            "supervision_required",
        ):
            assert limits.rule_ids_for(path), path
            assert set(limits.rule_ids_for(path)) <= rule_ids, path


def test_the_ten_percent_rule_is_labelled_a_design_default():
    rule = next(r for r in default_rulebook().all_rules() if r.id == "baseline.weekly_progression_10pct")

    assert rule.evidence == "D"


def test_every_rule_has_an_evidence_tag_a_source_and_plain_text():
    for rule in default_rulebook().all_rules():
        assert rule.evidence in {"G", "C", "R", "D"}
        assert rule.source.strip()
        assert rule.text.strip()


def test_a_clinic_can_ship_its_own_rule_data(tmp_path):
    data = json.loads(LIMIT_RULES_PATH.read_text())
    baseline = next(rule for rule in data["rules"] if rule["id"] == "baseline.weekly_progression_10pct")
    baseline["set"]["weekly_progression_max_pct"] = 8
    custom = tmp_path / "limits.json"
    custom.write_text(json.dumps(data))

    limits = compute_limits(build_profile(), load_rulebook(custom, DOSE_RULES_PATH))

    assert limits.weekly_progression_max_pct == 8


def test_an_invalid_profile_reports_each_bad_field():
    with pytest.raises(ProfileError) as raised:
        Profile(age=12, bone_fragility="brittle", pain_at_rest=11, avoid_regions=("tail",))

    assert set(raised.value.errors) == {"age", "bone_fragility", "pain_at_rest", "avoid_regions"}


def test_the_order_of_listed_regions_does_not_matter():
    one = build_profile(heterotopic_ossification_regions=("gluteal_right", "gluteal_left", "gluteal_left"))
    other = build_profile(heterotopic_ossification_regions=("gluteal_left", "gluteal_right"))

    assert one == other
    assert compute_limits(one) == compute_limits(other)


# --- Clinician adjustments -----------------------------------------------------------------------


def test_tightening_a_limit_needs_no_reason_and_is_recorded_as_a_rule():
    limits = compute_limits(motivating_case_profile())

    tighter = apply_adjustments(limits, [LimitAdjustment("aerobic.max_rpe", 10, author="physio-7")])

    assert tighter.aerobic.max_rpe == 10
    assert tighter.rule_ids_for("aerobic.max_rpe") == ("clinician.aerobic.max_rpe",)
    assert loosened_fields(limits, tighter) == ()


def test_loosening_a_limit_without_a_reason_is_refused():
    limits = compute_limits(motivating_case_profile())

    with pytest.raises(AdjustmentError) as raised:
        apply_adjustments(limits, [LimitAdjustment("resistance.max_pct_1rm", 60)])

    assert set(raised.value.errors) == {"resistance.max_pct_1rm"}


def test_loosening_a_limit_with_a_reason_is_recorded_with_the_reason():
    limits = compute_limits(motivating_case_profile())

    looser = apply_adjustments(limits, [LimitAdjustment("resistance.max_pct_1rm", 60, reason="CK normal for 3 months")])

    assert looser.resistance.max_pct_1rm == 60
    rule = looser.rules_for("resistance.max_pct_1rm")[0]
    assert "CK normal for 3 months" in rule.text


def test_loosened_fields_lists_each_kind_of_loosening():
    limits = compute_limits(motivating_case_profile())
    looser = replace(
        limits,
        max_impact="moderate",
        excluded_tags=tuple(tag for tag in limits.excluded_tags if tag != "ballistic"),
        supervision_required=False,
        resistance=replace(limits.resistance, min_reps=8),
        aerobic=replace(limits.aerobic, hr_zone_bpm=(limits.aerobic.hr_zone_bpm[0], limits.aerobic.hr_zone_bpm[1] + 5)),
    )

    assert {change.field for change in loosened_fields(limits, looser)} == {
        "max_impact",
        "excluded_tags",
        "supervision_required",
        "resistance.min_reps",
        "aerobic.hr_zone_bpm",
    }


def test_changing_the_hrr_ceiling_recomputes_the_heart_rate_zone():
    limits = compute_limits(motivating_case_profile())

    tighter = apply_adjustments(limits, [LimitAdjustment("aerobic.max_hrr_pct", 35)])

    assert tighter.aerobic.hr_zone_bpm == (99, 104)


def test_adjustments_report_unknown_fields_and_bad_values():
    limits = compute_limits(build_profile())

    with pytest.raises(AdjustmentError) as raised:
        apply_adjustments(
            limits,
            [
                LimitAdjustment("aerobic.colour", 3),
                LimitAdjustment("max_impact", "extreme"),
                LimitAdjustment("excluded_tags", ["cartwheels"]),
            ],
        )

    assert set(raised.value.errors) == {"aerobic.colour", "max_impact", "excluded_tags"}


def test_adding_an_exclusion_is_a_tightening():
    limits = compute_limits(build_profile())

    tighter = apply_adjustments(limits, [LimitAdjustment("excluded_tags", ["overhead_load"])])

    assert tighter.excluded_tags == ("overhead_load",)
    assert loosened_fields(limits, tighter) == ()


# --- Dose checks ---------------------------------------------------------------------------------


def aerobic_dose(**overrides):
    fields = {
        "component": "aerobic",
        "dose_kind": "minutes",
        "frequency_per_week": 3,
        "minutes": 10.0,
        "intensity": (Intensity("pct_hrr", 30, 39), Intensity("hr_bpm", 99, 108), Intensity("rpe_6_20", 9, 11)),
    }
    fields.update(overrides)
    return Dose(**fields)


def resistance_dose(**overrides):
    fields = {
        "component": "resistance",
        "dose_kind": "sets_reps",
        "frequency_per_week": 2,
        "sets": 1,
        "reps": 12,
        "intensity": (Intensity("pct_1rm", 40, 40), Intensity("rpe_6_20", 9, 11)),
    }
    fields.update(overrides)
    return Dose(**fields)


def test_a_dose_within_the_limits_has_no_violations():
    limits = compute_limits(motivating_case_profile())

    assert check_dose(aerobic_dose(), limits) == []
    assert check_dose(resistance_dose(), limits) == []


def test_an_edit_above_the_effort_ceiling_names_the_limit():
    limits = compute_limits(motivating_case_profile())

    violations = check_dose(aerobic_dose(intensity=(Intensity("rpe_6_20", 12, 14),)), limits)

    assert [v.limit for v in violations] == ["aerobic.max_rpe"]
    assert "11" in violations[0].message


def test_an_edit_above_the_heart_rate_zone_names_the_limit():
    limits = compute_limits(motivating_case_profile())

    violations = check_dose(
        aerobic_dose(intensity=(Intensity("pct_hrr", 40, 50), Intensity("hr_bpm", 110, 120))), limits
    )

    assert {v.limit for v in violations} == {"aerobic.max_hrr_pct", "aerobic.hr_zone_bpm"}


def test_a_heart_rate_target_is_refused_under_beta_blockade():
    limits = compute_limits(beta_blocker_profile())

    violations = check_dose(aerobic_dose(intensity=(Intensity("hr_bpm", 90, 100),)), limits)

    assert [v.limit for v in violations] == ["aerobic.hr_zone_bpm"]


def test_too_heavy_or_too_few_repetitions_are_violations():
    limits = compute_limits(motivating_case_profile())

    violations = check_dose(resistance_dose(reps=6, intensity=(Intensity("pct_1rm", 70, 70),)), limits)

    assert {v.limit for v in violations} == {"resistance.max_pct_1rm", "resistance.min_reps"}


def test_long_holds_near_ossification_are_violations():
    limits = compute_limits(motivating_case_profile())
    hold = Dose("flexibility", "hold", 3, (Intensity("none", 0, 0),), sets=2, hold_seconds=45)

    assert [v.limit for v in check_dose(hold, limits)] == ["flexibility.max_hold_seconds"]


def test_clamping_brings_a_dose_within_the_limits_and_says_why():
    limits = compute_limits(motivating_case_profile())
    edited = resistance_dose(reps=6, intensity=(Intensity("pct_1rm", 70, 70), Intensity("rpe_6_20", 14, 15)))

    clamped = clamp_dose(edited, limits)

    assert check_dose(clamped, limits) == []
    assert clamped.reps == limits.resistance.min_reps
    assert clamped.intensity_in("pct_1rm").high == 50
    assert "inflammation.active_light_resistance" in ids(clamped.rules_for("intensity"))


def test_clamping_drops_heart_rate_targets_under_beta_blockade():
    limits = compute_limits(beta_blocker_profile())

    clamped = clamp_dose(aerobic_dose(), limits)

    assert clamped.intensity_in("hr_bpm") is None
    assert check_dose(clamped, limits) == []


def test_growth_above_the_weekly_cap_is_a_violation():
    limits = compute_limits(motivating_case_profile())  # 10 % a week

    assert check_growth(aerobic_dose(), aerobic_dose(minutes=11.0), limits) == []
    assert [v.limit for v in check_growth(aerobic_dose(), aerobic_dose(minutes=11.5), limits)] == [
        "weekly_progression_max_pct"
    ]


def test_the_growth_measure_is_frequency_times_time_times_intensity():
    assert growth_measure(aerobic_dose()) == Fraction(3 * 10 * 39, 100)
    assert growth_measure(resistance_dose()) == Fraction(2 * 1 * 12 * 40, 100)


# --- Which exercises the limits allow -------------------------------------------------------------


def violations_by_slug(library, limits, profile=None):
    return {spec.slug: {v.limit for v in exercise_violations(spec, limits, profile)} for spec in library}


def test_the_motivating_case_excludes_each_risky_exercise_for_its_own_reason(tiny_library):
    found = violations_by_slug(tiny_library, compute_limits(motivating_case_profile()))

    assert found["jogging"] == {"max_impact", "excluded_tags"}
    assert found["recumbent-bike"] == {"avoid_regions"}  # sits on the gluteal masses
    assert found["seated-knee-extension"] == {"avoid_regions"}
    assert found["deep-glute-stretch"] == {"avoid_regions"}  # end-range stretch of the gluteal regions
    assert found["weighted-sit-up"] == {"excluded_tags"}
    assert found["russian-twist"] == {"excluded_tags"}
    assert found["jump-squat"] == {"max_impact", "excluded_tags"}
    assert found["brisk-walking"] == found["calf-stretch"] == found["sit-to-stand"] == set()


def test_a_region_to_avoid_blocks_exercises_that_load_it(tiny_library):
    found = violations_by_slug(tiny_library, compute_limits(build_profile(avoid_regions=("thigh_left",))))

    assert found["sit-to-stand"] == {"no_loading_regions"}


def test_missing_equipment_and_impossible_positions_rule_exercises_out(tiny_library):
    profile = build_profile(available_equipment=("chair",), unavailable_positions=("in_water",))
    found = violations_by_slug(tiny_library, compute_limits(profile), profile)

    assert found["band-row"] == {"available_equipment"}
    assert found["pool-balance"] == {"available_equipment", "unavailable_positions"}
    assert found["tandem-stance"] == set()


def test_impact_levels_are_ordered_from_gentlest_to_harshest():
    assert IMPACT_LEVELS.index("low") < IMPACT_LEVELS.index("moderate") < IMPACT_LEVELS.index("high")


def test_adding_an_exclusion_keeps_the_reasons_for_the_existing_ones():
    limits = compute_limits(motivating_case_profile())

    tighter = apply_adjustments(limits, [LimitAdjustment("excluded_tags", [*limits.excluded_tags, "overhead_load"])])

    assert "spine.no_loaded_flexion" in tighter.rule_ids_for("excluded_tags")
    assert "clinician.excluded_tags" in tighter.rule_ids_for("excluded_tags")


def test_tightening_hrr_never_raises_a_heart_rate_ceiling_set_lower_by_hand():
    from planner.limits import apply_adjustments, compute_limits, loosened_fields
    from planner.types import LimitAdjustment, Profile

    limits = compute_limits(Profile(age=57, resting_hr=70))
    low, high = limits.aerobic.hr_zone_bpm
    by_hand = apply_adjustments(limits, [LimitAdjustment("aerobic.hr_zone_bpm", (low, high - 15))])
    tighter = apply_adjustments(by_hand, [LimitAdjustment("aerobic.max_hrr_pct", by_hand.aerobic.max_hrr_pct - 1)])

    assert tighter.aerobic.hr_zone_bpm[1] <= high - 15
    assert loosened_fields(by_hand, tighter) == ()

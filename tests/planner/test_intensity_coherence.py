"""Coherent intensity: a ceiling in one unit implies the matching ceiling in every other unit
(clinical-reference 1a: RPE <-> %HRR; the resistance RPE bands: RPE <-> %1RM; Karvonen: %HRR <->
heart rate); the strictest governs every unit shown, and coherence never loosens anything."""

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import load_default_catalogue
from planner.intensity import hrr_for_bpm, hrr_for_rpe, load_for_rpe, rpe_for_hrr, rpe_for_load
from planner.limits import (
    LOOSENING_TESTS,
    HeldBack,
    apply_adjustments,
    coherent_intensity,
    compute_limits,
    heart_rate_ceiling_only,
    loosened_fields,
)
from planner.reassessment import loosens
from planner.rules import default_rulebook
from planner.schedule import build_plan
from planner.types import AdjustmentError, LimitAdjustment, Profile
from planner.vocabulary import BONE_FRAGILITY, CARDIOPULMONARY_STATUS, INFLAMMATION_ACTIVITY
from tests.planner.conftest import build_profile, motivating_case_profile

ANCHORS = default_rulebook().anchors
LIBRARY = load_default_catalogue()
PERCENT = range(0, 101)
BORG = range(6, 21)


# ---------------------------------------------------------------------------------------------
# The conversions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rpe", "hrr"),
    [(11, 39), (13, 59), (17, 89), (20, 100), (9, 34), (12, 58)],
)
def test_an_rpe_ceiling_implies_the_highest_hrr_of_its_class_equivalent(rpe, hrr):
    assert hrr_for_rpe(rpe, ANCHORS) == hrr
    assert rpe_for_hrr(hrr, ANCHORS) <= rpe < rpe_for_hrr(hrr + 1, ANCHORS) if hrr < 100 else True


@pytest.mark.parametrize(("load", "rpe"), [(40, 11), (49, 11), (50, 13), (69, 13), (70, 15)])
def test_a_load_implies_the_top_of_its_rpe_band_and_back(load, rpe):
    assert rpe_for_load(load, ANCHORS) == rpe
    assert load_for_rpe(rpe, ANCHORS) >= load


def test_the_anchor_conversions_never_go_down_as_intensity_goes_up():
    # Monotonic conversions are what make one pass of coherent_intensity a fixed point.
    assert all(rpe_for_hrr(p, ANCHORS) <= rpe_for_hrr(p + 1, ANCHORS) for p in PERCENT[:-1])
    assert all(rpe_for_load(p, ANCHORS) <= rpe_for_load(p + 1, ANCHORS) for p in PERCENT[:-1])
    assert all(hrr_for_rpe(r, ANCHORS) <= hrr_for_rpe(r + 1, ANCHORS) for r in BORG[:-1])
    assert all(load_for_rpe(r, ANCHORS) <= load_for_rpe(r + 1, ANCHORS) for r in BORG[:-1])


def test_a_heart_rate_ceiling_implies_the_hrr_karvonen_gives_it():
    # HRrest 70, HRmax 168.1: 39 %HRR is 108.26 bpm, shown as 108.
    assert hrr_for_bpm(108, 70, 168.1) == 39
    assert hrr_for_bpm(107, 70, 168.1) == 38
    assert hrr_for_bpm(60, 70, 168.1) == 0  # below rest: nothing is left


# ---------------------------------------------------------------------------------------------
# compute_limits and apply_adjustments
# ---------------------------------------------------------------------------------------------


def test_an_older_beginners_load_ceiling_holds_strength_effort_at_its_band():
    limits = compute_limits(build_profile(age=70))

    assert limits.resistance.max_pct_1rm == 50
    assert limits.resistance.max_rpe == 13  # was 15: 50 %1RM reads RPE 12-13 in the bands
    assert limits.rule_ids_for("resistance.max_rpe") == (
        "resistance.older_or_sedentary_beginner",
        "coherence.resistance_intensity",
    )
    rule = limits.rules_for("resistance.max_rpe")[-1]
    assert (rule.evidence, rule.id) == ("D", "coherence.resistance_intensity")


def test_a_restricted_heart_holds_the_load_to_what_its_effort_ceiling_allows():
    limits = compute_limits(build_profile(cardiopulmonary_status="restricted"))

    assert limits.resistance.max_rpe == 13
    assert limits.resistance.max_pct_1rm == 69
    assert "coherence.resistance_intensity" in limits.rule_ids_for("resistance.max_pct_1rm")


def test_tightening_the_aerobic_rpe_tightens_hrr_and_the_heart_rate_zone_citing_the_acsm_classes():
    limits = compute_limits(build_profile(age=57))

    tighter = apply_adjustments(limits, [LimitAdjustment("aerobic.max_rpe", 11, author="physio-7")])

    assert tighter.aerobic.max_hrr_pct == 39
    assert tighter.aerobic.hr_zone_bpm[1] <= 108
    assert tighter.rule_ids_for("aerobic.max_hrr_pct") == ("clinician.aerobic.max_rpe", "coherence.aerobic_intensity")
    assert "coherence.aerobic_intensity" in tighter.rule_ids_for("aerobic.hr_zone_bpm")
    assert next(r for r in tighter.rules if r.id == "coherence.aerobic_intensity").evidence == "G"
    assert loosened_fields(limits, tighter) == ()


def test_tightening_hrr_tightens_the_rpe_ceiling():
    limits = compute_limits(build_profile())

    tighter = apply_adjustments(limits, [LimitAdjustment("aerobic.max_hrr_pct", 39)])

    assert tighter.aerobic.max_rpe == 11


def test_a_loosening_the_paired_ceiling_would_hold_back_is_refused_naming_it():
    limits = compute_limits(motivating_case_profile())  # RPE 11 and 39 %HRR

    with pytest.raises(AdjustmentError) as refused:
        apply_adjustments(limits, [LimitAdjustment("aerobic.max_rpe", 13, "Flare settled")])

    assert set(refused.value.errors) == {"aerobic.max_rpe"}
    assert "aerobic.max_hrr_pct" in refused.value.errors["aerobic.max_rpe"]
    assert isinstance(refused.value, HeldBack)


def test_a_heart_rate_zone_cannot_be_set_where_effort_governs_for_want_of_hrmax():
    limits = compute_limits(build_profile(beta_blocker=True))

    with pytest.raises(AdjustmentError) as refused:
        apply_adjustments(limits, [LimitAdjustment("aerobic.hr_zone_bpm", [90, 110], "wants a number")])

    assert set(refused.value.errors) == {"aerobic.hr_zone_bpm"}


def test_loosening_both_units_together_is_accepted():
    limits = compute_limits(motivating_case_profile())

    looser = apply_adjustments(
        limits,
        [LimitAdjustment("aerobic.max_rpe", 13, "Flare settled"), LimitAdjustment("aerobic.max_hrr_pct", 59, "Same")],
    )

    assert (looser.aerobic.max_rpe, looser.aerobic.max_hrr_pct) == (13, 59)


def test_coherent_limits_stay_as_they_are():
    limits = compute_limits(motivating_case_profile())

    assert coherent_intensity(limits, ANCHORS) is limits


# ---------------------------------------------------------------------------------------------
# The heart-rate zone: None means effort governs, the strictest value
# ---------------------------------------------------------------------------------------------


def test_dropping_a_heart_rate_zone_is_not_a_loosening_and_giving_one_is():
    limits = compute_limits(build_profile())
    without = replace(limits, aerobic=replace(limits.aerobic, hr_zone_bpm=None))

    assert loosened_fields(limits, without) == ()
    assert [c.field for c in loosened_fields(without, limits)] == ["aerobic.hr_zone_bpm"]


def test_limits_and_reassessment_agree_on_what_loosens_a_heart_rate_zone():
    zone, path = (99, 108), "aerobic.hr_zone_bpm"
    for before, after in [(zone, None), (None, zone), (zone, (99, 110)), (zone, (99, 104))]:
        assert loosens(path, before, after) == LOOSENING_TESTS[path](before, after), (before, after)


def test_an_estimated_hr_max_makes_the_zone_a_ceiling_only():
    assert heart_rate_ceiling_only(compute_limits(build_profile()))
    assert not heart_rate_ceiling_only(compute_limits(build_profile(measured_hr_max=180)))
    assert not heart_rate_ceiling_only(compute_limits(build_profile(beta_blocker=True)))


# ---------------------------------------------------------------------------------------------
# Properties over random profiles and random adjustments
# ---------------------------------------------------------------------------------------------

PROFILES = st.builds(
    Profile,
    age=st.integers(18, 100),
    bone_fragility=st.sampled_from(BONE_FRAGILITY),
    vertebral_fracture=st.booleans(),
    inflammation_activity=st.sampled_from(INFLAMMATION_ACTIVITY),
    pain_at_rest=st.integers(0, 10),
    resting_hr=st.integers(40, 110),
    measured_hr_max=st.none() | st.integers(140, 210),
    beta_blocker=st.booleans(),
    cardiopulmonary_status=st.sampled_from(CARDIOPULMONARY_STATUS),
    sedentary=st.booleans(),
)
ADJUSTMENTS = st.lists(
    st.one_of(
        st.builds(LimitAdjustment, st.just("aerobic.max_rpe"), st.integers(6, 20), st.just("reviewed")),
        st.builds(LimitAdjustment, st.just("aerobic.max_hrr_pct"), st.integers(0, 100), st.just("reviewed")),
        st.builds(LimitAdjustment, st.just("resistance.max_rpe"), st.integers(6, 20), st.just("reviewed")),
        st.builds(LimitAdjustment, st.just("resistance.max_pct_1rm"), st.integers(0, 100), st.just("reviewed")),
        st.builds(
            LimitAdjustment,
            st.just("aerobic.hr_zone_bpm"),
            st.tuples(st.integers(60, 120), st.integers(0, 60)).map(lambda z: [z[0], z[0] + z[1]]),
            st.just("reviewed"),
        ),
    ),
    max_size=3,
    unique_by=lambda adjustment: adjustment.field,
)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_coherent(limits):
    aerobic, resistance = limits.aerobic, limits.resistance
    assert aerobic.max_hrr_pct <= hrr_for_rpe(aerobic.max_rpe, ANCHORS)
    assert aerobic.max_rpe <= rpe_for_hrr(aerobic.max_hrr_pct, ANCHORS)
    assert resistance.max_pct_1rm <= load_for_rpe(resistance.max_rpe, ANCHORS)
    assert resistance.max_rpe <= rpe_for_load(resistance.max_pct_1rm, ANCHORS)
    if aerobic.hr_zone_bpm is not None and aerobic.hr_max_bpm is not None:
        assert aerobic.max_hrr_pct <= hrr_for_bpm(aerobic.hr_zone_bpm[1], aerobic.resting_hr_bpm, aerobic.hr_max_bpm)
    assert coherent_intensity(limits, ANCHORS) == limits


@PROPERTY
@given(PROFILES, ADJUSTMENTS)
def test_every_dose_shows_intensities_whose_equivalents_agree(profile, adjustments):
    try:
        plan = build_plan(profile, LIBRARY, weeks=6, adjustments=adjustments)
    except HeldBack:
        return  # a loosening the paired unit holds back (tested above)
    except AdjustmentError as refused:
        refusal = refused.errors  # only a zone where effort governs (tested above)
    else:
        refusal = None
    if refusal is not None:
        assert set(refusal) == {"aerobic.hr_zone_bpm"}, refusal
        assert profile.beta_blocker
        return
    limits = plan.limits
    _assert_coherent(limits)
    for week in plan.weeks:
        for scheduled in week.doses:
            dose = scheduled.dose
            rpe = dose.intensity_in("rpe_6_20")
            if dose.component == "aerobic" and dose.intensity_in("pct_hrr") is not None:
                hrr = dose.intensity_in("pct_hrr")
                assert rpe.high <= rpe_for_hrr(hrr.high, ANCHORS)
                assert rpe.high <= limits.aerobic.max_rpe
                assert hrr.high <= hrr_for_rpe(limits.aerobic.max_rpe, ANCHORS)
                heart = dose.intensity_in("hr_bpm")
                if heart is not None:
                    assert heart.high <= limits.aerobic.hr_zone_bpm[1]
            if dose.component == "resistance" and dose.intensity_in("pct_1rm") is not None:
                load = dose.intensity_in("pct_1rm")
                assert load.high <= load_for_rpe(limits.resistance.max_rpe, ANCHORS)
                assert rpe.high <= rpe_for_load(load.high, ANCHORS)
                assert rpe.high <= limits.resistance.max_rpe


RAW_CEILINGS = st.tuples(st.integers(6, 20), st.integers(0, 100), st.integers(6, 20), st.integers(0, 100))


@PROPERTY
@given(PROFILES, RAW_CEILINGS)
def test_coherence_never_loosens_anything_and_reaches_a_fixed_point(profile, ceilings):
    limits = compute_limits(profile)
    aerobic_rpe, hrr, resistance_rpe, load = ceilings
    raw = replace(
        limits,
        aerobic=replace(limits.aerobic, max_rpe=aerobic_rpe, max_hrr_pct=hrr),
        resistance=replace(limits.resistance, max_rpe=resistance_rpe, max_pct_1rm=load),
    )

    coherent = coherent_intensity(raw, ANCHORS)

    assert loosened_fields(raw, coherent) == ()
    _assert_coherent(coherent)


@PROPERTY
@given(PROFILES)
def test_computed_limits_are_coherent(profile):
    _assert_coherent(compute_limits(profile))

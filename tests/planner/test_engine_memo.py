"""The engine's kept answers are the answers it would compute: masks, kept doses and kept weeks.

planner.memo keys each item's dose and weeks by the part of the limits the item reads, and the
catalogue index answers "which exercises are allowed" with bit masks; for random profiles (and
clinician tightenings) the kept answer equals the one worked out from scratch.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import allowed_exercises, exercise_violations, load_default_catalogue
from planner.intensity import PERCENT_SCALE, heart_rate_zone, hrr_for_bpm
from planner.limits import apply_adjustments, compute_limits
from planner.prescribe import _dose_and_growth, prescribe
from planner.rules import DoseParameters, default_rulebook
from planner.schedule import item_weeks, schedule
from planner.types import Intensity, LimitAdjustment, PlanWeek, evolve_dose
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TIGHTENINGS = st.sampled_from(
    [
        (),
        (LimitAdjustment("aerobic.max_rpe", 11, author="t"),),
        (LimitAdjustment("resistance.max_pct_1rm", 40, author="t"),),
        (LimitAdjustment("weekly_progression_max_pct", 5, author="t"),),
        (LimitAdjustment("flexibility.max_hold_seconds", 15, author="t"),),
        (LimitAdjustment("aerobic.hr_zone_bpm", None, author="t", reason="unreliable"),),
    ]
)


def limits_for(profile, tightening):
    limits = compute_limits(profile)
    return apply_adjustments(limits, tightening) if tightening else limits


@SETTINGS
@given(profiles(), TIGHTENINGS, st.lists(st.sampled_from(LIBRARY), max_size=3))
def test_the_allowed_exercises_are_exactly_those_without_a_violation(profile, tightening, padded_specs):
    padded = tuple(region for spec in padded_specs for region in spec.pressure_regions)
    profile = type(profile)(**{**profile.__dict__, "padded_pressure_regions": padded})
    limits = limits_for(profile, tightening)

    assert allowed_exercises(LIBRARY, limits, profile) == tuple(
        spec for spec in LIBRARY if not exercise_violations(spec, limits, profile)
    )
    assert allowed_exercises(LIBRARY, limits) == tuple(
        spec for spec in LIBRARY if not exercise_violations(spec, limits)
    )


@SETTINGS
@given(profiles(), TIGHTENINGS, st.sampled_from((1, 4, 12)))
def test_kept_doses_and_weeks_equal_the_ones_worked_out_afresh(profile, tightening, weeks):
    book = default_rulebook()
    limits = limits_for(profile, tightening)
    items = prescribe(profile, LIBRARY, limits, book).items
    params = DoseParameters(profile, book)

    for item in items:
        dose, progression, _rules = _dose_and_growth(item.exercise, profile, params, limits, book)
        assert (item.dose, item.progression) == (dose, progression), item.slug
    fresh = [item_weeks(item, limits, weeks, book) for item in items]
    expected = tuple(PlanWeek(n, tuple(track[n - 1] for track in fresh)) for n in range(1, weeks + 1))
    assert schedule(items, limits, weeks, book) == expected


@SETTINGS
@given(profiles(), TIGHTENINGS, st.integers(-3, 3), st.integers(0, 3))
def test_aerobic_weeks_kept_in_hrr_equal_the_ones_worked_out_in_the_patients_heart_rate(
    profile, later_tightening, beats_shift, low_shift
):
    """Aerobic weeks are kept in %HRR and read in the patient's heart rate (planner.relative_zone): for
    items as prescribed, for a heart-rate target a clinician moved off Karvonen, and for items whose
    steps reach above limits tightened after the prescription, the weeks equal the ones worked out directly."""
    book = default_rulebook()
    items = prescribe(profile, LIBRARY, compute_limits(profile), book).items
    limits = limits_for(profile, later_tightening)
    edited = []
    for item in items:
        beats = item.dose.intensity_in("hr_bpm")
        if beats is not None and (beats_shift or low_shift):
            high = max(beats.high + beats_shift, 31)
            moved = Intensity("hr_bpm", max(min(beats.low - low_shift, high), 30), high)
            dose = evolve_dose(
                item.dose, intensity=tuple(moved if t.unit == "hr_bpm" else t for t in item.dose.intensity)
            )
            item = type(item)(**{**item.__dict__, "dose": dose})
        edited.append(item)

    for chosen in (items, edited):
        fresh = [item_weeks(item, limits, 12, book) for item in chosen]
        expected = tuple(PlanWeek(n, tuple(track[n - 1] for track in fresh)) for n in range(1, 13))
        assert schedule(chosen, limits, 12, book) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.integers(30, 150),
    st.one_of(st.integers(80, 230).map(float), st.floats(60, 230, allow_nan=False).map(lambda v: round(v, 1))),
    st.integers(20, 240),
)
def test_the_heart_rate_ceiling_in_hrr_is_the_highest_percentage_within_it(resting, hr_max, bpm):
    within = [p for p in PERCENT_SCALE if heart_rate_zone(resting, hr_max, p, p)[1] <= bpm]

    assert hrr_for_bpm(bpm, resting, hr_max) == max(within, default=0)

"""Week-by-week doses: gradual, one variable at a time, capped, and within the limits."""

import itertools
from dataclasses import fields, replace
from fractions import Fraction

import pytest

from planner.editing import reschedule_from
from planner.growth import is_capped, weekly_volume
from planner.limits import apply_adjustments, check_dose, compute_limits
from planner.prescribe import prescribe
from planner.rules import SAFETY_NOTICE
from planner.schedule import AT_CEILINGS, NEVER_FITS, build_plan, grow_one_step, next_dose, schedule
from planner.types import Dose, LimitAdjustment
from tests.planner.conftest import build_profile, motivating_case_profile

TIME_FIELDS = {"minutes", "sets", "reps", "hold_seconds"}


def changed_fields(before: Dose, after: Dose) -> set[str]:
    names = {f.name for f in fields(Dose)} - {"rationale", "intensity", "component", "dose_kind"}
    changed = {name for name in names if getattr(before, name) != getattr(after, name)}
    if before.intensity != after.intensity:
        changed.add("intensity")
    return changed


def assert_within_window(slug, doses, cap_pct, window=3):
    """Each week's volume is at most the volume `window` weeks earlier (or week 1) grown by the cap per week."""
    for week in range(1, len(doses)):
        base = max(0, week - window)
        allowed = weekly_volume(doses[base]) * (1 + Fraction(str(cap_pct)) / 100) ** (week - base)
        assert weekly_volume(doses[week]) <= allowed, (slug, week + 1)


def track(plan, slug):
    return [week.dose_for(slug) for week in plan.weeks]


def aerobic_slug(plan):
    return next(item.slug for item in plan.items if item.component == "aerobic")


def test_a_plan_lasts_twelve_weeks_by_default(library):
    plan = build_plan(motivating_case_profile(), library)

    assert [week.number for week in plan.weeks] == list(range(1, 13))
    assert plan.safety_notice == SAFETY_NOTICE


def test_week_one_is_the_prescribed_starting_dose(library):
    plan = build_plan(motivating_case_profile(), library)

    for item, scheduled in zip(plan.items, plan.weeks[0].doses, strict=True):
        assert scheduled.exercise_slug == item.slug
        assert scheduled.dose == item.dose
        assert scheduled.changed is None
        assert scheduled.growth_pct == 0


def test_no_week_of_the_motivating_case_exceeds_a_limit(library):
    plan = build_plan(motivating_case_profile(), library)

    for week in plan.weeks:
        for scheduled in week.doses:
            assert check_dose(scheduled, plan.limits) == [], (week.number, scheduled.exercise_slug)


def test_the_motivating_case_grows_within_the_windowed_cap_and_reaches_a_therapeutic_dose(library):
    plan = build_plan(motivating_case_profile(), library)
    cap = plan.limits.weekly_progression_max_pct

    for item in plan.items:
        if is_capped(item.component):
            assert_within_window(item.slug, [entry.dose for entry in track(plan, item.slug)], cap)
    aerobic = [entry.dose for entry in track(plan, aerobic_slug(plan))]
    assert (aerobic[0].frequency_per_week, aerobic[0].minutes) == (5, 15)  # the myositis home programme
    assert aerobic[-1].frequency_per_week * aerobic[-1].minutes >= 150
    for item in (item for item in plan.items if item.component == "resistance"):
        last = track(plan, item.slug)[-1].dose
        assert last.sets >= 2, item.slug
        assert last.reps >= plan.limits.resistance.min_reps


def test_each_week_grows_at_most_one_variable_per_item(library):
    plan = build_plan(build_profile(age=70), library, weeks=30)

    for item in plan.items:
        entries = track(plan, item.slug)
        for before, after in itertools.pairwise(entries):
            changed = changed_fields(before.dose, after.dose)
            if after.changed is None:
                assert changed == set()
            elif after.changed in {"frequency_per_week", "sets"}:
                # Adding a bout may shorten the time per bout (the refit), nothing else.
                assert changed - TIME_FIELDS <= {after.changed}
            else:
                assert changed <= {after.changed}, (item.slug, after.changed, changed)


def test_aerobic_work_grows_time_before_intensity(library):
    plan = build_plan(build_profile(age=70), library, weeks=40)
    entries = track(plan, aerobic_slug(plan))
    order = [entry.changed for entry in entries if entry.changed]

    assert order.index("minutes") < order.index("intensity")
    # Intensity only rises once the time and the days have reached their ceilings.
    item = next(item for item in plan.items if item.slug == aerobic_slug(plan))
    ceilings = {step.variable: step.ceiling for step in item.progression.steps}
    for entry in entries:
        if entry.changed == "intensity":
            assert entry.dose.frequency_per_week == ceilings["frequency_per_week"]
            assert entry.dose.minutes == ceilings["minutes"]


def test_one_more_set_keeps_the_weekly_volume_and_the_repetitions_in_range(library):
    plan = build_plan(motivating_case_profile(), library)
    cap = plan.limits.weekly_progression_max_pct
    steps = [
        (before, after)
        for item in plan.items
        if item.component == "resistance"
        for before, after in itertools.pairwise(track(plan, item.slug))
        if after.changed == "sets"
    ]

    assert steps
    for before, after in steps:
        assert after.dose.sets == before.dose.sets + 1
        assert after.dose.reps >= plan.limits.resistance.min_reps
        assert weekly_volume(after.dose) >= weekly_volume(before.dose)  # never shrinks
        assert weekly_volume(after.dose) <= weekly_volume(before.dose) * (1 + cap / 100) ** 3


def test_no_item_below_its_ceilings_waits_more_than_two_weeks(library):
    for profile in (motivating_case_profile(), build_profile(age=70), build_profile()):
        plan = build_plan(profile, library)
        for item in plan.items:
            doses = [entry.dose for entry in track(plan, item.slug)]
            for week in range(3, len(doses)):
                if doses[week - 3] == doses[week - 2] == doses[week - 1] == doses[week]:
                    history = doses[: week + 1]
                    _dose, _variable, why = grow_one_step(history, item, week + 2, plan.limits)
                    assert why in (AT_CEILINGS, NEVER_FITS), (item.slug, week, why)


def test_a_step_happens_only_in_the_weeks_it_is_due(library):
    # The gentle load step comes every second week.
    plan = build_plan(motivating_case_profile(), library, weeks=30)
    weeks = [
        entry_week.number
        for item in plan.items
        if item.component == "resistance"
        for entry_week in plan.weeks
        if entry_week.dose_for(item.slug).changed == "intensity"
    ]
    assert weeks
    assert all((week - 1) % 2 == 0 for week in weeks)


def test_limits_tightened_after_prescription_are_applied_last(library):
    profile = build_profile()
    limits = compute_limits(profile)
    items = prescribe(profile, library, limits).items
    tighter = apply_adjustments(
        limits, [LimitAdjustment("aerobic.max_hrr_pct", 45), LimitAdjustment("resistance.max_pct_1rm", 50)]
    )

    for week in schedule(items, tighter):
        for scheduled in week.doses:
            assert check_dose(scheduled, tighter) == []


def test_a_dose_at_every_ceiling_is_held(library):
    plan = build_plan(build_profile(), library)
    item = next(item for item in plan.items if item.component == "flexibility")
    ceilings = {step.variable: int(step.ceiling) for step in item.progression.steps}
    at_ceiling = replace(item.dose, **ceilings)

    dose, changed = next_dose(at_ceiling, item, 2, plan.limits)

    assert changed is None
    assert dose is at_ceiling


def test_clinician_adjustments_flow_into_the_plan(library):
    plan = build_plan(
        motivating_case_profile(), library, adjustments=[LimitAdjustment("weekly_progression_max_pct", 3)]
    )

    assert plan.limits.weekly_progression_max_pct == 3
    for item in plan.items:
        if is_capped(item.component):
            assert_within_window(item.slug, [entry.dose for entry in track(plan, item.slug)], 3)


def test_the_reported_growth_is_zero_when_held(library):
    plan = build_plan(build_profile(age=70), library)

    for week in plan.weeks[1:]:
        for entry in week.doses:
            if entry.changed is None:
                assert entry.growth_pct == 0


def test_a_plan_needs_at_least_one_week(library):
    with pytest.raises(ValueError, match="at least one week"):
        build_plan(build_profile(), library, weeks=0)


@pytest.mark.parametrize("age", [40, 57, 75])
def test_rescheduling_from_any_week_without_a_change_reproduces_the_schedule(library, age):
    # The growth window reads the weeks before, so a forecast from week n must give the same weeks.
    plan = build_plan(motivating_case_profile(age=age), library)
    for week in range(1, len(plan.weeks) + 1):
        assert reschedule_from(plan, week, {}).weeks == plan.weeks, week

"""Week-by-week doses: gradual, one variable at a time, capped, and within the limits."""

import itertools
from dataclasses import fields, replace

import pytest

from planner.limits import apply_adjustments, check_dose, compute_limits, growth_within_cap
from planner.prescribe import prescribe
from planner.rules import SAFETY_NOTICE
from planner.schedule import build_plan, next_dose, schedule
from planner.types import Dose, LimitAdjustment
from tests.planner.conftest import build_profile, motivating_case_profile

TIME_FIELDS = {"minutes", "sets", "reps", "hold_seconds"}


def changed_fields(before: Dose, after: Dose) -> set[str]:
    names = {f.name for f in fields(Dose)} - {"rationale", "intensity", "component", "dose_kind"}
    changed = {name for name in names if getattr(before, name) != getattr(after, name)}
    if before.intensity != after.intensity:
        changed.add("intensity")
    return changed


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


def test_the_motivating_case_grows_gradually_and_never_faster_than_five_percent(library):
    plan = build_plan(motivating_case_profile(), library)

    for item in plan.items:
        doses = [entry.dose for entry in track(plan, item.slug)]
        for before, after in itertools.pairwise(doses):
            assert growth_within_cap(before, after, 5), item.slug
    aerobic = [entry.dose for entry in track(plan, aerobic_slug(plan))]
    assert aerobic[0].minutes == 10
    assert 10 < aerobic[-1].minutes <= 30
    resistance = next(item for item in plan.items if item.component == "resistance")
    loads = [entry.dose.intensity_in("pct_1rm").high for entry in track(plan, resistance.slug)]
    assert loads[0] == 40
    assert 40 < loads[-1] <= 50


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


def test_aerobic_work_grows_time_then_frequency_then_intensity(library):
    plan = build_plan(build_profile(age=70), library, weeks=40)
    entries = track(plan, aerobic_slug(plan))
    order = [entry.changed for entry in entries if entry.changed]

    first = {variable: order.index(variable) for variable in ("minutes", "frequency_per_week", "intensity")}
    assert first["minutes"] < first["frequency_per_week"] < first["intensity"]
    # Intensity only rises once time and frequency have reached their targets.
    item = next(item for item in plan.items if item.slug == aerobic_slug(plan))
    ceilings = {step.variable: step.ceiling for step in item.progression.steps}
    for entry in entries:
        if entry.changed == "intensity":
            assert entry.dose.frequency_per_week == ceilings["frequency_per_week"]
            assert entry.dose.minutes == ceilings["minutes"]


def test_adding_a_session_spreads_the_weekly_time_under_the_cap(library):
    plan = build_plan(build_profile(age=70), library, weeks=40)
    entries = track(plan, aerobic_slug(plan))

    steps = [(before, after) for before, after in itertools.pairwise(entries) if after.changed == "frequency_per_week"]
    assert steps
    for before, after in steps:
        assert after.dose.frequency_per_week == before.dose.frequency_per_week + 1
        assert after.dose.minutes < before.dose.minutes
        assert growth_within_cap(before.dose, after.dose, plan.limits.weekly_progression_max_pct)
        assert after.dose.minutes >= 10  # never below the 10-minute bout


def test_a_step_too_coarse_for_the_cap_is_passed_over(library):
    # One more repetition of 12 is +8 %, above the 5 % cap: the load grows instead.
    plan = build_plan(motivating_case_profile(), library)
    resistance = next(item for item in plan.items if item.component == "resistance")
    entries = track(plan, resistance.slug)

    assert {entry.dose.reps for entry in entries} == {resistance.dose.reps}
    assert {entry.changed for entry in entries} == {None, "intensity"}


def test_a_step_happens_only_in_the_weeks_it_is_due(library):
    # The gentle load step comes every second week.
    plan = build_plan(motivating_case_profile(), library)
    resistance = next(item for item in plan.items if item.component == "resistance")

    weeks = [entry_week.number for entry_week in plan.weeks if entry_week.dose_for(resistance.slug).changed]
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
        entries = track(plan, item.slug)
        for before, after in itertools.pairwise(entries):
            assert growth_within_cap(before.dose, after.dose, 3)


def test_the_reported_growth_is_zero_when_held_and_never_above_the_cap(library):
    plan = build_plan(build_profile(age=70), library)

    for week in plan.weeks[1:]:
        for entry in week.doses:
            if entry.changed is None:
                assert entry.growth_pct == 0
            assert entry.growth_pct <= plan.limits.weekly_progression_max_pct + 1e-9


def test_a_plan_needs_at_least_one_week(library):
    with pytest.raises(ValueError, match="at least one week"):
        build_plan(build_profile(), library, weeks=0)

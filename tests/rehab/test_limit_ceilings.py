"""A clinician's limit change moves every item's progression step ceilings (rehab.services.plans.
plan_limits_adjust -> planner.editing.tighten_limits), so the stored plan and its weekly decisions
grow up to a loosened limit and stop at a tightened one; overridden doses are held, not clamped."""

from datetime import date

import pytest
import time_machine

from rehab.models import LimitOverride
from rehab.services.plans import engine_plan, plan_item_update, plan_limits_adjust
from tests.rehab.test_plans_api import _draft, _item

START = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _first_week_of_the_plan():
    with time_machine.travel("2026-11-03 09:00", tick=True):
        yield


def _load_steps(plan):
    engine = engine_plan(plan)
    return {
        item.slug: next(step for step in item.progression.steps if step.variable == "intensity")
        for item in engine.items
        if item.component == "resistance" and item.dose.intensity_in("pct_1rm") is not None
    }


def _adjust(world, plan, adjustments, reason=""):
    plan.refresh_from_db()
    plan_limits_adjust(actor=world.clinician, plan=plan, version=plan.version, adjustments=adjustments, reason=reason)
    plan.refresh_from_db()
    return plan


FIT = {"bone_fragility": "none", "inflammation_activity": "inactive", "heterotopic_ossification_regions": []}


def test_the_stored_step_ceilings_follow_the_load_ceiling_down_and_up_again(world):
    plan = _draft(world, **FIT)
    prescribed = _load_steps(plan)
    assert prescribed, "the fit assessment gives load-dosed resistance items"

    plan = _adjust(world, plan, [{"field": "resistance.max_pct_1rm", "value": 50}])
    lowered = _load_steps(plan)
    plan = _adjust(world, plan, [{"field": "resistance.max_pct_1rm", "value": 60}], reason="CK normal for 3 months")
    lifted = _load_steps(plan)

    assert engine_plan(plan).limits.resistance.max_pct_1rm == 60
    for slug, step in prescribed.items():
        assert lowered[slug].ceiling == min(step.ceiling, 50)
        assert lifted[slug].ceiling == min(step.ceiling, 60)
    assert any(step.ceiling > 50 for step in lifted.values())


def test_tightening_the_load_ceiling_lowers_every_stored_load(world):
    plan = _draft(world, **FIT)

    plan = _adjust(world, plan, [{"field": "resistance.max_pct_1rm", "value": 30}])

    assert all(step.ceiling <= 30 for step in _load_steps(plan).values())
    for week in engine_plan(plan).weeks:
        for scheduled in week.doses:
            load = scheduled.dose.intensity_in("pct_1rm")
            assert load is None or load.high <= 30


def test_an_overridden_dose_is_held_when_limits_are_tightened(world):
    plan = _draft(world)
    engine = engine_plan(plan)
    walk = next(item for item in engine.items if item.component == "aerobic")
    high = engine.limits.aerobic.max_hrr_pct + 5
    plan_item_update(
        actor=world.physio,
        plan=plan,
        item=_item(plan, walk.slug),
        version=plan.version,
        changes={"intensity_high": high},
        override_reason="Supervised in the gym",
    )
    assert LimitOverride.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    accepted = engine_plan(plan).weeks[0].dose_for(walk.slug).dose

    plan = _adjust(world, plan, [{"field": "flexibility.max_hold_seconds", "value": 20}])

    assert all(week.dose_for(walk.slug).dose == accepted for week in engine_plan(plan).weeks)

"""Properties of plan changes made through the services, whatever a clinician types.

Random sequences of dose edits (any dose field, any intensity, with or without an override, by a
physiotherapist or now and then a clinician) and random limit tightenings, on drafts and on active
plans in any week. After every step:
- every stored dose passes the plan's limits, or belongs to an item with a recorded LimitOverride;
- a refused change stores nothing (plan, overrides, alerts);
- an accepted edit is stored as asked (never silently clamped) and changes no other exercise.

Each example builds its own assessment and plan inside a savepoint that is rolled back, so the
examples are independent even though they share the test's database.
"""

from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.catalogue import exercise_violations
from planner.editing import DOSE_FIELDS
from planner.limits import ADJUSTABLE_FIELDS, check_dose, get_field, loosened_fields
from planner.vocabulary import BODY_REGIONS, IMPACT_LEVELS, MOVEMENT_TAGS
from rehab.models import Alert, LimitOverride, Plan
from rehab.services.errors import InvalidInput, NotAllowed
from rehab.services.plans import (
    engine_plan,
    plan_activate,
    plan_generate,
    plan_item_update,
    plan_limits_adjust,
)
from tests import builders

PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
START = date(2026, 11, 2)

# The assessments the examples draw from: the motivating case, the same under a beta blocker (effort
# governs, no heart-rate zone), and a patient without fragility or inflammation (a wider plan).
ASSESSMENTS = (
    {},
    {"beta_blocker": True},
    {"bone_fragility": "none", "inflammation_activity": "inactive", "heterotopic_ossification_regions": []},
)

# Values within what the API accepts (rehab.api.plans.ItemUpdateSerializer), so that the service,
# not the serializer, decides; intensities cluster around the limits but reach the extremes too.
FIELD_VALUES = {
    "frequency_per_week": st.integers(1, 7),
    "minutes": st.integers(1, 480).map(lambda halves: halves / 2),
    "sets": st.integers(1, 10),
    "reps": st.integers(1, 100),
    "hold_seconds": st.integers(1, 300),
    "intensity_low": st.integers(20, 70) | st.integers(0, 250),
    "intensity_high": st.integers(25, 75) | st.integers(0, 250),
}


@contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _plan_for(world, data) -> tuple[Plan, datetime]:
    """A fresh plan for this example: a draft, or an active plan seen at noon on a day of a random week."""
    builders.make_assessment(world.patient, by=world.physio, **data.draw(st.sampled_from(ASSESSMENTS)))
    plan = plan_generate(actor=world.physio, patient=world.patient, start_date=START, weeks=12)
    today = START
    if data.draw(st.booleans(), label="active"):
        plan = plan_activate(actor=world.physio, plan=plan, version=plan.version)
        today = START + timedelta(days=data.draw(st.integers(0, 7 * 12 + 6), label="days since start"))
    return plan, datetime.combine(today, time(12), tzinfo=UTC)


def _edit_week(plan: Plan) -> int:
    """The week the services edit from: the first of a draft, else this week by the patient's clock."""
    return plan.edit_week()


def _state(plan: Plan) -> tuple:
    stored = Plan.objects.get(pk=plan.pk)
    return (
        stored.version,
        engine_plan(stored),
        list(LimitOverride.objects.filter(plan=plan).values_list("pk", flat=True)),
        list(Alert.objects.filter(plan=plan).values_list("pk", flat=True)),
    )


def _overridden(plan: Plan) -> set[str]:
    return set(LimitOverride.objects.filter(plan=plan).values_list("item__exercise__slug", flat=True))


def _unexplained_violations(plan: Plan, from_week: int = 1) -> list:
    """Doses above a limit whose item has no recorded override (there must be none)."""
    engine = engine_plan(Plan.objects.get(pk=plan.pk))
    overridden = _overridden(plan)
    return [
        (week.number, scheduled.exercise_slug, [v.limit for v in check_dose(scheduled, engine.limits)])
        for week in engine.weeks[from_week - 1 :]
        for scheduled in week.doses
        if scheduled.exercise_slug not in overridden and check_dose(scheduled, engine.limits)
    ]


def _doses_by_slug(plan: Plan) -> dict[str, list]:
    engine = engine_plan(Plan.objects.get(pk=plan.pk))
    return {item.slug: [week.dose_for(item.slug).dose for week in engine.weeks] for item in engine.items}


def _draw_changes(data, dose) -> dict:
    own = [name for name in DOSE_FIELDS if getattr(dose, name) is not None]
    own += ["intensity_low", "intensity_high"] if dose.intensity[0].unit != "none" else []
    # Mostly the item's own fields, sometimes any field (which the service must refuse cleanly).
    names = data.draw(
        st.sets(st.sampled_from(own) | st.sampled_from(sorted(FIELD_VALUES)), min_size=1, max_size=3),
        label="fields",
    )
    return {name: data.draw(FIELD_VALUES[name], label=name) for name in sorted(names)}


def _draw_change_past_a_limit(data, dose, limits) -> dict:
    """A change that breaks one of the limits the dose is subject to (random when it has none)."""
    governing = dose.intensity[0]
    ceilings = {
        "pct_hrr": limits.aerobic.max_hrr_pct,
        "rpe_6_20": limits.aerobic.max_rpe if dose.component == "aerobic" else limits.resistance.max_rpe,
        "pct_1rm": limits.resistance.max_pct_1rm,
    }
    top = {"pct_hrr": 100, "rpe_6_20": 20, "pct_1rm": 100}
    options = []
    if governing.unit in ceilings and ceilings[governing.unit] < top[governing.unit]:
        options.append({"intensity_high": st.integers(ceilings[governing.unit] + 1, top[governing.unit])})
    if dose.component == "resistance" and dose.dose_kind == "sets_reps" and limits.resistance.min_reps > 1:
        options.append({"reps": st.integers(1, limits.resistance.min_reps - 1)})
    if dose.component == "flexibility" and dose.dose_kind == "hold" and limits.flexibility.max_hold_seconds < 300:
        options.append({"hold_seconds": st.integers(limits.flexibility.max_hold_seconds + 1, 300)})
    if not options:
        return _draw_changes(data, dose)
    ((name, values),) = data.draw(st.sampled_from(options), label="limit to break").items()
    return {name: data.draw(values, label=name)}


def _assert_stored_as_asked(dose, changes: dict) -> None:
    for name in DOSE_FIELDS:
        if name in changes:
            assert getattr(dose, name) == changes[name], name
    low, high = changes.get("intensity_low"), changes.get("intensity_high")
    if low is None and high is None:
        return
    governing = dose.intensity[0]
    if governing.unit == "pct_1rm":  # a load is one value
        assert governing.low == governing.high == (high if high is not None else low)
    else:
        assert low is None or governing.low == low
        assert high is None or governing.high == high


@pytest.fixture
def clinic(world):
    return world


@PROPERTY_SETTINGS
@given(data=st.data())
def test_no_sequence_of_edits_stores_a_dose_above_a_limit_without_an_override(clinic, data):
    world = clinic
    with _rolled_back():
        plan, now = _plan_for(world, data)
        with time_machine.travel(now, tick=False):
            week = _edit_week(plan)
            slugs = sorted(_doses_by_slug(plan))
            items = {item.exercise.slug: item for item in plan.items.select_related("exercise")}
            assert _unexplained_violations(plan) == []
            for _step in range(data.draw(st.integers(1, 6), label="steps")):
                slug = data.draw(st.sampled_from(slugs), label="exercise")
                before_doses = _doses_by_slug(plan)
                dose = before_doses[slug][week - 1]
                if data.draw(st.booleans(), label="past a limit"):
                    changes = _draw_change_past_a_limit(data, dose, engine_plan(plan).limits)
                else:
                    changes = _draw_changes(data, dose)
                override = data.draw(
                    st.sampled_from(["", "Supervised in clinic", "Supervised in clinic", "  "]), label="override"
                )
                actor = data.draw(st.sampled_from([world.physio, world.physio, world.physio, world.clinician]))
                before = _state(plan)
                try:
                    plan = plan_item_update(
                        actor=actor,
                        plan=plan,
                        item=items[slug],
                        version=before[0],
                        changes=changes,
                        reason="Random edit",
                        override_reason=override,
                    )
                except (InvalidInput, NotAllowed) as refused:
                    event(f"edit refused: {type(refused).__name__}")
                    assert _state(plan) == before, "a refused edit changed the stored plan"
                else:
                    event(
                        "edit accepted with an override" if len(_state(plan)[2]) > len(before[2]) else "edit accepted"
                    )
                    assert _state(plan)[0] == before[0] + 1
                    after_doses = _doses_by_slug(plan)
                    _assert_stored_as_asked(after_doses[slug][week - 1], changes)
                    assert after_doses[slug][: week - 1] == before_doses[slug][: week - 1], "the past changed"
                    others = {other: doses for other, doses in after_doses.items() if other != slug}
                    assert others == {other: before_doses[other] for other in others}
                assert _unexplained_violations(plan) == []


def _tightening(data, limits, path: str):
    """A value for `path` at least as strict as the current one (the planner decides what is stricter)."""
    kind, low, high = ADJUSTABLE_FIELDS[path]
    current = get_field(limits, path)
    if kind == "impact":
        return data.draw(st.sampled_from(IMPACT_LEVELS[: IMPACT_LEVELS.index(current) + 1]))
    if kind == "bool":
        return True
    if kind == "set":
        vocabulary = MOVEMENT_TAGS if path == "excluded_tags" else BODY_REGIONS
        return [*current, *data.draw(st.lists(st.sampled_from(vocabulary), max_size=2))]
    if kind == "zone":
        if current is None:
            return None
        top = data.draw(st.integers(current[0], current[1]))
        return [data.draw(st.integers(low, top)), top]
    if path in ("resistance.min_reps", "supervised_sessions"):  # more is stricter
        return data.draw(st.integers(current, min(high, current + 10)))
    return data.draw(st.integers(low, int(current)))


@PROPERTY_SETTINGS
@given(data=st.data())
def test_tightened_limits_bind_every_dose_from_the_current_week_unless_overridden(clinic, data):
    world = clinic
    with _rolled_back():
        plan, now = _plan_for(world, data)
        with time_machine.travel(now, tick=False):
            week = _edit_week(plan)
            items = {item.exercise.slug: item for item in plan.items.select_related("exercise")}
            for _step in range(data.draw(st.integers(1, 4), label="steps")):
                engine = engine_plan(Plan.objects.get(pk=plan.pk))
                if engine.items and data.draw(st.booleans(), label="an edit first"):
                    slug = data.draw(st.sampled_from(sorted(item.slug for item in engine.items)))
                    dose = engine.weeks[week - 1].dose_for(slug).dose
                    with suppress(InvalidInput):
                        plan = plan_item_update(
                            actor=world.physio,
                            plan=plan,
                            item=items[slug],
                            version=Plan.objects.get(pk=plan.pk).version,
                            changes=_draw_change_past_a_limit(data, dose, engine.limits),
                            override_reason=data.draw(st.sampled_from(["", "Supervised in clinic"])),
                        )
                paths = data.draw(
                    st.lists(st.sampled_from(sorted(ADJUSTABLE_FIELDS)), min_size=1, max_size=3, unique=True)
                )
                adjustments = [{"field": path, "value": _tightening(data, engine.limits, path)} for path in paths]
                before = _state(plan)
                # Tightening needs no reason and is always accepted (a recomputed heart-rate zone keeps
                # any lower ceiling a clinician set by hand).
                plan = plan_limits_adjust(
                    actor=world.clinician, plan=plan, version=before[0], adjustments=adjustments, reason=""
                )
                stored = engine_plan(Plan.objects.get(pk=plan.pk))
                event(f"limit change dropped exercises: {len(stored.items) < len(engine.items)}")
                assert loosened_fields(engine.limits, stored.limits) == ()
                assert _unexplained_violations(plan, from_week=week) == []
                # The exercises the new limits forbid are gone, not merely re-dosed.
                assert [item.slug for item in stored.items if exercise_violations(item.exercise, stored.limits)] == []

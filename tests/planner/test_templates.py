"""Clinic templates (planner.templates) refitted to a patient's limits (planner.template_refit): no database.

The property: whatever the template and whatever the patient, every refitted dose is within the
patient's limits, no excluded movement or protected region appears, and every change has a reason.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import exercise_violations, load_default_catalogue
from planner.choosing import is_main_block
from planner.dosing import dose_kind_for
from planner.limits import apply_adjustments, check_dose, compute_limits
from planner.schedule import build_plan
from planner.template_refit import RefitChange, plan_from_template, refit_template
from planner.templates import (
    TemplateError,
    TemplateItem,
    TemplateSettings,
    conditions_of,
    template_item_from_dict,
    template_item_to_dict,
    template_items_from_dicts,
    template_items_from_plan,
)
from planner.types import LimitAdjustment
from tests.planner.conftest import build_profile, motivating_case_profile
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()
BY_SLUG = {spec.slug: spec for spec in LIBRARY}
MAIN = [spec for spec in LIBRARY if is_main_block(spec)]


@st.composite
def template_items(draw):
    """Random templates: library exercises with doses that may be far above anyone's limits."""
    specs = draw(st.lists(st.sampled_from(MAIN), min_size=1, max_size=8, unique_by=lambda spec: spec.slug))
    items = []
    for spec in specs:
        kind = dose_kind_for(spec)
        basis = draw(st.sampled_from(("relative", "absolute")))
        values = {"frequency_per_week": draw(st.integers(1, 7))}
        if kind == "minutes":
            values["minutes"] = float(draw(st.integers(1, 120)))
        else:
            values["sets"] = draw(st.integers(1, 10))
            if kind == "sets_reps":
                values["reps"] = draw(st.integers(1, 40))
            else:
                values["hold_seconds"] = draw(st.integers(1, 300))
        intensity = share = None
        unit = {"aerobic": "pct_hrr", "resistance": "pct_1rm"}.get(spec.component)
        if unit and draw(st.booleans()):
            high = draw(st.integers(20, 100))
            intensity = (unit, draw(st.integers(10, high)), high)
            share = (draw(st.floats(0.1, 0.7)), draw(st.floats(0.7, 1.5)))
        items.append(
            TemplateItem(
                slug=spec.slug,
                component=spec.component,
                dose_kind=kind,
                basis=basis,
                intensity=intensity,
                intensity_share=share if basis == "relative" else None,
                ladder_level=draw(st.none() | st.integers(1, 12)),
                **values,
            )
        )
    return tuple(items)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles(), items=template_items())
def test_every_refitted_dose_is_within_the_limits_and_every_change_has_a_reason(profile, items):
    limits = compute_limits(profile)

    refit = refit_template(items, profile, limits, LIBRARY)

    for item in refit.items:
        assert check_dose(item, limits, profile) == [], item.slug  # dose limits, impact, tags, regions, kit
        assert not set(item.exercise.tags) & set(limits.excluded_tags), item.slug
        assert exercise_violations(item.exercise, limits, profile) == [], item.slug
    assert len({item.slug for item in refit.items}) == len(refit.items)
    for change in refit.changes:
        assert change.reason.strip(), change
        assert change.kind in ("dose", "swap", "drop", "settings")
    # Each template exercise is kept, swapped (a "swap" change) or dropped (a "drop" change).
    kept = {item.slug for item in refit.items}
    explained = {change.slug for change in refit.changes if change.kind in ("swap", "drop")}
    for template in items:
        assert template.slug in kept or template.slug in explained, template.slug


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles(), items=template_items())
def test_a_whole_plan_from_a_template_never_exceeds_a_limit_in_any_week(profile, items):
    plan, _ = plan_from_template(items, TemplateSettings(weeks=6), profile, compute_limits(profile), LIBRARY)

    for week in plan.weeks:
        for entry in week.doses:
            assert check_dose(entry, plan.limits) == [], (week.number, entry.exercise_slug)


def test_a_template_from_the_demo_plan_refits_for_a_patient_with_stricter_limits():
    demo = build_plan(motivating_case_profile(), LIBRARY)
    template = template_items_from_plan(demo)
    stricter = motivating_case_profile(
        age=78, inflammation_activity="high", vertebral_fracture=True, avoid_regions=("shoulder_left",)
    )
    limits = compute_limits(stricter)
    assert limits.resistance.max_pct_1rm < demo.limits.resistance.max_pct_1rm

    plan, changes = plan_from_template(template, TemplateSettings(), stricter, limits, LIBRARY)

    assert plan.items
    for item in plan.items:
        assert check_dose(item, limits, stricter) == [], item.slug
    for week in plan.weeks:
        for entry in week.doses:
            assert check_dose(entry, limits) == []
    assert changes, "stricter limits must change something"
    for change in changes:
        assert change.reason, change.text
        assert change.rule_ids, change.text
    assert any(change.field == "reps" and "minimum of 15" in change.reason for change in changes)


def _item(slug, **values):
    spec = BY_SLUG[slug]
    return TemplateItem(slug=slug, component=spec.component, dose_kind=dose_kind_for(spec), **values)


def _ballistic_slug():
    return next(s.slug for s in MAIN if "ballistic" in s.tags and s.component == "resistance")


def test_an_excluded_exercise_is_swapped_and_the_rule_that_excluded_it_is_named():
    slug = _ballistic_slug()
    profile = build_profile(age=60, bone_fragility="osteoporosis")
    limits = compute_limits(profile)
    assert "ballistic" in limits.excluded_tags

    refit = refit_template((_item(slug, frequency_per_week=2, sets=2, reps=10),), profile, limits, LIBRARY)

    swap = next(change for change in refit.changes if change.kind == "swap")
    assert swap.slug == slug
    assert swap.replacement == refit.items[0].slug
    assert "ballistic" in swap.reason
    assert any(rule_id.startswith("bone.") for rule_id in swap.rule_ids)
    assert " swapped for " in swap.text


def test_an_exercise_without_an_allowed_variant_is_dropped_with_its_reason():
    profile = build_profile(available_equipment=(), unavailable_positions=("standing", "seated", "supine"))
    limits = compute_limits(profile)
    needs_kit = next(s for s in MAIN if s.component == "resistance" and "none" not in s.equipment)

    refit = refit_template((_item(needs_kit.slug, frequency_per_week=2, sets=2, reps=10),), profile, limits, LIBRARY)

    if refit.items:  # a variant that needs nothing and is done lying on the side or on all fours
        assert not exercise_violations(refit.items[0].exercise, limits, profile)
    else:
        drop = refit.changes[0]
        assert drop.kind == "drop"
        assert "needs" in drop.reason
        assert drop.text.endswith(drop.reason)


def test_a_value_above_the_tier_ceiling_comes_down_to_it_with_the_dose_rule():
    profile = motivating_case_profile()
    limits = compute_limits(profile)
    slug = next(s.slug for s in MAIN if s.component == "resistance" and not exercise_violations(s, limits, profile))

    refit = refit_template((_item(slug, frequency_per_week=7, sets=10, reps=12),), profile, limits, LIBRARY)

    sets = next(change for change in refit.changes if change.field == "sets")
    assert sets.before == "10"
    assert int(sets.after) == refit.items[0].dose.sets < 10
    assert sets.rule_ids
    assert "ceiling" in sets.reason
    assert sets.text.startswith(f"{slug}: sets 10 → {sets.after} (")
    assert any(change.field == "frequency_per_week" for change in refit.changes)


def test_a_relative_intensity_is_the_same_share_of_the_new_patients_ceiling():
    fit, frail = build_profile(), build_profile(age=45, inflammation_activity="high")
    fit_limits, frail_limits = compute_limits(fit), compute_limits(frail)
    slug = "goblet-squat"  # a weight dosed in %1RM
    assert not exercise_violations(BY_SLUG[slug], frail_limits, frail)
    share = 0.5
    item = _item(
        slug,
        frequency_per_week=2,
        sets=2,
        reps=15,
        intensity=("pct_1rm", 40, 40),
        intensity_share=(share, share),
    )

    refit = refit_template((item,), frail, frail_limits, LIBRARY)

    load = refit.items[0].dose.intensity_in("pct_1rm")
    assert load.high <= round(share * frail_limits.resistance.max_pct_1rm)
    assert frail_limits.resistance.max_pct_1rm < fit_limits.resistance.max_pct_1rm


def test_a_template_never_loosens_the_growth_cap_but_may_tighten_it():
    profile = build_profile()
    limits = compute_limits(profile)
    items = (_item("brisk-walking", frequency_per_week=3, minutes=20.0),)
    cap = limits.weekly_progression_max_pct

    looser, changes = plan_from_template(
        items, TemplateSettings(weekly_progression_max_pct=cap + 20), profile, limits, LIBRARY
    )
    tighter, _ = plan_from_template(
        items, TemplateSettings(weekly_progression_max_pct=cap / 2), profile, limits, LIBRARY
    )

    assert looser.limits.weekly_progression_max_pct == cap
    assert changes[0].kind == "settings"
    assert changes[0].rule_ids
    assert tighter.limits.weekly_progression_max_pct == cap / 2


def test_an_adjusted_limit_is_respected_too():
    profile = build_profile()
    limits = apply_adjustments(compute_limits(profile), [LimitAdjustment("excluded_tags", ["ballistic"])])
    refit = refit_template((_item(_ballistic_slug(), frequency_per_week=2, sets=2, reps=10),), profile, limits, LIBRARY)
    swap = next(change for change in refit.changes if change.kind == "swap")
    assert "clinician.excluded_tags" in swap.rule_ids


def test_items_read_back_as_written_and_wrong_fields_are_named():
    demo = build_plan(motivating_case_profile(), LIBRARY)
    items = template_items_from_plan(demo)

    assert template_items_from_dicts([template_item_to_dict(i) for i in items], LIBRARY) == items
    with pytest.raises(TemplateError) as refused:
        template_items_from_dicts(
            [{"exercise": "no-such-thing"}, {"exercise": "brisk-walking", "frequency_per_week": 9}], LIBRARY
        )
    assert set(refused.value.errors) == {"items.0.exercise", "items.1.frequency_per_week", "items.1.minutes"}
    assert template_item_from_dict({"exercise": "brisk-walking", "frequency_per_week": 3, "minutes": 20}, LIBRARY)


def test_conditions_come_from_the_assessment():
    assert conditions_of(motivating_case_profile()) == (
        "bone_fragility.osteoporosis",
        "heterotopic_ossification",
        "inflammation_activity.moderate",
        "cardiopulmonary_status.monitor",
    )
    assert conditions_of(build_profile()) == ()
    assert RefitChange("drop", "x", "", "X", "", "gone", ()).text == "X dropped: gone"

"""Reassessing a running plan, without a database: random pairs of profiles, the real library."""

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import exercise_violations, load_default_catalogue
from planner.limits import LOOSENING_TESTS, apply_adjustments, check_dose, compute_limits, get_field, loosened_fields
from planner.reassessment import (
    FLARE_RULES_PATH,
    default_flare_rules,
    flare_findings,
    flare_rules_from_dict,
    loosens,
    reassess,
    strictest_limits,
)
from planner.reassessment_words import change_reason
from planner.schedule import build_plan
from planner.types import LimitAdjustment, Profile
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MILD = Profile(age=57, inflammation_activity="inactive", bone_fragility="none", cardiopulmonary_status="cleared")


@SETTINGS
@given(profiles(), profiles(), st.integers(1, 12))
def test_after_reassessment_every_dose_and_item_passes_the_new_strictest_limits(before, after, week):
    plan = build_plan(before, LIBRARY)
    if not plan.items:
        return
    result = reassess(plan, after, compute_limits(after), LIBRARY, week)
    limits = result.plan.limits

    for item in result.plan.items:
        assert check_dose(item, limits, after) == [], item.slug
    for scheduled in result.plan.weeks[week - 1 :]:
        for entry in scheduled.doses:
            assert check_dose(entry, limits) == [], (scheduled.number, entry.exercise_slug)
    # Nothing of the running plan is looser than before, nor than the new assessment computes.
    for path in LOOSENING_TESTS:
        assert not loosens(path, get_field(plan.limits, path), get_field(limits, path)), path
        assert not loosens(path, get_field(compute_limits(after), path), get_field(limits, path)), path
    # loosened_fields agrees, except that it reads a heart-rate zone of None as "no ceiling" where
    # check_dose reads it as "no heart-rate target at all" (the strictest): see planner.reassessment.loosens.
    assert {c.field for c in loosened_fields(plan.limits, limits) if c.after is not None} == set()
    # Weeks that happened are kept as they were (minus exercises removed from the plan).
    kept = {item.slug for item in result.plan.items}
    for old, new in zip(plan.weeks[: week - 1], result.plan.weeks[: week - 1], strict=True):
        assert [d for d in old.doses if d.exercise_slug in kept] == list(new.doses)


@SETTINGS
@given(profiles(), profiles())
def test_a_clinicians_tightening_is_never_lost(before, after):
    plan = build_plan(before, LIBRARY)
    tighter = replace(plan.limits.resistance, max_pct_1rm=max(0, plan.limits.resistance.max_pct_1rm - 10))
    adjusted = apply_adjustments(
        plan.limits, [LimitAdjustment("resistance.max_pct_1rm", tighter.max_pct_1rm, "", "physio")]
    )

    merged, _tightened, _proposed = strictest_limits(adjusted, compute_limits(after))

    assert merged.resistance.max_pct_1rm <= adjusted.resistance.max_pct_1rm


def test_a_clinicians_loosening_survives_only_where_the_new_assessment_is_not_stricter():
    plan = build_plan(MILD, LIBRARY)
    looser = apply_adjustments(plan.limits, [LimitAdjustment("aerobic.max_hrr_pct", 75, "Tested on a treadmill", "c")])
    flare = replace(MILD, inflammation_activity="high")

    same, _, _ = strictest_limits(looser, compute_limits(MILD))
    stricter, _, _ = strictest_limits(looser, compute_limits(flare))

    assert same.aerobic.max_hrr_pct == 75
    assert stricter.aerobic.max_hrr_pct == compute_limits(flare).aerobic.max_hrr_pct < 75


def test_a_milder_profile_changes_no_limit_and_proposes_the_looser_values():
    strict = replace(MILD, inflammation_activity="high", cardiopulmonary_status="restricted")
    plan = build_plan(strict, LIBRARY)

    result = reassess(plan, MILD, compute_limits(MILD), LIBRARY, 3)

    assert result.plan.limits.aerobic.max_hrr_pct == plan.limits.aerobic.max_hrr_pct
    assert result.tightened == ()
    assert {c.field for c in result.proposed} >= {"aerobic.max_hrr_pct"}
    assert not result.is_flare


def test_a_forbidden_exercise_is_swapped_for_an_allowed_one_of_the_same_component():
    plan = build_plan(MILD, LIBRARY)
    flare = replace(MILD, inflammation_activity="high")
    limits = compute_limits(flare)
    forbidden = [item for item in plan.items if exercise_violations(item.exercise, limits, flare)]
    assert forbidden, "the library no longer has an item a flare forbids; pick another pair of profiles"

    result = reassess(plan, flare, limits, LIBRARY, 4)

    slugs = {item.slug for item in result.plan.items}
    for item in forbidden:
        change = next(c for c in result.items if c.slug == item.slug)
        assert change.kind in ("swapped", "removed")
        assert item.slug not in slugs
        if change.kind == "swapped":
            new = next(i for i in result.plan.items if i.slug == change.replacement_slug)
            assert new.component == item.component
            assert result.plan.weeks[2].dose_for(new.slug) is None  # it joined in week 4
            assert result.plan.weeks[3].dose_for(new.slug) is not None


def test_the_change_reason_names_the_flare_the_limits_and_the_items():
    plan = build_plan(MILD, LIBRARY)
    flare = replace(MILD, inflammation_activity="high")

    result = reassess(plan, flare, compute_limits(flare), LIBRARY, 2)
    reason = change_reason(result, date(2026, 11, 25))

    assert reason.startswith("Reassessment of 2026-11-25: inflammation inactive → high; ")
    assert (
        f"aerobic ceiling {plan.limits.aerobic.max_hrr_pct} → {result.plan.limits.aerobic.max_hrr_pct} %HRR" in reason
    )
    assert [c.rule.id for c in result.flare] == ["flare.inflammation_up"]


@pytest.mark.parametrize(
    ("change", "fires"),
    [
        ({"inflammation_activity": "moderate"}, ["flare.inflammation_up"]),
        ({"bone_fragility": "fragility_fracture"}, ["flare.bone_tier_up"]),
        ({"vertebral_fracture": True}, ["flare.vertebral_fracture"]),
        ({"cardiopulmonary_status": "monitor"}, ["flare.cardiopulmonary_worse"]),
        ({"pain_at_rest": 6}, []),
        ({"avoid_regions": ("knee_left",)}, []),
    ],
)
def test_flare_rules_fire_on_a_worse_state_only(change, fires):
    before = replace(MILD, inflammation_activity="low")
    assert [c.rule.id for c in flare_findings(before, replace(before, **change))] == fires
    assert flare_findings(replace(before, **change), before) == ()


def test_every_flare_rule_carries_its_evidence_and_source():
    with open(FLARE_RULES_PATH, encoding="utf-8") as data:
        raw = json.load(data)
    rules = default_flare_rules()
    assert len(rules) == len(raw["rules"]) >= 4
    for rule in rules:
        assert rule.rule.evidence == "D"
        assert "clinical-reference 8a/8c" in rule.rule.source
    with pytest.raises(ValueError, match="not a profile field"):
        flare_rules_from_dict({"rules": [{**raw["rules"][0], "field": "ck"}]})

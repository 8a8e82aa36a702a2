"""Items worked out with stand-ins for the patient's rules give the plan worked out with the patient's rules.

planner.stand_in_rules keeps each start dose and each item's weeks by their numbers, with stand-in rules
where a patient's own rules go, and puts each patient's rules back. The kept answers are shared by
every profile a test run draws (the memo lives for the process), so a key that left out something a
put-back answer depends on would hand one patient another's rules here.
"""

import json
from dataclasses import replace
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import prescribe as prescribe_module
from planner.catalogue import load_default_catalogue
from planner.dosing import unique_rules
from planner.limits import apply_adjustments, compute_limits
from planner.prescribe import _dose_and_growth, prescribe
from planner.rules import DoseParameters, default_rulebook
from planner.schedule import build_plan, item_weeks, schedule
from planner.serialize import to_dict
from planner.stand_in_rules import StandIn, _PutBack, cited_by_stand_ins, stand_in
from planner.types import PlanWeek, Profile, Rule
from tests.planner.test_engine_memo import TIGHTENINGS
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def limits_for(profile, tightening):
    limits = compute_limits(profile)
    return apply_adjustments(limits, tightening) if tightening else limits


def plan_json(profile, tightening, weeks):
    return json.dumps(to_dict(build_plan(profile, LIBRARY, weeks=weeks, adjustments=tightening)), sort_keys=True)


@SETTINGS
@given(profiles(), TIGHTENINGS, st.sampled_from((1, 4, 12)))
def test_a_plan_worked_out_with_stand_ins_is_the_plan_worked_out_with_the_patients_rules(profile, tightening, weeks):
    shared = plan_json(profile, tightening, weeks)
    with mock.patch.object(prescribe_module, "stand_ins_for", return_value=None):
        direct = plan_json(profile, tightening, weeks)

    assert shared == direct


@SETTINGS
@given(profiles(), TIGHTENINGS)
def test_each_item_and_its_weeks_equal_the_ones_worked_out_afresh_with_the_patients_rules(profile, tightening):
    book = default_rulebook()
    limits = limits_for(profile, tightening)
    items = prescribe(profile, LIBRARY, limits, book).items
    params = DoseParameters(profile, book)

    for item in items:
        dose, progression, step_rules = _dose_and_growth(item.exercise, profile, params, limits, book)
        assert (item.dose, item.progression, item.rules_for("progression")) == (dose, progression, step_rules)
        assert not any(type(rule) is StandIn for entry in item.dose.rationale for rule in entry.rules)
    fresh = [item_weeks(item, limits, 12, book) for item in items]
    assert schedule(items, limits, 12, book) == tuple(
        PlanWeek(n, tuple(track[n - 1] for track in fresh)) for n in range(1, 13)
    )


REAL = [Rule(f"r{n}", f"rule {n}", "D", "test") for n in range(6)]
STAND_INS = [stand_in("limit", f"path.{n}") for n in range(3)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(REAL + STAND_INS), max_size=6), max_size=5),
    st.lists(st.lists(st.sampled_from(REAL), max_size=4, unique=True), min_size=3, max_size=3),
)
def test_putting_rules_back_after_keeping_first_occurrences_is_keeping_them_after(groups, owns):
    """The lemma the module rests on: join groups keeping the first of each id, then put each stand-in's
    rules in its place (and keep first occurrences) - or put them in place first: the same rules, in order."""
    own = {rule.id: tuple(rules) for rule, rules in zip(STAND_INS, owns, strict=True)}

    shared = unique_rules(*groups)
    in_place = unique_rules(*((own[r.id] if type(r) is StandIn else (r,)) for group in groups for r in group))

    assert _PutBack(lambda rule: own[rule.id]).rules(shared) == in_place


def test_limits_naming_a_rule_twice_are_worked_out_with_the_patients_rules():
    limits = compute_limits(Profile(age=60))
    twice = replace(limits, rules=(*limits.rules, limits.rules[0]))

    assert cited_by_stand_ins(limits) is not None
    assert cited_by_stand_ins(twice) is None

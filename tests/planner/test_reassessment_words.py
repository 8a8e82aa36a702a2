"""A reassessment's words: each change is one sentence whose English is the record's text and whose
template, stored and read back, says exactly that English again (so a page can say it in another
language). No database: the planner alone."""

from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import load_default_catalogue
from planner.limits import LOOSENING_TESTS, compute_limits
from planner.progression.said import said_from_data
from planner.reassessment import SWAP_RULE, default_flare_rules, reassess
from planner.reassessment_words import (
    LIMIT_WORDS,
    PROFILE_WORDS,
    change_reason,
    change_reason_said,
    changes_as_data,
    item_change_said,
    limit_change_said,
    value_said,
)
from planner.schedule import build_plan
from planner.types import LimitChange, Profile, field_names
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()
MILD = Profile(age=57, inflammation_activity="inactive", bone_fragility="none", cardiopulmonary_status="cleared")
DAY = date(2026, 11, 25)


def _english_again(sentence) -> str:
    return said_from_data(sentence.as_data()).english()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), profiles(), st.integers(1, 12))
def test_every_change_reads_back_from_its_template_as_its_english(before, after, week):
    plan = build_plan(before, LIBRARY)
    if not plan.items:
        return
    result = reassess(plan, after, compute_limits(after), LIBRARY, week)

    reason = change_reason_said(result, DAY)
    assert _english_again(reason) == reason.english() == change_reason(result, DAY)
    for change in result.items:
        assert change.said is not None
        assert change.said.english() == change.reason
        assert _english_again(item_change_said(change)) == item_change_said(change).english()
    for entry in changes_as_data(result):
        assert said_from_data(entry["said"]).english() == entry["text"]  # no Django: the text is English


def test_a_flare_reads_as_before():
    flare = replace(MILD, inflammation_activity="high")
    result = reassess(build_plan(MILD, LIBRARY), flare, compute_limits(flare), LIBRARY, 2)

    reason = change_reason(result, DAY)

    assert reason.startswith("Reassessment of 2026-11-25: inflammation inactive → high; impact ceiling ")
    assert reason.endswith("; flare: progression paused for review")
    assert "supervised start needed no → yes" in reason
    swapped = [c for c in result.items if c.kind == "swapped"]
    assert swapped
    assert f"{swapped[0].name} replaced by {swapped[0].replacement_name} (" in reason


def test_values_read_as_words_numbers_and_lists():
    assert value_said(True).english == "yes"
    assert value_said(None).english == "none"
    assert value_said(()).english == "none"
    assert value_said("low_bone_mass").english == "low bone mass"
    change = LimitChange("aerobic.hr_zone_bpm", (99, 157), (99, 108))
    assert limit_change_said(change).english() == "heart-rate zone 99–157 → 99–108 bpm"


def test_every_limit_and_profile_field_has_its_words():
    assert sorted(set(LOOSENING_TESTS) - set(LIMIT_WORDS)) == []
    assert sorted(set(field_names(Profile)) - set(PROFILE_WORDS)) == []
    # A flare's field reads by its rule's label: the shipped labels are catalogue words too.
    assert {rule.label for rule in default_flare_rules()} <= set(PROFILE_WORDS.values())


def test_the_swap_rule_names_no_exercise():
    """Its text is fixed, so the rule table translates it; which exercise it replaced is in the change."""
    flare = replace(MILD, inflammation_activity="high")
    result = reassess(build_plan(MILD, LIBRARY), flare, compute_limits(flare), LIBRARY, 2)
    new = {c.replacement_slug for c in result.items if c.kind == "swapped"}

    cited = [rule for item in result.plan.items if item.slug in new for rule in item.rules_for("exercise")]
    assert SWAP_RULE in cited
    assert all(rule.text == SWAP_RULE.text for rule in cited if rule.id == SWAP_RULE.id)

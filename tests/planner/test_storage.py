"""A plan stored as blueprint, items and shared parts comes back exactly, and its changes are named field by field."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import serialize, storage
from planner.catalogue import load_default_catalogue
from planner.editing import reschedule_from, tighten_limits
from planner.limits import compute_limits
from planner.schedule import build_plan
from planner.serialize import from_dict, to_dict
from planner.types import Plan
from tests.planner.conftest import motivating_case_profile
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()
STORAGE_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def round_trip(plan: Plan) -> Plan:
    return from_dict(Plan, storage.join(storage.split(to_dict(plan))))


@STORAGE_SETTINGS
@given(profiles(), st.integers(1, 52))
def test_every_generated_plan_comes_back_exactly_from_its_rows(profile, weeks):
    plan = build_plan(profile, LIBRARY, weeks=weeks)
    assert round_trip(plan) == plan


@STORAGE_SETTINGS
@given(profiles(), st.integers(1, 20), st.integers(1, 12))
def test_one_item_decoded_or_stored_alone_is_that_item_of_the_whole_plan(profile, weeks, edited_week):
    plan = build_plan(profile, LIBRARY, weeks=weeks)
    if plan.items:  # an edit makes a week's rationale differ from the week before's: it is written again
        first = plan.items[0]
        week = min(edited_week, weeks)
        dose = plan.weeks[week - 1].dose_for(first.slug).dose
        plan = reschedule_from(plan, week, {first.slug: replace(dose, rationale=dose.rationale[:1])})
    stored = storage.split(to_dict(plan))
    whole = from_dict(Plan, storage.join(stored))
    rules = serialize.rule_decoder(storage.rule_index_of(stored.blueprint, stored.parts))
    for item, stored_item in zip(whole.items, stored.items, strict=True):
        document, scheduled = storage.join_item(stored_item, stored.parts)
        alone, by_week = serialize.item_from_dict(document, scheduled, rules)
        assert alone == item
        assert [by_week.get(week.number) for week in whole.weeks] == [week.dose_for(item.slug) for week in whole.weeks]
        # And written alone, it is stored as the whole plan stores it, citing the plan's own parts and rules.
        weeks = [(week.number, entry) for week in plan.weeks if (entry := week.dose_for(item.slug)) is not None]
        written, parts, rule_map = storage.split_item(*serialize.item_to_dict(item, weeks))
        assert written == stored_item
        assert all(stored.parts[key] == part for key, part in parts.items())
        plan_rules = stored.parts[stored.blueprint["rules"]]["body"]
        assert rule_map
        assert all(plan_rules[rule_id] == key for rule_id, key in rule_map.items())


@STORAGE_SETTINGS
@given(profiles(), st.integers(2, 12), st.data())
def test_an_edited_plan_comes_back_exactly_and_its_change_names_the_item_week_and_field(profile, weeks, data):
    plan = build_plan(profile, LIBRARY, weeks=weeks)
    if not plan.items:
        return
    item = data.draw(st.sampled_from(plan.items))
    week = data.draw(st.integers(1, weeks))
    dose = plan.weeks[week - 1].dose_for(item.slug).dose
    smaller = replace(dose, frequency_per_week=max(1, dose.frequency_per_week - 1))
    edited = reschedule_from(plan, week, {item.slug: smaller})
    assert round_trip(edited) == edited
    changes = storage.changes_between(storage.split(to_dict(plan)), storage.split(to_dict(edited)))
    if edited == plan:
        assert changes == []
        return
    assert changes, "a changed plan must record at least one change"
    for change in changes:
        assert change.slug is not None
        assert change.week is not None
        assert change.before != change.after
        assert change.field in storage.DOSE_VARIABLES
    if smaller != dose and item.slug in {c.slug for c in changes}:
        first = min(c.week for c in changes if c.slug == item.slug)
        assert first >= week  # nothing before the edited week moved


@STORAGE_SETTINGS
@given(profiles(), profiles())
def test_tightened_limits_come_back_exactly_and_each_dropped_exercise_and_changed_limit_is_recorded(first, second):
    plan = build_plan(first, LIBRARY, weeks=8)
    stricter = compute_limits(second)
    tightened, dropped = tighten_limits(plan, stricter, 3)
    assert round_trip(tightened) == tightened
    changes = storage.changes_between(storage.split(to_dict(plan)), storage.split(to_dict(tightened)))
    removed = {c.slug for c in changes if c.field == "in_plan" and c.after is False}
    assert removed == set(dropped)
    limit_fields = {c.field for c in changes if c.slug is None}
    assert all(name.startswith("limits.") for name in limit_fields)
    if plan.limits.aerobic.max_rpe != stricter.aerobic.max_rpe:
        assert "limits.aerobic.max_rpe" in limit_fields


def test_identical_parts_are_shared_and_the_per_plan_rows_are_small(motivating_case):
    plan = build_plan(motivating_case, LIBRARY, weeks=12)
    stored = storage.split(to_dict(plan))
    again = storage.split(to_dict(build_plan(replace(motivating_case, age=motivating_case.age + 1), LIBRARY)))
    shared = set(stored.parts) & set(again.parts)
    exercises = {key for key, part in stored.parts.items() if part["kind"] == "exercise"}
    assert exercises <= shared  # the same exercise definitions, stored once
    per_plan = len(storage.canonical(stored.blueprint)) + sum(
        len(storage.canonical([i.dose, i.schedule, i.targets, i.notes])) for i in stored.items
    )
    assert per_plan < 40_000, per_plan  # the whole snapshot was ≈190 KB
    assert storage.digests_referred(
        stored.blueprint, stored.items, stored.parts[stored.blueprint["rules"]]["body"]
    ) == set(stored.parts)


def test_a_parts_digest_depends_on_its_content_only():
    assert storage.digest({"a": 1, "b": [1, 2]}) == storage.digest({"b": [1, 2], "a": 1})
    assert storage.digest({"a": 1}) != storage.digest({"a": 2})
    assert len(storage.digest({})) == storage.DIGEST_LENGTH


def test_the_dose_in_a_week_reads_through_unchanged_weeks(motivating_case):
    plan = build_plan(motivating_case, LIBRARY, weeks=12)
    stored = storage.split(to_dict(plan))
    for item in stored.items:
        for week in range(1, 13):
            expected = plan.weeks[week - 1].dose_for(item.slug).dose
            values = storage.dose_variables(storage.dose_in_week(item, week))
            assert values["frequency_per_week"] == expected.frequency_per_week
            assert values["minutes"] == expected.minutes
            assert values["reps"] == expected.reps
            assert values["intensity"] == [[t.unit, t.low, t.high] for t in expected.intensity]


def test_decoding_a_plan_twice_shares_its_rule_objects_and_changes_no_value():
    plan = build_plan(motivating_case_profile(), LIBRARY, weeks=12)
    data = to_dict(plan)
    first, second = from_dict(Plan, data), from_dict(Plan, data)
    assert first == second == plan
    rules_first = {rule.id: rule for rule in first.limits.rules}
    rules_second = {rule.id: rule for rule in second.limits.rules}
    assert rules_first
    # The same Rule object for the same four values, decoded once (planner.serialize._DECODED_RULES).
    assert all(rules_second[rule_id] is rule for rule_id, rule in rules_first.items())

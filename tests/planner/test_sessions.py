"""Plan weeks as sessions (planner.sessions): days, order, warm-up and cool-down, time. No database."""

import itertools
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.schedule import build_plan
from planner.sessions import (
    default_session_rules,
    estimate_seconds,
    item_days,
    plan_sessions,
    week_sessions,
)
from tests.planner.conftest import build_profile, motivating_case_profile
from tests.planner.test_properties import profiles

MONDAY = date(2026, 11, 2)
SESSION_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A session longer than this is not a home session any more: the estimate or the days are wrong.
LONGEST_SESSION_MINUTES = 240


def _adjacent(earlier: date, later: date) -> bool:
    return (later - earlier).days < 2


@SESSION_SETTINGS
@given(profiles(), st.integers(0, 6))
def test_every_week_of_every_plan_is_a_set_of_well_formed_sessions(profile, shift):
    plan = build_plan(profile)
    start = MONDAY + timedelta(days=shift)
    rules = default_session_rules()
    weeks = plan_sessions(plan, start)
    strength = {item.slug for item in plan.items if item.component == "resistance"}
    strength_dates = []
    for week, sessions in zip(plan.weeks, weeks, strict=True):
        for scheduled in week.doses:
            on = [s for s in sessions.sessions if scheduled.exercise_slug in s.main_slugs]
            # Exactly its frequency of days, once a day.
            assert len(on) == scheduled.dose.frequency_per_week
            assert all(s.main_slugs.count(scheduled.exercise_slug) == 1 for s in on)
        for session in sessions.sessions:
            warm = rules.warm_up_for(profile)
            assert session.warm_up
            assert session.cool_down
            assert session.main
            assert sum(e.minutes for e in session.warm_up) == warm.warm_up_minutes
            assert sum(e.minutes for e in session.cool_down) == warm.cool_down_minutes
            assert 5 <= warm.warm_up_minutes <= 10
            assert 5 <= warm.cool_down_minutes <= 10
            ranks = [rules.order.index(entry.component) for entry in session.main]
            assert ranks == sorted(ranks)
            assert 0 < session.estimated_minutes <= LONGEST_SESSION_MINUTES
            assert session.estimated_minutes >= warm.warm_up_minutes + warm.cool_down_minutes
            assert session.day - sessions.first_day == timedelta(days=session.offset)
            if strength & set(session.main_slugs):
                strength_dates.append(session.day)
    # Strength never on two days in a row, also from one week to the next.
    assert all(not _adjacent(a, b) for a, b in itertools.pairwise(strength_dates))


@pytest.mark.parametrize("busiest", range(1, 8))
@pytest.mark.parametrize("strength", [1, 2, 3])
def test_strength_days_are_apart_whatever_the_other_frequencies(busiest, strength):
    days = item_days([("walk", "aerobic", busiest), ("row", "resistance", strength), ("squat", "resistance", 2)])
    strength_days = sorted(set(days["row"]) | set(days["squat"]))

    assert len(days["walk"]) == busiest
    assert len(days["row"]) == strength
    assert all(later - earlier >= 2 for earlier, later in itertools.pairwise(strength_days))
    assert strength_days[0] == 0
    assert strength_days[-1] <= 5


def test_daily_items_are_on_every_day_and_others_nest_into_the_busiest_days():
    days = item_days([("stretch", "flexibility", 7), ("walk", "aerobic", 3), ("balance", "neuromotor", 3)])

    assert days["stretch"] == tuple(range(7))
    assert len(days["walk"]) == len(days["balance"]) == 3


def test_three_a_week_fall_on_the_first_third_and_fifth_day():
    assert item_days([("walk", "aerobic", 3), ("row", "resistance", 3)]) == {"walk": (0, 2, 4), "row": (0, 2, 4)}


def test_the_days_are_the_same_every_time():
    entries = [("a", "aerobic", 5), ("b", "resistance", 2), ("c", "flexibility", 3), ("d", "neuromotor", 4)]
    assert item_days(entries) == item_days(list(entries))


def test_a_session_runs_warm_up_balance_strength_aerobic_stretching_cool_down():
    plan = build_plan(motivating_case_profile())
    sessions = week_sessions(plan, 1, MONDAY).sessions
    components = [entry.component for session in sessions for entry in session.main]
    assert {"resistance", "aerobic", "flexibility", "neuromotor"} <= set(components)
    for session in sessions:
        order = [entry.component for entry in session.main]
        assert order == sorted(order, key=("neuromotor", "resistance", "aerobic", "flexibility").index)


def test_with_heart_or_lung_monitoring_warm_up_and_cool_down_last_ten_minutes_and_five_otherwise():
    monitored = build_plan(motivating_case_profile())
    cleared = build_plan(build_profile())

    first = week_sessions(monitored, 1, MONDAY).sessions[0]
    assert sum(e.minutes for e in first.warm_up) == 10 == sum(e.minutes for e in first.cool_down)
    assert week_sessions(monitored, 1, MONDAY).rules[0].evidence == "G"
    other = week_sessions(cleared, 1, MONDAY).sessions[0]
    assert sum(e.minutes for e in other.warm_up) == 5 == sum(e.minutes for e in other.cool_down)
    assert week_sessions(cleared, 1, MONDAY).rules[0].evidence == "D"


def test_without_library_warm_up_movements_the_plans_walking_at_an_easy_pace_warms_up():
    plan = build_plan(motivating_case_profile())
    aerobic = next(item for item in plan.items if item.component == "aerobic")
    session = week_sessions(plan, 1, MONDAY).sessions[0]

    assert [(e.slug, e.easy) for e in session.warm_up] == [(aerobic.slug, True)]
    assert session.cool_down[-1].name == "Slow breathing"


def test_library_movements_marked_for_warm_up_and_cool_down_are_used_when_allowed(library):
    plan = build_plan(build_profile())
    session = week_sessions(plan, 1, MONDAY, catalogue=library).sessions[0]
    marked = {spec.slug: spec for spec in library if getattr(spec, "session_roles", ())}
    in_plan = {item.slug for item in plan.items}

    mobility = [e for e in session.warm_up if not e.easy]
    assert mobility, "an allowed warm-up movement from the library"
    assert all("warm_up" in marked[e.slug].session_roles and e.slug not in in_plan for e in mobility)
    assert "cool_down" in marked[session.cool_down[-1].slug].session_roles


def test_without_an_aerobic_item_a_library_movement_at_an_easy_pace_warms_up(library):
    plan = build_plan(build_profile())
    aerobic = {item.slug for item in plan.items if item.component == "aerobic"}
    plan = replace(
        plan,
        items=tuple(item for item in plan.items if item.slug not in aerobic),
        weeks=tuple(
            replace(week, doses=tuple(d for d in week.doses if d.exercise_slug not in aerobic)) for week in plan.weeks
        ),
    )
    session = week_sessions(plan, 1, MONDAY, catalogue=library).sessions[0]
    easy = session.warm_up[0]

    assert easy.easy
    assert "warm_up" in next(spec for spec in library if spec.slug == easy.slug).session_roles
    assert week_sessions(plan, 1, MONDAY).sessions[0].warm_up[0].name == "Gentle movement"


def test_time_is_the_sum_of_the_doses():
    plan = build_plan(build_profile())
    rules = default_session_rules()
    strength = next(item for item in plan.items if item.component == "resistance")
    dose = replace(strength.dose, sets=2, reps=10)

    expected = 2 * 10 * rules.seconds_per_rep + rules.rest_between_sets_seconds + rules.setup_seconds_per_exercise
    assert estimate_seconds(dose) == pytest.approx(expected)
    session = week_sessions(plan, 1, MONDAY).sessions[0]
    total = sum(entry.minutes for entry in session.entries)
    assert session.estimated_minutes - 1 < total <= session.estimated_minutes

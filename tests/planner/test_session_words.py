"""The patient's words for a weekly change, a session and the growth outline (planner.session_words)."""

from dataclasses import replace

from planner.schedule import build_plan
from planner.session_words import ItemChange, change_items, change_note, growth_outline
from tests.planner.conftest import motivating_case_profile

PLAN = build_plan(motivating_case_profile())
WALK = next(item for item in PLAN.items if item.component == "aerobic")
ROW = next(item for item in PLAN.items if item.component == "resistance")


def walking(before: float, after: float, direction: str | None = "up") -> ItemChange:
    variable = "minutes" if direction else None
    return ItemChange(
        "Walking", replace(WALK.dose, minutes=before), replace(WALK.dose, minutes=after), variable, direction
    )


def test_a_green_week_says_what_went_up_and_why():
    lines = change_note("advance", ["progression.decision.green_advance"], [walking(15, 20)])

    assert lines == ("Your walking goes up from 15 to 20 minutes because last week went well.",)


def test_a_held_week_says_why_it_is_held():
    lines = change_note("hold", ["progression.decision.amber_hold"], [walking(15, 15, None)])

    assert lines == ("This week everything stays the same because last week's pain was a little higher than we want.",)


def test_an_eased_week_says_what_came_down_and_why():
    row = ItemChange("Band row", replace(ROW.dose, reps=12), replace(ROW.dose, reps=10), "reps", "down")
    lines = change_note("regress", ["progression.decision.red_regress"], [walking(15, 13, "down"), row])

    assert lines[0] == "Your walking eases back from 15 to 13 minutes because last week's pain was too high."
    assert lines[1] == "Your band row eases back from 12 to 10 repetitions because last week's pain was too high."


def test_in_a_green_week_an_item_held_for_its_own_reason_says_so_and_the_rest_stays():
    held = ItemChange("Band row", ROW.dose, ROW.dose, None, None, "Held: Done in 1 session(s) this week; at least 2.")
    stays = ItemChange("Calf stretch", ROW.dose, ROW.dose, None, None, "Held: no variable is due")
    lines = change_note("advance", ["progression.decision.green_advance"], [walking(15, 16), held, stays])

    assert lines == (
        "Your walking goes up from 15 to 16 minutes because last week went well.",
        "Your band row stays the same because it was done in fewer sessions than planned last week.",
        "Everything else stays the same.",
    )


def test_a_pause_says_not_to_exercise():
    (line,) = change_note("pause_for_review", ["progression.decision.red_flag_pause"], [walking(15, 15, None)])

    assert "paused" in line
    assert "do not exercise" in line


def test_items_are_read_from_a_stored_decision_in_plan_order():
    changes = {WALK.slug: {"variable": "minutes", "direction": "up", "text": "Advance"}}
    before = {WALK.slug: WALK.dose, ROW.slug: ROW.dose}
    after = {WALK.slug: replace(WALK.dose, minutes=WALK.dose.minutes + 1), ROW.slug: ROW.dose}
    items = change_items({WALK.slug: "Walking", ROW.slug: "Row"}, changes, before, after)

    assert [(i.name, i.variable, i.direction) for i in items] == [("Walking", "minutes", "up"), ("Row", None, None)]


def test_the_outline_gives_a_pace_and_where_it_may_reach_not_a_number_per_week():
    text = growth_outline(WALK, PLAN, 2)

    assert text.startswith("After next week, while it feels fine:")
    assert "minutes" in text
    assert "up to" in text
    assert "week 3" not in text.lower()

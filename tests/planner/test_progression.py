"""The weekly progression decision, by example. No database: the planner is plain Python."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from planner.growth import allowed_volume, weekly_volume
from planner.limits import check_dose
from planner.progression import (
    CheckInSignal,
    ItemReport,
    ItemState,
    StrengthSignal,
    decide_progression,
    next_week_context,
)
from planner.progression_rules import (
    DEFAULT_PROGRESSION_RULES,
    ProgressionConfigError,
    adjust_config,
    default_progression_config,
    progression_config_from_data,
)
from planner.rules import default_rulebook
from planner.types import EVIDENCE_TAGS, Dose, Intensity
from tests.planner.progression_builders import (
    FIRST_MONDAY,
    checkin,
    context,
    item_of,
    plan_for,
    states,
    week_of_checkins,
)

LIMITS = plan_for()[0]
AEROBIC = item_of("aerobic")
RESISTANCE = item_of("resistance")
FLEXIBILITY = item_of("flexibility")
SLUGS = (AEROBIC.slug, RESISTANCE.slug)


def _time_fields(dose):
    return (dose.frequency_per_week, dose.minutes, dose.sets, dose.reps, dose.hold_seconds)


def two_items_context(**overrides):
    return context(states(AEROBIC, RESISTANCE), **overrides)


def rule_ids(decision) -> set[str]:
    return {reason.rule.id for reason in decision.reasons}


def item(decision, slug):
    return next(entry for entry in decision.items if entry.slug == slug)


def run_weeks(week_overrides, ctx=None, strength=()):
    """Decide each week in turn (week_overrides: one dict of check-in overrides per week, or None for no
    check-ins); returns the decisions."""
    ctx = ctx or two_items_context()
    decisions = []
    for overrides in week_overrides:
        week = () if overrides is None else week_of_checkins(ctx.week, SLUGS, **overrides)
        decision = decide_progression(ctx, week, LIMITS, strength)
        decisions.append(decision)
        ctx = next_week_context(ctx, decision)
    return decisions, ctx


# --- advancing ---------------------------------------------------------------------------------


def test_three_good_weeks_advance_one_variable_at_a_time_within_the_cap():
    decisions, ctx = run_weeks([{}, {}, {}])

    assert [d.action for d in decisions] == ["advance", "advance", "advance"]
    assert [d.light for d in decisions] == ["green", "green", "green"]
    minutes = [AEROBIC.dose.minutes] + [item(d, AEROBIC.slug).dose.minutes for d in decisions]
    assert minutes == sorted(minutes)
    assert minutes[-1] > minutes[0]
    assert all(float(m).is_integer() for m in minutes)  # whole minutes a patient can follow
    assert all(item(d, AEROBIC.slug).changed_variable == "minutes" for d in decisions)
    # Resistance starts with repetitions, one at a time (clinical-reference 8d: reps, sets, days, load).
    assert [item(d, RESISTANCE.slug).changed_variable for d in decisions] == ["reps", "reps", "reps"]
    assert ctx.items[1].dose.reps == RESISTANCE.dose.reps + 3
    history = {slug: [dose] for slug, dose in ((AEROBIC.slug, AEROBIC.dose), (RESISTANCE.slug, RESISTANCE.dose))}
    for decision in decisions:
        for entry in decision.items:
            assert weekly_volume(entry.dose) <= allowed_volume(history[entry.slug], LIMITS.weekly_progression_max_pct)
            assert check_dose(entry.dose, LIMITS) == []
            history[entry.slug].append(entry.dose)


def test_an_advance_names_the_green_findings_and_the_check_ins_behind_them():
    decision = decide_progression(two_items_context(), week_of_checkins(1, SLUGS), LIMITS)

    assert decision.reasons[0].rule.id == "progression.decision.green_advance"
    assert {
        "progression.pain.green_max",
        "progression.pain.morning_baseline",
        "progression.adherence.min_share",
        "progression.rpe.above_target",
    } <= rule_ids(decision)
    pain = next(r for r in decision.reasons if r.rule.id == "progression.pain.green_max")
    assert pain.checkin_ids == (100, 101, 102)
    assert decision.sessions_done == 3
    assert not decision.review_required
    assert not decision.remind_patient


def test_a_changed_value_carries_the_rules_behind_it():
    decision = decide_progression(two_items_context(), week_of_checkins(1, SLUGS), LIMITS)
    walking = item(decision, AEROBIC.slug)

    ids = {rule.id for rule in walking.dose.rules_for("time")}
    assert {"progression.decision.green_advance", "dose.aerobic.time_first"} <= ids
    assert {rule.id for rule in walking.rules} >= {
        "progression.decision.green_advance",
        "baseline.weekly_progression_10pct",
    }
    assert "growth.cap_window_3_weeks" in {rule.id for rule in walking.dose.rules_for("volume")}
    start = int(AEROBIC.dose.minutes)
    assert walking.text == f"Advance: minutes per session {start} -> {int(walking.dose.minutes)}."


# --- pain flare: amber holds, red regresses, then hold, then climb back --------------------------


def test_a_pain_flare_holds_on_amber_and_regresses_on_red():
    decisions, _ = run_weeks([{}, {"pain_during": 4, "pain_after": 5}, {"pain_after": 7, "pain_next_morning": 5}])
    green, amber, red = decisions

    assert (amber.action, amber.light) == ("hold", "amber")
    assert amber.reasons[0].rule.id == "progression.decision.amber_hold"
    assert all(entry.dose == entry.previous and entry.changed_variable is None for entry in amber.items)

    assert (red.action, red.light) == ("regress", "red")
    assert {
        "progression.decision.red_regress",
        "progression.pain.amber_max",
        "progression.pain.morning_not_settled",
    } <= (rule_ids(red))
    # A red week takes back exactly the step that last grew: its reverse.
    for slug, start in ((AEROBIC.slug, AEROBIC.dose), (RESISTANCE.slug, RESISTANCE.dose)):
        back = item(red, slug)
        assert back.direction == "down"
        assert back.changed_variable == item(green, slug).changed_variable
        assert _time_fields(back.dose) == _time_fields(start)
        assert back.held_dose == back.previous


def test_after_a_regression_the_plan_holds_then_climbs_back_to_the_held_dose():
    flare = {"pain_after": 7}
    decisions, _ctx = run_weeks([{}, flare, {}, {}])
    first, regress, hold, climb = decisions

    assert regress.action == "regress"
    assert hold.action == "hold"
    assert rule_ids(hold) == {"progression.regress.hold_after"}
    assert climb.action == "advance"
    walking = item(climb, AEROBIC.slug)
    assert walking.changed_variable == "minutes"
    assert walking.dose.minutes == item(first, AEROBIC.slug).dose.minutes
    assert "progression.dose.return_to_held" in {rule.id for rule in walking.rules}
    assert walking.held_dose is None  # back at the held dose: normal progression from here


def test_the_hold_after_a_regression_lasts_as_long_as_configured():
    config = adjust_config(default_progression_config(), {"hold_after_regress_weeks": 2}, reason="Slow flares")
    ctx = two_items_context()
    actions = []
    for overrides in ({"pain_after": 7}, {}, {}, {}):
        decision = decide_progression(ctx, week_of_checkins(ctx.week, SLUGS, **overrides), LIMITS, config=config)
        actions.append(decision.action)
        ctx = next_week_context(ctx, decision)
    assert actions == ["regress", "hold", "hold", "advance"]


def test_regression_reduces_intensity_when_the_time_is_at_its_minimum_bout():
    at_floor = dataclasses.replace(AEROBIC.dose, minutes=10.0)
    state = ItemState(AEROBIC.slug, at_floor, AEROBIC.progression)
    decision = decide_progression(context((state,)), week_of_checkins(1, SLUGS, pain_after=8), LIMITS)
    walking = decision.items[0]

    assert walking.changed_variable == "intensity"
    assert walking.dose.minutes == 10.0
    assert walking.dose.intensity_in("pct_hrr") == Intensity("pct_hrr", 30, 33)
    assert walking.dose.intensity_in("hr_bpm").high < AEROBIC.dose.intensity_in("hr_bpm").high
    assert check_dose(walking.dose, LIMITS) == []


def test_regression_never_goes_below_the_floors():
    floor_dose = dataclasses.replace(FLEXIBILITY.dose, frequency_per_week=1, sets=1, hold_seconds=10)
    state = ItemState(FLEXIBILITY.slug, floor_dose, FLEXIBILITY.progression)
    decision = decide_progression(context((state,)), week_of_checkins(1, (FLEXIBILITY.slug,), pain_after=8), LIMITS)

    assert decision.action == "regress"
    stretch = decision.items[0]
    assert stretch.dose == floor_dose
    assert stretch.changed_variable is None
    assert "progression.dose.regress_floor" in {rule.id for rule in stretch.rules}


# --- holds -------------------------------------------------------------------------------------


def test_no_check_ins_hold_and_remind_the_patient():
    decision = decide_progression(two_items_context(), (), LIMITS)

    assert (decision.action, decision.light) == ("hold", None)
    assert decision.remind_patient
    assert rule_ids(decision) == {"progression.decision.no_checkins_hold"}
    assert all(entry.dose == entry.previous for entry in decision.items)


def test_without_any_next_morning_pain_the_week_is_not_green():
    decision = decide_progression(two_items_context(), week_of_checkins(1, SLUGS, pain_next_morning=None), LIMITS)

    assert (decision.action, decision.light) == ("hold", None)
    assert "progression.decision.missing_data_hold" in rule_ids(decision)
    assert not decision.remind_patient


def test_one_next_morning_score_is_enough_when_the_others_are_not_in_yet():
    week = week_of_checkins(1, SLUGS, pain_next_morning=None)
    week = (dataclasses.replace(week[0], pain_next_morning=2), *week[1:])
    assert decide_progression(two_items_context(), week, LIMITS).action == "advance"


def test_without_pain_scores_or_effort_ratings_the_plan_holds():
    no_pain = decide_progression(
        two_items_context(), week_of_checkins(1, SLUGS, pain_during=None, pain_after=None), LIMITS
    )
    no_rpe = decide_progression(two_items_context(), week_of_checkins(1, SLUGS, session_rpe=None), LIMITS)

    assert (no_pain.action, no_pain.light) == ("hold", None)
    assert (no_rpe.action, no_rpe.light) == ("hold", "green")
    assert "progression.decision.missing_data_hold" in rule_ids(no_rpe)


def test_too_few_sessions_done_holds():
    week = week_of_checkins(1, SLUGS)
    skipped = tuple(ItemReport(slug, False) for slug in SLUGS)
    week = (week[0], *(dataclasses.replace(c, items=skipped) for c in week[1:]))
    decision = decide_progression(two_items_context(), week, LIMITS)

    assert decision.action == "hold"
    assert decision.sessions_done == 1
    adherence = next(r for r in decision.reasons if r.rule.id == "progression.adherence.min_share")
    assert adherence.text == "Only 1 of 3 planned sessions done (at least 2/3 needed)."


def test_effort_above_target_holds():
    decision = decide_progression(two_items_context(), week_of_checkins(1, SLUGS, session_rpe=14), LIMITS)

    assert (decision.action, decision.light) == ("hold", "green")
    assert "progression.rpe.above_target" in rule_ids(decision)


@pytest.mark.parametrize(
    ("previous_mean", "expected"),
    [(1.5, ("advance", "green")), (1.0, ("hold", "amber")), (0.0, ("regress", "red"))],
)
def test_a_week_on_week_rise_in_mean_pain_holds_or_regresses(previous_mean, expected):
    decision = decide_progression(
        two_items_context(previous_mean_pain=previous_mean), week_of_checkins(1, SLUGS), LIMITS
    )
    assert (decision.action, decision.light) == expected
    assert decision.mean_pain == 2.0


@pytest.mark.parametrize(("morning", "light"), [(2, "green"), (3, "amber"), (4, "red")])
def test_next_morning_pain_must_settle_to_baseline(morning, light):
    decision = decide_progression(two_items_context(), week_of_checkins(1, SLUGS, pain_next_morning=morning), LIMITS)
    assert decision.light == light


def test_an_item_not_done_or_not_completed_holds_while_the_others_advance():
    week = week_of_checkins(1, SLUGS)
    short = (ItemReport(AEROBIC.slug, True), ItemReport(RESISTANCE.slug, True, sets=1, reps=6))
    week = tuple(dataclasses.replace(c, items=short) for c in week)
    decision = decide_progression(two_items_context(week=2), week, LIMITS)

    assert decision.action == "advance"
    assert item(decision, AEROBIC.slug).changed_variable == "minutes"
    band = item(decision, RESISTANCE.slug)
    assert band.changed_variable is None
    assert band.text == "Held: The planned dose was not completed in 3 sessions."
    assert {rule.id for rule in band.rules} == {"progression.dose.item_completed"}


def test_a_session_logged_without_exercise_detail_counts_for_every_item():
    week = week_of_checkins(1, ("_session",))
    decision = decide_progression(two_items_context(), week, LIMITS)

    assert decision.action == "advance"
    assert item(decision, AEROBIC.slug).changed_variable == "minutes"


def test_an_item_reported_skipped_holds_although_the_session_was_done():
    reports = (ItemReport(AEROBIC.slug, True), ItemReport(RESISTANCE.slug, False))
    week = tuple(dataclasses.replace(c, items=reports) for c in week_of_checkins(1, SLUGS))
    decision = decide_progression(two_items_context(week=2), week, LIMITS)

    assert item(decision, AEROBIC.slug).changed_variable == "minutes"
    assert item(decision, RESISTANCE.slug).text == "Held: Done in 0 session(s) this week; at least 2 needed."


# --- strength and function ----------------------------------------------------------------------


def strength_results(kind, *values):
    return tuple(
        StrengthSignal(kind, FIRST_MONDAY - timedelta(weeks=4 * (len(values) - n)), v) for n, v in enumerate(values)
    )


@pytest.mark.parametrize(
    ("kind", "values", "rule_id"),
    [
        ("grip_left_kg", (22, 16), "progression.strength.grip_left_drop"),
        ("chair_stand_30s", (12, 10), "progression.strength.chair_stand_drop"),
        ("six_minute_walk_m", (400, 382), "progression.strength.six_minute_walk_drop"),
        ("mmt8_total", (70, 66), "progression.strength.mmt8_drop"),
        ("mmt8_total", (70, 68, 66), "progression.strength.mmt8_drop"),  # a slow drift, against the first test
        ("fi3_shoulder_flexion", (30, 24), "progression.strength.fi3_shoulder_drop"),
        ("tug_seconds", (9.0, 10.5), "progression.strength.tug_slower"),
    ],
)
def test_a_strength_drop_beyond_measurement_error_holds_and_asks_for_review(kind, values, rule_id):
    decision = decide_progression(
        two_items_context(), week_of_checkins(1, SLUGS), LIMITS, strength_results(kind, *values)
    )

    assert decision.action == "hold"
    assert decision.light == "green"
    assert decision.review_required
    assert {"progression.decision.strength_hold_review", rule_id} <= rule_ids(decision)
    assert all(entry.dose == entry.previous for entry in decision.items)


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("grip_left_kg", (22, 18)),
        ("six_minute_walk_m", (400, 385)),
        ("mmt8_total", (70, 67)),
        ("tug_seconds", (10.5, 9.0)),  # lower is better: faster is not a drop
        ("grip_right_kg", (16, 30)),
    ],
)
def test_changes_within_measurement_error_or_improvements_still_advance(kind, values):
    decision = decide_progression(
        two_items_context(), week_of_checkins(1, SLUGS), LIMITS, strength_results(kind, *values)
    )

    assert decision.action == "advance"
    assert not decision.review_required
    assert "progression.decision.strength_hold_review" in rule_ids(decision)  # cited as "stable"


def test_tug_is_lower_is_better():
    slower = decide_progression(
        two_items_context(), week_of_checkins(1, SLUGS), LIMITS, strength_results("tug_seconds", 9, 12)
    )
    faster = decide_progression(
        two_items_context(), week_of_checkins(1, SLUGS), LIMITS, strength_results("tug_seconds", 12, 9)
    )

    assert (slower.action, slower.review_required) == ("hold", True)
    review = next(r for r in slower.reasons if r.rule.id == "progression.strength.tug_slower")
    assert "slower by 3 s" in review.text
    assert (faster.action, faster.review_required) == ("advance", False)


def test_a_strength_drop_on_a_red_week_still_regresses_and_asks_for_review():
    decision = decide_progression(
        two_items_context(), week_of_checkins(1, SLUGS, pain_after=8), LIMITS, strength_results("grip_left_kg", 22, 10)
    )
    assert (decision.action, decision.review_required) == ("regress", True)


# --- pause for review ----------------------------------------------------------------------------


def test_any_red_flag_pauses_for_review_and_leaves_the_doses_alone():
    week = week_of_checkins(1, SLUGS)
    week = (*week[:2], dataclasses.replace(week[2], red_flags=("chest_pain",)))
    decision = decide_progression(two_items_context(), week, LIMITS)

    assert decision.action == "pause_for_review"
    assert decision.review_required
    assert decision.reasons[0].rule.id == "progression.decision.red_flag_pause"
    assert decision.reasons[0].checkin_ids == (102,)
    assert "Chest pain or pressure" in decision.reasons[0].text
    assert all(entry.dose == entry.previous and entry.changed_variable is None for entry in decision.items)


def test_a_red_flag_reported_alone_pauses_too():
    report = CheckInSignal(7, date(2026, 1, 6), planned_session=False, red_flags=("dark_urine",))
    assert decide_progression(two_items_context(), (report,), LIMITS).action == "pause_for_review"


def test_two_red_weeks_in_a_row_pause_for_review():
    decisions, _ = run_weeks([{"pain_after": 7}, {"pain_after": 7}])

    assert [d.action for d in decisions] == ["regress", "pause_for_review"]
    assert decisions[1].reasons[0].rule.id == "progression.decision.two_red_weeks_pause"
    assert decisions[1].review_required


def test_a_red_week_after_an_empty_week_is_not_two_in_a_row():
    decisions, _ = run_weeks([{"pain_after": 7}, None, {"pain_after": 7}])
    assert [d.action for d in decisions] == ["regress", "hold", "regress"]


# --- limits last, determinism, plumbing ----------------------------------------------------------


def test_a_dose_above_the_limits_comes_back_clamped_even_when_held():
    too_hard = dataclasses.replace(
        AEROBIC.dose, intensity=(Intensity("pct_hrr", 50, LIMITS.aerobic.max_hrr_pct + 15), *AEROBIC.dose.intensity[1:])
    )
    state = ItemState(AEROBIC.slug, too_hard, AEROBIC.progression)
    decision = decide_progression(context((state,)), (), LIMITS)

    assert decision.action == "hold"
    assert check_dose(decision.items[0].dose, LIMITS) == []
    assert decision.items[0].dose.intensity_in("pct_hrr").high == LIMITS.aerobic.max_hrr_pct


def test_the_order_of_check_ins_does_not_change_the_decision():
    week = week_of_checkins(1, SLUGS, pain_after=4)
    ctx = two_items_context(previous_mean_pain=1.0)
    assert decide_progression(ctx, week, LIMITS) == decide_progression(ctx, tuple(reversed(week)), LIMITS)


def test_next_week_context_carries_the_decision_forward():
    ctx = two_items_context(previous_mean_pain=2.0)
    regress = decide_progression(ctx, week_of_checkins(1, SLUGS, pain_after=7), LIMITS)
    after_regress = next_week_context(ctx, regress, sessions_planned=4)
    empty = decide_progression(after_regress, (), LIMITS)
    after_empty = next_week_context(after_regress, empty)

    assert after_regress.week == regress.week == 2
    assert after_regress.sessions_planned == 4
    assert (after_regress.previous_light, after_regress.previous_action) == ("red", "regress")
    assert after_regress.previous_mean_pain == regress.mean_pain
    assert after_regress.weeks_since_regression == 1
    assert after_regress.items[1].held_dose == RESISTANCE.dose
    assert after_regress.items[1].dose == item(regress, RESISTANCE.slug).dose
    # An empty week keeps the last known mean pain, to measure the next rise against.
    assert after_empty.previous_mean_pain == regress.mean_pain
    assert after_empty.weeks_since_regression == 2


def test_decision_lists_new_doses_and_changed_variables_per_item():
    decision = decide_progression(two_items_context(), week_of_checkins(1, SLUGS), LIMITS)

    assert [slug for slug, _ in decision.new_doses] == list(SLUGS)
    assert dict(decision.changed_variables) == {AEROBIC.slug: "minutes", RESISTANCE.slug: "reps"}
    assert {rule.id for rule in decision.rules} >= {"progression.decision.green_advance"}


@pytest.mark.parametrize(
    "bad",
    [
        {"pain_during": 11},
        {"pain_after": -1},
        {"pain_next_morning": True},
        {"session_rpe": 5},
        {"red_flags": ("headache",)},
        {"items": (ItemReport("a", True), ItemReport("a", False))},
    ],
)
def test_invalid_check_ins_are_refused(bad):
    with pytest.raises(ValueError, match=r"\S"):
        checkin(1, FIRST_MONDAY, **bad)


def test_invalid_strength_results_and_contexts_are_refused():
    with pytest.raises(ValueError, match="unknown measure"):
        StrengthSignal("bench_press", FIRST_MONDAY, 50)
    with pytest.raises(ValueError, match="grip_left_kg"):
        StrengthSignal("grip_left_kg", FIRST_MONDAY, 400)
    with pytest.raises(ValueError, match="previous_light"):
        two_items_context(previous_light="purple")
    with pytest.raises(ValueError, match="previous_mean_pain"):
        two_items_context(previous_mean_pain=12.0)


def test_red_flags_are_kept_in_vocabulary_order_without_duplicates():
    signal = checkin(1, FIRST_MONDAY, red_flags=("fever", "chest_pain", "fever"))
    assert signal.red_flags == ("chest_pain", "fever")


# --- rule data -----------------------------------------------------------------------------------


def test_default_rule_data_is_complete_tagged_and_unique():
    config = default_progression_config()
    rules = config.all_rules()
    ids = [rule.id for rule in rules]

    assert len(ids) == len(set(ids))
    assert all(rule.evidence in EVIDENCE_TAGS and rule.text and rule.source for rule in rules)
    assert (config.pain_green_max, config.pain_amber_max) == (3, 5)
    assert str(config.adherence_min) == "2/3"
    assert {t.measure: (t.min_drop, t.min_drop_pct) for t in config.strength}["six_minute_walk_m"] == (17.8, None)
    assert config.rule("pain_amber_max").evidence == "R"
    assert config.threshold_for("grip_left_kg").rule.evidence == "R"


def test_progression_rule_ids_do_not_collide_with_the_rulebook():
    progression_ids = {rule.id for rule in default_progression_config().all_rules()}
    assert progression_ids.isdisjoint(rule.id for rule in default_rulebook().all_rules())


def test_every_reason_cites_a_rule_from_the_rule_data_or_the_limits():
    known = {rule.id for rule in default_progression_config().all_rules()} | {rule.id for rule in LIMITS.rules}
    decisions, _ = run_weeks([{}, {"pain_after": 4}, {"pain_after": 7}, {}, {}, None])
    for decision in decisions:
        assert decision.reasons
        assert {reason.rule.id for reason in decision.reasons} <= known


def test_a_clinic_can_change_a_cut_point_and_the_change_is_recorded():
    config = adjust_config(default_progression_config(), {"pain_green_max": 2}, reason="Flare-prone", author="dr-k")
    decision = decide_progression(two_items_context(), week_of_checkins(1, SLUGS, pain_after=3), LIMITS, config=config)

    assert (decision.action, decision.light) == ("hold", "amber")
    cited = next(r.rule for r in decision.reasons if r.rule.id == "clinician.progression.pain_green_max")
    assert cited.evidence == "C"
    assert cited.source == "Clinician adjustment by dr-k"
    assert "Flare-prone" in cited.text


@pytest.mark.parametrize(
    ("changes", "reason", "field"),
    [
        ({"pain_green_max": 6}, "why", "pain_green_max"),
        ({"adherence_min": "3/2"}, "why", "adherence_min"),
        ({"regress_order": ["time", "load"]}, "why", "regress_order"),
        ({"unknown": 1}, "why", "unknown"),
        ({"pain_green_max": 2}, " ", "reason"),
    ],
)
def test_invalid_config_changes_are_refused_per_field(changes, reason, field):
    with pytest.raises(ProgressionConfigError) as error:
        adjust_config(default_progression_config(), changes, reason=reason)
    assert field in error.value.errors


def test_rule_data_with_a_missing_parameter_is_refused():
    data = {**DEFAULT_PROGRESSION_RULES, "parameters": dict(DEFAULT_PROGRESSION_RULES["parameters"])}
    del data["parameters"]["rpe_tolerance"]
    with pytest.raises(ProgressionConfigError) as error:
        progression_config_from_data(data)
    assert error.value.errors == {"rpe_tolerance": "missing"}


def test_a_dose_without_an_rpe_target_falls_back_to_the_limits_ceiling():
    stretch_only = context(states(FLEXIBILITY))
    week = week_of_checkins(1, (FLEXIBILITY.slug,), session_rpe=max(LIMITS.aerobic.max_rpe, LIMITS.resistance.max_rpe))
    assert decide_progression(stretch_only, week, LIMITS).action == "advance"


def test_a_hand_built_dose_progresses_like_a_prescribed_one():
    dose = Dose("aerobic", "minutes", 3, AEROBIC.dose.intensity, minutes=20.0)
    state = ItemState(AEROBIC.slug, dose, AEROBIC.progression)
    decision = decide_progression(context((state,)), week_of_checkins(1, (AEROBIC.slug,)), LIMITS)
    # 10 % of 20 minutes: two whole minutes fit under the cap in the first week.
    assert decision.items[0].dose.minutes == 22.0

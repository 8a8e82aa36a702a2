"""Properties of the weekly decision over random plans, limits and sequences of check-in weeks.

Random profiles give real limits and prescriptions; the starting doses are taken some weeks into the
schedule, and the limits may then be tightened (so that some doses start above them) and given a
random weekly cap. Each week has 0-5 check-ins with any value missing and the odd red flag.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.growth import allowed_volume, is_capped, weekly_volume
from planner.limits import apply_adjustments, check_dose, clamp_dose
from planner.progression import (
    CheckInSignal,
    ItemReport,
    ItemState,
    StrengthSignal,
    WeekContext,
    decide_progression,
    next_week_context,
)
from planner.schedule import schedule
from planner.types import Dose, LimitAdjustment, Profile
from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    INFLAMMATION_ACTIVITY,
    MEASURES,
    RED_FLAG_CODES,
)
from tests.planner.progression_builders import FIRST_MONDAY, plan_for

SEQUENCE_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CANONICAL = {"aerobic": "pct_hrr", "resistance": "pct_1rm"}


# --- strategies --------------------------------------------------------------------------------


@st.composite
def profiles(draw):
    return Profile(
        age=draw(st.integers(18, 95)),
        bone_fragility=draw(st.sampled_from(BONE_FRAGILITY)),
        vertebral_fracture=draw(st.booleans()),
        heterotopic_ossification_regions=draw(st.lists(st.sampled_from(BODY_REGIONS), max_size=3, unique=True)),
        inflammation_activity=draw(st.sampled_from(INFLAMMATION_ACTIVITY)),
        pain_at_rest=draw(st.integers(0, 10)),
        resting_hr=draw(st.integers(45, 100)),
        beta_blocker=draw(st.booleans()),
        cardiopulmonary_status=draw(st.sampled_from(CARDIOPULMONARY_STATUS)),
        sedentary=draw(st.booleans()),
    )


@st.composite
def plans(draw):
    """(limits, items as ItemStates, baseline pain): a real plan some weeks in, under possibly changed limits."""
    profile = draw(profiles())
    limits, items = plan_for(profile)
    chosen = draw(st.lists(st.sampled_from(range(len(items))), min_size=1, max_size=5, unique=True))
    items = tuple(items[index] for index in sorted(chosen))
    weeks_in = draw(st.integers(1, 10))
    doses = schedule(items, limits, weeks_in)[-1].doses
    adjustments = [
        LimitAdjustment("weekly_progression_max_pct", draw(st.sampled_from((1, 2.5, 5, 7.5, 10, 20))), reason="test")
    ]
    if draw(st.booleans()):
        adjustments.append(LimitAdjustment("aerobic.max_hrr_pct", draw(st.integers(30, limits.aerobic.max_hrr_pct))))
    if draw(st.booleans()):
        top = limits.resistance.max_pct_1rm
        adjustments.append(LimitAdjustment("resistance.max_pct_1rm", draw(st.integers(min(30, top), top))))
    if draw(st.booleans()):
        adjustments.append(
            LimitAdjustment("flexibility.max_hold_seconds", draw(st.integers(10, limits.flexibility.max_hold_seconds)))
        )
    limits = apply_adjustments(limits, adjustments)
    states = tuple(ItemState(item.slug, entry.dose, item.progression) for item, entry in zip(items, doses, strict=True))
    return limits, states, profile.pain_at_rest


def maybe(strategy):
    return st.none() | strategy


@st.composite
def good_week(draw, slugs, week):
    """Three complete check-ins with low pain: green unless the random context or limits say otherwise."""
    start = FIRST_MONDAY + timedelta(weeks=week - 1)
    return tuple(
        CheckInSignal(
            checkin_id=1000 * week + n,
            date=start + timedelta(days=2 * n),
            planned_session=True,
            items=tuple(ItemReport(slug, True) for slug in slugs),
            session_rpe=draw(st.integers(8, 12)),
            pain_during=draw(st.integers(0, 3)),
            pain_after=draw(st.integers(0, 3)),
            pain_next_morning=draw(st.integers(0, 3)),
        )
        for n in range(3)
    )


@st.composite
def random_week(draw, slugs, week):
    """0-5 check-ins in plan week `week`, any value missing, the odd red flag."""
    start = FIRST_MONDAY + timedelta(weeks=week - 1)
    pain = maybe(st.integers(0, 3) | st.integers(0, 10))
    result = []
    for n in range(draw(st.integers(0, 5))):
        reported = draw(st.lists(st.sampled_from(slugs), unique=True)) if draw(st.integers(0, 4)) else list(slugs)
        items = tuple(
            ItemReport(
                slug,
                draw(st.booleans() | st.just(True)),
                sets=draw(maybe(st.integers(1, 4))),
                reps=draw(maybe(st.integers(5, 20))),
                minutes=draw(maybe(st.integers(5, 60))),
            )
            for slug in reported
        )
        flags = draw(st.lists(st.sampled_from(RED_FLAG_CODES), max_size=2)) if draw(st.integers(0, 15)) == 0 else ()
        result.append(
            CheckInSignal(
                checkin_id=1000 * week + n,
                date=start + timedelta(days=n),
                planned_session=draw(st.booleans()),
                items=items,
                session_rpe=draw(maybe(st.integers(8, 13) | st.integers(6, 20))),
                pain_during=draw(pain),
                pain_after=draw(pain),
                pain_next_morning=draw(pain),
                red_flags=tuple(flags),
            )
        )
    return tuple(result)


@st.composite
def weeks_of_checkins(draw, slugs, week):
    # Half the weeks are good ones, so that advances, regressions and climbs back all happen.
    return draw(good_week(slugs, week) | random_week(slugs, week))


@st.composite
def strength_series(draw):
    if draw(st.integers(0, 3)):
        return ()
    code, _, _, low, high, _ = draw(st.sampled_from(MEASURES))
    values = draw(st.lists(st.integers(low, high), min_size=1, max_size=3))
    return tuple(StrengthSignal(code, FIRST_MONDAY - timedelta(weeks=4 * n), value) for n, value in enumerate(values))


@st.composite
def scenarios(draw):
    limits, states, baseline = draw(plans())
    context = WeekContext(
        week=draw(st.integers(1, 12)),
        sessions_planned=draw(st.integers(0, 5) | st.just(3)),
        baseline_pain=baseline,
        items=states,
        previous_light=draw(st.sampled_from((None, "green", "amber", "red"))),
        previous_mean_pain=draw(maybe(st.floats(0, 10))),
    )
    slugs = [state.slug for state in states]
    weeks = [draw(weeks_of_checkins(slugs, context.week + n)) for n in range(draw(st.integers(1, 8)))]
    return limits, context, weeks, draw(strength_series())


# --- helpers -----------------------------------------------------------------------------------


def changed_variables(before: Dose, after: Dose) -> set[str]:
    """The dose variables that differ; all intensity targets together count as one variable."""
    names = {f.name for f in fields(Dose)} - {"component", "dose_kind", "intensity", "rationale"}
    changed = {name for name in names if getattr(before, name) != getattr(after, name)}
    if before.intensity != after.intensity:
        changed.add("intensity")
    return changed


def refit_of(state: ItemState, variable: str) -> str | None:
    return next((step.refit for step in state.progression.steps if step.variable == variable), None)


def run(limits, context, weeks, strength):
    """Yield (context, week's check-ins, decision) for each week in turn."""
    for checkins in weeks:
        decision = decide_progression(context, checkins, limits, strength)
        yield context, checkins, decision
        context = next_week_context(context, decision)


# --- properties --------------------------------------------------------------------------------


@SEQUENCE_SETTINGS
@given(scenarios())
def test_no_dose_ever_exceeds_the_limits_or_the_windowed_growth_cap(scenario):
    limits, context, weeks, strength = scenario
    for week_context, _, decision in run(limits, context, weeks, strength):
        for state, entry in zip(week_context.items, decision.items, strict=True):
            assert check_dose(entry.dose, limits) == [], entry
            if is_capped(entry.dose.component) and entry.direction == "up":
                # The cap bounds the weekly volume averaged over its window (planner.growth).
                history = (*state.history, clamp_dose(state.dose, limits))
                assert weekly_volume(entry.dose) <= allowed_volume(history, limits.weekly_progression_max_pct)


@SEQUENCE_SETTINGS
@given(scenarios())
def test_red_weeks_missing_data_and_red_flags_never_advance(scenario):
    limits, context, weeks, strength = scenario
    for week_context, checkins, decision in run(limits, context, weeks, strength):
        flagged = any(c.red_flags for c in checkins)
        if flagged:
            assert decision.action == "pause_for_review"
            assert decision.review_required
            assert any(r.rule.id == "progression.decision.red_flag_pause" for r in decision.reasons)
        if decision.light == "red":
            assert decision.action in ("regress", "pause_for_review")
        if decision.light == "red" and week_context.previous_light == "red":
            assert decision.action == "pause_for_review"
        if all(c.pain_next_morning is None for c in checkins):
            assert decision.light != "green"
        missing = (
            not checkins
            or all(c.pain_next_morning is None for c in checkins)
            or all(c.pain_during is None and c.pain_after is None for c in checkins)
            or all(c.session_rpe is None for c in checkins)
        )
        if missing:
            assert decision.action != "advance"
        assert decision.remind_patient == (not checkins)
        if decision.action == "advance":
            assert decision.light == "green"


@SEQUENCE_SETTINGS
@given(scenarios())
def test_at_most_one_variable_changes_per_item_and_only_in_the_action_direction(scenario):
    limits, context, weeks, strength = scenario
    for week_context, _, decision in run(limits, context, weeks, strength):
        for state, entry in zip(week_context.items, decision.items, strict=True):
            changed = changed_variables(clamp_dose(state.dose, limits), entry.dose)
            if entry.changed_variable is None:
                assert changed == set(), entry
                assert entry.direction is None
            else:
                assert entry.changed_variable in changed
                assert changed <= {entry.changed_variable, refit_of(state, entry.changed_variable)}
                assert entry.rules
            expected = {"advance": {None, "up"}, "regress": {None, "down"}}.get(decision.action, {None})
            assert entry.direction in expected


@SEQUENCE_SETTINGS
@given(scenarios())
def test_every_decision_is_explained_and_deterministic(scenario):
    limits, context, weeks, strength = scenario
    for week_context, checkins, decision in run(limits, context, weeks, strength):
        assert decision.reasons
        assert all(reason.rule.id and reason.text for reason in decision.reasons)
        known = {c.checkin_id for c in checkins}
        assert all(set(reason.checkin_ids) <= known for reason in decision.reasons)
        again = decide_progression(week_context, tuple(reversed(checkins)), limits, tuple(reversed(strength)))
        assert again == decision

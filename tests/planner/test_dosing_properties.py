"""Dosing v2 as properties of twelve weekly decisions over random profiles and green, amber and red weeks.

On green no dose shrinks and no item below its ceilings waits more than two weeks; no week is ever
above a limit; a red week takes back exactly the step that last grew (clinical-reference 3 and 8d).
"""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.growth import is_capped, weekly_volume
from planner.limits import check_dose, clamp_dose
from planner.progression import (
    AT_CEILINGS_TEXT,
    CheckInSignal,
    ItemReport,
    ItemState,
    StrengthSignal,
    WeekContext,
    decide_progression,
    next_week_context,
)
from planner.schedule import build_plan
from tests.planner.progression_builders import FIRST_MONDAY
from tests.planner.test_properties import LIBRARY, profiles

SEQUENCE_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PAIN = {"green": (1, 1, 1), "amber": (4, 4, 1), "red": (7, 7, 2)}
LIGHTS = st.sampled_from(("green", "green", "green", "amber", "red"))
# A hold is not a stall when the engine says why a step cannot come yet.
EXPLAINED_HOLDS = (AT_CEILINGS_TEXT, "Held: the next whole step is larger than")


def _week(week: int, light: str, slugs) -> list[CheckInSignal]:
    during, after, morning = PAIN[light]
    monday = FIRST_MONDAY + timedelta(weeks=week - 1)
    return [
        CheckInSignal(
            checkin_id=100 * week + n,
            date=monday + timedelta(days=n),
            planned_session=True,
            items=tuple(ItemReport(slug, True) for slug in slugs),
            session_rpe=11,
            pain_during=during,
            pain_after=after,
            pain_next_morning=morning,
        )
        for n in range(7)
    ]


def _decisions(profile, lights):
    plan = build_plan(profile, LIBRARY)
    context = WeekContext(
        week=1,
        sessions_planned=max((item.dose.frequency_per_week for item in plan.items), default=0),
        baseline_pain=profile.pain_at_rest,
        items=tuple(ItemState(item.slug, item.dose, item.progression) for item in plan.items),
    )
    strength = [StrengthSignal("mmt8_total", FIRST_MONDAY + timedelta(weeks=4 * n), 60) for n in range(4)]
    for week, light in enumerate(lights, start=1):
        decision = decide_progression(
            context, _week(week, light, [s.slug for s in context.items]), plan.limits, strength
        )
        yield plan, context, light, decision
        context = next_week_context(context, decision)


@SEQUENCE_SETTINGS
@given(profile=profiles(), lights=st.lists(LIGHTS, min_size=11, max_size=11))
def test_twelve_weeks_never_exceed_a_limit_never_shrink_on_green_and_never_stall(profile, lights):
    waited: dict[str, int] = {}
    for plan, context, light, decision in _decisions(profile, lights):
        states = {state.slug: state for state in context.items}
        for entry in decision.items:
            assert check_dose(entry.dose, plan.limits) == [], entry.text
            if light != "green" or decision.action not in ("advance", "hold"):
                waited[entry.slug] = 0
                continue
            assert weekly_volume(entry.dose) >= weekly_volume(entry.previous), entry.text
            explained = entry.text.startswith(EXPLAINED_HOLDS) or decision.action == "hold"
            unchanged = entry.dose == clamp_dose(states[entry.slug].dose, plan.limits)
            waited[entry.slug] = waited.get(entry.slug, 0) + 1 if unchanged and not explained else 0
            assert waited[entry.slug] <= 2, (entry.slug, entry.text)


@SEQUENCE_SETTINGS
@given(profile=profiles(), lights=st.lists(LIGHTS, min_size=11, max_size=11))
def test_a_red_week_takes_back_exactly_the_step_that_last_grew(profile, lights):
    for plan, context, _light, decision in _decisions(profile, lights):
        if decision.action != "regress":
            continue
        states = {state.slug: state for state in context.items}
        for entry in decision.items:
            if entry.direction != "down":
                continue
            assert entry.dose != entry.previous
            trail = [clamp_dose(dose, plan.limits) for dose in states[entry.slug].growth_trail]
            if not is_capped(entry.dose.component):
                if trail:  # exactly the last step back (one level of support, 5 s, one day ...)
                    assert _time(entry.dose) == _time(trail[-1])
                continue
            assert weekly_volume(entry.dose) < weekly_volume(entry.previous)
            # The dose is one the item had before a recent step (a step that added no volume is
            # taken back together with the one before it).
            lower = [dose for dose in trail if weekly_volume(dose) < weekly_volume(entry.previous)]
            if lower:
                assert _time(entry.dose) == _time(lower[-1])


def _time(dose):
    return (dose.frequency_per_week, dose.minutes, dose.sets, dose.reps, dose.hold_seconds)

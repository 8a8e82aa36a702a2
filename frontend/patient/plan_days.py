"""The plan, day by day, as the patient reads it: each exercise's card for the week of a day (dose,
effort, heart rate, days), grouped by kind, and the plan week's session days (the printed plan's)."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.text import capfirst
from django.utils.translation import gettext

from planner.documents import wording as words
from planner.limits import heart_rate_ceiling_only
from planner.session_words import session_line
from planner.sessions import week_sessions
from planner.types import Instructions
from rehab import selectors
from rehab.clinical import active_catalogue
from rehab.exercise_words import exercise_words
from rehab.models import Plan
from rehab.services.plans import engine_plan


@dataclass(frozen=True)
class ExerciseCard:
    """One exercise as the patient reads it for one day."""

    plan_item: object
    name: str
    kind: str
    dose: str
    effort: str
    heart_rate: str
    days: str
    times_a_week: int
    done_this_week: int
    due: bool
    instructions: Instructions


def effort_text(dose) -> str:
    """ "Very light to light, 9 to 11 on the 6 to 20 effort scale." or the by-feel guidance."""
    rpe = dose.intensity_in("rpe_6_20")
    if rpe is None:
        return words.effort_words(dose)
    low, high = words.borg_words(rpe.low), words.borg_words(rpe.high)
    said = low if low == high else gettext("%(low)s to %(high)s") % {"low": low, "high": high}
    span = str(rpe.low) if rpe.low == rpe.high else gettext("%(low)s to %(high)s") % {"low": rpe.low, "high": rpe.high}
    text = gettext("%(words)s, %(span)s on the 6 to 20 effort scale.") % {"words": capfirst(said), "span": span}
    if dose.component == "resistance":
        text += " " + gettext("Choose a band or weight that feels like this by the last repetition.")
    return text


def heart_rate_text(dose, limits) -> str:
    """The heart-rate zone in beats per minute, when the dose or the aerobic limits give one."""
    target = dose.intensity_in("hr_bpm")
    if target is not None:
        zone = (target.low, target.high)
    elif dose.component == "aerobic":
        zone = limits.aerobic.hr_zone_bpm
    else:
        zone = None
    if not zone:
        return ""
    if heart_rate_ceiling_only(limits):
        # An estimated maximum errs by 7-11 bpm: the top as a ceiling, and effort governs.
        return gettext("below %(high)s beats per minute (go by how it feels)") % {"high": zone[1]}
    return gettext("%(low)s to %(high)s beats per minute") % {"low": zone[0], "high": zone[1]}


def _week(plan: Plan, engine, day: date):
    """The engine's week for `day` (clamped to the plan) and the date it starts on."""
    number = min(max(plan.week_of(day), 1), len(engine.weeks))
    return engine.weeks[number - 1], plan.start_date + timedelta(days=7 * (number - 1))


def session_days(plan: Plan, engine, day: date) -> dict[str, tuple[date, ...]]:
    """Per exercise slug, its session days in the plan week of `day`.

    They are the printed plan's days (planner.sessions.week_sessions): the busiest exercise's days
    spread evenly, the others fitted into them, strength never on two days in a row. The page and the
    PDF always agree.
    """
    sessions = _week_sessions(plan, engine, day)
    return {item.slug: sessions.days_for(item.slug) for item in engine.items}


def _week_sessions(plan: Plan, engine, day: date, catalogue=()):
    week, first = _week(plan, engine, day)
    return week_sessions(engine, week.number, first, catalogue)


def todays_session(plan: Plan, engine, day: date):
    """Today's session in order (warm-up, 1, 2, 3 ..., cool-down) as the patient reads it, or None."""
    if not plan.covers(day):
        return None
    session = _week_sessions(plan, engine, day, active_catalogue()).session_on(day)
    return session_line(session) if session else None


def exercise_cards(plan: Plan, day: date, engine=None) -> list[ExerciseCard]:
    """Every exercise of the plan with its dose for the week of `day`, and whether it is due that day."""
    engine = engine or engine_plan(plan)
    week, first = _week(plan, engine, day)
    days_by_slug = session_days(plan, engine, day)
    plan_items = {item.exercise.slug: item for item in selectors.plan_items_with_exercises(plan)}
    done = selectors.items_done_between(plan, first, first + timedelta(days=6))
    cards = []
    for item in engine.items:
        plan_item = plan_items.get(item.slug)
        if plan_item is None:
            continue
        scheduled = week.dose_for(item.slug)
        dose = scheduled.dose if scheduled else item.dose
        days = days_by_slug[item.slug]
        # The library's words in the page's language (rehab.exercise_words), else its English.
        shown = exercise_words(item.slug, item.exercise.name, item.exercise.instructions)
        cards.append(
            ExerciseCard(
                plan_item=plan_item,
                name=shown.name,
                kind=words.kind_words(item.component),
                dose=words.dose_words(dose),
                effort=effort_text(dose),
                heart_rate=heart_rate_text(dose, engine.limits),
                days=words.weekday_list(days),
                times_a_week=dose.frequency_per_week,
                done_this_week=done.get(plan_item.pk, 0),
                due=day in days,
                instructions=shown.instructions,
            )
        )
    return cards


def exercise_groups(cards: list[ExerciseCard]) -> list[dict]:
    """Cards by kind (aerobic, strength, stretching, balance), in plan order. When every exercise
    of a kind has the same effort text it is said once for the group, not repeated on each card."""
    groups = []
    for kind, members in itertools.groupby(cards, key=lambda card: card.kind):
        members = list(members)
        efforts = {card.effort for card in members}
        shared = efforts.pop() if len(members) > 1 and len(efforts) == 1 else ""
        groups.append({"kind": kind, "cards": members, "shared_effort": shared})
    return groups


def next_session_day(plan: Plan, engine, after: date) -> date | None:
    for offset in range(1, 8):
        day = after + timedelta(days=offset)
        if not plan.covers(day):
            return None
        if any(day in days for days in session_days(plan, engine, day).values()):
            return day
    return None

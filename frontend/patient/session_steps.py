"""Today's session as steps to follow: warm-up, the main block in session order, cool-down.

The Today page lists these steps (one short line each, details one tap away) and the follow-along page
(frontend/patient/follow.py) walks through them one at a time. The order, the warm-up and the cool-down
come from the printed plan's sessions (planner.sessions.week_sessions), so the page, the follow-along
mode and the PDF always agree. The rest between sets and between holds is the session rules' estimate
(planner/data/rules_sessions.json "session.estimate": 2 minutes between sets, lower end of Garber 2011's
2-3 minutes; 10 s between holds, a design default), the same numbers the session time is estimated with.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from planner.documents import wording as words
from planner.session_words import lower_first
from planner.sessions import Session, SessionEntry, default_session_rules, week_sessions
from planner.types import Instructions

ROLE_WORDS = {"warm_up": "Warm-up", "main": "", "cool_down": "Cool-down"}
# The API route H-FIG's figures are served from (rehab/api/exercises.py); a missing one is simply hidden.
ILLUSTRATION_URL = "/api/v1/exercises/{slug}/illustration.svg"
# What to do in a warm-up or cool-down entry that is no library exercise (planner.sessions names them).
GENERIC_WORDS = {
    "Slow breathing": "Sit or lie comfortably. Breathe in slowly through your nose, and out even more slowly "
    "through your mouth.",
    "Gentle movement": "March slowly on the spot or in your chair, roll your shoulders and circle your ankles.",
}


@dataclass(frozen=True)
class Step:
    """One thing to do in today's session, as the follow-along mode needs it.

    role: "warm_up", "main" or "cool_down". number: 1, 2, 3 ... within the main block (0 otherwise).
    amount: the dose in a few words ("2 sets of 10 repetitions", "5 minutes at an easy pace").
    timing: "minutes" (one countdown of `seconds`), "hold" (`sets` holds of `seconds` each, `rest_seconds`
    between them) or "sets_reps" (`sets` sets of `reps`, `rest_seconds` between sets).
    card: the exercise card of a main-block step (effort, heart rate, days), None for a warm-up or
    cool-down step. plan_item_id: the plan item whose check-in row the step fills (main block only).
    """

    role: str
    number: int
    slug: str
    name: str
    amount: str
    timing: str
    seconds: int
    sets: int
    reps: int
    rest_seconds: int
    card: object | None
    plan_item_id: int | None
    instructions: Instructions | None
    picture_url: str
    picture_alt: str
    note: str = ""
    short: str = ""  # the amount in fewer words, for the Today list ("1 set of 12", "15 min")
    last_of_role: bool = False  # the last warm-up (or cool-down, main) step: the Today list's "; " stops

    @property
    def role_words(self) -> str:
        return ROLE_WORDS[self.role]

    @property
    def logged(self) -> bool:
        return self.plan_item_id is not None


def session_on(plan, engine, day: date, catalogue=()) -> Session | None:
    """The planner's session on `day` (None on a rest day or outside the plan)."""
    number = plan.week_of(day)
    if day < plan.start_date or number > min(plan.weeks, len(engine.weeks)):
        return None
    first = plan.start_date + timedelta(days=7 * (number - 1))
    return week_sessions(engine, number, first, catalogue).session_on(day)


def picture_alt(name: str, instructions: Instructions | None) -> str:
    """What the drawing shows, for a screen reader: the exercise and its movement in one sentence."""
    if instructions is None or not instructions.movement:
        return f"Drawing of {lower_first(name)}."
    first = instructions.movement.split(". ")[0].rstrip(".")
    return f"Drawing of {lower_first(name)}: {lower_first(first)}."


def _role_amount(entry: SessionEntry, cooling: bool) -> str:
    whole, half = int(entry.minutes), entry.minutes - int(entry.minutes) >= 0.5
    amount = f"{whole}½ minutes" if half else f"{whole} minute{'' if whole == 1 else 's'}"
    if entry.easy:
        amount += ", slowing down" if cooling else " at an easy pace"
    return amount


def short_amount(dose) -> str:
    """The dose as the Today list says it: "15 min", "1 set of 12", "3 holds of 10 s"."""
    if dose.dose_kind == "minutes":
        whole, half = int(dose.minutes), dose.minutes - int(dose.minutes) >= 0.5
        return f"{whole}½ min" if half else f"{whole} min"
    if dose.dose_kind == "sets_reps":
        return f"{dose.sets} set{'' if dose.sets == 1 else 's'} of {dose.reps}"
    noun = "stretch" if dose.component == "flexibility" else "hold"
    nouns = noun if dose.sets == 1 else noun + ("es" if noun == "stretch" else "s")
    return f"{dose.sets} {nouns} of {dose.hold_seconds} s"


def picture_url(slug: str, protected=()) -> str:
    """The exercise's figure; with the patient's protected regions marked and never drawn loaded."""
    url = ILLUSTRATION_URL.format(slug=slug)
    return url + "?" + urlencode({"protect": ",".join(sorted(protected))}) if protected else url


def session_steps(session: Session | None, cards, catalogue=(), protected=()) -> list[Step]:
    """The steps of `session` in order; `cards` are the day's exercise cards (by plan item);
    `protected`: the plan's protected body regions, which every step's figure marks."""
    if session is None:
        return []
    rules = default_session_rules()
    by_slug = {card.plan_item.exercise.slug: card for card in cards}
    specs = {spec.slug: spec for spec in catalogue}
    steps = []
    for entry in session.entries:
        card = by_slug.get(entry.slug) if entry.role == "main" else None
        spec = specs.get(entry.slug)
        instructions = card.instructions if card else (spec.instructions if spec else None)
        if entry.role == "main" and card is not None:
            dose = entry.dose
            timing = dose.dose_kind
            seconds = round(dose.minutes * 60) if timing == "minutes" else (dose.hold_seconds or 0)
            rest = rules.seconds_between_holds if timing == "hold" else rules.rest_between_sets_seconds
            steps.append(
                Step(
                    role="main",
                    number=sum(1 for step in steps if step.role == "main") + 1,
                    slug=entry.slug,
                    name=entry.name,
                    amount=words.dose_words(dose),
                    timing=timing,
                    seconds=seconds,
                    sets=dose.sets or 1,
                    reps=dose.reps or 0,
                    rest_seconds=round(rest),
                    card=card,
                    plan_item_id=card.plan_item.pk,
                    instructions=instructions,
                    picture_url=picture_url(entry.slug, protected),
                    picture_alt=picture_alt(entry.name, instructions),
                    short=short_amount(dose),
                )
            )
            continue
        if entry.role == "main":  # a plan item no longer in the plan's rows: nothing to log it against
            continue
        steps.append(
            Step(
                role=entry.role,
                number=0,
                slug=entry.slug,
                name=entry.name,
                amount=_role_amount(entry, cooling=entry.role == "cool_down"),
                timing="minutes",
                seconds=round(entry.minutes * 60),
                sets=1,
                reps=0,
                rest_seconds=0,
                card=None,
                plan_item_id=None,
                instructions=instructions,
                picture_url=picture_url(entry.slug, protected) if entry.slug else "",
                picture_alt=picture_alt(entry.name, instructions) if entry.slug else "",
                note=GENERIC_WORDS.get(entry.name, "") if instructions is None else "",
                short=f"{round(entry.minutes)} min"
                if entry.minutes == round(entry.minutes)
                else f"{entry.minutes:g} min",
            )
        )
    last = {step.role: index for index, step in enumerate(steps)}
    return [replace(step, last_of_role=last[step.role] == index) for index, step in enumerate(steps)]

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
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop, ngettext

from planner.documents import wording as words
from planner.session_words import lower_first
from planner.sessions import Session, SessionEntry, default_session_rules, week_sessions
from planner.types import Instructions
from rehab.exercise_words import exercise_words

ROLE_WORDS = {"warm_up": gettext_noop("Warm-up"), "main": "", "cool_down": gettext_noop("Cool-down")}
# The API route H-FIG's figures are served from (rehab/api/exercises.py); a missing one is simply hidden.
ILLUSTRATION_URL = "/api/v1/exercises/{slug}/illustration.svg"
# What to do in a warm-up or cool-down entry that is no library exercise (planner.sessions names them).
GENERIC_WORDS = {
    "Slow breathing": gettext_noop(
        "Sit or lie comfortably. Breathe in slowly through your nose, and out even more slowly through your mouth."
    ),
    "Gentle movement": gettext_noop(
        "March slowly on the spot or in your chair, roll your shoulders and circle your ankles."
    ),
}
# The names of those entries (planner.sessions), marked here for the catalogue.
GENERIC_NAMES = (gettext_noop("Slow breathing"), gettext_noop("Gentle movement"))


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
        return gettext(ROLE_WORDS[self.role]) if ROLE_WORDS[self.role] else ""

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
        return gettext("Drawing of %(name)s.") % {"name": lower_first(name)}
    first = instructions.movement.split(". ")[0].rstrip(".")
    return gettext("Drawing of %(name)s: %(movement)s.") % {"name": lower_first(name), "movement": lower_first(first)}


def _role_amount(entry: SessionEntry, cooling: bool) -> str:
    whole, half = int(entry.minutes), entry.minutes - int(entry.minutes) >= 0.5
    if half:
        amount = gettext("%(minutes)s minutes") % {"minutes": f"{whole}½"}
    else:
        amount = ngettext("%(minutes)s minute", "%(minutes)s minutes", whole) % {"minutes": whole}
    if entry.easy and cooling:
        return gettext("%(amount)s, slowing down") % {"amount": amount}
    if entry.easy:
        return gettext("%(amount)s at an easy pace") % {"amount": amount}
    return amount


def short_amount(dose) -> str:
    """The dose as the Today list says it: "15 min", "1 set of 12", "3 holds of 10 s"."""
    if dose.dose_kind == "minutes":
        whole, half = int(dose.minutes), dose.minutes - int(dose.minutes) >= 0.5
        return gettext("%(minutes)s min") % {"minutes": f"{whole}½" if half else whole}
    if dose.dose_kind == "sets_reps":
        return ngettext("%(sets)s set of %(reps)s", "%(sets)s sets of %(reps)s", dose.sets) % {
            "sets": dose.sets,
            "reps": dose.reps,
        }
    amounts = {"sets": dose.sets, "seconds": dose.hold_seconds}
    if dose.component == "flexibility":
        return ngettext("%(sets)s stretch of %(seconds)s s", "%(sets)s stretches of %(seconds)s s", dose.sets) % amounts
    return ngettext("%(sets)s hold of %(seconds)s s", "%(sets)s holds of %(seconds)s s", dose.sets) % amounts


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
        # A card already speaks the page's language; a warm-up or cool-down exercise asks the library.
        shown = exercise_words(entry.slug, entry.name, spec.instructions if spec else None) if entry.slug else None
        instructions = card.instructions if card else (shown.instructions if shown else None)
        name = card.name if card else (shown.name if shown else entry.name)
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
                    name=name,
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
                    picture_alt=picture_alt(name, instructions),
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
                name=gettext(entry.name) if entry.name in GENERIC_WORDS else name,
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
                picture_alt=picture_alt(name, instructions) if entry.slug else "",
                note=gettext(GENERIC_WORDS[entry.name]) if instructions is None and entry.name in GENERIC_WORDS else "",
                # 2.5 min reads "2,5 min" in Spanish: the number in the page's own form.
                short=gettext("%(minutes)s min") % {"minutes": number_format(Decimal(f"{entry.minutes:g}"))},
            )
        )
    last = {step.role: index for index, step in enumerate(steps)}
    return [replace(step, last_of_role=last[step.role] == index) for index, step in enumerate(steps)]

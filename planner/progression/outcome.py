"""What the weekly decision returns: the reasons behind it, next week's dose of each item, and the
decision itself; and the few helpers its sentences are written with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.dosing import unique_rules
from planner.progression.said import Said
from planner.progression.signals import CheckInSignal
from planner.translation import ngettext_noop
from planner.types import Dose, Rule

# What the care team is told besides a pause (ProgressionDecision.flags), in this order.
DECISION_FLAGS = (
    "retest_due",
    "ck_rising",
    "amber_streak",
    "hr_above_zone",
    "no_strength_baseline",
    "reassessment_due",
)


@dataclass(frozen=True)
class DecisionReason:
    """One rule behind a decision: the rule, what it found this week, and the check-ins it read.

    text: the finding in English (the audit's words); said: the same sentence as a catalogue template
    with its values (planner.progression.said), to be said in the reader's language.
    """

    rule: Rule
    text: str
    checkin_ids: tuple[int, ...] = ()
    # Beside the English, not part of what the decision is (its repr and equality read the text).
    said: Said | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ItemDecision:
    """Next week's dose for one item.

    previous: this week's dose. dose: next week's (limits applied last).
    changed_variable: the one variable that moved (dose_variables.DOSE_VARIABLES; adding a set or session may also
        refit the time per bout, as in the schedule), or None when held.
    direction: "up", "down" or None. rules: the rules behind the change (or the hold).
    text: the change in English words; said: the same as a catalogue template with its values.
    held_dose: carry into next week's ItemState.held_dose.
    """

    slug: str
    previous: Dose
    dose: Dose
    changed_variable: str | None
    direction: str | None
    rules: tuple[Rule, ...]
    text: str
    held_dose: Dose | None = None
    growth_trail: tuple[Dose, ...] = ()
    # Beside the English, not part of what the decision is (its repr and equality read the text).
    said: Said | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ProgressionDecision:
    """The end-of-week decision.

    week: the week the new doses are for. action: one of ACTIONS. light: the week's pain light, or
    None when there was not enough data. reasons: every rule that fired, the action's rule first.
    items: one ItemDecision per item, in the context's order. review_required: a clinician must look
    (pause, or a strength drop). remind_patient: no check-ins this week. mean_pain: mean of every pain
    score of the week (None without any); pass it on as previous_mean_pain. sessions_done /
    sessions_planned: for adherence. flags: what the care team must be told besides a pause
    (DECISION_FLAGS: "retest_due", "ck_rising", "amber_streak", "hr_above_zone", ...).
    """

    week: int
    action: str
    light: str | None
    reasons: tuple[DecisionReason, ...]
    items: tuple[ItemDecision, ...]
    review_required: bool
    remind_patient: bool
    mean_pain: float | None
    sessions_done: int
    sessions_planned: int
    flags: tuple[str, ...] = ()

    @property
    def new_doses(self) -> tuple[tuple[str, Dose], ...]:
        return tuple((item.slug, item.dose) for item in self.items)

    @property
    def changed_variables(self) -> tuple[tuple[str, str | None], ...]:
        return tuple((item.slug, item.changed_variable) for item in self.items)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return unique_rules((reason.rule for reason in self.reasons), *(item.rules for item in self.items))


def number_text(value: float) -> str:
    """A number as the reasons write it: a whole number without decimals, else to one decimal."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def checkin_ids(checkins: Iterable[CheckInSignal]) -> tuple[int, ...]:
    """The ids a reason cites: each check-in once, in id order."""
    return tuple(sorted({c.checkin_id for c in checkins}))


def reason(rule: Rule, sentence: Said, checkins: tuple[int, ...] = ()) -> DecisionReason:
    """A reason whose English is its sentence's, keeping the sentence to be said in other languages."""
    return DecisionReason(rule, sentence.english(), checkins, sentence)


# The counted nouns of the reasons, as catalogue plural pairs ("1 session", "2 sessions").
COUNTED = {
    "check-in": ngettext_noop("%(count)s check-in", "%(count)s check-ins"),
    "session": ngettext_noop("%(count)s session", "%(count)s sessions"),
    "week": ngettext_noop("%(count)s week", "%(count)s weeks"),
    "exercise": ngettext_noop("%(count)s exercise", "%(count)s exercises"),
    "amber week": ngettext_noop("%(count)s amber week", "%(count)s amber weeks"),
}


def counted(noun: str, count: int) -> Said:
    """The count with its noun, in the form its number takes in the reader's language."""
    singular, plural_form = COUNTED[noun]
    return Said(singular, (("count", count),), plural_form)


def plural(count: int, word: str) -> str:
    """The count with its word: "1 session", "2 sessions" (regular plurals only)."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"

"""What the patient reads about sessions, growth and weekly changes: plain words, shared by the PDF
and the pages.

- session_line: one exercise day in order ("Monday: Warm-up ... then 1 ... 2 ... Cool-down ...").
- growth_outline: how an exercise may grow after next week, as an outline ("about +1 minute every 1-2
  weeks while it feels fine, up to about 15 minutes"), never a fixed number per week: each weekly
  decision changes those weeks.
- change_note: what a weekly decision changed and why ("Your walking goes up from 15 to 20 minutes
  because last week went well").

Plain text, never markup. Every sentence speaks the active language (planner.translation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from planner.documents.wording import days_a_week, dose_words, join_words
from planner.sessions import Session, SessionEntry
from planner.translation import gettext, gettext_noop, ngettext
from planner.types import Dose, Plan, PrescriptionItem

FULL_WEEKDAYS = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
)
TIME_VARIABLES = {"minutes": "minutes", "sets_reps": "reps", "hold": "hold_seconds"}


def _amount(value: float) -> str:
    whole, half = int(value), value - int(value) >= 0.5
    return f"{whole}½" if half else str(whole)


def lower_first(name: str) -> str:
    """ "Walking on flat ground" -> "walking on flat ground"; "TUG test" stays as it is."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _days_a_week(count: int) -> str:
    return days_a_week(count)


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionLine:
    """One exercise day as the patient reads it.

    weekday: "Monday". warm_up / cool_down: what to do, in words. steps: the main block, in order,
    each "Name: amount" (numbered when printed). minutes: the estimated time of the whole session.
    text: all of it in one line ("Monday: Warm-up: ... Then 1 ... 2 ... Cool-down: ... About 40 minutes.").
    """

    day: date
    weekday: str
    warm_up: str
    steps: tuple[str, ...]
    cool_down: str
    minutes: int
    text: str


def _role_words(entries: Sequence[SessionEntry], cooling: bool) -> str:
    parts = []
    for entry in entries:
        words = {"name": entry.name, "minutes": _amount(entry.minutes)}
        if entry.easy and cooling:
            parts.append(gettext("%(name)s, slowing down to an easy pace, %(minutes)s minutes") % words)
        elif entry.easy:
            parts.append(gettext("%(name)s, at an easy pace, %(minutes)s minutes") % words)
        else:
            parts.append(gettext("%(name)s, %(minutes)s minutes") % words)
    return "; ".join(parts)


def _step(entry: SessionEntry) -> str:
    # A main-block entry always carries its week's dose (planner.sessions.SessionEntry).
    assert entry.dose is not None
    return f"{entry.name}: {dose_words(entry.dose)}"


def session_line(session: Session) -> SessionLine:
    weekday = gettext(FULL_WEEKDAYS[session.weekday])
    warm_up = _role_words(session.warm_up, cooling=False)
    cool_down = _role_words(session.cool_down, cooling=True)
    steps = tuple(_step(entry) for entry in session.main)
    numbered = " ".join(f"{index} {step}." for index, step in enumerate(steps, start=1))
    text = gettext(
        "%(weekday)s: Warm-up: %(warm_up)s. Then %(numbered)s Cool-down: %(cool_down)s. "
        "About %(minutes)s minutes in all."
    ) % {
        "weekday": weekday,
        "warm_up": warm_up,
        "numbered": numbered,
        "cool_down": cool_down,
        "minutes": session.estimated_minutes,
    }
    return SessionLine(session.day, weekday, warm_up, steps, cool_down, session.estimated_minutes, text)


# ---------------------------------------------------------------------------------------------
# Growth after next week, as an outline
# ---------------------------------------------------------------------------------------------


def _value(dose: Dose, variable: str) -> float | None:
    if variable == "intensity":
        first = dose.intensity[0] if dose.intensity else None
        return float(first.high) if first else None
    value = getattr(dose, variable)
    return float(value) if value is not None else None


def _every(gaps: Sequence[int]) -> str:
    low, high = min(gaps), max(gaps)
    if high == 1:
        return gettext("every week")
    if low == high:
        return gettext("every %(count)s weeks") % {"count": low}
    return gettext("every %(low)s-%(high)s weeks") % {"low": low, "high": high}


def growth_outline(item: PrescriptionItem, plan: Plan, after_week: int) -> str:
    """How the item may grow after week `after_week`, from the schedule's projection, in words.

    The projection is what the plan proposes if every week goes well; the weekly decisions may hold
    or ease it, so only the pace and where it may reach are said, not a number per week.
    """
    doses = [
        (week.number, scheduled.dose)
        for week in plan.weeks
        if week.number >= after_week and (scheduled := week.dose_for(item.slug))
    ]
    if len(doses) < 2:
        return gettext(
            "This is the last week of your plan: your physiotherapist will talk to you about what comes next."
        )
    base = doses[0][1]
    time_variable = TIME_VARIABLES.get(base.dose_kind, "minutes")
    parts = []
    for variable in (time_variable, "sets", "frequency_per_week", "intensity"):
        changes = []
        for (_, before), (number, after) in pairwise(doses):
            old, new = _value(before, variable), _value(after, variable)
            if old is not None and new is not None and new > old:
                changes.append((number, new - old))
        if not changes:
            continue
        numbers = [after_week, *(number for number, _ in changes)]
        gaps = [b - a for a, b in pairwise(numbers)]
        step = sorted(delta for _, delta in changes)[len(changes) // 2]
        top = max(value for _, dose in doses if (value := _value(dose, variable)) is not None)
        parts.append(_outline_part(variable, base, step, top, _every(gaps)))
    if not parts:
        return gettext("After next week it stays at this dose unless your physiotherapist changes it.")
    return gettext(
        "After next week, while it feels fine: %(changes)s. Each week your check-ins decide: it may also "
        "stay the same or ease back."
    ) % {"changes": join_words(parts)}


def _outline_part(variable: str, base: Dose, step: float, top: float, every: str) -> str:
    if variable == "minutes":
        return gettext("about +%(step)s minutes %(every)s, up to about %(top)s minutes") % {
            "step": _amount(step),
            "every": every,
            "top": _amount(top),
        }
    if variable == "reps":
        return ngettext(
            "about +%(step)s repetition %(every)s, up to about %(top)s",
            "about +%(step)s repetitions %(every)s, up to about %(top)s",
            int(step),
        ) % {"step": int(step), "every": every, "top": int(top)}
    if variable == "hold_seconds":
        return gettext("about +%(step)s seconds a hold %(every)s, up to about %(top)s seconds") % {
            "step": int(step),
            "every": every,
            "top": int(top),
        }
    if variable == "sets":
        return ngettext(
            "one more set now and then, up to %(top)s set", "one more set now and then, up to %(top)s sets", int(top)
        ) % {"top": int(top)}
    if variable == "frequency_per_week":
        return gettext("more days, up to %(days)s") % {"days": _days_a_week(int(top))}
    if base.component == "resistance":
        return gettext("a slightly heavier band or weight")
    return gettext("a little brisker")


# ---------------------------------------------------------------------------------------------
# What a weekly decision changed, and why
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemChange:
    """One exercise in a stored decision: its name, this week's and next week's dose, the variable
    that changed (None: held), the direction ("up", "down", None) and the engine's text for it."""

    name: str
    before: Dose
    after: Dose
    variable: str | None
    direction: str | None
    text: str = ""


# Why, in plain words, from the rule ids of the decision's reasons (first match in reason order).
WHY_WORDS = (
    (
        "progression.decision.red_flag_pause",
        gettext_noop("you reported something that your care team must look at first"),
    ),
    ("progression.decision.two_red_weeks_pause", gettext_noop("the pain was too high two weeks running")),
    (
        "progression.decision.strength_hold_review",
        gettext_noop("a strength test needs a look from your physiotherapist"),
    ),
    ("progression.strength.", gettext_noop("a strength test needs a look from your physiotherapist")),
    ("safety.strength.", gettext_noop("a strength check with your physiotherapist is due")),
    ("safety.ck.", gettext_noop("a blood test (CK) needs a look from your care team")),
    ("safety.spo2.", gettext_noop("your oxygen level dropped during exercise")),
    ("safety.heart_rate.", gettext_noop("your heart rate went above your limit")),
    ("progression.pain.localized_regress", gettext_noop("one exercise hurt")),
    ("progression.decision.red_regress", gettext_noop("last week's pain was too high")),
    ("progression.pain.morning_not_settled", gettext_noop("the pain had not settled by the next morning")),
    ("progression.pain.weekly_rise", gettext_noop("the pain went up compared with the week before")),
    ("progression.rpe.above_target", gettext_noop("it felt harder than planned")),
    ("progression.decision.amber_hold", gettext_noop("last week's pain was a little higher than we want")),
    ("progression.decision.no_checkins_hold", gettext_noop("no session was logged last week")),
    ("progression.decision.missing_data_hold", gettext_noop("some of last week's scores were missing")),
    ("progression.decision.green_advance", gettext_noop("last week went well")),
)


def why_words(reason_rule_ids: Sequence[str]) -> str:
    for rule_id in reason_rule_ids:
        for prefix, words in WHY_WORDS:
            if rule_id.startswith(prefix):
                return gettext(words)
    return gettext("of how last week went")


def _sets(count: int | None) -> str:
    return ngettext("%(count)s set", "%(count)s sets", count or 0) % {"count": count}


def _days(count: int) -> str:
    if count == 7:
        return gettext("every day")
    return ngettext("%(count)s day a week", "%(count)s days a week", count) % {"count": count}


def _values(variable: str | None, before: Dose, after: Dose) -> str:
    """ "from 15 to 20 minutes" for the variable that changed.

    A dose kind sets its own values (Dose.__post_init__) and an item keeps its dose kind, so the
    variable that changed is set on both doses.
    """
    if variable == "minutes":
        assert before.minutes is not None
        assert after.minutes is not None
        return gettext("from %(was)s to %(now)s minutes") % {
            "was": _amount(before.minutes),
            "now": _amount(after.minutes),
        }
    if variable == "reps":
        return gettext("from %(was)s to %(now)s repetitions") % {"was": before.reps, "now": after.reps}
    if variable == "sets":
        assert before.sets is not None
        assert after.sets is not None
        return gettext("from %(was)s to %(now)s") % {"was": _sets(before.sets), "now": _sets(after.sets)}
    if variable == "hold_seconds":
        return gettext("from %(was)s to %(now)s seconds a hold") % {
            "was": before.hold_seconds,
            "now": after.hold_seconds,
        }
    if variable == "frequency_per_week":
        return gettext("from %(was)s to %(now)s") % {
            "was": _days(before.frequency_per_week),
            "now": _days(after.frequency_per_week),
        }
    return ""


# How an intensity change reads, by component: (up, down).
INTENSITY_CHANGE_WORDS = {
    "resistance": (
        gettext_noop("Your %(name)s moves to a slightly heavier band or weight"),
        gettext_noop("Your %(name)s goes back to a lighter band or weight"),
    ),
    "aerobic": (
        gettext_noop("Your %(name)s gets a little brisker"),
        gettext_noop("Your %(name)s eases back to an easier pace"),
    ),
}
OTHER_INTENSITY_WORDS = (
    gettext_noop("Your %(name)s gets a little harder"),
    gettext_noop("Your %(name)s gets a little easier"),
)


def _item_line(change: ItemChange, why: str) -> str:
    name = lower_first(change.name)
    if change.variable == "intensity":
        up, down = INTENSITY_CHANGE_WORDS.get(change.after.component, OTHER_INTENSITY_WORDS)
        wording = up if change.direction == "up" else down
        line = gettext(wording) % {"name": name}
    else:
        values = _values(change.variable or "", change.before, change.after)
        if change.direction == "up":
            line = gettext("Your %(name)s goes up %(values)s") % {"name": name, "values": values}
        else:
            line = gettext("Your %(name)s eases back %(values)s") % {"name": name, "values": values}
        line = line.rstrip()
        if dose_words(change.before) != dose_words(change.after) and change.variable in (
            "sets",
            "frequency_per_week",
        ):
            line += gettext(" (now %(dose)s each time)") % {"dose": dose_words(change.after)}
    return gettext("%(line)s because %(why)s.") % {"line": line, "why": why}


def _own_reason(change: ItemChange) -> str | None:
    """An item held in a good week for its own reason, in plain words."""
    if change.text.startswith("Held: Done in"):
        return gettext("it was done in fewer sessions than planned last week")
    if change.text.startswith("Held: The planned dose was not completed"):
        return gettext("the planned amount was not completed last week")
    if change.text.startswith("Held: the pain was not in this exercise"):
        return gettext("it did not hurt, so it stays where it was")
    return None


def change_note(action: str, reason_rule_ids: Sequence[str], items: Sequence[ItemChange]) -> tuple[str, ...]:
    """What a weekly decision changed and why, one sentence per exercise that moved, then the rest.

    action: the decision's action (advance, hold, regress, pause_for_review).
    """
    why = why_words(reason_rule_ids)
    if action == "pause_for_review":
        return (
            gettext(
                "Your plan is paused because %(why)s. Please do not exercise until your care team has talked to you."
            )
            % {"why": why},
        )
    lines = [_item_line(change, why) for change in items if change.variable and change.direction]
    held = [change for change in items if not (change.variable and change.direction)]
    for change in held:
        own = _own_reason(change)
        if own and action == "advance":
            lines.append(
                gettext("Your %(name)s stays the same because %(why)s.")
                % {"name": lower_first(change.name), "why": own}
            )
    rest = [change for change in held if not (_own_reason(change) and action == "advance")]
    if rest:
        if not lines and action != "regress":
            lines.append(gettext("This week everything stays the same because %(why)s.") % {"why": why})
        elif not lines:
            lines.append(gettext("This week the rest stays the same because %(why)s.") % {"why": why})
        elif action in ("advance", "regress"):
            lines.append(gettext("Everything else stays the same."))
    return tuple(lines)


def change_items(
    names: Mapping[str, str],
    changes: Mapping[str, Mapping[str, Any]],
    before: Mapping[str, Dose],
    after: Mapping[str, Dose],
) -> tuple[ItemChange, ...]:
    """ItemChange per exercise from a stored decision (its changes JSON and doses), in `names` order."""
    return tuple(
        ItemChange(
            name=name,
            before=before[slug],
            after=after[slug],
            variable=changes.get(slug, {}).get("variable"),
            direction=changes.get(slug, {}).get("direction"),
            text=changes.get(slug, {}).get("text", ""),
        )
        for slug, name in names.items()
        if slug in before and slug in after
    )

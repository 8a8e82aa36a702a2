"""Why a plan is paused, said to the patient: "you", and days in words.

A plan's pause_reason is written for the care team ("Ann Smith reported: Chest pain (session of
2026-03-04)."). The patient's Today page must not read them their own name in the third person
with a raw date, so the sentence is rebuilt here from what paused the plan: the check-in whose
alert the reason quotes, the weekly review, or a reassessment.
"""

import re
from datetime import date

from planner.documents.wording import date_words
from planner.vocabulary import red_flag_label
from rehab import selectors
from rehab.clinical import red_pain_threshold
from rehab.models import Plan

_WEEK_REVIEW = re.compile(r"^Week (\d+) review:")
_FLARE = re.compile(r"^Flare at the reassessment of (\d{4}-\d{2}-\d{2})")


def _list_words(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _checkin_words(checkin) -> str:
    """ "You reported chest pain or pressure on Tue 3 Mar." / "You reported pain of 8 out of 10 after ..." """
    day = date_words(checkin.date)
    said = []
    if checkin.red_flags:
        labels = [red_flag_label(code).replace("_", " ") for code in checkin.red_flags]
        said.append(_list_words([label[:1].lower() + label[1:] for label in labels]))
    threshold = red_pain_threshold()
    pains = (
        ("during exercise", checkin.pain_during),
        ("after exercise", checkin.pain_after),
        ("the next morning", checkin.pain_next_morning),
    )
    high = [f"{value} out of 10 {when}" for when, value in pains if value is not None and value > threshold]
    if high:
        said.append("pain of " + _list_words(high))
    return f"You reported {' and '.join(said)} on {day}." if said else f"You told us something was wrong on {day}."


def pause_words(plan: Plan) -> str:
    """One or two sentences to the patient about why their plan is paused ("" when it is not)."""
    reason = plan.pause_reason or ""
    if not reason:
        return ""
    # The check-in follow-up quotes its alerts' messages in the reason: find the check-in they name.
    for alert in selectors.alerts_that_paused(plan):
        if alert.message and alert.message in reason:
            return _checkin_words(alert.checkin)
    week = _WEEK_REVIEW.match(reason)
    if week:
        return f"At the end of week {week.group(1)} of your plan, your care team asked to look at how it went."
    flare = _FLARE.match(reason)
    if flare:
        day = date_words(date.fromisoformat(flare.group(1)))
        return f"Your check-up on {day} showed your condition is more active, so your care team will look at your plan."
    # A pause a physiotherapist wrote by hand: their words, quoted.
    return f"Your care team's note: “{reason}”"

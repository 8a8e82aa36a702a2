"""Why a plan is paused, said to the patient: "you", and days in words.

A plan's pause_reason is written for the care team ("Ann Smith reported: Chest pain (session of
2026-03-04)."). The patient's Today page must not read them their own name in the third person
with a raw date, so the sentence is rebuilt here from what paused the plan: the check-in whose
alert the reason quotes, the weekly review, or a reassessment.
"""

import re
from datetime import date

from django.utils.translation import gettext

from planner.documents.wording import date_words, join_words
from planner.vocabulary import red_flag_label
from rehab import selectors
from rehab.clinical import red_pain_threshold
from rehab.models import Plan

_WEEK_REVIEW = re.compile(r"^Week (\d+) review:")
_FLARE = re.compile(r"^Flare at the reassessment of (\d{4}-\d{2}-\d{2})")


def _checkin_words(checkin) -> str:
    """ "You reported chest pain or pressure on Tue 3 Mar." / "You reported pain of 8 out of 10 after ..." """
    day = date_words(checkin.date)
    said = []
    if checkin.red_flags:
        labels = [gettext(red_flag_label(code)).replace("_", " ") for code in checkin.red_flags]
        said.append(join_words([label[:1].lower() + label[1:] for label in labels]))
    threshold = red_pain_threshold()
    pains = (
        (gettext("%(value)s out of 10 during exercise"), checkin.pain_during),
        (gettext("%(value)s out of 10 after exercise"), checkin.pain_after),
        (gettext("%(value)s out of 10 the next morning"), checkin.pain_next_morning),
    )
    high = [words % {"value": value} for words, value in pains if value is not None and value > threshold]
    if high:
        said.append(gettext("pain of %(scores)s") % {"scores": join_words(high)})
    if not said:
        return gettext("You told us something was wrong on %(day)s.") % {"day": day}
    return gettext("You reported %(what)s on %(day)s.") % {"what": join_words(said), "day": day}


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
        return gettext("At the end of week %(week)s of your plan, your care team asked to look at how it went.") % {
            "week": week.group(1)
        }
    flare = _FLARE.match(reason)
    if flare:
        day = date_words(date.fromisoformat(flare.group(1)))
        return gettext(
            "Your check-up on %(day)s showed your condition is more active, so your care team will look at your plan."
        ) % {"day": day}
    # A pause a physiotherapist wrote by hand: their words, quoted.
    return gettext("Your care team's note: “%(note)s”") % {"note": reason}

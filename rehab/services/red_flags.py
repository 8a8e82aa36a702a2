"""A patient's "something is wrong": where the red flags they tick go, and what they are told.

Three outcomes, decided here for every surface (the patient page today; any other entry point later):
- the day already has a check-in (a session, or an earlier report): the red flags join it;
- the day is in the running plan but nothing is logged: a symptom report is recorded (kind "symptoms",
  the pain right now as pain during and after), which needs the pain now;
- no running plan, or a day outside it: nothing can be recorded; the advice for each flag is all
  there is to give (with the emergency number, which the page shows).
Whatever is recorded goes through rehab.services.checkins, so the follow-up (pause, urgent alert to the
care team) is the same as for any red flag.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext

from planner.vocabulary import RED_FLAGS
from rehab import selectors
from rehab.models import CheckIn, CheckInKind, Patient, Plan, User
from rehab.services.checkins import checkin_add_red_flags, checkin_record
from rehab.services.errors import InvalidInput

# A report kept on the phone while offline and sent later belongs to the day it was made, if that day
# is at most this many days ago and in the plan (as a forgotten session may be logged from the pages).
KEPT_OFFLINE_DAYS = 6
SYMPTOMS_NOTE = "Reported with 'Something is wrong' (no session logged; pain is pain at the time)."


class RedFlagOutcome(StrEnum):
    JOIN_SESSION = "join_session"
    SYMPTOM_REPORT = "symptom_report"
    ADVICE_ONLY = "advice_only"


@dataclass(frozen=True)
class RedFlagRoute:
    """Where a report made now would go. checkin: the day's check-in the flags would join."""

    outcome: RedFlagOutcome
    day: date
    plan: Plan | None = None
    checkin: CheckIn | None = None

    @property
    def needs_pain_now(self) -> bool:
        """A symptom report records the pain right now; joining a session or giving advice does not."""
        return self.outcome == RedFlagOutcome.SYMPTOM_REPORT


@dataclass(frozen=True)
class RedFlagReport:
    """What happened: the check-in the flags are on (None when nothing could be recorded), and, when
    nothing was recorded, the advice for each flag ticked."""

    route: RedFlagRoute
    checkin: CheckIn | None
    advice: tuple[str, ...] = ()


def report_day(plan: Plan | None, today: date, made_on: date | None) -> date:
    """The day a report belongs to: today, or the day it was made when it was kept offline and sent
    later, if that day is recent and in the plan."""
    if made_on is None or not today - timedelta(days=KEPT_OFFLINE_DAYS) <= made_on <= today:
        return today
    return made_on if plan is not None and plan.covers(made_on) else today


def red_flag_route(*, user: User, patient: Patient, made_on: date | None = None) -> RedFlagRoute:
    """Where the patient's red flags would go now (two queries: the running plan, the day's check-in)."""
    plan = selectors.running_plan(patient)
    day = report_day(plan, patient.today(), made_on)
    if plan is None or not plan.covers(day):
        return RedFlagRoute(RedFlagOutcome.ADVICE_ONLY, day, plan)
    checkin = selectors.checkins_visible_to(user).filter(plan=plan, date=day).first()
    if checkin is not None:
        return RedFlagRoute(RedFlagOutcome.JOIN_SESSION, day, plan, checkin)
    return RedFlagRoute(RedFlagOutcome.SYMPTOM_REPORT, day, plan)


def red_flags_report(
    *,
    actor: User,
    route: RedFlagRoute,
    red_flags: list[str],
    idempotency_key: str,
    pain_now: int | None = None,
    notes: str = "",
) -> RedFlagReport:
    """Record the red flags where the route says. Raises InvalidInput (e.g. no pain now for a symptom
    report, no flag) or NotAllowed as the check-in services do; nothing is half-saved."""
    if route.outcome == RedFlagOutcome.ADVICE_ONLY:
        advice = tuple(flag.advice for flag in RED_FLAGS if flag.code in red_flags)
        return RedFlagReport(route, None, advice)
    if route.checkin is not None:  # the day's check-in (RedFlagOutcome.JOIN_SESSION)
        return RedFlagReport(route, checkin_add_red_flags(actor=actor, checkin=route.checkin, red_flags=red_flags))
    if pain_now is None or route.plan is None:
        raise InvalidInput({"pain_now": [gettext("Choose how much pain you have right now, from 0 to 10.")]})
    checkin, _created = checkin_record(
        actor=actor,
        plan=route.plan,
        idempotency_key=idempotency_key,
        date=route.day,
        pain_during=pain_now,
        pain_after=pain_now,
        items=[],
        red_flags=red_flags,
        kind=CheckInKind.SYMPTOMS,
        notes=f"{SYMPTOMS_NOTE} {notes.strip()}".strip(),
    )
    return RedFlagReport(route, checkin)

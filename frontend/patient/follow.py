"""Follow today's session on the phone: one exercise at a time, with its picture, a countdown for holds
and timed work, a set and repetition counter, and a tick for each exercise done.

The page is complete without JavaScript (every step listed, then a link to the log form); follow.js turns
it into one step at a time with honest timers (timestamps, so a phone that sleeps does not slow them) and,
at the end, opens the log form pre-filled from what was ticked. The service worker keeps a copy of the
page and of follow.js (frontend.patient.offline._shell and service_worker), so it works with no network.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from frontend.patient.page import page_context, patient_page
from frontend.patient.plan_days import exercise_cards
from frontend.patient.session_steps import session_on, session_steps
from rehab import selectors
from rehab.clinical import active_catalogue
from rehab.models import Patient, PlanStatus
from rehab.services.plans import engine_plan


def _state(plan, day) -> str:
    """What the page says instead of a session: no plan, paused, not started, ended; else "session"."""
    if plan is None:
        return "no_plan"
    if plan.status == PlanStatus.PAUSED:
        return "paused"
    if day < plan.start_date:
        return "not_started"
    if plan.week_of(day) > plan.weeks:
        return "ended"
    return "session"


@patient_page
@require_GET
def follow(request, patient: Patient):
    plan = selectors.running_plan(patient)
    context = page_context(request, patient, plan, "today")
    day = timezone.localdate()
    state = _state(plan, day)
    steps, session = [], None
    if state == "session" and plan.covers(day):
        engine = engine_plan(plan)
        catalogue = active_catalogue()
        cards = [card for card in exercise_cards(plan, day, engine) if card.due]
        session = session_on(plan, engine, day, catalogue)
        steps = session_steps(session, cards, catalogue, engine.limits.protected_regions)
        if not steps:
            state = "rest"
    todays_checkin = selectors.session_logged_on(request.user, plan, day) if plan is not None else None
    context.update(
        today=day,
        state=state,
        steps=steps,
        main_count=sum(1 for step in steps if step.role == "main"),
        minutes=session.estimated_minutes if steps else 0,
        todays_checkin=todays_checkin,
        follow_config={
            "owner": str(request.user.pk),
            "date": day.isoformat(),
            "logUrl": reverse("frontend:log"),
        },
    )
    return render(request, "frontend/patient/follow.html", context)

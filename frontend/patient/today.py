"""Today's page (the session due, the one missed, what changed this week) and the next-morning pain
question it asks about a recent session."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from frontend.patient.forms import (
    PAIN_CHOICES,
    NextMorningForm,
    pain_word,
)
from frontend.patient.page import page_context, patient_page
from frontend.patient.pause_words import pause_words
from frontend.patient.plan_days import exercise_cards, exercise_groups, next_session_day
from frontend.patient.session_log import LOG_BACK_DAYS
from frontend.patient.session_steps import session_on, session_steps
from planner.session_words import session_line
from rehab import selectors
from rehab.clearance import supervision_state, supervision_words
from rehab.clinical import active_catalogue
from rehab.documents import change_note_for_week
from rehab.models import Patient, PlanStatus
from rehab.services.alerts import patient_advice
from rehab.services.checkins import checkin_add_next_morning
from rehab.services.errors import NotAllowed
from rehab.services.plans import engine_plan

# The next-morning question is asked about a session at most this many days old.
NEXT_MORNING_WITHIN_DAYS = 2


@patient_page
@require_GET
def today(request, patient: Patient):
    plan = selectors.running_plan(patient)
    context = page_context(request, patient, plan, "today")
    day = timezone.localdate()
    context["today"] = day
    if plan is None:
        return render(request, "frontend/patient/today.html", context)
    recent = selectors.sessions_by_day(request.user, plan, day - timedelta(days=LOG_BACK_DAYS), day)
    asked = next((c for d, c in sorted(recent.items(), reverse=True) if d < day), None)
    if asked is not None and (
        asked.pain_next_morning is not None or asked.date < day - timedelta(days=NEXT_MORNING_WITHIN_DAYS)
    ):
        asked = None
    yesterday = day - timedelta(days=1)
    engine = engine_plan(plan)
    cards = exercise_cards(plan, day, engine) if plan.covers(day) else []
    catalogue = active_catalogue() if cards else ()
    planned = session_on(plan, engine, day, catalogue) if cards else None
    context.update(
        paused=plan.status == PlanStatus.PAUSED,
        paused_words=pause_words(plan) if plan.status == PlanStatus.PAUSED else "",
        started=day >= plan.start_date,
        ended=plan.week_of(day) > plan.weeks,
        todays_checkin=recent.get(day),
        next_morning=asked,
        pain_choices=PAIN_CHOICES,
        due=exercise_groups([c for c in cards if c.due]),
        not_due=exercise_groups([c for c in cards if not c.due]),
        due_count=sum(1 for c in cards if c.due),
        not_due_count=sum(1 for c in cards if not c.due),
        missed=yesterday if plan.covers(yesterday) and yesterday not in recent else None,
        session=session_line(planned) if planned else None,
        # The same session as steps: one short line each, the follow-along page walks through them.
        steps=session_steps(planned, [c for c in cards if c.due], catalogue, engine.limits.protected_regions),
        changes=change_note_for_week(plan, engine, plan.week_of(day)) if plan.covers(day) else (),
    )
    if cards and not context["due"]:
        context["next_day"] = next_session_day(plan, engine, day)
    # Until the rules' supervised sessions are done, the next one is at the clinic.
    context["at_clinic"] = supervision_words(supervision_state(plan, engine.limits))
    return render(request, "frontend/patient/today.html", context)


@patient_page
@require_POST
def next_morning(request, patient: Patient):
    form = NextMorningForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Please tap a number from 0 to 10 for your pain this morning."))
        return redirect("frontend:today")
    checkin = selectors.checkin_get(request.user, form.cleaned_data["checkin"])
    value = form.cleaned_data["pain_next_morning"]
    try:
        checkin = checkin_add_next_morning(actor=request.user, checkin=checkin, pain_next_morning=value)
    except NotAllowed as error:
        messages.error(request, str(error))
        return redirect("frontend:today")
    if patient_advice(checkin):
        return redirect("frontend:logged", checkin_id=checkin.pk)
    messages.success(
        request,
        gettext("Thank you. Saved: pain this morning %(value)s (%(word)s).")
        % {"value": value, "word": pain_word(value)},
    )
    return redirect("frontend:today")

"""Logging a session (today's or a forgotten one from the last days) and the page that confirms it,
with the advice a logged pain calls for."""

import uuid
from datetime import date, timedelta

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from frontend.patient.forms import (
    SessionLogForm,
    pain_word,
)
from frontend.patient.page import page_context, parse_day, patient_page
from frontend.patient.plan_days import exercise_cards
from planner.documents import wording as words
from planner.effort import CR10, cr10_words
from rehab import selectors
from rehab.exercise_words import exercise_name
from rehab.models import Patient, PlanStatus
from rehab.services.alerts import patient_advice
from rehab.services.checkins import checkin_record
from rehab.services.errors import InvalidInput, NotAllowed

# How far back a forgotten session may be logged from the pages (the API takes any day of the plan).
LOG_BACK_DAYS = 6


def _day_words(day: date, today: date) -> str:
    """The day as the log pages name it: "today, ..." or "yesterday, ..." before the date, else the date."""
    if day == today:
        return gettext("today, %(day)s") % {"day": words.date_words(day)}
    if day == today - timedelta(days=1):
        return gettext("yesterday, %(day)s") % {"day": words.date_words(day)}
    return words.date_words(day)


@patient_page
@require_http_methods(["GET", "POST"])
def log(request, patient: Patient):
    plan = selectors.running_plan(patient)
    context = page_context(request, patient, plan, "today")
    if plan is None or plan.status != PlanStatus.ACTIVE:
        return redirect("frontend:today")
    today_ = timezone.localdate()
    window = [today_ - timedelta(days=n) for n in range(LOG_BACK_DAYS + 1)]
    logged = selectors.days_with_a_session(request.user, plan, window[-1], today_)
    allowed = [d for d in window if plan.covers(d)]
    source = request.POST.get("date") if request.method == "POST" else request.GET.get("day")
    day = parse_day(source)
    if day not in allowed:
        day = today_ if today_ in allowed else (allowed[0] if allowed else today_)
    cards = exercise_cards(plan, day)
    due = [c for c in cards if c.due]
    # On a rest day every exercise is listed, none ticked: the patient ticks what they did.
    rows = [(c.plan_item, c.name, True) for c in due] if due else [(c.plan_item, c.name, False) for c in cards]
    form = SessionLogForm(
        request.POST if request.method == "POST" else None,
        initial={"idempotency_key": str(uuid.uuid4()), "date": day},
        rows=rows,
        allowed_days=allowed,
        effort_scale=patient.effort_scale_in_use,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkin, _created = checkin_record(
                actor=request.user,
                plan=plan,
                idempotency_key=data["idempotency_key"],
                date=data["date"],
                pain_during=data["pain_during"],
                pain_after=data["pain_after"],
                items=form.items(),
                **form.effort(),
                notes=data["notes"].strip(),
                pain_regions=data["pain_regions"],
                pain_item=form.painful_item(),
                heart_rate_avg=data["heart_rate_avg"],
                heart_rate_max=data["heart_rate_max"],
                spo2_min=data["spo2_min"],
            )
        except InvalidInput as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            return redirect("frontend:logged", checkin_id=checkin.pk)
    context.update(
        form=form,
        day=day,
        is_today=day == today_,
        day_words=_day_words(day, today_),
        day_name=gettext("Yesterday") if day == today_ - timedelta(days=1) else words.date_words(day),
        already_logged=day in logged,
        other_days=[(d, _day_words(d, today_)) for d in allowed if d != day and d not in logged],
        rest_day=not due,
    )
    return render(request, "frontend/patient/log.html", context, status=400 if form.errors else 200)


def _effort_words(checkin) -> str:
    """The effort as the patient gave it: "5 out of 10, moderate" or "12, light" (Borg 6-20)."""
    if checkin.effort_scale == CR10 and checkin.effort_value is not None:
        return gettext("%(value)s out of 10, %(words)s") % {
            "value": checkin.effort_value,
            "words": cr10_words(checkin.effort_value),
        }
    if not checkin.session_rpe:
        return ""
    return gettext("%(value)s, %(words)s") % {
        "value": checkin.session_rpe,
        "words": words.borg_words(checkin.session_rpe),
    }


@patient_page
@require_GET
def logged(request, patient: Patient, checkin_id: int):
    checkin = selectors.checkin_get(request.user, checkin_id)
    items = selectors.checkin_items_with_exercises(checkin)
    context = page_context(request, patient, checkin.plan, "today")
    context.update(
        checkin=checkin,
        day_words=_day_words(checkin.date, timezone.localdate()),
        done=[exercise_name(i.plan_item.exercise.slug, i.plan_item.exercise.name) for i in items if i.done],
        skipped=[exercise_name(i.plan_item.exercise.slug, i.plan_item.exercise.name) for i in items if not i.done],
        total=len(items),
        effort_words=_effort_words(checkin),
        pain_during_word=pain_word(checkin.pain_during),
        pain_after_word=pain_word(checkin.pain_after),
        pain_next_morning_word=pain_word(checkin.pain_next_morning) if checkin.pain_next_morning is not None else "",
        advice=[gettext(line) for line in patient_advice(checkin)],
    )
    return render(request, "frontend/patient/logged.html", context)

"""Something is wrong: the patient reports red flags (the service decides where the report goes and
what the patient is told), and the page that says what happens next."""

import uuid

from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from frontend.patient.forms import (
    SomethingWrongForm,
)
from frontend.patient.page import page_context, parse_day, patient_page
from planner.vocabulary import RED_FLAGS, red_flag_label
from rehab import selectors
from rehab.models import Patient
from rehab.services.alerts import patient_advice
from rehab.services.errors import InvalidInput, NotAllowed
from rehab.services.red_flags import red_flag_route, red_flags_report


@patient_page
@require_http_methods(["GET", "POST"])
def something_wrong(request, patient: Patient):
    made_on = parse_day(request.POST.get("reported_on")) if request.method == "POST" else None
    route = red_flag_route(user=request.user, patient=patient, made_on=made_on)
    context = page_context(request, patient, route.plan, "something_wrong")
    form = SomethingWrongForm(
        request.POST if request.method == "POST" else None,
        initial={"idempotency_key": str(uuid.uuid4())},
        needs_pain=route.needs_pain_now,
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = red_flags_report(
                actor=request.user,
                route=route,
                red_flags=form.cleaned_data["red_flags"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                pain_now=form.cleaned_data["pain_now"],
                notes=form.cleaned_data["notes"],
            )
        except (InvalidInput, NotAllowed) as error:
            problems = error.errors.values() if isinstance(error, InvalidInput) else [[str(error)]]
            for messages_ in problems:
                for problem in messages_:
                    form.add_error(None, problem)
        else:
            if report.checkin is None:
                # Nothing to attach it to: the advice and the phone number are all we can give.
                context.update(advice=[gettext(line) for line in report.advice], not_recorded=True)
                return render(request, "frontend/patient/something_wrong_done.html", context)
            return redirect("frontend:something_wrong_done", checkin_id=report.checkin.pk)
    context.update(
        form=form,
        # The planner's wording, in the patient's language (rehab/patient_words.py marks it).
        red_flags=[(flag.code, gettext(flag.label), gettext(flag.advice)) for flag in RED_FLAGS],
        checked=set(form["red_flags"].value() or []),
    )
    return render(request, "frontend/patient/something_wrong.html", context, status=400 if form.errors else 200)


@patient_page
@require_GET
def something_wrong_done(request, patient: Patient, checkin_id: int):
    checkin = selectors.checkin_get(request.user, checkin_id)
    context = page_context(request, patient, checkin.plan, "something_wrong")
    context.update(
        checkin=checkin,
        reported=[gettext(red_flag_label(code)) for code in checkin.red_flags],
        advice=[gettext(line) for line in patient_advice(checkin)],
    )
    return render(request, "frontend/patient/something_wrong_done.html", context)

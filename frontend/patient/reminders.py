"""The patient's Reminders page: when reminders come, and notifications on this phone.

The choices are a plain form (complete without JavaScript); push.js adds the "notifications on this
phone" buttons, which talk to /api/v1/me/push-subscriptions/. Both go through the same services as
the API (rehab/services/reminders.py, rehab/services/push.py).
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from frontend.patient.page import page_context, patient_page
from frontend.patient.reminder_forms import ReminderPreferencesForm
from rehab.models import Patient
from rehab.services.errors import InvalidInput
from rehab.services.push import push_enabled
from rehab.services.reminders import reminder_preferences_get, reminder_preferences_update

# Service error fields -> form fields (the form names "reminders" what the service calls reminders_on).
FIELD_OF = {"reminders_on": "reminders"}


@patient_page
@require_http_methods(["GET", "POST"])
def reminders(request, patient: Patient):
    prefs = reminder_preferences_get(patient)
    status = 200
    if request.method == "POST":
        form = ReminderPreferencesForm(request.POST)
        if form.is_valid():
            try:
                reminder_preferences_update(actor=request.user, patient=patient, **form.service_fields())
            except InvalidInput as error:
                for field, texts in error.errors.items():
                    for text in texts:
                        form.add_error(FIELD_OF.get(field, field), text)
            else:
                messages.success(request, gettext("Saved. Your reminders follow these choices from now on."))
                return redirect("frontend:reminders")
        status = 400
    else:
        form = ReminderPreferencesForm(
            initial=ReminderPreferencesForm.initial_for(prefs, not patient.reminders_opt_out)
        )
    context = page_context(request, patient, None, "reminders")
    context.update(
        form=form,
        push_available=push_enabled(),
        push_config={
            "publicKey": settings.VAPID_PUBLIC_KEY,
            "subscriptionsApi": reverse("my-push-subscriptions"),
            "sw": reverse("frontend:service_worker"),
            "csrfCookie": settings.CSRF_COOKIE_NAME,
        },
    )
    return render(request, "frontend/patient/reminders.html", context, status=status)

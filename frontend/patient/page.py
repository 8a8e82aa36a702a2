"""The frame every patient page shares: who may open it and what its template needs.

Patient pages are mobile first and complete without JavaScript; patient.js and the service worker
(sw.js, see offline.py) add offline reading and offline logging on top. Reads go through
rehab.selectors, writes through rehab services. Every page runs inside timezone.override(the patient's
zone), so "today" is the patient's today, and in the patient's language.
"""

import functools
import re
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from planner.vocabulary import RED_FLAGS
from rehab import selectors
from rehab.i18n import shipped_or_default
from rehab.models import Patient, Plan, Role


def patient_page(view):
    """Signed-in patients only (staff go to their own start page), in the patient's time zone.

    Pages carry health data: no browser or shared cache may store them (rehab/headers.py makes it
    no-store); the offline copy lives in the service worker's Cache Storage, which that leaves alone.
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.PATIENT:
            return redirect("frontend:home")
        patient = selectors.patient_of_login(request.user)
        if patient is None:
            raise Http404(gettext("No patient record for this login."))
        language = shipped_or_default(patient.language_code)
        with timezone.override(patient.zone), translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, patient, *args, **kwargs)
        response["Content-Language"] = language
        response.setdefault("Cache-Control", "private, no-store")
        return response

    return wrapper


def page_context(request, patient: Patient, plan: Plan | None, active: str) -> dict:
    """What every patient page needs: the clinic to call, the offline machinery's settings."""
    return {
        "patient": patient,
        "clinic": patient.clinic,
        "clinic_tel": re.sub(r"[^\d+]", "", patient.clinic.phone),
        "emergency_tel": patient.clinic.emergency_tel,
        "plan": plan,
        "active": active,
        "rendered_at": timezone.localtime(),
        "pdf_url": reverse("plan-pdf", args=[plan.pk]) if plan else "",
        "offline_config": {
            "owner": str(request.user.pk),
            "sw": reverse("frontend:service_worker"),
            "todayUrl": reverse("frontend:today"),
            "logUrl": reverse("frontend:log"),
            "nextMorningUrl": reverse("frontend:next_morning"),
            # A red flag kept offline is sent to its own page; its advice travels with every page.
            "somethingWrongUrl": reverse("frontend:something_wrong"),
            "redFlagAdvice": {flag.code: gettext(flag.advice) for flag in RED_FLAGS},
            "checkinsApi": reverse("checkin-list"),
            "csrfCookie": settings.CSRF_COOKIE_NAME,
        },
    }


def parse_day(value: str | None) -> date | None:
    """A day a form or link gives as YYYY-MM-DD; None when it gives none or not a date."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None

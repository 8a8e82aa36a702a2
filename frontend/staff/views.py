"""Pages for physiotherapists and clinicians: thin views over the selectors and the services.

Every read goes through rehab.selectors (anything the user may not see is a 404); every write is
one service call, whose InvalidInput / Conflict / NotAllowed become messages next to the fields.
Each form works as a plain POST; htmx only re-renders the dose form in place.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from frontend.qr import qr_svg
from frontend.staff import audit_words, plan_forms
from frontend.staff import forms as staff_forms
from planner.triage import low_adherence_share
from rehab import selectors
from rehab.activation import activation_url
from rehab.caseload import case_rows, dashboard_order
from rehab.models import AccessKind, PlanStatus, Role
from rehab.progress import open_alerts_and_overrides, plan_progress_series
from rehab.selectors.audit import decisions_by_plan
from rehab.services import alerts as alert_services
from rehab.services import assessments as assessment_services
from rehab.services import checkins as checkin_services
from rehab.services import people as people_services
from rehab.services.access import record_reads
from rehab.services.errors import Conflict, InvalidInput, NoClinic, NotAllowed
from rehab.sms import sms_enabled


def staff_page(*roles):
    """Signed-in staff of the given roles only; patients (and other roles) get 403."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied(gettext("This page is for the care team."))
            if request.user.clinic_id is None:
                # Every staff page works for one clinic; say what is wrong rather than fail on it.
                context = {"reason": gettext(NoClinic.MESSAGE)}
                return render(request, "frontend/staff/no_clinic.html", context, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _errors_into(form, error: InvalidInput, mapping: dict | None = None) -> None:
    """Put a service's {field: [messages]} on the form's fields (or at the top when no field matches)."""
    for key, texts in error.errors.items():
        name = (mapping or {}).get(key, key)
        form.add_error(name if name in form.fields else None, texts)


def _nav(user) -> str:
    """The navigation entry a page belongs under: a clinician works from the dashboard."""
    return "dashboard" if user.role == Role.CLINICIAN else "caseload"


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# ---------------------------------------------------------------------------------------------
# Caseload and dashboard
# ---------------------------------------------------------------------------------------------


@staff_page(*Role.STAFF)
def caseload(request):
    """The care team's patients (a clinic admin: the clinic's), with their flags; search by name."""
    query = request.GET.get("q", "").strip()[:100]
    patients = selectors.patients_named(request.user, query)
    rows = case_rows(request.user, patients)
    template = "frontend/staff/_caseload_table.html" if request.htmx else "frontend/staff/caseload.html"
    return render(request, template, {"rows": rows, "query": query, "nav": "caseload"})


@staff_page(*Role.CARE)
def dashboard(request):
    """The caseload sorted by urgency: red flags and urgent alerts, paused, rising pain, adherence, strength."""
    rows = dashboard_order(case_rows(request.user, selectors.patients_with_clinical_access(request.user)))
    flagged = [row for row in rows if row.flags]
    quiet = [row for row in rows if not row.flags]
    counts = {
        "urgent": sum(1 for row in flagged if row.rank == 0),
        "paused": sum(1 for row in rows if row.plan and row.plan.status == PlanStatus.PAUSED),
    }
    return render(
        request,
        "frontend/staff/dashboard.html",
        {
            "flagged": flagged,
            "quiet": quiet,
            "counts": counts,
            "nav": "dashboard",
            # The legend's share comes from the rule that flags it (planner/data/rules_triage.json).
            "adherence_share": low_adherence_share(),
        },
    )


# ---------------------------------------------------------------------------------------------
# Patients and assessments
# ---------------------------------------------------------------------------------------------


@staff_page(Role.PHYSIOTHERAPIST, Role.CLINIC_ADMIN)
@require_http_methods(["GET", "POST"])
def patient_new(request):
    candidates = selectors.other_care_team_candidates(request.user)
    form = staff_forms.PatientForm(
        request.POST or None,
        candidates=candidates,
        clinical=request.user.role != Role.CLINIC_ADMIN,
        initial={"time_zone": request.user.clinic.time_zone, "create_login": True},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        care_team, create_login = list(data.pop("care_team")), data.pop("create_login", False)
        try:
            patient = people_services.patient_create(actor=request.user, care_team=care_team, **data)
        except InvalidInput as error:
            _errors_into(form, error)
        else:
            messages.success(request, gettext("%(name)s is registered.") % {"name": patient.full_name})
            if create_login:
                _send_sign_in_link(request, patient)
            return redirect(_patient_home(request.user, patient))
    return render(
        request, "frontend/staff/patient_form.html", {"form": form, "nav": _nav(request.user)}, status=_status(form)
    )


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _patient_home(user, patient) -> str:
    if user.is_care_staff:
        return reverse("frontend:patient", args=[patient.pk])
    return reverse("frontend:caseload")


def _send_sign_in_link(request, patient, channel: str | None = None) -> bool:
    """Send the sign-in link to the patient's own email or phone; say where it went, never what it is."""
    try:
        link = people_services.patient_activation_issue(actor=request.user, patient=patient, channel=channel)
    except (InvalidInput, NotAllowed) as error:
        texts = (
            [t for texts in error.errors.values() for t in texts] if isinstance(error, InvalidInput) else [str(error)]
        )
        messages.error(request, gettext("No sign-in link was sent: %(why)s") % {"why": " ".join(texts)})
        return False
    until = date_format(timezone.localtime(link.expires_at, patient.zone), gettext("j M H:i"))
    if link.channel == "email":
        text = gettext(
            "The sign-in link is on its way by email to %(where)s. Only the patient receives it; it works once, "
            "until %(until)s, after they give their date of birth."
        )
    else:
        text = gettext(
            "The sign-in link is on its way by text message to %(where)s. Only the patient receives it; it works "
            "once, until %(until)s, after they give their date of birth."
        )
    messages.success(request, text % {"where": link.destination, "until": until})
    return True


@staff_page(*Role.CARE)
@require_POST
def patient_activation(request, patient_id: int):
    """Send the one-time sign-in link to the patient's email or phone, or show it once as a QR code.

    The QR code is for a physiotherapist on the care team handing it over in person: shown on this
    response only (no-store), recorded in the audit trail, and replaced by any later link.
    """
    patient = selectors.patient_get(request.user, patient_id, clinical=True)
    channel = request.POST.get("channel") or None
    if channel != "handover":
        _send_sign_in_link(request, patient, channel)
        return redirect("frontend:patient", patient.pk)
    try:
        link, token = people_services.patient_activation_hand_over(actor=request.user, patient=patient)
    except (InvalidInput, NotAllowed) as error:
        texts = (
            [t for texts in error.errors.values() for t in texts] if isinstance(error, InvalidInput) else [str(error)]
        )
        messages.error(request, " ".join(texts))
        return redirect("frontend:patient", patient.pk)
    response = render(
        request,
        "frontend/staff/activation_handover.html",
        {"patient": patient, "link": link, "qr": qr_svg(activation_url(token)), "zone": patient.zone},
    )
    patch_cache_control(response, no_store=True, no_cache=True, must_revalidate=True, private=True)
    return response


ASSESSMENT_FIELDS = list(staff_forms.AssessmentForm.base_fields)


@staff_page(*Role.CARE)
@require_http_methods(["GET", "POST"])
def assessment_new(request, patient_id: int):
    patient = selectors.patient_get(request.user, patient_id, clinical=True)
    previous = selectors.latest_assessment(patient)
    initial = {name: getattr(previous, name) for name in ASSESSMENT_FIELDS} if previous else {}
    initial["assessed_on"] = patient.today()
    form = staff_forms.AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_services.assessment_create(actor=request.user, patient=patient, **form.cleaned_data)
        except ValidationError as error:
            for name, texts in error.message_dict.items():
                form.add_error(name if name in form.fields else None, texts)
        else:
            _say_what_the_reassessment_did(request, assessment.running_plan)
            return redirect(reverse("frontend:patient", args=[patient.pk]) + "#plans")
    context = {"form": form, "patient": patient, "previous": previous, "nav": _nav(request.user)}
    return render(request, "frontend/staff/assessment_form.html", context, status=_status(form))


def _say_what_the_reassessment_did(request, outcome) -> None:
    """After saving, the running plan's changes in words: a flare is a warning, the rest information."""
    if outcome is None:
        messages.success(request, gettext("Assessment recorded. The next plan's limits are computed from it."))
        return
    changes = [c["text"] for c in outcome.changes if c["kind"] not in ("profile", "flare")]
    summary = "; ".join(changes) if changes else gettext("no change to the running plan")
    if outcome.paused and any(c["kind"] == "flare" for c in outcome.changes):
        flare = "; ".join(c["text"] for c in outcome.changes if c["kind"] == "flare")
        messages.warning(
            request,
            gettext(
                "Assessment recorded: a flare (%(flare)s). The running plan is paused and the care team alerted. "
                "Changes applied at once: %(summary)s."
            )
            % {"flare": flare, "summary": summary},
        )
    else:
        messages.success(
            request, gettext("Assessment recorded and applied to the running plan: %(summary)s.") % {"summary": summary}
        )


# The patient page holds several forms: distinct ids keep every label tied to its own field.
def _ack_form(alert, data=None):
    return staff_forms.AcknowledgeForm(data, auto_id=f"id_ack{alert.pk}_%s")


def _measure_form(data=None, **kwargs):
    return staff_forms.MeasurementForm(data, auto_id="id_measure_%s", **kwargs)


def _resume_form(data=None, **kwargs):
    return plan_forms.ResumeForm(data, auto_id="id_resume_%s", **kwargs)


@staff_page(*Role.CARE)
def patient_page(request, patient_id: int):
    patient = selectors.patient_get(request.user, patient_id, clinical=True)
    response = _render_patient(request, patient)
    # The page shows the record, assessments, measurements, plans and progress: one read of the record.
    record_reads(request=request, kind=AccessKind.PATIENT, patient_ids=[patient.pk], object_id=patient.pk)
    return response


def _render_patient(request, patient, *, bound: dict | None = None):
    """The patient page; POST views re-render it with their bound form (and 400) when input is refused."""
    bound = bound or {}
    user = request.user
    zone = patient.zone
    today = patient.today()
    plans = list(selectors.plans_of(user, patient))
    running = next((plan for plan in plans if plan.is_running), None)
    followed = running or next((plan for plan in plans if plan.status != PlanStatus.DRAFT), None)
    alerts = list(selectors.alerts_of(user, patient))
    ack_alert, ack_form = bound.get("ack", (None, None))
    context = {
        "patient": patient,
        "zone": zone,
        "today": today,
        "age": patient.age_on(today),
        "plans": plans,
        "running": running,
        "draft": next((plan for plan in plans if plan.status == PlanStatus.DRAFT), None),
        "followed": followed,
        "followed_names": (
            {item.exercise.slug: item.exercise.name for item in selectors.plan_items_with_exercises(followed)}
            if followed
            else {}
        ),
        "week": running.current_week() if running else None,
        "assessments": list(selectors.assessments_of(user, patient.pk)),
        "alerts": [(alert, ack_form if alert == ack_alert else _ack_form(alert)) for alert in alerts],
        "measurements": list(selectors.measurements_of(user, patient.pk)[:12]),
        "generate_form": plan_forms.PlanGenerateForm(initial={"start_date": today}, auto_id="id_gen_%s"),
        "measure_form": bound.get("measure") or _measure_form(initial={"measured_on": today}),
        "resume_form": bound.get("resume") or (_resume_form(initial={"version": running.version}) if running else None),
        "progress": plan_progress_series(followed) if followed else None,
        "followed_overrides": open_alerts_and_overrides(followed)["overrides"] if followed else [],
        "is_clinician": user.role == Role.CLINICIAN,
        "sign_in_link": selectors.latest_sign_in_link(patient),
        "sms_enabled": sms_enabled(),
        "nav": _nav(user),
    }
    status = 400 if bound else 200
    return render(request, "frontend/staff/patient.html", context, status=status)


@staff_page(*Role.CARE)
def patient_audit(request, patient_id: int):
    patient = selectors.patient_get(request.user, patient_id, clinical=True)
    names, decisions = _staff_names(request.user), decisions_by_plan(patient)
    entries = [
        audit_words.readable(entry, names, decisions)
        for entry in selectors.patient_audit_trail(request.user, patient.pk)
    ]
    context = {"patient": patient, "zone": patient.zone, "entries": entries, "nav": _nav(request.user)}
    response = render(request, "frontend/staff/audit.html", context)
    record_reads(request=request, kind=AccessKind.CHANGE_HISTORY, patient_ids=[patient.pk])
    return response


def _staff_names(user) -> dict[int, str]:
    return {member.pk: member.display_name for member in selectors.care_team_candidates(user)}


@staff_page(*Role.CARE)
@require_POST
def measurement_record(request, patient_id: int):
    patient = selectors.patient_get(request.user, patient_id, clinical=True)
    form = _measure_form(request.POST)
    if form.is_valid():
        try:
            checkin_services.measurement_record(actor=request.user, patient=patient, **form.cleaned_data)
        except InvalidInput as error:
            _errors_into(form, error)
        else:
            messages.success(request, gettext("Measurement recorded."))
            return redirect(reverse("frontend:patient", args=[patient.pk]) + "#measures")
    return _render_patient(request, patient, bound={"measure": form})


@staff_page(*Role.CARE)
@require_POST
def alert_acknowledge(request, alert_id: int):
    alert = selectors.alert_to_acknowledge(request.user, alert_id)
    if alert is None:
        raise Http404(gettext("No such alert."))
    form = _ack_form(alert, request.POST)
    if form.is_valid():
        try:
            alert_services.alert_acknowledge(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        except InvalidInput as error:
            _errors_into(form, error)
        except Conflict as error:
            messages.error(request, str(error))
            return redirect(reverse("frontend:patient", args=[alert.patient_id]) + "#alerts")
        else:
            messages.success(request, gettext("Alert acknowledged; your note is kept in the audit trail."))
            return redirect(reverse("frontend:patient", args=[alert.patient_id]) + "#alerts")
    patient = selectors.patient_get(request.user, alert.patient_id, clinical=True)
    return _render_patient(request, patient, bound={"ack": (alert, form)})

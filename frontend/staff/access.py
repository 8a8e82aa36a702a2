"""Who has looked at a patient's data: the clinic admin's access log page, and the plain-words lines a
patient reads on their history page. Reads come from rehab.selectors; the rows are written by
rehab.services.access."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy

from frontend.staff.views import staff_page
from rehab import selectors
from rehab.models import AccessKind, RecordAccess, Role, User
from rehab.models.people import zone_named

# What a patient reads for each kind of read ("... looked at <words> on ...").
WORDS_FOR_PATIENT = {
    AccessKind.PATIENT: gettext_lazy("your record"),
    AccessKind.PATIENT_LIST: gettext_lazy("your name in the list of patients"),
    AccessKind.ASSESSMENTS: gettext_lazy("your assessments"),
    AccessKind.PLAN: gettext_lazy("your plan"),
    AccessKind.PLAN_LIST: gettext_lazy("your plan in a list of plans"),
    AccessKind.PLAN_PROGRESS: gettext_lazy("your progress"),
    AccessKind.PLAN_HISTORY: gettext_lazy("the changes to your plan"),
    AccessKind.CHECKINS: gettext_lazy("your logged sessions"),
    AccessKind.CHECKIN: gettext_lazy("one of your logged sessions"),
    AccessKind.MEASUREMENTS: gettext_lazy("your measurements"),
    AccessKind.PLAN_PDF: gettext_lazy("your plan to print (PDF)"),
    AccessKind.REPORT_PDF: gettext_lazy("your progress report (PDF)"),
    AccessKind.CHANGE_HISTORY: gettext_lazy("the changes to your record"),
    AccessKind.CASELOAD: gettext_lazy("your name in a caseload"),
}
PATIENT_LINES = 30


def access_sentence(row: RecordAccess) -> str:
    """ "Physiotherapist Anna Nowak looked at your plan on Mon 3 Nov at 10:02" (in the active time zone)."""
    at = timezone.localtime(row.at)
    what = WORDS_FOR_PATIENT.get(row.kind, row.get_kind_display())
    return gettext("%(role)s %(name)s looked at %(what)s on %(day)s at %(time)s") % {
        "role": row.actor.get_role_display(),
        "name": row.actor.display_name,
        "what": what,
        "day": date_format(at, gettext("D j M")),
        "time": date_format(at, "H:i"),
    }


def access_sentences(user: User, patient_id: int, limit: int = PATIENT_LINES) -> list[str]:
    """The patient's latest reads in words, newest first; the same sentence twice in a row (one
    person reading the same thing within the minute) is said once."""
    lines = []
    for row in selectors.patient_access_log(user, patient_id)[: limit * 2]:
        sentence = access_sentence(row)
        if not lines or lines[-1] != sentence:
            lines.append(sentence)
    return lines[:limit]


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@staff_page(Role.CLINIC_ADMIN)
def clinic_access_log(request):
    """Every staff read of the clinic's patients, newest first; filter by patient and by user."""
    patient_id = _number(request.GET.get("patient"))
    actor_id = _number(request.GET.get("user"))
    rows = selectors.clinic_access_log(request.user, patient_id=patient_id, actor_id=actor_id)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    zone = request.user.clinic.zone if request.user.clinic else zone_named("UTC")
    context = {
        "page": page,
        "zone": zone,
        "patients": selectors.patients_by_name(request.user),
        "readers": selectors.clinic_access_readers(request.user),
        "patient_id": patient_id,
        "actor_id": actor_id,
        "nav": "access_log",
    }
    return render(request, "frontend/staff/access_log.html", context)

"""Daily reminders for patients: a session due, or yesterday's next-morning pain to give."""

from datetime import date, timedelta

from django.core.mail import send_mail
from django.db.models import Exists, OuterRef

from rehab.models import CheckIn, Patient, PlanStatus

REMINDER_TEXT = {
    "session_due": "A session from your exercise plan is due. Open the app when you are ready.",
    "next_morning": "How is your pain this morning, after yesterday's exercises? It takes a few seconds to log.",
    "no_checkins": "We have not seen a session from you this week. If something is stopping you, tell us.",
}


def patients_to_remind(today: date) -> list[tuple[int, str]]:
    """(patient id, reason) for every patient with an active plan who needs a nudge today.

    One query: a missing next-morning pain for yesterday's session comes first; otherwise a
    session is due when nothing was logged in the last two days.
    """
    yesterday = today - timedelta(days=1)
    open_morning = CheckIn.objects.filter(patient=OuterRef("pk"), date=yesterday, pain_next_morning__isnull=True)
    recent = CheckIn.objects.filter(patient=OuterRef("pk"), date__gte=today - timedelta(days=2), kind="session")
    rows = (
        Patient.objects.filter(plans__status=PlanStatus.ACTIVE, plans__start_date__lte=today, reminders_opt_out=False)
        .exclude(last_reminded_on=today)
        .annotate(open_morning=Exists(open_morning), recent=Exists(recent))
        .values_list("pk", "open_morning", "recent")
        .distinct()
    )
    due = []
    for patient_id, morning, logged_recently in rows:
        if morning:
            due.append((patient_id, "next_morning"))
        elif not logged_recently:
            due.append((patient_id, "session_due"))
    return due


def reminder_send(*, patient_id: int, reason: str, today: date) -> bool:
    """Email one reminder; at most one per patient and day (claimed by last_reminded_on)."""
    claimed = (
        Patient.objects.filter(pk=patient_id, reminders_opt_out=False)
        .exclude(last_reminded_on=today)
        .update(last_reminded_on=today)
    )
    if claimed != 1:
        return False
    patient = Patient.objects.select_related("clinic").get(pk=patient_id)
    if not patient.email:
        return False
    body = (
        f"Hello {patient.first_name},\n\n{REMINDER_TEXT[reason]}\n\n"
        f"If you no longer want these reminders, tell {patient.clinic.name} ({patient.clinic.phone})."
    )
    send_mail("Your exercise plan", body, None, [patient.email])
    return True

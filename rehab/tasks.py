"""Thin Celery tasks: take ids, call a service, safe to run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from rehab import queue
from rehab.services import alerts, notifications, progression, reminders

RETRY = {"autoretry_for": (ConnectionError, OSError), "retry_backoff": True, "retry_kwargs": {"max_retries": 5}}
SWEEP_CHUNK = 200


@shared_task(**RETRY)
def email_activation_link(user_id: int) -> bool:
    return notifications.activation_link_send(user_id=user_id)


@shared_task(**RETRY)
def send_activation_link(link_id: int) -> bool:
    """Email or text a patient their sign-in link; claimed on its row first, so it goes once."""
    return notifications.activation_link_send(link_id=link_id)


@shared_task(**RETRY)
def checkin_follow_up(checkin_id: int) -> int:
    """Red flag or red pain: pause the plan and alert the care team."""
    return len(alerts.checkin_follow_up(checkin_id=checkin_id))


@shared_task(**RETRY)
def email_alert(alert_id: int) -> bool:
    return alerts.alert_email(alert_id=alert_id)


@shared_task(**RETRY)
def plan_progress(plan_id: int, as_of: str) -> int:
    """Decide every ended week of one plan that has no decision yet."""
    return len(progression.plan_progress(plan_id=plan_id, as_of=date.fromisoformat(as_of)))


@shared_task
def progression_sweep(as_of: str | None = None) -> int:
    """Find plans with an ended, undecided week and queue one task per plan.

    If the broker refuses a message, nothing is lost: the plan is still undecided and the
    next sweep finds it again.
    """
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    due = progression.plans_due(day)
    for start in range(0, len(due), SWEEP_CHUNK):
        for plan_id in due[start : start + SWEEP_CHUNK]:
            plan_progress.delay(plan_id, day.isoformat())
    return len(due)


@shared_task(**RETRY)
def remind_patient(patient_id: int, reason: str) -> bool:
    return reminders.reminder_send(patient_id=patient_id, reason=reason, today=timezone.localdate())


@shared_task
def send_daily_reminders() -> int:
    today = timezone.localdate()
    due = reminders.patients_to_remind(today)
    for patient_id, reason in due:
        remind_patient.delay(patient_id, reason)
    return len(due)


@shared_task(**RETRY)
def email_plan_pdf(plan_id: int) -> bool:
    return notifications.plan_pdf_send(plan_id=plan_id)


@shared_task(**RETRY)
def email_plan_change(decision_id: int) -> bool:
    """Tell the patient what a weekly decision changed and why (once per plan and week)."""
    return notifications.plan_change_send(decision_id=decision_id)


@shared_task
def outbox_drain() -> int:
    return queue.drain_outbox()

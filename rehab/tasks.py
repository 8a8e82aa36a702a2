"""Thin Celery tasks: take ids, call a service, safe to run twice."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from rehab import queue
from rehab.services import alerts, notifications, progression, reminders, sweep

RETRY = {"autoretry_for": (ConnectionError, OSError), "retry_backoff": True, "retry_kwargs": {"max_retries": 5}}


def send_once(task, send) -> bool:
    """Run an email task's send() once per delivery: the task id is claimed first.

    A broker redelivers a task with the same id, so a second delivery finds the claim and sends
    nothing. Called as a plain function (no task id: tests, the outbox's inline run) it just sends.
    """
    task_id = task.request.id
    if not task_id:
        return send()
    try:
        if not queue.claim_delivery(task_id, task.name):
            return False  # this delivery was sent already
    except queue.DeliveryBusy as busy:
        # Another delivery is sending it now; look again once its claim could have gone stale.
        raise task.retry(exc=busy, countdown=settings.DELIVERY_CLAIM_TIMEOUT, max_retries=3) from busy
    try:
        result = send()
    except queue.DeliveryBusy as busy:  # the send's own claim (an alert's) is held by another delivery
        queue.release_delivery(task_id)
        raise task.retry(exc=busy, countdown=settings.DELIVERY_CLAIM_TIMEOUT, max_retries=3) from busy
    except Exception:
        queue.release_delivery(task_id)  # let the retry send it
        raise
    queue.finish_delivery(task_id)
    return result


@shared_task(bind=True, **RETRY)
def email_activation_link(self, user_id: int) -> bool:
    return send_once(self, lambda: notifications.activation_link_send(user_id=user_id))


@shared_task(bind=True, **RETRY)
def send_activation_link(self, link_id: int) -> bool:
    """Email or text a patient their sign-in link; claimed on its row first, so it goes once."""
    return send_once(self, lambda: notifications.activation_link_send(link_id=link_id))


@shared_task(**RETRY)
def checkin_follow_up(checkin_id: int) -> int:
    """Red flag or red pain: pause the plan and alert the care team (queue "urgent")."""
    return len(alerts.checkin_follow_up(checkin_id=checkin_id))


@shared_task
def follow_up_sweep() -> int:
    """Queue again every follow-up due for longer than FOLLOW_UP_RETRY_AFTER and not done.

    A worker killed in the middle of a follow-up would otherwise leave it until the broker's
    visibility timeout (an hour on Redis) redelivers it; this beat task (every minute) makes it
    minutes. The follow-up is idempotent, so queuing it while a slow one still runs is harmless.
    """
    overdue = alerts.follow_ups_overdue(older_than=settings.FOLLOW_UP_RETRY_AFTER)
    for checkin_id in overdue:
        checkin_follow_up.delay(checkin_id)
    return len(overdue)


@shared_task(bind=True, **RETRY)
def email_alert(self, alert_id: int) -> bool:
    return send_once(self, lambda: alerts.alert_email(alert_id=alert_id))


@shared_task(**RETRY)
def plan_progress(plan_id: int, as_of: str) -> int:
    """Decide every ended week of one plan that has no decision yet (one plan at a time)."""
    return len(progression.plan_progress(plan_id=plan_id, as_of=date.fromisoformat(as_of)))


@shared_task(**RETRY)
def progress_chunk(plan_ids: list[int], as_of: str) -> int:
    """Decide the ended, undecided weeks of a chunk of plans in one transaction (rehab.services.sweep);
    a plan that cannot be decided holds back only itself (sweep_chunk_or_each)."""
    return len(sweep.sweep_chunk_or_each(plan_ids=plan_ids, as_of=date.fromisoformat(as_of)))


@shared_task
def progression_sweep(as_of: str | None = None) -> int:
    """Find plans with an ended, undecided week and queue one task per chunk of them.

    If the broker refuses a message, nothing is lost: the chunk's plans are still undecided and
    the next sweep finds them again. Two sweeps at once split the work (the chunk locks skip
    plans another worker holds) and never decide a week twice.
    """
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    due = sweep.plans_due(day)
    for chunk in sweep.chunks(due):
        progress_chunk.delay(chunk, day.isoformat())
    return len(due)


@shared_task(bind=True, **RETRY)
def remind_patient(self, patient_id: int, reason: str, day: str | None = None) -> bool:
    """One reminder (a notification to the patient's phones, else email) for the patient's local
    `day`; claimed per (patient, day, kind), so a retry or a second delivery sends nothing more."""
    on = date.fromisoformat(day) if day else None
    try:
        return send_once(self, lambda: reminders.reminder_send(patient_id=patient_id, kind=reason, day=on) is not None)
    except reminders.QuietHours as quiet:
        if on is not None:
            return False  # a daily reminder: the beat queues it again when the quiet hours end
        raise self.retry(exc=quiet, countdown=quiet.seconds, max_retries=3) from quiet


@shared_task
def send_daily_reminders() -> int:
    """Queue every reminder due now, at each patient's own time of day (beat: every 5 minutes)."""
    due = reminders.reminders_due(timezone.now())
    for patient_id, kind, day in due:
        remind_patient.delay(patient_id, kind, day.isoformat())
    return len(due)


@shared_task(bind=True, **RETRY)
def email_plan_pdf(self, plan_id: int) -> bool:
    return send_once(self, lambda: notifications.plan_pdf_send(plan_id=plan_id))


@shared_task(bind=True, **RETRY)
def email_plan_change(self, decision_id: int) -> bool:
    """Tell the patient what a weekly decision changed and why (once per plan and week)."""
    return send_once(self, lambda: notifications.plan_change_send(decision_id=decision_id))


@shared_task
def outbox_drain() -> int:
    queue.prune_delivery_claims()
    return queue.drain_outbox()


@shared_task
def purge_expired_tokens() -> int:
    """Delete expired API tokens (each is refused when presented; this keeps the table small)."""
    from rehab.services.api_tokens import expired_tokens_purge

    return expired_tokens_purge()

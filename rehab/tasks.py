"""Thin Celery tasks: take ids, call a service, safe to run twice."""

from celery import shared_task

from rehab import queue
from rehab.services import alerts, notifications

RETRY = {"autoretry_for": (ConnectionError, OSError), "retry_backoff": True, "retry_kwargs": {"max_retries": 5}}


@shared_task(**RETRY)
def email_activation_link(user_id: int) -> bool:
    return notifications.activation_link_send(user_id=user_id)


@shared_task(**RETRY)
def checkin_follow_up(checkin_id: int) -> int:
    """Red flag or red pain: pause the plan and alert the care team."""
    return len(alerts.checkin_follow_up(checkin_id=checkin_id))


@shared_task(**RETRY)
def email_alert(alert_id: int) -> bool:
    return alerts.alert_email(alert_id=alert_id)


@shared_task
def outbox_drain() -> int:
    return queue.drain_outbox()

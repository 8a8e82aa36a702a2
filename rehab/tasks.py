"""Thin Celery tasks: take ids, call a service, safe to run twice."""

from celery import shared_task

from rehab import queue
from rehab.services import notifications


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, retry_kwargs={"max_retries": 5})
def email_activation_link(user_id: int) -> bool:
    return notifications.activation_link_send(user_id=user_id)


@shared_task
def outbox_drain() -> int:
    return queue.drain_outbox()

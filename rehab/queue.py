"""Queue background work safely: only after commit, and never lost when the broker is down."""

import logging

from django.db import transaction
from django.utils import timezone

from rehab.celery import app as celery_app
from rehab.models import OutboxMessage

logger = logging.getLogger(__name__)


def enqueue_on_commit(task_name: str, *args, inline_if_broker_down: bool = False, **kwargs) -> OutboxMessage:
    """Record the task in the outbox now; publish it once the transaction commits.

    Must be called inside the transaction that made the change, so the outbox row and the
    change commit (or roll back) together. With inline_if_broker_down, work that cannot wait
    for the broker to come back (a red flag must reach the care team) runs in this process
    when publishing fails; the task is idempotent, so a later drain repeating it is harmless.
    """
    message = OutboxMessage.objects.create(
        task_name=task_name, args=list(args), kwargs=kwargs, inline_if_broker_down=inline_if_broker_down
    )
    transaction.on_commit(lambda: publish(message.pk))
    return message


def publish(message_id: int) -> bool:
    """Hand one pending outbox message to the broker; claim it first so it goes out once."""
    claimed = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if claimed != 1:
        return False  # already sent by another drain or the original request
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        # Through the registered task when we have it, so eager mode (unit tests) applies.
        task = celery_app.tasks.get(message.task_name)
        if task is not None:
            task.apply_async(args=message.args, kwargs=message.kwargs)
        else:
            celery_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs)
    except Exception as error:  # the broker is down or refusing: keep the work for the drain
        logger.warning("Broker unavailable, %s stays in the outbox: %s", message, error)
        OutboxMessage.objects.filter(pk=message_id).update(
            sent_at=None, attempts=message.attempts + 1, last_error=str(error)[:2000]
        )
        if message.inline_if_broker_down:
            return _run_inline(message)
        return False
    OutboxMessage.objects.filter(pk=message_id).update(attempts=message.attempts + 1)
    return True


def drain_outbox(limit: int = 500) -> int:
    """Publish whatever is still pending (oldest first); returns how many went out."""
    pending = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at").values_list("pk", flat=True)
    sent = 0
    for message_id in list(pending[:limit]):
        if publish(message_id):
            sent += 1
        else:
            break  # the broker is still down; try again on the next drain
    return sent


def _run_inline(message: OutboxMessage) -> bool:
    task = celery_app.tasks.get(message.task_name)
    if task is None:
        return False
    try:
        task.run(*message.args, **message.kwargs)
    except Exception:
        logger.exception("Inline run of %s failed; it stays in the outbox", message)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="ran inline: broker down")
    return True

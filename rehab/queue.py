"""Queue background work safely: only after commit, and never lost when the broker is down."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from rehab.celery import app as celery_app
from rehab.models import DeliveryClaim, OutboxMessage

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
    """Hand one pending outbox message to the broker; claim it first so it goes out once.

    The claim (claimed_at) is taken before publishing and sent_at is set once the broker has
    it. A process that dies in between leaves a claim with no sent_at: after
    OUTBOX_CLAIM_TIMEOUT the drain takes it over. The task id is fixed per message
    ("outbox-<id>"), so if the dead process had in fact published, the email tasks' delivery
    claims (claim_delivery) still send once.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=now)
    )
    if claimed != 1:
        return False  # already sent, or another drain or the original request is publishing it
    message = OutboxMessage.objects.get(pk=message_id)
    options = {"task_id": f"outbox-{message.pk}"}
    try:
        # Through the registered task when we have it, so eager mode (unit tests) applies.
        task = celery_app.tasks.get(message.task_name)
        if task is not None:
            task.apply_async(args=message.args, kwargs=message.kwargs, **options)
        else:
            celery_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, **options)
    except Exception as error:  # the broker is down or refusing: keep the work for the drain
        logger.warning("Broker unavailable, %s stays in the outbox: %s", message, error)
        OutboxMessage.objects.filter(pk=message_id).update(
            claimed_at=None, attempts=message.attempts + 1, last_error=str(error)[:2000]
        )
        if message.inline_if_broker_down:
            return _run_inline(message)
        return False
    OutboxMessage.objects.filter(pk=message_id).update(sent_at=timezone.now(), attempts=message.attempts + 1)
    return True


def drain_outbox(limit: int = 500) -> int:
    """Publish whatever is still pending (oldest first); returns how many went out.

    Pending: never sent, and either unclaimed or claimed longer ago than OUTBOX_CLAIM_TIMEOUT
    (the claiming process died between claim and publish).
    """
    stale = timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    pending = (
        OutboxMessage.objects.filter(sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    sent = 0
    for message_id in list(pending[:limit]):
        if publish(message_id):
            sent += 1
        elif OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True, claimed_at__isnull=True).exists():
            break  # the broker is still down (the claim was released); try again on the next drain
    return sent


class DeliveryBusy(Exception):
    """Another delivery of the same task is sending right now; try again after its claim expires."""


def claim_delivery(task_id: str, task_name: str) -> bool:
    """Claim one delivery of an email task before sending. False: it was already sent.

    Raises DeliveryBusy when another delivery holds a fresh claim (it may still be sending);
    a claim older than DELIVERY_CLAIM_TIMEOUT and not done is taken over.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            DeliveryClaim.objects.create(task_id=task_id, task_name=task_name, claimed_at=now)
        return True
    except IntegrityError:
        pass
    stale = now - timedelta(seconds=settings.DELIVERY_CLAIM_TIMEOUT)
    taken_over = DeliveryClaim.objects.filter(task_id=task_id, done_at__isnull=True, claimed_at__lt=stale).update(
        claimed_at=now
    )
    if taken_over == 1:
        logger.warning("Taking over the stale delivery claim of %s %s", task_name, task_id)
        return True
    if DeliveryClaim.objects.filter(task_id=task_id, done_at__isnull=False).exists():
        return False
    raise DeliveryBusy(task_id)


def finish_delivery(task_id: str) -> None:
    DeliveryClaim.objects.filter(task_id=task_id).update(done_at=timezone.now())


def prune_delivery_claims(days: int = 7) -> int:
    """Forget finished delivery claims after a week: no broker redelivers that late."""
    cutoff = timezone.now() - timedelta(days=days)
    return DeliveryClaim.objects.filter(done_at__lt=cutoff).delete()[0]


def release_delivery(task_id: str) -> None:
    """Sending failed: drop the claim so the task's retry sends it."""
    DeliveryClaim.objects.filter(task_id=task_id, done_at__isnull=True).delete()


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


def enqueue_many_on_commit(tasks: list[tuple[str, list, bool]]) -> list[OutboxMessage]:
    """enqueue_on_commit for many tasks at once, (task name, args, inline_if_broker_down) each.

    One INSERT for all the outbox rows, and once the transaction commits one claim and one
    "sent" UPDATE for all of them (publish_many): the weekly sweep queues a chunk's messages so.
    """
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(task_name=name, args=list(args), kwargs={}, inline_if_broker_down=inline)
            for name, args, inline in tasks
        ]
    )
    ids = [message.pk for message in messages]
    if ids:
        transaction.on_commit(lambda: publish_many(ids))
    return messages


def publish_many(message_ids: list[int]) -> int:
    """publish() for many messages in a constant number of queries (plus one broker call each).

    Claims every pending one in one UPDATE; on the first broker failure stops and releases the
    rest for the drain (running those marked inline_if_broker_down here, as publish() does).
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    OutboxMessage.objects.filter(pk__in=message_ids, sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    ).update(claimed_at=now)
    # Ours are those claimed at this very instant: another publisher's claim is not stale, so not retaken.
    claimed = list(
        OutboxMessage.objects.filter(pk__in=message_ids, sent_at__isnull=True, claimed_at=now).order_by("pk")
    )
    sent: list[int] = []
    for n, message in enumerate(claimed):
        try:
            task = celery_app.tasks.get(message.task_name)
            options = {"task_id": f"outbox-{message.pk}"}
            if task is not None:
                task.apply_async(args=message.args, kwargs=message.kwargs, **options)
            else:
                celery_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, **options)
        except Exception as error:  # the broker is down: keep the rest for the drain
            logger.warning("Broker unavailable, %d outbox messages stay pending: %s", len(claimed) - n, error)
            rest = claimed[n:]
            OutboxMessage.objects.filter(pk__in=[m.pk for m in rest]).update(
                claimed_at=None, attempts=F("attempts") + 1, last_error=str(error)[:2000]
            )
            for pending in rest:
                if pending.inline_if_broker_down:
                    _run_inline(pending)
            break
        sent.append(message.pk)
    if sent:
        OutboxMessage.objects.filter(pk__in=sent).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    return len(sent)

"""A transactional outbox: background work is recorded with the data that caused it.

A row is written in the same transaction as the change; after commit we try to hand it
to the broker. If the broker is down the row stays pending and the drain (a beat task and
a management command) sends it later, so a broker outage never loses work.
"""

from django.db import models


class OutboxMessage(models.Model):
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a process took it to publish. A claim older than OUTBOX_CLAIM_TIMEOUT with no "
        "sent_at belongs to a process that died before publishing; the drain takes it over.",
    )
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the broker accepted it.")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    inline_if_broker_down = models.BooleanField(
        default=False,
        help_text="Safety-critical work (red flags) runs in the request itself when the broker is down.",
    )

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class DeliveryClaim(models.Model):
    """One delivery of a task that sends something (an email), keyed by the Celery task id.

    A broker redelivers a task with the same id (a lost acknowledgement, a worker killed, a
    stale outbox claim published twice), so claiming the id before sending makes the email go
    once. A claim that is not done and older than DELIVERY_CLAIM_TIMEOUT belongs to a worker
    that died while sending; the next delivery takes it over, so the email is not lost either.
    """

    task_id = models.CharField(max_length=255, unique=True)
    task_name = models.CharField(max_length=200)
    claimed_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}"

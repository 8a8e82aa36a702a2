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
    sent_at = models.DateTimeField(null=True, blank=True)
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

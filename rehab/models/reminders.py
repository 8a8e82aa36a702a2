"""Reminders the patient controls: when they come, the phones they come to, and what was sent.

- ReminderPreferences: the patient's choice of days, time of day (in the patient's own time zone),
  quiet hours and the next-morning pain reminder. A patient without a row has the defaults below.
  "Reminders off" is Patient.reminders_opt_out, the one fact the care team's form shows too.
- PushSubscription: one per browser/phone that said yes to notifications (the Push API's
  subscription: the push service's endpoint and the keys that encrypt what we send).
- ReminderDelivery: one row per (patient, local day, kind) claims that reminder before it is sent,
  so a retried or twice-delivered task sends it once.
"""

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from rehab.models.people import Patient

# Monday = 0 ... Sunday = 6 (date.weekday()); stored as a bit mask, bit n for weekday n.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVERY_DAY = 0b1111111
DEFAULT_TIME = time(9, 0)
DEFAULT_QUIET_START = time(21, 0)
DEFAULT_QUIET_END = time(8, 0)


def days_to_mask(days) -> int:
    mask = 0
    for day in days:
        mask |= 1 << int(day)
    return mask


def mask_to_days(mask: int) -> list[int]:
    return [day for day in range(7) if mask & (1 << day)]


class ReminderKind(models.TextChoices):
    SESSION_DUE = "session_due", _("A session is due")
    NEXT_MORNING = "next_morning", _("Next-morning pain")
    # Queued by the weekly decision (a week with no session), not by the reminder beat.
    NO_CHECKINS = "no_checkins", _("No session this week")


class ReminderChannel(models.TextChoices):
    PUSH = "push", _("Notification on the phone")
    EMAIL = "email", _("Email")
    NONE = "none", _("Nowhere to send it")


class ReminderPreferences(models.Model):
    """When the patient wants to be reminded. Times are wall-clock times in the patient's zone."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="reminder_preferences")
    days_mask = models.PositiveSmallIntegerField(
        default=EVERY_DAY, help_text="Days a session reminder may come: bit n for weekday n (Monday = 0)."
    )
    time_of_day = models.TimeField(default=DEFAULT_TIME, help_text="When the day's reminder comes, local time.")
    quiet_start = models.TimeField(
        null=True, blank=True, default=DEFAULT_QUIET_START, help_text="No reminder from this time ..."
    )
    quiet_end = models.TimeField(null=True, blank=True, default=DEFAULT_QUIET_END, help_text="... until this time.")
    next_morning = models.BooleanField(
        default=True, help_text="Remind the morning after a session to give the next-morning pain."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder preferences"
        constraints = [
            models.CheckConstraint(condition=models.Q(days_mask__lte=EVERY_DAY), name="reminder_days_mask_in_week"),
            # Both ends or neither: half a quiet period means nothing.
            models.CheckConstraint(
                condition=models.Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | models.Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="reminder_quiet_hours_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminders of patient {self.patient_id}"

    @property
    def days(self) -> list[int]:
        return mask_to_days(self.days_mask)


class PushSubscription(models.Model):
    """A browser's push subscription: where the push service takes our messages for one device."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="push_subscriptions")
    # Unique: one browser has one endpoint; if another patient signs in on the same phone and
    # subscribes, the subscription moves to them.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200, help_text="The browser's public key (base64url), for encryption.")
    auth = models.CharField(max_length=100, help_text="The browser's auth secret (base64url).")
    user_agent = models.CharField(max_length=200, blank=True, help_text="Which browser, to tell devices apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure = models.CharField(max_length=200, blank=True, help_text="What the push service answered.")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Push subscription {self.pk} of patient {self.patient_id}"

    def as_webpush(self) -> dict:
        """The subscription as the Push API hands it to a page (what pywebpush takes)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class ReminderDelivery(models.Model):
    """Claims one reminder (patient, local day, kind) before it is sent; records how it went."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reminder_deliveries")
    day = models.DateField(help_text="The patient's local day the reminder belongs to.")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "day", "kind"], name="one_reminder_per_patient_day_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of patient {self.patient_id} on {self.day}"

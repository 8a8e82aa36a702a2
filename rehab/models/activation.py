"""Sign-in links issued to patients: one row per link, so a link can be revoked, counted and audited."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rehab.models.people import Patient, User


class ActivationChannel(models.TextChoices):
    EMAIL = "email", _("Email to the patient's address on file")
    SMS = "sms", _("Text message to the patient's phone on file")
    HANDOVER = "handover", _("QR code shown once to a physiotherapist on the care team, handed over in person")


class ActivationEnd(models.TextChoices):
    USED = "used", _("Used: the patient chose a password")
    REPLACED = "replaced", _("Replaced by a newer link")
    TOO_MANY_TRIES = "too_many_tries", _("Too many wrong dates of birth")
    CONTACT_CHANGED = "contact_changed", _("The email or phone it went to was changed")


class ActivationLink(models.Model):
    """One sign-in link for a patient login that has no password yet.

    The link itself is never stored: it is minted when it is delivered (the email or text message
    is sent, or the QR code is shown), and only a hash of its secret part is kept, so neither the
    database nor any API response can give it away. Issuing a new link ends the open ones.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="activation_links")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_links")
    channel = models.CharField(max_length=12, choices=ActivationChannel.choices)
    destination = models.CharField(
        max_length=254, blank=True, help_text="The patient's email or phone on file when issued; empty for hand-over."
    )
    issued_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    delivered_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was sent or shown; claims the one delivery."
    )
    secret_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the secret in the delivered link; empty until delivered."
    )
    failed_checks = models.PositiveSmallIntegerField(default=0, help_text="Wrong dates of birth entered so far.")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=ActivationEnd.choices, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["user", "ended_at"], name="activation_open_by_user")]

    def __str__(self) -> str:
        return f"Sign-in link {self.pk} ({self.channel}) for patient {self.patient_id}"

    def is_open(self, now=None) -> bool:
        """Not used, replaced or spent, and not expired."""
        return self.ended_at is None and self.expires_at > (now or timezone.now())

"""Who read a patient's data: an append-only log of staff reads (the "access log").

Changes are audited by django-simple-history; this records reads. A row is never changed or
removed: the model has no update path in code, and on PostgreSQL a trigger refuses UPDATE and
DELETE (django-pgtrigger), so not even a mistaken query or the Django admin can rewrite it.
"""

import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _

from rehab.models.people import Patient, User


class AccessKind(models.TextChoices):
    PATIENT = "patient", _("patient record")
    PATIENT_LIST = "patient_list", _("patient list")
    ASSESSMENTS = "assessments", _("assessments")
    PLAN = "plan", _("plan")
    PLAN_LIST = "plan_list", _("plan list")
    PLAN_PROGRESS = "plan_progress", _("plan progress")
    PLAN_HISTORY = "plan_history", _("plan history")
    CHECKINS = "checkins", _("check-ins")
    CHECKIN = "checkin", _("check-in")
    MEASUREMENTS = "measurements", _("measurements")
    PLAN_PDF = "plan_pdf", _("plan PDF")
    REPORT_PDF = "report_pdf", _("progress report PDF")
    CHANGE_HISTORY = "change_history", _("change history")
    CASELOAD = "caseload", _("caseload list")


class RecordAccess(models.Model):
    """One staff read of one patient's data through one surface (an API operation or a page).

    A list read writes one row per patient shown (object_id empty), so each patient can see
    that their name and data appeared in someone's list.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", help_text="Who read it.")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+", help_text="Whose data.")
    kind = models.CharField(max_length=30, choices=AccessKind.choices, help_text="What was read.")
    object_id = models.BigIntegerField(null=True, blank=True, help_text="The plan, check-in ... read; empty for lists.")
    address = models.GenericIPAddressField(null=True, blank=True, help_text="The client's address.")
    surface = models.CharField(max_length=200, help_text='Where: "api:<route name>" or "page:<page name>".')

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"], name="access_patient_at_idx")]
        triggers = [
            pgtrigger.Protect(name="access_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} read {self.kind} of patient {self.patient_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # Append only: a stored row is never saved again (the database refuses it on PostgreSQL).
        if self.pk is not None and not self._state.adding:
            raise ValueError("An access log row cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An access log row cannot be removed.")

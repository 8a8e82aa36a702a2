"""Weekly progression decisions and the alerts that need a clinician."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planner.decision_doses import Cited
from rehab.models.checkins import CheckIn
from rehab.models.fields import StoredJSONField
from rehab.models.people import Patient, User
from rehab.models.plans import Plan


class ProgressionDecision(models.Model):
    """The decision taken at the end of one plan week. Unique per (plan, week): re-runs change nothing."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="decisions")
    week = models.PositiveSmallIntegerField(help_text="The plan week that ended.")
    action = models.CharField(max_length=20)  # advance, hold, regress, pause_for_review
    light = models.CharField(max_length=6, blank=True)  # green, amber, red, or blank without data
    reasons = StoredJSONField(help_text="[{rule_id, rule_text, evidence, source, text, checkin_ids}]")
    # Doses with their rule ids only (planner.decision_doses); the rule texts are in the rule_index part.
    doses_before = StoredJSONField(help_text="The doses of the week that ended, per exercise slug.")
    doses_after = StoredJSONField(help_text="The doses set for the next week, per exercise slug.")
    rule_index = models.CharField(
        max_length=32,
        blank=True,
        help_text="Digest of the PlanPart holding the texts of the rules its doses (and carried doses) cite.",
    )
    changes = StoredJSONField(default=dict, help_text="Per exercise slug, the one variable that changed.")
    review_required = models.BooleanField(default=False)
    remind_patient = models.BooleanField(default=False)
    carry = models.JSONField(
        default=dict,
        help_text="What the next week's decision needs: held doses, mean pain, weeks since a regression.",
    )
    sessions_planned = models.PositiveSmallIntegerField(default=0)
    sessions_done = models.PositiveSmallIntegerField(default=0)
    decided_at = models.DateTimeField(auto_now_add=True)

    # What its doses cite (rule texts, rationales) once read or made: not columns (the row holds digests).
    cited: Cited | None = None

    class Meta:
        ordering = ["plan", "week"]
        constraints = [models.UniqueConstraint(fields=["plan", "week"], name="one_decision_per_plan_week")]

    def __str__(self) -> str:
        return f"Week {self.week} of plan {self.plan_id}: {self.action}"


class AlertKind(models.TextChoices):
    RED_FLAG = "red_flag", _("Red flag reported")
    PAIN_RED = "pain_red", _("Pain above the red threshold")
    REVIEW = "review", _("Progression paused for review")
    STRENGTH_DROP = "strength_drop", _("Strength or function dropped")
    OVERRIDE = "override", _("Dose above a limit accepted with an override")
    NO_CHECKINS = "no_checkins", _("No check-ins this week")
    FLARE = "flare", _("Reassessment shows a flare")
    LIMITS_LOOSENED = "limits_loosened", _("Reassessment allows looser limits (to review)")
    RETEST_DUE = "retest_due", _("Strength re-test due")
    CK_RISE = "ck_rise", _("Muscle enzymes (CK) rising")
    AMBER_STREAK = "amber_streak", _("Three amber weeks in a row")
    VITAL_SIGNS = "vital_signs", _("Heart rate or oxygen saturation outside limits")
    REASSESSMENT_DUE = "reassessment_due", _("Reassessment due")


class Alert(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="alerts")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    urgent = models.BooleanField(default=False, help_text="Needs a clinician today (red flags, red pain).")
    message = models.TextField()
    said = models.JSONField(
        null=True,
        blank=True,
        help_text="message as a catalogue template with its values (planner.progression.said), so that pages "
        "and emails say it in the reader's language; null for an alert written before (read as stored).",
    )
    checkin = models.ForeignKey(CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    decision = models.ForeignKey(
        "rehab.ProgressionDecision", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    override = models.ForeignKey(
        "rehab.LimitOverride", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    assessment = models.ForeignKey(
        "rehab.Assessment", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    measurement = models.ForeignKey(
        "rehab.Measurement", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["said"])

    class Meta:
        ordering = ["acknowledged_at", "-urgent", "-created_at"]
        constraints = [
            # One alert of a kind per check-in or decision: retried follow-ups never duplicate.
            models.UniqueConstraint(
                fields=["checkin", "kind"], condition=models.Q(checkin__isnull=False), name="one_alert_per_checkin_kind"
            ),
            models.UniqueConstraint(
                fields=["decision", "kind"],
                condition=models.Q(decision__isnull=False),
                name="one_alert_per_decision_kind",
            ),
            models.UniqueConstraint(
                fields=["assessment", "kind"],
                condition=models.Q(assessment__isnull=False),
                name="one_alert_per_assessment_kind",
            ),
            models.UniqueConstraint(
                fields=["measurement", "kind"],
                condition=models.Q(measurement__isnull=False),
                name="one_alert_per_measurement_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient}"

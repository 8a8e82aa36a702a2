"""Plans: a patient's FITT-VP prescription with its load limits and week-by-week doses.

The engine's output is stored whole as a JSON snapshot written by planner.serialize, so a
plan always shows the limits and rationale it was built with, even after the rules change.
PlanItem rows exist so that check-ins and overrides can point at an item with a foreign key.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from rehab.models.assessments import Assessment
from rehab.models.exercises import Exercise
from rehab.models.people import Patient, User


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    ARCHIVED = "archived", "Archived"


class Plan(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="plans")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="plans", help_text="The assessment the limits came from."
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="authored_plans")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True)
    start_date = models.DateField()
    weeks = models.PositiveSmallIntegerField(default=12)
    engine = models.JSONField(
        help_text="The engine's plan (planner.serialize of planner.types.Plan): profile, load limits with their "
        "rules, items with rationale, week-by-week doses and the safety notice."
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency: a stale edit gets 409.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One active (or paused) plan per patient: the patient's "today" must be unambiguous.
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status__in=["active", "paused"]),
                name="one_running_plan_per_patient",
            )
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} for {self.patient} ({self.status})"


class PlanItem(models.Model):
    """One prescribed exercise of a plan, with its starting dose, progression rule and rationale."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    component = models.CharField(max_length=12)
    in_plan = models.BooleanField(
        default=True,
        help_text="Whether the exercise is still in the plan's engine items. An item the limits or a "
        "reassessment removed keeps its row (check-ins point at it) but no longer takes check-ins. "
        "Mirrors Plan.engine, kept in step by the plan services, so a check-in need not load the snapshot.",
    )

    # in_plan is derived from the plan's snapshot, whose own history records the change.
    history = HistoricalRecords(excluded_fields=["in_plan"])

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="plan_item_position_unique")]

    def __str__(self) -> str:
        return f"{self.exercise} in plan {self.plan_id}"


class LimitOverride(models.Model):
    """A dose or limit above the computed limits, accepted by a physiotherapist with a reason.

    Every override is flagged for the clinician until acknowledged.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="overrides")
    item = models.ForeignKey(PlanItem, null=True, blank=True, on_delete=models.CASCADE, related_name="overrides")
    limits_exceeded = models.JSONField(help_text="The violated limits: [{limit, message}].")
    dose = models.JSONField(null=True, blank=True, help_text="The dose accepted despite the limits.")
    reason = models.TextField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Override on plan {self.plan_id} by {self.created_by_id}: {self.reason[:40]}"


class Clearance(models.Model):
    """A clinician's medical clearance for a plan whose profile needs one before activation.

    Which profiles need it is rule data (planner limits `clearance_required`); the rule ids that asked
    for it are stored with the clearance so the record says what was cleared.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="clearances")
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    rules = models.JSONField(default=list, help_text="Ids of the rules that required the clearance.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Clearance of plan {self.plan_id} by {self.granted_by_id}"

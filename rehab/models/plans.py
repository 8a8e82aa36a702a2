"""Plans: a patient's FITT-VP prescription with its load limits and week-by-week doses.

The engine's plan is stored as rows (planner.storage): a small blueprint on the Plan (profile,
limits, item order, targets), one PlanItem per exercise with its current dose as columns and its
week-by-week schedule in a compact form, and content-addressed PlanParts (exercise definitions,
progression rules, rationales, rule texts) shared by every plan that uses them. A part never
changes, so a plan always shows the texts it was built with, even after the rules change.
History records what changed (PlanChange: item, field, from → to, why, what triggered it) rather
than a copy of the plan at every save.
"""

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from rehab.models.assessments import Assessment
from rehab.models.exercises import Exercise
from rehab.models.fields import StoredJSONField
from rehab.models.history_said import ChangeSaid, keep_the_reasons_template
from rehab.models.people import Patient, User


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


# A running plan is the one the patient's days belong to: active, or paused by a red flag or by staff
# (a paused plan still has its weeks, its check-ins and its weekly decisions). One per patient.
RUNNING_STATUSES = (PlanStatus.ACTIVE, PlanStatus.PAUSED)


class Plan(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="plans")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="plans", help_text="The assessment the limits came from."
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="authored_plans")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True)
    start_date = models.DateField()
    weeks = models.PositiveSmallIntegerField(default=12)
    blueprint = StoredJSONField(
        default=dict,
        help_text="The engine plan's small part (planner.storage): profile, load limits, the items' order, "
        "the number of weeks, the safety notice and the digests of its targets and rule list.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency: a stale edit gets 409.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.TextField(blank=True)
    pause_said = models.JSONField(
        null=True,
        blank=True,
        help_text="pause_reason as a catalogue template with its values (planner.progression.said), so that it "
        "reads in the reader's language; null for a reason written before, or by hand (read as stored).",
    )

    # The blueprint's changes are recorded field by field as PlanChange rows, not copied.
    # A service that writes its reason's template too sets `_change_said` beside `_change_reason`.
    history = HistoricalRecords(excluded_fields=["updated_at", "blueprint", "pause_said"], bases=[ChangeSaid])

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

    # The plan's calendar, asked of the row alone (no query unless a method says it reads the patient).

    @property
    def is_running(self) -> bool:
        """Active or paused (RUNNING_STATUSES): the plan the patient's days belong to."""
        return self.status in RUNNING_STATUSES

    @property
    def end_date(self) -> date:
        """The plan's last day: the end of its last week."""
        return self.start_date + timedelta(days=7 * self.weeks - 1)

    def week_of(self, day: date) -> int:
        """The 1-based plan week `day` falls in, as counted: 0 or less before the start, more than
        `weeks` after the end (`covers` says whether the day is in the plan)."""
        return (day - self.start_date).days // 7 + 1

    def covers(self, day: date) -> bool:
        """Whether `day` is one of the plan's days, from its start to the end of its last week."""
        return self.start_date <= day <= self.end_date

    def current_week(self, today: date | None = None) -> int:
        """The plan week under way by the patient's clock, kept within the plan: week 1 before the
        start, the last week after the end. Without `today` it reads the patient (a query unless loaded)."""
        day = today if today is not None else self.patient.today()
        return max(1, min(self.weeks, self.week_of(day)))

    def edit_week(self, today: date | None = None) -> int:
        """The first week an edit applies to: week 1 of a draft (nothing has happened yet), else the
        week under way, so the weeks already lived keep the doses the patient was given."""
        return 1 if self.status == PlanStatus.DRAFT else self.current_week(today)


# The columns that hold an item's dose: what a reschedule rewrites (the sweep writes only these).
DOSE_COLUMNS = (
    "prescribed_dose",
    "schedule",
    "dose_week",
    "frequency_per_week",
    "minutes",
    "sets",
    "reps",
    "hold_seconds",
    "intensity",
)
# Every column of the stored engine item (planner.storage.StoredItem and the current dose).
ITEM_COLUMNS = (
    "in_plan",
    "stored_version",
    "exercise_part",
    "progression_part",
    "rationale_part",
    "targets",
    "notes",
    *DOSE_COLUMNS,
)


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
        "Kept in step with the plan's item order by the plan services.",
    )
    # The engine item (planner.storage.StoredItem); empty for an item no longer in the plan.
    exercise_part = models.CharField(max_length=32, blank=True, help_text="Digest of the exercise as prescribed.")
    progression_part = models.CharField(max_length=32, blank=True, help_text="Digest of its progression rule.")
    rationale_part = models.CharField(max_length=32, blank=True, help_text="Digest of why it was chosen.")
    targets = models.JSONField(default=list, blank=True, help_text="Target muscle groups it serves.")
    notes = models.JSONField(default=list, blank=True, help_text="Words for the patient that come with it.")
    prescribed_dose = StoredJSONField(default=dict, blank=True, help_text="The week-1 dose (compact form).")
    schedule = StoredJSONField(
        default=list,
        blank=True,
        help_text="Week by week: [week, compact dose or null when unchanged, variable that grew, growth %].",
    )
    stored_version = models.PositiveIntegerField(
        default=0, help_text="The plan version these columns were written at (its blueprint is of the same write)."
    )
    # The current dose as columns: the dose of the first week without a progression decision.
    dose_week = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The week the dose below is for.")
    frequency_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.FloatField(null=True, blank=True)
    sets = models.PositiveSmallIntegerField(null=True, blank=True)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    intensity = StoredJSONField(default=list, blank=True, help_text="[[unit, low, high], ...]; the first governs.")

    # The dose and schedule are the plan's; their changes are recorded as PlanChange rows.
    history = HistoricalRecords(excluded_fields=list(ITEM_COLUMNS))

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
    limits_exceeded = models.JSONField(
        help_text="The violated limits: [{limit, message, said}] (said: the message as its catalogue template)."
    )
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


class PlanPart(models.Model):
    """A piece of an engine plan stored once and shared (planner.storage): never changed or deleted."""

    digest = models.CharField(max_length=32, primary_key=True)
    kind = models.CharField(max_length=12)  # exercise, progression, rationale, rule, rules, targets, provenance
    body = models.JSONField()

    def __str__(self) -> str:
        return f"{self.kind} {self.digest}"


class ChangeTrigger(models.TextChoices):
    EDIT = "edit", _("Dose edited")
    LIMITS = "limits", _("Limits changed")
    DECISION = "decision", _("Weekly progression decision")
    REASSESSMENT = "reassessment", _("Reassessment")
    IMPORTED = "imported", _("Recovered from an earlier plan snapshot")


class PlanChange(models.Model):
    """One field of a plan that changed: which item (none for a limit), from which week, from → to, why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    item = models.ForeignKey(PlanItem, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    week = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The first plan week it applies to.")
    field = models.CharField(max_length=60, help_text="A dose variable, in_plan, or limits.<path>.")
    before = StoredJSONField(null=True, blank=True)
    after = StoredJSONField(null=True, blank=True)
    trigger = models.CharField(max_length=12, choices=ChangeTrigger.choices)
    reason = models.TextField(help_text="Why, as the service that made the change wrote it.")
    decision = models.ForeignKey(
        "rehab.ProgressionDecision", null=True, blank=True, on_delete=models.CASCADE, related_name="plan_changes"
    )
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(help_text="The plan version the change produced.")
    created_at = models.DateTimeField(db_default=models.functions.Now())

    class Meta:
        ordering = ["plan", "created_at", "id"]
        indexes = [models.Index(fields=["plan", "created_at"])]

    def __str__(self) -> str:
        return f"Plan {self.plan_id} v{self.version}: {self.field} {self.before} → {self.after}"


pre_create_historical_record.connect(keep_the_reasons_template, sender=Plan.history.model)

"""What patients report: session check-ins (with red flags) and strength/function measures."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rehab.models.people import EffortScale, Patient, User
from rehab.models.plans import Plan, PlanItem

PAIN = [MinValueValidator(0), MaxValueValidator(10)]
HEART_RATE = [MinValueValidator(30), MaxValueValidator(230)]
SPO2 = [MinValueValidator(50), MaxValueValidator(100)]


class CheckInKind(models.TextChoices):
    SESSION = "session", _("Exercise session")
    SYMPTOMS = "symptoms", _("Symptom report (no session)")


class CheckIn(models.Model):
    """One logged session of an active plan (at most one per plan and day), or a symptom report:
    red flags reported on a day without a session, which alert the team but count as no session."""

    # No index of its own: every index below starts with the plan (a plan's check-ins by week or day),
    # and each index is one more write on the busiest insert.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checkins", db_index=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField(help_text="The day of the session, in the patient's time zone.")
    plan_week = models.PositiveSmallIntegerField(help_text="1-based week of the plan this session belongs to.")
    kind = models.CharField(max_length=10, choices=CheckInKind.choices, default=CheckInKind.SESSION)
    # Indexed by the idempotency key's constraint, which starts with it.
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", db_index=False)
    on_behalf = models.BooleanField(default=False, help_text="Logged by staff for the patient.")
    session_rpe = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(6), MaxValueValidator(20)],
        help_text="Borg 6-20: the answer, or the 6-20 equivalent of an answer on another scale (planner.effort).",
    )
    effort_scale = models.CharField(
        max_length=10,
        choices=EffortScale.choices,
        blank=True,
        help_text="The scale the effort was asked on; empty for sessions from before it was kept (6-20).",
    )
    effort_value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(20)], help_text="The effort as answered, on effort_scale."
    )
    pain_during = models.PositiveSmallIntegerField(validators=PAIN)
    pain_after = models.PositiveSmallIntegerField(validators=PAIN)
    pain_next_morning = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_next_morning_at = models.DateTimeField(null=True, blank=True)
    red_flags = models.JSONField(default=list, blank=True, help_text="Red-flag codes reported with this session.")
    pain_regions = models.JSONField(
        default=list,
        blank=True,
        help_text="Where it hurt (planner.vocabulary.PAIN_SITES): the calcified area, muscles, joints, elsewhere.",
    )
    pain_item = models.ForeignKey(
        PlanItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below: most check-ins name no exercise
        help_text="The exercise that hurt, when the patient could tell.",
    )
    heart_rate_avg = models.PositiveSmallIntegerField(null=True, blank=True, validators=HEART_RATE)
    heart_rate_max = models.PositiveSmallIntegerField(null=True, blank=True, validators=HEART_RATE)
    spo2_min = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SPO2, help_text="Lowest pulse-oximeter reading during the session, %."
    )
    supervised_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # a partial index below: most sessions are at home
        help_text="The physiotherapist who supervised this session at the clinic.",
    )
    notes = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=100, help_text="Client-chosen; a retry returns the first result.")
    created_at = models.DateTimeField(auto_now_add=True)
    followed_up_at = models.DateTimeField(
        null=True, blank=True, help_text="When the red-flag/pain follow-up (pause, alerts) was done."
    )
    follow_up_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a red flag or red pain made a follow-up due (the commit that queued it); "
        "followed_up_at - follow_up_due_at is the follow-up lag.",
    )

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "date"], condition=models.Q(kind="session"), name="one_session_per_plan_day"
            ),
            models.UniqueConstraint(fields=["logged_by", "idempotency_key"], name="checkin_idempotency_key"),
        ]
        indexes = [
            models.Index(fields=["plan", "plan_week"], name="checkin_plan_week_idx"),
            # The urgent sweep looks for follow-ups due and not done.
            models.Index(
                fields=["follow_up_due_at"],
                condition=models.Q(follow_up_due_at__isnull=False, followed_up_at__isnull=True),
                name="checkin_follow_up_open_idx",
            ),
            # Deleting an exercise from a plan or a staff login looks these up; only the few rows that
            # name one are in them, so a plain session writes neither.
            models.Index(
                fields=["pain_item"], condition=models.Q(pain_item__isnull=False), name="checkin_pain_item_idx"
            ),
            models.Index(
                fields=["supervised_by"],
                condition=models.Q(supervised_by__isnull=False),
                name="checkin_supervised_by_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.date} for {self.patient}"

    @property
    def follow_up_lag(self):
        """How long the care team's follow-up took after it became due (None when not both known)."""
        if self.followed_up_at is None or self.follow_up_due_at is None:
            return None
        return self.followed_up_at - self.follow_up_due_at


class CheckInItem(models.Model):
    """What the patient actually did of one plan item in that session."""

    # Indexed by checkin_item_unique, which starts with it: one index write fewer per item logged.
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="items", db_index=False)
    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="+")
    done = models.BooleanField()
    sets = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(20)])
    reps = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(200)])
    load_kg = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(300)]
    )
    minutes = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(300)]
    )
    average_hr = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(30), MaxValueValidator(230)]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkin", "plan_item"], name="checkin_item_unique")]

    def __str__(self) -> str:
        return f"{'Done' if self.done else 'Skipped'}: item {self.plan_item_id} of check-in {self.checkin_id}"


class Measurement(models.Model):
    """A strength or function measure, dated. Units and valid ranges: planner.vocabulary.MEASURES."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(max_length=32, db_index=True)
    value = models.DecimalField(max_digits=8, decimal_places=2)
    upper_limit_normal = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The lab's upper limit of normal, for laboratory values (CK in U/L).",
    )
    measured_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-measured_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} = {self.value} on {self.measured_on}"

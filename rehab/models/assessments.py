"""Dated clinical assessments: the inputs from which a plan's load limits are computed."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from planner.vocabulary import BONE_FRAGILITY, CARDIOPULMONARY_STATUS, INFLAMMATION_ACTIVITY
from rehab.models.people import Patient, User


def _choices(values):
    return [(value, value.replace("_", " ").capitalize()) for value in values]


class Assessment(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="assessments")
    assessed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_on = models.DateField()
    bone_fragility = models.CharField(max_length=24, choices=_choices(BONE_FRAGILITY))
    vertebral_fracture = models.BooleanField(default=False)
    heterotopic_ossification_regions = models.JSONField(
        default=list, blank=True, help_text="Body regions with heterotopic ossification (calcified masses)."
    )
    inflammation_activity = models.CharField(max_length=12, choices=_choices(INFLAMMATION_ACTIVITY))
    pain_at_rest = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)], help_text="0-10 numeric rating."
    )
    resting_hr = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(30), MaxValueValidator(150)], help_text="Beats per minute, at rest."
    )
    measured_hr_max = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(80), MaxValueValidator(230)],
        help_text="From an exercise test; when empty the Tanaka estimate (208 - 0.7 x age) is used.",
    )
    resting_spo2 = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text="Pulse-oximeter reading at rest, %: the baseline for exertional desaturation.",
    )
    padded_pressure_regions = models.JSONField(
        default=list,
        blank=True,
        help_text="Protected regions the clinician marks as tolerating padded, short pressure (seated work allowed).",
    )
    beta_blocker = models.BooleanField(default=False, help_text="Heart rate is then unreliable: effort (RPE) governs.")
    arrhythmia = models.BooleanField(
        default=False,
        help_text="An irregular heart rhythm such as atrial fibrillation: heart rate is then unreliable, effort (RPE) "
        "governs.",
    )
    cardiopulmonary_status = models.CharField(max_length=12, choices=_choices(CARDIOPULMONARY_STATUS))
    avoid_regions = models.JSONField(default=list, blank=True, help_text="Body regions the plan must not load.")
    available_equipment = models.JSONField(
        null=True, blank=True, help_text="Equipment the patient can use; empty means any."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(pain_at_rest__lte=10), name="assessment_pain_at_rest_0_10"),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.patient} on {self.assessed_on}"

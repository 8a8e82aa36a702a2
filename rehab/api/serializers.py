"""Input validation and output shapes for people and assessments. No business rules here."""

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    EQUIPMENT,
    INFLAMMATION_ACTIVITY,
    SEXES,
)
from rehab import selectors, text_limits
from rehab.api.fields import VocabularyListField
from rehab.clinical import date_of_birth_problem
from rehab.models import ActivationChannel, Assessment, Patient, Role, User
from rehab.services.people import CLINICAL_FIELDS


class StaffSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = User
        fields = ["id", "name", "role", "email", "phone"]


class PatientSerializer(serializers.ModelSerializer):
    """A patient record. Its fields depend on who asks: a clinic admin neither sees nor sends the
    clinical ones (CLINICAL_FIELDS, e.g. diagnoses); the care team and the patient see them."""

    sex = serializers.ChoiceField(choices=SEXES)
    diagnoses = serializers.ListField(
        child=serializers.CharField(max_length=text_limits.DIAGNOSIS),
        allow_empty=True,
        required=False,
        max_length=text_limits.DIAGNOSES,
        help_text="Clinical: absent for a clinic admin, who may not send it either (403).",
    )
    care_team = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False)
    care_team_members = StaffSummarySerializer(source="care_team", many=True, read_only=True)
    has_login = serializers.SerializerMethodField()
    activation_status = serializers.SerializerMethodField(
        help_text="none: no sign-in link is open; pending: a link is on its way or waiting to be used; "
        "active: the patient has chosen a password."
    )
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=text_limits.RECORD_REASON
    )

    class Meta:
        model = Patient
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "diagnoses",
            "phone",
            "email",
            "time_zone",
            "reminders_opt_out",
            "care_team",
            "care_team_members",
            "has_login",
            "activation_status",
            "created_at",
            "reason",
        ]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only staff of the requester's clinic can be named; others read as "does not exist".
            self.fields["care_team"].child_relation.queryset = selectors.care_team_candidates(request.user)
            if request.user.role == Role.CLINIC_ADMIN:
                for name in CLINICAL_FIELDS:
                    self.fields.pop(name, None)

    def to_internal_value(self, data):
        request = self.context.get("request")
        if request is not None and request.user.role == Role.CLINIC_ADMIN and hasattr(data, "keys"):
            sent = sorted(set(data.keys()) & set(CLINICAL_FIELDS))
            if sent:
                raise exceptions.PermissionDenied(
                    f"A clinic admin cannot record or change clinical fields ({', '.join(sent)})."
                )
        return super().to_internal_value(data)

    def get_has_login(self, patient) -> bool:
        return patient.user_id is not None

    @extend_schema_field(serializers.ChoiceField(choices=["none", "pending", "active"]))
    def get_activation_status(self, patient) -> str:
        user = patient.user
        if user is None:
            return "none"
        if user.has_usable_password():
            return "active"
        links = getattr(patient, "open_activation_links", None)
        if links is None:  # not prefetched (a single record just written)
            return "pending" if selectors.has_open_sign_in_link(patient) else "none"
        return "pending" if links else "none"

    def validate_date_of_birth(self, value):
        # A changed record keeps its assessments: the earliest must still be dated in the planned ages.
        first = selectors.first_assessment_date(self.instance) if self.instance is not None else None
        problem = date_of_birth_problem(value, timezone.localdate(), first)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate_time_zone(self, value):
        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError(gettext("Unknown time zone; use a name such as Europe/Paris."))
        return value


class AssessmentSerializer(serializers.ModelSerializer):
    bone_fragility = serializers.ChoiceField(choices=BONE_FRAGILITY)
    inflammation_activity = serializers.ChoiceField(choices=INFLAMMATION_ACTIVITY)
    cardiopulmonary_status = serializers.ChoiceField(choices=CARDIOPULMONARY_STATUS)
    heterotopic_ossification_regions = VocabularyListField(BODY_REGIONS, required=False)
    avoid_regions = VocabularyListField(BODY_REGIONS, required=False)
    available_equipment = VocabularyListField(EQUIPMENT, required=False, allow_null=True)
    pain_at_rest = serializers.IntegerField(min_value=0, max_value=10)
    resting_hr = serializers.IntegerField(min_value=30, max_value=150)
    measured_hr_max = serializers.IntegerField(min_value=80, max_value=230, required=False, allow_null=True)
    resting_spo2 = serializers.IntegerField(min_value=50, max_value=100, required=False, allow_null=True)
    padded_pressure_regions = VocabularyListField(BODY_REGIONS, required=False)
    assessed_by = StaffSummarySerializer(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "assessed_on",
            "assessed_by",
            "bone_fragility",
            "vertebral_fracture",
            "heterotopic_ossification_regions",
            "inflammation_activity",
            "pain_at_rest",
            "resting_hr",
            "measured_hr_max",
            "resting_spo2",
            "beta_blocker",
            "arrhythmia",
            "cardiopulmonary_status",
            "avoid_regions",
            "available_equipment",
            "padded_pressure_regions",
            "notes",
            "created_at",
        ]
        read_only_fields = ["id", "assessed_by", "created_at"]
        extra_kwargs = {"notes": {"max_length": text_limits.ASSESSMENT_NOTES}}

    def validate_assessed_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(gettext("An assessment cannot be dated in the future."))
        return value

    def validate(self, attrs):
        hr_max = attrs.get("measured_hr_max")
        if hr_max is not None and hr_max <= attrs.get("resting_hr", 0):
            raise serializers.ValidationError({"measured_hr_max": [gettext("Must be above the resting heart rate.")]})
        return attrs


class RunningPlanChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            "flare",
            "profile",
            "limit_tightened",
            "limit_proposed",
            "swapped",
            "removed",
            "clamped",
            "override_released",
        ],
        help_text="flare / profile: an assessment field changed (flare: a flare rule fired, see rule_id); "
        "limit_tightened: applied at once; limit_proposed: looser, NOT applied (a clinician applies it with a "
        "reason via plans/{id}/limits/); swapped / removed: an exercise the new limits forbid; clamped: a dose "
        "lowered from this week; override_released: an override no longer applies above a tightened limit.",
    )
    field = serializers.CharField(required=False, help_text="The assessment field or limit path (not for items).")
    before = serializers.JSONField(required=False)
    after = serializers.JSONField(required=False)
    rule_id = serializers.CharField(required=False, allow_null=True, help_text="The flare rule that fired.")
    exercise = serializers.CharField(required=False, help_text="Slug of the exercise (item changes).")
    replacement = serializers.CharField(required=False, allow_null=True, help_text="Slug of its replacement.")
    text = serializers.CharField(help_text="The change in words, as the plan history says it.")


class RunningPlanOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The running (active or paused) plan.")
    changes = RunningPlanChangeSerializer(many=True)
    paused = serializers.BooleanField(help_text="Whether the plan is paused now (a flare pauses it).")
    alert_id = serializers.IntegerField(
        allow_null=True, help_text="The FLARE alert (urgent, emailed), else the LIMITS_LOOSENED one, else null."
    )


class AssessmentCreatedSerializer(AssessmentSerializer):
    """The stored assessment and what it did to the patient's running plan."""

    running_plan = serializers.SerializerMethodField(
        help_text="What this assessment changed on the running plan, at once; null without a running plan."
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "running_plan"]

    @extend_schema_field(RunningPlanOutcomeSerializer(allow_null=True))
    def get_running_plan(self, assessment):
        outcome = getattr(assessment, "running_plan", None)
        return outcome.as_dict() if outcome is not None else None


class ActivationRequestSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=[ActivationChannel.EMAIL, ActivationChannel.SMS],
        required=False,
        help_text="Where the link goes: the patient's email or phone on file. Default: email if there is "
        "one, else a text message. A QR code for hand-over is shown only on the patient's page.",
    )


class ActivationIssuedSerializer(serializers.Serializer):
    """Where the sign-in link went. The link itself is never in an answer: only the patient gets it."""

    username = serializers.CharField(source="user.username", help_text="The patient's username.")
    channel = serializers.ChoiceField(choices=ActivationChannel.choices)
    sent_to = serializers.CharField(source="destination", help_text="The email address or phone on file.")
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class AuditEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    object = serializers.CharField()
    object_id = serializers.IntegerField()
    action = serializers.CharField()
    by = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    changes = serializers.ListField(child=serializers.DictField())

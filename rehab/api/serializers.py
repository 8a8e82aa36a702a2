"""Input validation and output shapes for people and assessments. No business rules here."""

import zoneinfo

from django.utils import timezone
from rest_framework import serializers

from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    EQUIPMENT,
    INFLAMMATION_ACTIVITY,
    SEXES,
)
from rehab.api.fields import VocabularyListField
from rehab.models import Assessment, Patient, User


class StaffSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = User
        fields = ["id", "name", "role", "email", "phone"]


class PatientSerializer(serializers.ModelSerializer):
    sex = serializers.ChoiceField(choices=SEXES)
    diagnoses = serializers.ListField(child=serializers.CharField(max_length=200), allow_empty=True, required=False)
    care_team = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False)
    care_team_members = StaffSummarySerializer(source="care_team", many=True, read_only=True)
    has_login = serializers.SerializerMethodField()
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)

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
            "created_at",
            "reason",
        ]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only staff of the requester's clinic can be named; others read as "does not exist".
            from rehab.selectors import care_team_candidates

            self.fields["care_team"].child_relation.queryset = care_team_candidates(request.user)

    def get_has_login(self, patient) -> bool:
        return patient.user_id is not None

    def validate_date_of_birth(self, value):
        today = timezone.localdate()
        if value > today:
            raise serializers.ValidationError("Date of birth cannot be in the future.")
        if value.year < today.year - 120:
            raise serializers.ValidationError("Date of birth is more than 120 years ago.")
        return value

    def validate_time_zone(self, value):
        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError("Unknown time zone; use a name such as Europe/Paris.")
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
            "beta_blocker",
            "cardiopulmonary_status",
            "avoid_regions",
            "available_equipment",
            "notes",
            "created_at",
        ]
        read_only_fields = ["id", "assessed_by", "created_at"]

    def validate_assessed_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("An assessment cannot be dated in the future.")
        return value

    def validate(self, attrs):
        hr_max = attrs.get("measured_hr_max")
        if hr_max is not None and hr_max <= attrs.get("resting_hr", 0):
            raise serializers.ValidationError({"measured_hr_max": ["Must be above the resting heart rate."]})
        return attrs


class ActivationLinkSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    activation_url = serializers.URLField(read_only=True)
    emailed_to = serializers.EmailField(read_only=True, allow_null=True)


class AuditEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    object = serializers.CharField()
    object_id = serializers.IntegerField()
    action = serializers.CharField()
    by = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    changes = serializers.ListField(child=serializers.DictField())

"""The API's shapes for medical clearance and the supervised start (the actions live on PlanViewSet)."""

from rest_framework import serializers

from planner.types import LoadLimits
from rehab.api.checkins import CheckInSerializer
from rehab.clearance import ClearanceState, SupervisionState, clearance_state, supervision_state
from rehab.models import Clearance, Plan
from rehab.services.clearance import NOTE_MAX_LENGTH


class RuleSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    evidence = serializers.CharField(help_text="G guideline/trial, C consensus, R recalled, D design default.")
    source = serializers.CharField()


class ClearanceInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, help_text="What the clearance is based on (review, test results ...)."
    )


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    by = serializers.CharField(help_text="The clinician who gave the clearance.")
    at = serializers.DateTimeField()
    note = serializers.CharField()
    rules = serializers.ListField(child=serializers.CharField(), help_text="Ids of the rules that were cleared.")


class ClearanceStateSerializer(serializers.Serializer):
    required = serializers.BooleanField(help_text="The plan's rules ask for medical clearance before it starts.")
    rules = RuleSerializer(many=True, help_text="The rules that ask for it.")
    granted = GrantSerializer(allow_null=True, help_text="The clearance that counts; null while awaited.")


class SupervisionStateSerializer(serializers.Serializer):
    required = serializers.BooleanField()
    sessions_required = serializers.IntegerField(help_text="Sessions the rules want supervised at the clinic.")
    sessions_done = serializers.IntegerField(help_text="Check-ins of the plan with a supervising physiotherapist.")
    remaining = serializers.IntegerField()
    rules = RuleSerializer(many=True)


class ClearanceCreatedSerializer(GrantSerializer):
    plan = serializers.IntegerField()
    clearance = ClearanceStateSerializer(help_text="The plan's clearance state after this one.")


class ClearanceRefusedSerializer(serializers.Serializer):
    """A 409: only `detail` for a stale version or a plan in the wrong state; with `code` and `rules`
    when medical clearance is awaited."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text='"clearance_required" when clearance is awaited.')
    rules = RuleSerializer(
        many=True, required=False, help_text="The rules waiting for a clinician's clearance (with `code`)."
    )


class SupervisedSessionSerializer(CheckInSerializer):
    """A check-in logged by the supervising physiotherapist; `plan` and `kind` come from the URL."""

    supervised_by = serializers.CharField(
        source="supervised_by.display_name", read_only=True, default=None, allow_null=True
    )

    class Meta(CheckInSerializer.Meta):
        fields = [f for f in CheckInSerializer.Meta.fields if f != "supervised_by"] + ["supervised_by"]
        read_only_fields = [*CheckInSerializer.Meta.read_only_fields, "plan", "kind"]


def rule_dict(rule) -> dict:
    return {"id": rule.id, "text": rule.text, "evidence": rule.evidence, "source": rule.source}


def grant_dict(clearance: Clearance) -> dict:
    return {
        "id": clearance.pk,
        "by": clearance.granted_by.display_name,
        "at": clearance.created_at,
        "note": clearance.note,
        "rules": list(clearance.rules),
    }


def clearance_dict(state: ClearanceState) -> dict:
    return {
        "required": state.required,
        "rules": [rule_dict(rule) for rule in state.rules],
        "granted": grant_dict(state.granted) if state.granted else None,
    }


def supervision_dict(state: SupervisionState) -> dict:
    return {
        "required": state.required,
        "sessions_required": state.sessions_required,
        "sessions_done": state.sessions_done,
        "remaining": state.remaining,
        "rules": [rule_dict(rule) for rule in state.rules],
    }


def plan_clearance_fields(plan: Plan, limits: LoadLimits) -> dict:
    """The `clearance` and `supervision` members of a plan's representation (two small queries)."""
    return {
        "clearance": clearance_dict(clearance_state(plan, limits)),
        "supervision": supervision_dict(supervision_state(plan, limits)),
    }

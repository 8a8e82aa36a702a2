"""GET /api/v1/caseload/ (the care team's patients, most urgent first, each with its triage flags) and
GET /api/v1/triage/rules/ (the rules those flags come from, with their thresholds and sources).

The rows are rehab.caseload's, the same the dashboard shows; the flags are planner.triage's decision,
each naming the rule that raised it. Physiotherapists and clinicians get their own care-team patients.
A clinic admin gets what the caseload page shows them: the clinic's patients, by name, with no clinical
key (plan, alerts, flags are clinical data the admin never reads). A patient gets 403.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from planner.triage import default_triage_rules, rules_as_data
from rehab import selectors
from rehab.caseload import CaseRow, case_rows, dashboard_order
from rehab.models import RUNNING_STATUSES, AccessKind, Role
from rehab.services.access import record_reads


class StaffOnly(BasePermission):
    message = gettext_lazy("The caseload is for the clinic's staff (physiotherapists, clinicians and clinic admins).")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.role in Role.STAFF)


class FlagSerializer(serializers.Serializer):
    level = serializers.IntegerField(help_text="0 is the most urgent; the dashboard sorts by the lowest level.")
    kind = serializers.CharField(help_text='An alert kind, or "paused", "pain", "adherence".')
    label = serializers.CharField(help_text="What the flag says, e.g. Pain rising.")
    detail = serializers.CharField(help_text="Why, e.g. the alert's message or the weeks compared; may be empty.")
    rule_id = serializers.CharField(help_text="The triage rule that raised it (GET /api/v1/triage/rules/).")


class CaseRowSerializer(serializers.Serializer):
    patient = serializers.IntegerField(help_text="The patient's id.")
    name = serializers.CharField(help_text="The patient's full name.")
    plan = serializers.IntegerField(allow_null=True, help_text="The running (active or paused) plan's id.")
    plan_status = serializers.ChoiceField(choices=RUNNING_STATUSES, allow_null=True)
    week = serializers.IntegerField(allow_null=True, help_text="The running plan's week under way.")
    draft = serializers.IntegerField(allow_null=True, help_text="A draft plan waiting for review, if any.")
    open_alerts = serializers.IntegerField(help_text="Unacknowledged alerts.")
    last_session = serializers.DateField(allow_null=True, help_text="The day of the last session logged.")
    rank = serializers.IntegerField(help_text="The most urgent flag's level (99 without flags).")
    flags = FlagSerializer(many=True, help_text="Most urgent first.")


def row_dict(row: CaseRow, *, clinical: bool = True) -> dict:
    """A caseload row as JSON; without clinical access (a clinic admin) only who the patient is."""
    if not clinical:
        return {"patient": row.patient.pk, "name": row.patient.full_name}
    return {
        "patient": row.patient.pk,
        "name": row.patient.full_name,
        "plan": row.plan.pk if row.plan else None,
        "plan_status": row.plan.status if row.plan else None,
        "week": row.week,
        "draft": row.draft.pk if row.draft else None,
        "open_alerts": row.open_alerts,
        "last_session": row.last_session,
        "rank": row.rank,
        "flags": [
            {"level": f.level, "kind": f.kind, "label": f.label, "detail": f.detail, "rule_id": f.rule_id}
            for f in row.flags
        ],
    }


class CaseloadView(ListAPIView):
    """The user's care-team patients, most urgent first (then more open alerts, then by name), each with
    its running plan, open alerts, last session and triage flags: the dashboard's order and flags.
    A clinic admin: the clinic's patients by name, with `patient` and `name` only (the caseload page's
    list; their identity, contact and care team are in `patients/`)."""

    serializer_class = CaseRowSerializer
    permission_classes = [IsAuthenticated, StaffOnly]

    def get_queryset(self):
        user = self.request.user
        if user.is_care_staff:
            return selectors.patients_with_clinical_access(user)
        return selectors.patients_visible_to(user)  # a clinic admin: the clinic's patients, as on the page

    @extend_schema(
        responses={
            200: CaseRowSerializer(many=True),
            403: OpenApiResponse(description="A patient: the caseload is for the clinic's staff."),
        }
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        rows = dashboard_order(case_rows(request.user, self.get_queryset()))
        page = self.paginate_queryset(rows)
        record_reads(request=request, kind=AccessKind.CASELOAD, patient_ids=[row.patient.pk for row in page])
        clinical = request.user.is_care_staff
        return self.get_paginated_response([row_dict(row, clinical=clinical) for row in page])


class TriageRuleSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    level = serializers.IntegerField(help_text="0 is the most urgent.")
    label = serializers.CharField(allow_null=True, help_text="The flag's words; null: the alert kind's name.")
    alert_kind = serializers.CharField(allow_null=True, help_text="The open alert kind this rule flags.")
    threshold = serializers.CharField(
        allow_null=True, help_text='The number the rule compares with, as a decimal or an exact fraction ("2/3").'
    )
    threshold_unit = serializers.CharField(allow_null=True)
    evidence = serializers.ChoiceField(
        choices=["G", "C", "R", "D"],
        help_text="G guideline or RCT read, C consensus, R recalled, D design default a clinician must sign off.",
    )
    source = serializers.CharField()


class TriageRulesSerializer(serializers.Serializer):
    about = serializers.CharField()
    rules = TriageRuleSerializer(many=True)


class TriageRulesView(APIView):
    """The triage rules in force: what raises each flag, at which level, with thresholds and sources."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TriageRulesSerializer})
    def get(self, request):
        rules = default_triage_rules()
        return Response({"about": rules.about, "rules": rules_as_data(rules)})

"""Plans: generate, read, edit a dose within the limits (or override), tighten limits, activate, history;
medical clearance before the start and the sessions supervised at the clinic."""

import uuid

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from planner.limits import ADJUSTABLE_FIELDS
from rehab import selectors
from rehab.api import clearance as clearance_api
from rehab.api.ids import ID_PATTERN, MAX_ID, id_query_param, idempotency_key
from rehab.api.permissions import StaffWritesOnly
from rehab.api.plan_cache import answer_response, compact_answer
from rehab.api.plan_representation import (
    INCLUDES,
    engine_plans,
    parse_include,
    plan_representation,
    plan_rules,
    plan_schedule,
)
from rehab.api.plan_schema import PlanBriefSerializer, PlanRulesSerializer, PlanScheduleSerializer, PlanSerializer
from rehab.clearance import clearance_state, plan_limits
from rehab.models import AccessKind, Role
from rehab.selectors import templates as template_selectors
from rehab.services import clearance as clearance_services
from rehab.services import plans as plan_services
from rehab.services import templates as template_services
from rehab.services.access import record_reads


class PlanCreateSerializer(serializers.Serializer):
    patient = serializers.IntegerField()
    start_date = serializers.DateField()
    weeks = serializers.IntegerField(min_value=1, max_value=plan_services.MAX_PLAN_WEEKS, default=12)
    template = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Make the draft from this clinic template, refitted to the patient's limits "
        "(the changes: plans/{id}/template-origin/); weeks then default to the template's.",
    )


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class ItemUpdateSerializer(VersionSerializer):
    frequency_per_week = serializers.IntegerField(min_value=1, max_value=7, required=False)
    minutes = serializers.FloatField(min_value=0.5, max_value=240, required=False)
    sets = serializers.IntegerField(min_value=1, max_value=10, required=False)
    reps = serializers.IntegerField(min_value=1, max_value=100, required=False)
    hold_seconds = serializers.IntegerField(min_value=1, max_value=300, required=False)
    intensity_low = serializers.IntegerField(min_value=0, max_value=250, required=False)
    intensity_high = serializers.IntegerField(min_value=0, max_value=250, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class LimitAdjustmentSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=sorted(ADJUSTABLE_FIELDS))
    value = serializers.JSONField()


class LimitsUpdateSerializer(VersionSerializer):
    adjustments = LimitAdjustmentSerializer(many=True, allow_empty=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ResumeSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=1000)


INCLUDE_PARAMETER = OpenApiParameter(
    "include",
    str,
    many=True,
    explode=False,
    enum=INCLUDES,
    description="Comma-separated parts to add: `rules` (texts of every rule id mentioned), `rationale` "
    "(rule ids per dose value, why each exercise), `schedule` (every week, each item's progression), "
    "`exercises` (whole exercise definitions), `targets` (week-12 targets). An unknown part is a 400.",
)
IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag of the compact answer the client holds: a 304 without a body while it is unchanged.",
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 304],
    description="Of the compact answer (without ?include=): send it back in If-None-Match.",
)
NOT_MODIFIED = OpenApiResponse(description="Not modified: the compact answer is the one whose ETag was sent.")
ERROR_SCHEMA = inline_serializer("Error", {"detail": serializers.CharField()})
FIELD_ERRORS = OpenApiResponse(description='A message per field, e.g. {"note": ["..."]}; nothing is stored.')


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Plans of the patients the user may see; patients see only their own active (or paused) plan."""

    permission_classes = [IsAuthenticated, StaffWritesOnly]
    serializer_class = PlanCreateSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.plans_for_api(self.request.user, id_query_param(self.request, "patient"))

    def _respond(self, plan, code=status.HTTP_200_OK):
        shown = self.get_queryset().get(pk=plan.pk)  # read again within the reader's scope
        if shown.version == plan.version:
            # The service's row holds the typed plan it has just stored at this version: the answer is
            # built from it instead of reading the item rows back and rebuilding it.
            for cache in ("_stored_plan", "_engine_plan"):
                if hasattr(plan, cache):
                    setattr(shown, cache, getattr(plan, cache))
        return Response(plan_representation(shown), status=code)

    @extend_schema(
        parameters=[OpenApiParameter("patient", int, description="Only this patient's plans.")],
        responses={200: PlanBriefSerializer(many=True)},
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        record_reads(request=request, kind=AccessKind.PLAN_LIST, patient_ids=[plan.patient_id for plan in page])
        engines = engine_plans(page)
        return self.get_paginated_response(
            [plan_representation(plan, brief=True, engine=engines[plan.pk]) for plan in page]
        )

    @extend_schema(
        parameters=[INCLUDE_PARAMETER, IF_NONE_MATCH_PARAMETER, ETAG_HEADER],
        responses={200: PlanSerializer, 304: NOT_MODIFIED},
    )
    def retrieve(self, request, *args, **kwargs):
        """One plan, compact: limits, items with this week's dose and rule ids, this week's changes.

        The compact answer carries an ETag; sent back in If-None-Match, it gets a 304 while the answer
        is unchanged."""
        include = parse_include(request.query_params.getlist("include"))
        if include or request.accepted_renderer.format != "json":
            plan = self.get_object()
            body = plan_representation(plan, include=include)
            record_reads(request=request, kind=AccessKind.PLAN, patient_ids=[plan.patient_id], object_id=plan.pk)
            return Response(body)
        # The scope first, in the query that reads the markers the cached answer is keyed by: a plan
        # this reader may not see is a 404 before the cache is asked.
        markers = selectors.plan_markers(request.user, int(self.kwargs["pk"]), id_query_param(request, "patient"))
        self.check_object_permissions(request, markers)
        answer = compact_answer(
            markers, lambda: selectors.plan_to_show(request.user, markers.plan_id), api_version=request.version
        )
        # A 304 is a read too: the reader was told that the copy they hold is the plan as it is.
        record_reads(request=request, kind=AccessKind.PLAN, patient_ids=[markers.patient_id], object_id=markers.plan_id)
        return answer_response(request, answer)

    @extend_schema(responses={200: PlanRulesSerializer})
    @action(detail=True, methods=["get"])
    def rules(self, request, pk=None):
        """Every rule the plan cites (its limits, doses, choices, progressions, weeks and targets):
        text, evidence tag and source, by id."""
        plan = self.get_object()
        body = plan_rules(plan)
        record_reads(request=request, kind=AccessKind.PLAN, patient_ids=[plan.patient_id], object_id=plan.pk)
        return Response(body)

    @extend_schema(responses={200: PlanScheduleSerializer})
    @action(detail=True, methods=["get"])
    def schedule(self, request, pk=None):
        """Every week's doses; a week's rationale (rule ids) where its dose changed."""
        plan = self.get_object()
        body = plan_schedule(plan)
        record_reads(request=request, kind=AccessKind.PLAN, patient_ids=[plan.patient_id], object_id=plan.pk)
        return Response(body)

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request, *args, **kwargs):
        """Generate a draft from the patient's latest assessment, or from a clinic `template` refitted to it."""
        if request.user.role == Role.PATIENT:
            return Response({"detail": gettext("Patients cannot create plans.")}, status=status.HTTP_403_FORBIDDEN)
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patient = selectors.patient_get(request.user, data.validated_data["patient"], clinical=True)
        if "template" in data.validated_data:
            plan = template_services.plan_create_from_template(
                actor=request.user,
                template=template_selectors.template_get(request.user, data.validated_data["template"]),
                patient=patient,
                start_date=data.validated_data["start_date"],
                # Without `weeks` in the body the template says how long its plans last.
                weeks=data.validated_data["weeks"] if "weeks" in request.data else None,
            )
            return self._respond(plan, status.HTTP_201_CREATED)
        plan = plan_services.plan_generate(
            actor=request.user,
            patient=patient,
            start_date=data.validated_data["start_date"],
            weeks=data.validated_data["weeks"],
        )
        return self._respond(plan, status.HTTP_201_CREATED)

    @extend_schema(request=ItemUpdateSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["patch"], url_path=rf"items/(?P<item_id>{ID_PATTERN})")
    def update_item(self, request, pk=None, item_id=None):
        """Change an item's dose. Above a limit: 400 naming the limit, unless a physiotherapist overrides."""
        plan = self.get_object()
        item = selectors.plan_item_of(plan, item_id)
        data = ItemUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        plan = plan_services.plan_item_update(
            actor=request.user,
            plan=plan,
            item=item,
            version=values.pop("version"),
            reason=values.pop("reason", ""),
            override_reason=values.pop("override_reason", ""),
            changes=values,
        )
        return self._respond(plan)

    @extend_schema(request=LimitsUpdateSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["patch"])
    def limits(self, request, pk=None):
        """Tighten limits (or loosen them with a reason); doses are re-clamped from this week."""
        plan = self.get_object()
        data = LimitsUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = plan_services.plan_limits_adjust(
            actor=request.user,
            plan=plan,
            version=data.validated_data["version"],
            adjustments=data.validated_data["adjustments"],
            reason=data.validated_data.get("reason", ""),
        )
        return self._respond(plan)

    @extend_schema(
        request=VersionSerializer,
        responses={
            200: PlanSerializer,
            403: OpenApiResponse(ERROR_SCHEMA, description="Only a physiotherapist activates a plan."),
            409: OpenApiResponse(
                clearance_api.ClearanceRefusedSerializer,
                description="Not a draft, a stale version, or medical clearance still awaited "
                '(then `code` is "clearance_required" and `rules` names the rules); nothing is stored.',
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Make a draft the patient's plan. Without a clearance its rules ask for: 409 naming them."""
        plan = self.get_object()
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            plan = plan_services.plan_activate(actor=request.user, plan=plan, version=data.validated_data["version"])
        except clearance_services.ClearanceRequired as refused:
            return _clearance_refused(refused)
        return self._respond(plan)

    def _staff_plan(self):
        """The plan for a care-team action; a patient never sees these actions (404, as for an unseen plan)."""
        if self.request.user.role == Role.PATIENT:
            raise Http404(gettext("No such plan."))
        return self.get_object()

    @extend_schema(
        request=clearance_api.ClearanceInputSerializer,
        responses={
            201: clearance_api.ClearanceCreatedSerializer,
            400: FIELD_ERRORS,
            403: OpenApiResponse(ERROR_SCHEMA, description="Only a clinician records medical clearance."),
            404: OpenApiResponse(ERROR_SCHEMA, description="No such plan for this user (patients included)."),
            409: OpenApiResponse(
                ERROR_SCHEMA, description="The plan's rules ask for no clearance, or the plan has finished."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def clearance(self, request, pk=None):
        """A clinician records medical clearance (with a note) for a plan whose rules ask for it.

        The rules that asked are stored with it and the plan's history records it. A later clearance
        is kept beside the earlier one. A plan whose rules ask for none answers 409 and stores nothing.
        """
        plan = self._staff_plan()
        data = clearance_api.ClearanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        granted = clearance_services.clearance_grant(actor=request.user, plan=plan, note=data.validated_data["note"])
        granted = selectors.plan_clearances(plan).get(pk=granted.pk)
        body = {
            **clearance_api.grant_dict(granted),
            "plan": plan.pk,
            "clearance": clearance_api.clearance_dict(clearance_state(plan, plan_limits(plan))),
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=clearance_api.SupervisedSessionSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Client-chosen key; a retry with the same key returns the first result.",
            ),
        ],
        responses={
            201: clearance_api.SupervisedSessionSerializer,
            200: OpenApiResponse(clearance_api.SupervisedSessionSerializer, description="A retry: the first one."),
            400: FIELD_ERRORS,
            403: OpenApiResponse(ERROR_SCHEMA, description="Only a physiotherapist records supervised sessions."),
            404: OpenApiResponse(ERROR_SCHEMA, description="No such plan for this user (patients included)."),
        },
    )
    @action(detail=True, methods=["post"], url_path="supervised-sessions")
    def supervised_sessions(self, request, pk=None):
        """A physiotherapist logs a session they supervised at the clinic, for the patient.

        The body is a check-in's (the plan comes from the URL); it counts toward the supervised
        sessions the plan's rules ask for.
        """
        plan = self._staff_plan()
        serializer = clearance_api.SupervisedSessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("plan_id", None)
        key = idempotency_key(request) or f"server-{uuid.uuid4()}"
        checkin, created = clearance_services.supervised_session_record(
            actor=request.user, plan=plan, idempotency_key=key, **data
        )
        body = clearance_api.SupervisedSessionSerializer(checkin).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        request=ResumeSerializer,
        responses={
            200: PlanSerializer,
            409: OpenApiResponse(
                clearance_api.ClearanceRefusedSerializer,
                description="Not paused, a stale version, or medical clearance awaited since a reassessment "
                '(then `code` is "clearance_required" and `rules` names the rules); nothing is stored.',
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Resume a paused plan with a reason; it continues from the held dose."""
        plan = self.get_object()
        data = ResumeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            plan = plan_services.plan_resume(
                actor=request.user,
                plan=plan,
                version=data.validated_data["version"],
                reason=data.validated_data["reason"],
            )
        except clearance_services.ClearanceRequired as refused:
            return _clearance_refused(refused)
        return self._respond(plan)

    @extend_schema(
        responses={200: inline_serializer("PlanHistoryEntry", {"at": serializers.DateTimeField()}, many=True)}
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every change to this plan: who, when, what and why."""
        plan = self.get_object()
        entries = selectors.plan_history(plan)
        record_reads(request=request, kind=AccessKind.PLAN_HISTORY, patient_ids=[plan.patient_id], object_id=plan.pk)
        return Response(entries)


def _clearance_refused(refused) -> Response:
    body = {
        "detail": str(refused),
        "code": "clearance_required",
        "rules": [clearance_api.rule_dict(rule) for rule in refused.rules],
    }
    return Response(body, status=status.HTTP_409_CONFLICT)

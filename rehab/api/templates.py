"""Clinic plan templates: list, create (from a plan or from items), detail, revise, archive, and a
preview of the plan a template would give a patient (the refit's changes with their reasons).

Templates are the clinic's own: another clinic's is a 404, patients see none. Plans are made from a
template by POST /api/v1/plans/ with `template` (rehab/api/plans.py); a plan's refit changes are at
GET /api/v1/plans/{id}/template-origin/.
"""

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from planner.templates import BASES, CONDITIONS, MAX_TEMPLATE_ITEMS, MAX_TEMPLATE_WEEKS
from rehab import selectors
from rehab.api.fields import VocabularyListField
from rehab.api.ids import ID_PATTERN, MAX_ID
from rehab.models import Role
from rehab.selectors import templates as template_selectors
from rehab.services import templates as template_services
from rehab.services.errors import NotAllowed

INTENSITY_UNITS = ("pct_hrr", "pct_1rm", "rpe_6_20")


class TemplateIntensitySerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=INTENSITY_UNITS)
    low = serializers.IntegerField(min_value=0, max_value=250)
    high = serializers.IntegerField(min_value=0, max_value=250)


class TemplateItemSerializer(serializers.Serializer):
    """One exercise of a template and its dose. Give the values of the exercise's dose kind (minutes; sets and
    reps; or sets and hold_seconds). `basis` "relative" gives the intensity as `intensity_share` of each
    patient's limit ceiling and a ladder by its step; "absolute" gives `intensity` as written."""

    exercise = serializers.RegexField(r"^[-a-zA-Z0-9_]{1,80}$", help_text="A library exercise's slug.")
    component = serializers.CharField(read_only=True)
    dose_kind = serializers.CharField(read_only=True)
    basis = serializers.ChoiceField(choices=BASES, default="relative")
    frequency_per_week = serializers.IntegerField(min_value=1, max_value=7)
    minutes = serializers.FloatField(min_value=0.5, max_value=240, required=False)
    sets = serializers.IntegerField(min_value=1, max_value=10, required=False)
    reps = serializers.IntegerField(min_value=1, max_value=100, required=False)
    hold_seconds = serializers.IntegerField(min_value=1, max_value=300, required=False)
    intensity = TemplateIntensitySerializer(required=False)
    intensity_share = serializers.ListField(
        child=serializers.FloatField(min_value=0.01, max_value=1.5),
        min_length=2,
        max_length=2,
        required=False,
        help_text="[low, high]: shares of the patient's limit ceiling for the intensity's unit.",
    )
    ladder_level = serializers.IntegerField(
        min_value=1, max_value=20, required=False, help_text="Step of the band, tempo or support ladder."
    )


class TemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    conditions = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField(help_text="The current version; editing adds one.")
    weeks = serializers.IntegerField()
    weekly_progression_max_pct = serializers.FloatField(allow_null=True)
    items = TemplateItemSerializer(many=True)
    note = serializers.CharField(allow_blank=True, help_text="What the current version changed.")
    source_plan = serializers.IntegerField(allow_null=True)
    archived = serializers.BooleanField()
    archived_at = serializers.DateTimeField(allow_null=True)
    created_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    plans_made = serializers.IntegerField(help_text="Plans made from any of its versions.")


class TemplateCreateSerializer(serializers.Serializer):
    """Either `plan` (save that plan as a template) or `items` (a hand-made selection)."""

    plan = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    name = serializers.CharField(max_length=template_services.NAME_MAX)
    description = serializers.CharField(max_length=template_services.DESCRIPTION_MAX, required=False, allow_blank=True)
    conditions = VocabularyListField(CONDITIONS, required=False)
    basis = serializers.ChoiceField(choices=BASES, default="relative", help_text="How a plan's doses are saved.")
    items = TemplateItemSerializer(many=True, required=False, max_length=MAX_TEMPLATE_ITEMS)
    weeks = serializers.IntegerField(min_value=1, max_value=MAX_TEMPLATE_WEEKS, required=False)
    weekly_progression_max_pct = serializers.FloatField(min_value=0.1, max_value=100, required=False, allow_null=True)

    def validate(self, data):
        if ("plan" in data) == ("items" in data):
            raise serializers.ValidationError(
                {"plan": [gettext("Give either a plan to save or the items of a new template.")]}
            )
        return data


class TemplateReviseSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=template_services.NAME_MAX, required=False)
    description = serializers.CharField(max_length=template_services.DESCRIPTION_MAX, required=False, allow_blank=True)
    conditions = VocabularyListField(CONDITIONS, required=False)
    items = TemplateItemSerializer(many=True, required=False, min_length=1, max_length=MAX_TEMPLATE_ITEMS)
    weeks = serializers.IntegerField(min_value=1, max_value=MAX_TEMPLATE_WEEKS, required=False)
    weekly_progression_max_pct = serializers.FloatField(min_value=0.1, max_value=100, required=False, allow_null=True)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, help_text="What this edit changes.")


class RefitChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=("dose", "swap", "drop", "settings"))
    slug = serializers.CharField(allow_blank=True, help_text="The template's exercise.")
    field = serializers.CharField(allow_blank=True)
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)
    replacement = serializers.CharField(allow_blank=True, help_text="The swapped-in exercise's slug.")
    reason = serializers.CharField()
    rule_ids = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField(help_text="The change in one line.")


class PreviewInputSerializer(serializers.Serializer):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    weeks = serializers.IntegerField(min_value=1, max_value=MAX_TEMPLATE_WEEKS, required=False)


class RefitIntensitySerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="rpe_6_20, pct_hrr, hr_bpm, pct_1rm, a ladder's level, or none (by feel).")
    low = serializers.IntegerField()
    high = serializers.IntegerField()


class PreviewItemSerializer(serializers.Serializer):
    exercise = serializers.CharField()
    name = serializers.CharField()
    component = serializers.CharField()
    frequency_per_week = serializers.IntegerField()
    minutes = serializers.FloatField(allow_null=True)
    sets = serializers.IntegerField(allow_null=True)
    reps = serializers.IntegerField(allow_null=True)
    hold_seconds = serializers.IntegerField(allow_null=True)
    intensity = RefitIntensitySerializer(many=True)


class PreviewSerializer(serializers.Serializer):
    template = serializers.IntegerField()
    version = serializers.IntegerField()
    patient = serializers.IntegerField()
    weeks = serializers.IntegerField()
    items = PreviewItemSerializer(many=True)
    changes = RefitChangeSerializer(many=True)


class TemplateOriginSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    template = serializers.IntegerField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    changes = RefitChangeSerializer(many=True)


def template_dict(template, version=None) -> dict:
    version = version or template_selectors.template_current_version(template)
    return {
        "id": template.pk,
        "name": version.name,
        "description": version.description,
        "conditions": list(version.conditions),
        "version": version.number,
        "weeks": version.weeks,
        "weekly_progression_max_pct": version.weekly_progression_max_pct,
        "items": [{"basis": "relative", **item} for item in version.items],
        "note": version.note,
        "source_plan": version.source_plan_id,
        "archived": template.is_archived,
        "archived_at": template.archived_at,
        "created_by": template.created_by.display_name if template.created_by else None,
        "created_at": template.created_at,
        "plans_made": getattr(template, "plans_made", 0) or 0,
    }


def preview_dict(template, version, patient, built, changes) -> dict:
    return {
        "template": template.pk,
        "version": version.number,
        "patient": patient.pk,
        "weeks": len(built.weeks),
        "items": [
            {
                "exercise": item.slug,
                "name": item.exercise.name,
                "component": item.component,
                "frequency_per_week": item.dose.frequency_per_week,
                "minutes": item.dose.minutes,
                "sets": item.dose.sets,
                "reps": item.dose.reps,
                "hold_seconds": item.dose.hold_seconds,
                "intensity": [{"unit": t.unit, "low": t.low, "high": t.high} for t in item.dose.intensity],
            }
            for item in built.items
        ],
        "changes": [template_services.change_dict(change) for change in changes],
    }


class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The clinic's plan templates. Patients see none; writes are a physiotherapist's."""

    permission_classes = [IsAuthenticated]
    serializer_class = TemplateSerializer
    lookup_value_regex = ID_PATTERN
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        archived = self.request.query_params.get("archived") in ("1", "true") or self.action != "list"
        return template_selectors.templates_visible_to(self.request.user, include_archived=archived)

    def _refuse_patients(self):
        if self.request.user.role == Role.PATIENT:
            raise NotAllowed(gettext("Patients cannot change plan templates."))

    def _respond(self, template, code=status.HTTP_200_OK):
        template = template_selectors.template_get(self.request.user, template.pk)
        return Response(template_dict(template), status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("archived", bool, description="Include archived templates."),
        ],
        responses={200: TemplateSerializer(many=True)},
    )
    def list(self, request, *args, **kwargs):
        archived = request.query_params.get("archived") in ("1", "true")
        page = self.paginate_queryset(
            template_selectors.templates_with_versions(request.user, include_archived=archived)
        )
        return self.get_paginated_response([template_dict(t, template_selectors.newest_version(t)) for t in page])

    @extend_schema(responses={200: TemplateSerializer})
    def retrieve(self, request, *args, **kwargs):
        return Response(template_dict(self.get_object()))

    @extend_schema(request=TemplateCreateSerializer, responses={201: TemplateSerializer})
    def create(self, request, *args, **kwargs):
        """Save a plan as a template (`plan`), or make one from `items`."""
        self._refuse_patients()
        data = TemplateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        common = {
            "actor": request.user,
            "name": values["name"],
            "description": values.get("description", ""),
            "conditions": values.get("conditions", []),
        }
        if "plan" in values:
            plan = selectors.plan_get(request.user, values["plan"])
            template = template_services.template_create_from_plan(plan=plan, basis=values["basis"], **common)
        else:
            template = template_services.template_create(
                items=[_item_input(item) for item in values["items"]],
                weeks=values.get("weeks", 12),
                weekly_progression_max_pct=values.get("weekly_progression_max_pct"),
                **common,
            )
        return self._respond(template, status.HTTP_201_CREATED)

    @extend_schema(request=TemplateReviseSerializer, responses={200: TemplateSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Edit a template: a new version; plans already made keep theirs."""
        template = self.get_object()
        self._refuse_patients()
        data = TemplateReviseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "items" in values:
            values["items"] = [_item_input(item) for item in values["items"]]
        if "weekly_progression_max_pct" in values and values["weekly_progression_max_pct"] is None:
            values.pop("weekly_progression_max_pct")
            values["clear_growth_cap"] = True
        template_services.template_revise(actor=request.user, template=template, **values)
        return self._respond(template)

    @extend_schema(request=None, responses={200: TemplateSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive a template: no longer offered; plans made from it keep their link."""
        template = self.get_object()
        self._refuse_patients()
        template_services.template_archive(actor=request.user, template=template)
        return self._respond(template)

    @extend_schema(request=PreviewInputSerializer, responses={200: PreviewSerializer})
    @action(detail=True, methods=["post"])
    def preview(self, request, pk=None):
        """The plan this template would give a patient, refitted to their limits, and every change with its
        reason and rules. Nothing is stored."""
        template = self.get_object()
        self._refuse_patients()
        data = PreviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patient = selectors.patient_get(request.user, data.validated_data["patient"], clinical=True)
        built, changes, version, _ = template_services.template_refit(
            actor=request.user, template=template, patient=patient, weeks=data.validated_data.get("weeks")
        )
        return Response(preview_dict(template, version, patient, built, changes))


def _item_input(item: dict) -> dict:
    """A validated item as planner.templates reads it (the intensity as a plain object)."""
    data = dict(item)
    if "intensity" in data:
        data["intensity"] = dict(data["intensity"])
    return data


class PlanTemplateOriginView(APIView):
    """The template version a plan was made from and the refit's changes, with their reasons."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TemplateOriginSerializer})
    def get(self, request, id: int):
        if request.user.role == Role.PATIENT:
            raise Http404(gettext("No such plan."))
        plan = selectors.plan_get(request.user, id)
        origin = template_selectors.plan_template_origin(plan)
        if origin is None:
            raise Http404(gettext("This plan was not made from a template."))
        version = origin.template_version
        body = {
            "plan": plan.pk,
            "template": version.template_id,
            "version": version.number,
            "name": version.name,
            "changes": origin.changes,
        }
        return Response(body)

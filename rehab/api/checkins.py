"""Check-ins (with an Idempotency-Key), next-morning pain, measurements and alerts."""

import uuid

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListCreateAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from planner.vocabulary import LAB_MEASURE_CODES, MEASURE_CODES, MEASURES_BY_CODE, PAIN_SITE_CODES, RED_FLAG_CODES
from rehab import selectors, text_limits
from rehab.api.fast_fields import FieldsBuiltOnce
from rehab.api.fields import VocabularyListField
from rehab.api.ids import ID_PATTERN, id_query_param, idempotency_key, is_id
from rehab.api.permissions import StaffWritesOnly
from rehab.models import AccessKind, Alert, CheckIn, CheckInItem, CheckInKind, Measurement, PlanItem, Role
from rehab.models.people import EffortScale
from rehab.services import alerts as alert_services
from rehab.services import checkins as checkin_services
from rehab.services.access import record_reads
from rehab.services.errors import InvalidInput


class PlanItemIdField(serializers.PrimaryKeyRelatedField):
    """A plan item's id. Not looked up one by one here: the service checks every item of the
    check-in in one query (that each is an exercise of this plan, still in it)."""

    def to_internal_value(self, data):
        # An id of at most 18 digits (rehab.api.ids): "²" or a 25-digit number is a 400, not a 500.
        if isinstance(data, bool) or not isinstance(data, int | str) or not is_id(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return int(data)


class CheckInItemSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    plan_item = PlanItemIdField(queryset=PlanItem.objects.all())
    load_kg = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=300, required=False, allow_null=True
    )
    minutes = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=300, required=False, allow_null=True
    )

    class Meta:
        model = CheckInItem
        fields = ["plan_item", "done", "sets", "reps", "load_kg", "minutes", "average_hr"]
        validators = []


class CheckInSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    plan = serializers.IntegerField(
        required=False, source="plan_id", help_text="Defaults to the patient's running plan."
    )
    items = CheckInItemSerializer(many=True, required=False)
    red_flags = VocabularyListField(RED_FLAG_CODES, required=False)
    kind = serializers.ChoiceField(
        choices=CheckInKind.choices,
        default=CheckInKind.SESSION,
        help_text="'symptoms' for red flags reported on a day without a session.",
    )
    session_rpe = serializers.IntegerField(
        min_value=6,
        max_value=20,
        required=False,
        allow_null=True,
        help_text="Effort on the Borg 6-20 scale. With effort_scale/effort_value it is their 6-20 equivalent "
        "(returned always; the weekly decision reads it); sent with them it must match.",
    )
    effort_scale = serializers.ChoiceField(
        choices=EffortScale.choices,
        required=False,
        allow_blank=True,
        help_text="The scale effort_value is on: 'borg_6_20' or 'cr10' (0 to 10 with words; its 6-20 equivalent "
        "comes from clinical-reference 1a: 5-6 moderate = 12-13, 7-8 vigorous = 14-17). Blank on older sessions.",
    )
    effort_value = serializers.IntegerField(
        min_value=0,
        max_value=20,
        required=False,
        allow_null=True,
        help_text="The effort as the patient answered it, on effort_scale (cr10: 0-10, borg_6_20: 6-20).",
    )
    pain_during = serializers.IntegerField(min_value=0, max_value=10)
    pain_after = serializers.IntegerField(min_value=0, max_value=10)
    pain_next_morning = serializers.IntegerField(min_value=0, max_value=10, required=False, allow_null=True)
    pain_regions = VocabularyListField(
        PAIN_SITE_CODES,
        required=False,
        help_text="Where it hurt: the calcified area, the muscles, the joints, elsewhere. Pain placed in one area "
        "or exercise regresses only the exercises concerned; general pain regresses the whole plan.",
    )
    pain_item = PlanItemIdField(
        queryset=PlanItem.objects.all(),
        required=False,
        allow_null=True,
        help_text="The plan item (exercise) that hurt, when the patient can tell.",
    )
    heart_rate_avg = serializers.IntegerField(min_value=30, max_value=230, required=False, allow_null=True)
    heart_rate_max = serializers.IntegerField(min_value=30, max_value=230, required=False, allow_null=True)
    spo2_min = serializers.IntegerField(
        min_value=50,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="Lowest pulse-oximeter reading during the session, %. Below 90 %, or 4 points or more below "
        "the resting value, is a red flag: the plan pauses and the care team is alerted.",
    )
    supervised_by = serializers.CharField(
        source="supervised_by.display_name",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Supervising physiotherapist; null for a session the patient logged alone.",
    )
    advice = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "plan",
            "patient",
            "date",
            "plan_week",
            "kind",
            "items",
            "session_rpe",
            "effort_scale",
            "effort_value",
            "pain_during",
            "pain_after",
            "pain_next_morning",
            "red_flags",
            "pain_regions",
            "pain_item",
            "heart_rate_avg",
            "heart_rate_max",
            "spo2_min",
            "supervised_by",
            "notes",
            "on_behalf",
            "created_at",
            "advice",
        ]
        read_only_fields = ["id", "patient", "plan_week", "on_behalf", "created_at"]
        extra_kwargs = {"notes": {"max_length": text_limits.NOTE}}
        # Uniqueness (one session per plan and day, idempotency keys) is the service's job:
        # DRF's generated validators would make `plan` required and race anyway.
        validators = []

    def get_advice(self, checkin) -> list[str]:
        return alert_services.patient_advice(checkin)

    def validate(self, attrs):
        # The effort's scale, answer and 6-20 equivalent are checked before anything is read: a 400 per field.
        try:
            checkin_services.effort_fields(
                session_rpe=attrs.get("session_rpe"),
                effort_scale=attrs.get("effort_scale"),
                effort_value=attrs.get("effort_value"),
            )
        except InvalidInput as error:
            raise serializers.ValidationError(error.errors) from None
        return attrs


class NextMorningSerializer(serializers.Serializer):
    pain_next_morning = serializers.IntegerField(min_value=0, max_value=10)
    red_flags = VocabularyListField(RED_FLAG_CODES, required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("patient", int, description="Only this patient's check-ins."),
            OpenApiParameter("plan", int, description="Only this plan's check-ins."),
        ]
    )
)
class CheckInViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = CheckInSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.checkins_listed(
            self.request.user,
            patient_id=id_query_param(self.request, "patient"),
            plan_id=id_query_param(self.request, "plan"),
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        shown = response.data["results"] if isinstance(response.data, dict) else response.data
        record_reads(request=request, kind=AccessKind.CHECKINS, patient_ids=[row["patient"] for row in shown])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        checkin = response.data
        record_reads(
            request=request, kind=AccessKind.CHECKIN, patient_ids=[checkin["patient"]], object_id=checkin["id"]
        )
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Client-chosen key; a retry with the same key returns the first result.",
            ),
        ]
    )
    def create(self, request, *args, **kwargs):
        """Log a session. A retried request with the same Idempotency-Key returns the first check-in."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = self._plan_for(request.user, data.pop("plan_id", None), data)
        key = idempotency_key(request) or f"server-{uuid.uuid4()}"
        checkin, created = checkin_services.checkin_record(actor=request.user, plan=plan, idempotency_key=key, **data)
        body = self.get_serializer(checkin).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _plan_for(self, user, plan_id, data):
        # The plan comes with its check of the items: one query for the plan and all its items.
        item_ids = [item["plan_item"] for item in data.get("items", [])]
        plan = selectors.plan_to_log(user, plan_id, item_ids=item_ids, pain_item_id=data.get("pain_item"))
        if plan is not None:
            return plan
        if user.role == Role.PATIENT:
            raise serializers.ValidationError({"plan": [gettext("You have no active plan to log against.")]})
        raise serializers.ValidationError({"plan": [gettext("Say which plan this session belongs to.")]})

    @extend_schema(request=NextMorningSerializer, responses={200: CheckInSerializer})
    def partial_update(self, request, pk=None):
        """Add the next-morning pain (and any red flag noticed since) to a logged session."""
        checkin = selectors.checkin_get(request.user, pk)
        data = NextMorningSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = checkin_services.checkin_add_next_morning(actor=request.user, checkin=checkin, **data.validated_data)
        return Response(self.get_serializer(checkin).data)


class MeasurementSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=MEASURE_CODES)
    value = serializers.DecimalField(max_digits=8, decimal_places=2)
    upper_limit_normal = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="The lab's upper limit of normal (CK, U/L); only for laboratory values.",
    )
    unit = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = ["id", "kind", "value", "unit", "upper_limit_normal", "measured_on", "notes", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"notes": {"max_length": text_limits.REASON}}

    def get_unit(self, measurement) -> str:
        measure = MEASURES_BY_CODE.get(measurement.kind)
        return measure.unit if measure else ""

    def validate(self, attrs):
        measure = MEASURES_BY_CODE[attrs["kind"]]
        if not measure.low <= attrs["value"] <= measure.high:
            raise serializers.ValidationError(
                {
                    "value": [
                        gettext("Must be between %(low)s and %(high)s %(unit)s.")
                        % {"low": measure.low, "high": measure.high, "unit": measure.unit}
                    ]
                }
            )
        if attrs.get("upper_limit_normal") is not None and attrs["kind"] not in LAB_MEASURE_CODES:
            raise serializers.ValidationError(
                {"upper_limit_normal": [gettext("Only laboratory values (CK) carry an upper limit of normal.")]}
            )
        return attrs


class MeasurementListCreate(ListCreateAPIView):
    serializer_class = MeasurementSerializer
    permission_classes = [IsAuthenticated, StaffWritesOnly]
    patient_scoped = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.patient = selectors.patient_get(request.user, kwargs["id"], clinical=True)
        self.check_object_permissions(request, self.patient)

    def get_queryset(self):
        return selectors.measurements_of(self.request.user, self.kwargs["id"])

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        record_reads(request=request, kind=AccessKind.MEASUREMENTS, patient_ids=[self.patient.pk])
        return response

    def perform_create(self, serializer):
        serializer.instance = checkin_services.measurement_record(
            actor=self.request.user, patient=self.patient, **serializer.validated_data
        )


class AlertSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    acknowledged_by = serializers.CharField(
        source="acknowledged_by.display_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "patient",
            "patient_name",
            "plan",
            "kind",
            "urgent",
            "message",
            "checkin",
            "decision",
            "created_at",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledgement_note",
        ]


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=text_limits.NOTE)


class AlertViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open alerts for the user's patients, most urgent first; `?all=1` includes acknowledged ones."""

    serializer_class = AlertSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.alerts_visible_to(
            self.request.user, include_acknowledged=self.request.query_params.get("all") == "1"
        )

    @extend_schema(request=AcknowledgeSerializer, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = selectors.alert_to_acknowledge(request.user, pk)
        if alert is None:
            raise Http404(gettext("No such alert."))
        data = AcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alert = alert_services.alert_acknowledge(actor=request.user, alert=alert, note=data.validated_data["note"])
        return Response(AlertSerializer(alert).data)

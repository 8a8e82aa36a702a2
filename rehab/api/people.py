"""Patients, their assessments, activation links and audit trail."""

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListCreateAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rehab import selectors
from rehab.api.ids import ID_PATTERN
from rehab.api.permissions import StaffWritesOnly
from rehab.api.serializers import (
    ActivationIssuedSerializer,
    ActivationRequestSerializer,
    AssessmentCreatedSerializer,
    AssessmentSerializer,
    AuditEntrySerializer,
    PatientSerializer,
)
from rehab.models import AccessKind
from rehab.services import assessments as assessment_services
from rehab.services import people as people_services
from rehab.services.access import record_reads


class PatientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PatientSerializer
    permission_classes = [IsAuthenticated, StaffWritesOnly]
    lookup_value_regex = ID_PATTERN
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.patient_records(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        patient_id = response.data["id"]
        record_reads(request=request, kind=AccessKind.PATIENT, patient_ids=[patient_id], object_id=patient_id)
        return response

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("reason", None)
        serializer.instance = people_services.patient_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = people_services.patient_update(
            actor=self.request.user, patient=serializer.instance, reason=reason, **data
        )

    @extend_schema(
        request=ActivationRequestSerializer,
        responses={
            201: ActivationIssuedSerializer,
            400: OpenApiResponse(description="No email or phone on file for the channel, or a password is set."),
            403: OpenApiResponse(description="Not on the patient's care team (a clinic admin never is)."),
        },
    )
    @action(detail=True, methods=["post"])
    def activation(self, request, pk=None):
        """Send the patient a one-time sign-in link, to their own email or phone on file only.

        The answer says where it went, never the link: nobody but the patient receives it. A new link
        ends every earlier one. For in-person hand-over, a physiotherapist on the care team shows a QR
        code once from the patient's page."""
        patient = self.get_object()
        data = ActivationRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = people_services.patient_activation_issue(
            actor=request.user, patient=patient, channel=data.validated_data.get("channel")
        )
        return Response(ActivationIssuedSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AuditEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def audit(self, request, pk=None):
        """Who changed what on this patient's record, when and why."""
        entries = selectors.patient_audit_trail(request.user, pk)
        record_reads(request=request, kind=AccessKind.CHANGE_HISTORY, patient_ids=[int(pk)])
        return Response(AuditEntrySerializer(entries, many=True).data)


class AssessmentListCreate(ListCreateAPIView):
    serializer_class = AssessmentSerializer
    permission_classes = [IsAuthenticated, StaffWritesOnly]
    patient_scoped = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # 404 before anything else if the patient is not the user's to see, then the role check.
        patient = selectors.patient_get(request.user, kwargs["id"], clinical=True)
        self.check_object_permissions(request, patient)

    def get_queryset(self):
        return selectors.assessments_of(self.request.user, self.kwargs["id"])

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        record_reads(request=request, kind=AccessKind.ASSESSMENTS, patient_ids=[self.kwargs["id"]])
        return response

    @extend_schema(request=AssessmentSerializer, responses={201: AssessmentCreatedSerializer})
    def post(self, request, *args, **kwargs):
        """Record an assessment. Within the request it is put in force on the running plan: stricter
        limits at once (doses clamped, forbidden exercises swapped or removed), a flare pauses the plan
        and alerts the care team urgently, looser limits are only proposed. `running_plan` says what
        happened (null when the patient has no running plan)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        body = AssessmentCreatedSerializer(serializer.instance, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer):
        patient = selectors.patient_get(self.request.user, self.kwargs["id"], clinical=True)
        with transaction.atomic():
            serializer.instance = assessment_services.assessment_create(
                actor=self.request.user, patient=patient, **serializer.validated_data
            )

"""FHIR R4 export: a plan or a patient's plans as a Bundle, and the CapabilityStatement (rehab/fhir)."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.urls import re_path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from rehab.fhir.bundle import CONTENT_TYPE
from rehab.fhir.capability import capability_statement
from rehab.fhir.load import patient_bundle, plan_bundle
from rehab.models import AccessKind
from rehab.services.access import record_reads

ID = "[0-9]{1,18}"  # a record id: anything else is a 404 before the view runs
BUNDLE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A FHIR R4 Bundle of type collection (application/fhir+json); see the README's table of "
    "what each resource carries.",
)


def _fhir_response(body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type=CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"  # health data: never in a shared cache
    return response


class PlanFhirView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="plans_fhir_retrieve",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={(200, CONTENT_TYPE): BUNDLE},
    )
    def get(self, request, id):
        """The plan as a FHIR R4 Bundle: patient, care team, conditions, CarePlan, a ServiceRequest per
        exercise, goals, the check-ins (QuestionnaireResponse and Observations), the measures of the plan's
        weeks, open red flags (Flag) and each weekly decision (Provenance). Staff reads are recorded."""
        bundle, plan = plan_bundle(request.user, id)
        record_reads(request=request, kind=AccessKind.PLAN, patient_ids=[plan.patient_id], object_id=plan.pk)
        return _fhir_response(bundle)


class PatientFhirView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="patients_fhir_retrieve",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={(200, CONTENT_TYPE): BUNDLE},
    )
    def get(self, request, id):
        """Every plan of the patient the user may see, with all measures and open red flags, as one FHIR R4
        Bundle. Care team and the patient only (a clinic admin gets 404). Staff reads are recorded."""
        bundle, patient = patient_bundle(request.user, id)
        record_reads(request=request, kind=AccessKind.PATIENT, patient_ids=[patient.pk])
        return _fhir_response(bundle)


class FhirMetadataView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="fhir_metadata_retrieve",
        responses={(200, CONTENT_TYPE): OpenApiResponse(OpenApiTypes.OBJECT, description="A CapabilityStatement.")},
    )
    def get(self, request):
        """The FHIR CapabilityStatement of the export (no patient data, so no sign-in needed)."""
        api_base = f"{settings.SITE_URL}/api/v1"
        statement = capability_statement(api_base=api_base, software_version="1", published=timezone.now())
        return _fhir_response(statement)


urlpatterns = [
    re_path(rf"^plans/(?P<id>{ID})/fhir/$", PlanFhirView.as_view(), name="plan-fhir"),
    re_path(rf"^patients/(?P<id>{ID})/fhir/$", PatientFhirView.as_view(), name="patient-fhir"),
    re_path(r"^fhir/metadata$", FhirMetadataView.as_view(), name="fhir-metadata"),
]

"""The patient's plan PDF and the clinician's progress report PDF; emailing the plan."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from rehab import selectors
from rehab.documents import plan_file_name, plan_pdf_bytes, report_pdf_document
from rehab.models import AccessKind
from rehab.pdf import render_report_pdf
from rehab.selectors.documents import plan_for_pdf_visible_to
from rehab.services.access import record_reads
from rehab.services.plans import plan_email


def _pdf_response(data: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"  # health data: never in a shared cache
    return response


class PlanPdfView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, id: int):
        """The patient's plan as a PDF: patients their own running plan, staff their care team's plans."""
        # The plan as the user may see it (404 otherwise) with all that the PDF's cache key needs, in
        # one query; drawn once per plan version and patient's day, then served from the cache.
        plan = plan_for_pdf_visible_to(request.user, id)
        response = _pdf_response(plan_pdf_bytes(plan, marked=True), plan_file_name(plan))
        record_reads(request=request, kind=AccessKind.PLAN_PDF, patient_ids=[plan.patient_id], object_id=plan.pk)
        return response


class PlanEmailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    def post(self, request, id: int):
        """Email the plan PDF to the patient (sent by a background task after commit)."""
        plan = selectors.plan_get(request.user, id)
        recipient = plan_email(actor=request.user, plan=plan)
        return Response({"queued_to": recipient}, status=status.HTTP_202_ACCEPTED)


class ReportPdfView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, id: int):
        """The clinician's progress report for the patient's current (or latest) plan. Staff only."""
        if not request.user.is_care_staff:
            raise Http404(gettext("No such report."))
        patient = selectors.patient_get(request.user, id, clinical=True)
        plan = selectors.report_plan(request.user, patient)
        if plan is None:
            raise Http404(gettext("This patient has no plan yet."))
        response = _pdf_response(render_report_pdf(report_pdf_document(plan)), plan_file_name(plan, "report"))
        record_reads(request=request, kind=AccessKind.REPORT_PDF, patient_ids=[patient.pk], object_id=plan.pk)
        return response

"""GET /api/v1/plans/{id}/progress/: the series a chart needs, and every decision with its reasons."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rehab import selectors
from rehab.models import AccessKind
from rehab.progress import open_alerts_and_overrides, plan_progress_series
from rehab.services.access import record_reads


class PlanProgressView(APIView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "PlanProgress",
                {
                    "pain": serializers.ListField(child=serializers.DictField()),
                    "rpe": serializers.ListField(child=serializers.DictField()),
                    "symptoms": serializers.ListField(
                        child=serializers.DictField(),
                        help_text="Per check-in that gave any: pain sites, the exercise that hurt, heart rate "
                        "average and peak, lowest SpO2, the supervising physiotherapist.",
                    ),
                    "adherence": serializers.ListField(child=serializers.DictField()),
                    "measures": serializers.ListField(child=serializers.DictField()),
                    "decisions": serializers.ListField(child=serializers.DictField()),
                },
            )
        }
    )
    def get(self, request, id: int):
        plan = selectors.plan_get(request.user, id)
        body = plan_progress_series(plan)
        if request.user.is_care_staff:
            body.update(open_alerts_and_overrides(plan))
        record_reads(request=request, kind=AccessKind.PLAN_PROGRESS, patient_ids=[plan.patient_id], object_id=plan.pk)
        return Response(body)

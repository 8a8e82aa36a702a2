"""GET /api/v1/patients/{id}/access-log/: who on the staff read this patient's data, what and when."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from rehab import selectors
from rehab.models import AccessKind, RecordAccess, Role


class AccessEntrySerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", help_text="The staff member's user id.")
    actor_name = serializers.CharField(source="actor.display_name")
    actor_role = serializers.ChoiceField(choices=Role.choices, source="actor.role")
    kind = serializers.ChoiceField(choices=AccessKind.choices, help_text="What was read.")
    what = serializers.CharField(source="get_kind_display", help_text="What was read, in words.")
    object_id = serializers.IntegerField(
        allow_null=True, help_text="The plan, check-in or patient read; null for a list read."
    )
    address = serializers.SerializerMethodField(
        help_text="The client's address: shown to the clinic admin only, null for the patient."
    )

    class Meta:
        model = RecordAccess
        fields = ["id", "at", "actor", "actor_name", "actor_role", "kind", "what", "object_id", "surface", "address"]
        read_only_fields = fields

    def get_address(self, row) -> str | None:
        return row.address if self.context.get("show_address") else None


class PatientAccessLogView(ListAPIView):
    """Every read of the patient's data by staff (one row per read), newest first.

    For the patient themselves and the clinic admin of the patient's clinic; only the admin sees the
    address. A care-team member gets 403; anyone who may not see the patient gets 404.
    """

    serializer_class = AccessEntrySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.patient_access_log(self.request.user, self.kwargs["id"])

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "show_address": selectors.access_log_readers_see_address(self.request.user),
        }

    @extend_schema(
        responses={
            200: AccessEntrySerializer(many=True),
            403: OpenApiResponse(description="A care-team member: the log is for the patient and the clinic admin."),
            404: OpenApiResponse(description="No such patient for this user."),
        }
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

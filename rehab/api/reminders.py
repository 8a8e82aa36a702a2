"""The signed-in patient's own reminders: /api/v1/me/reminders/ and /api/v1/me/push-subscriptions/.

The same services as the Reminders page (rehab/services/reminders.py, rehab/services/push.py);
only a patient has a `me` here, staff get 403.
"""

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from rehab import selectors
from rehab.models import Patient, PushSubscription, Role
from rehab.services import push, reminders

TIME_FORMAT = "%H:%M"


@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "09:00"})
class ClockField(serializers.TimeField):
    """A wall-clock time as HH:MM, in and out (OpenAPI's `format: time` would want seconds and a zone)."""

    def __init__(self, **kwargs):
        super().__init__(format=TIME_FORMAT, input_formats=[TIME_FORMAT], **kwargs)


class PatientsOnly(BasePermission):
    message = gettext_lazy("Reminders are the patient's own: sign in as the patient.")

    def has_permission(self, request, view):
        return request.user.role == Role.PATIENT


def own_patient(request) -> Patient:
    patient = selectors.patient_of_login(request.user)
    if patient is None:
        raise PermissionDenied(gettext("This login has no patient record."))
    return patient


class ReminderPreferencesSerializer(serializers.Serializer):
    reminders_on = serializers.BooleanField(help_text="False: no reminders at all (the care team sees this too).")
    days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        help_text="Days reminders may come: 0 Monday ... 6 Sunday.",
    )
    time_of_day = ClockField(help_text="When, in the patient's time zone (HH:MM).")
    quiet_start = ClockField(allow_null=True, help_text="No reminder from this time (HH:MM) ...")
    quiet_end = ClockField(allow_null=True, help_text="... until this time.")
    next_morning = serializers.BooleanField(help_text="Remind the morning after a session to give next-morning pain.")
    time_zone = serializers.CharField(read_only=True, help_text="The patient's time zone, set by the care team.")
    push_available = serializers.BooleanField(
        read_only=True, help_text="Whether this server sends notifications (Web Push); if not, reminders go by email."
    )
    vapid_public_key = serializers.CharField(
        read_only=True, allow_null=True, help_text="The applicationServerKey for PushManager.subscribe()."
    )


def _preferences_body(patient: Patient) -> dict:
    prefs = reminders.reminder_preferences_get(patient)
    return {
        "reminders_on": not patient.reminders_opt_out,
        "days": prefs.days,
        "time_of_day": prefs.time_of_day,
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
        "next_morning": prefs.next_morning,
        "time_zone": patient.time_zone,
        "push_available": push.push_enabled(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY or None,
    }


class MyRemindersView(APIView):
    """When the patient is reminded: days, time of day, quiet hours, the next-morning pain reminder, off."""

    permission_classes = [IsAuthenticated, PatientsOnly]

    @extend_schema(responses={200: ReminderPreferencesSerializer})
    def get(self, request):
        patient = own_patient(request)
        return Response(ReminderPreferencesSerializer(_preferences_body(patient)).data)

    def _save(self, request, partial: bool):
        patient = own_patient(request)
        serializer = ReminderPreferencesSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        choices = {**_preferences_body(patient), **serializer.validated_data}
        reminders.reminder_preferences_update(
            actor=request.user,
            patient=patient,
            reminders_on=choices["reminders_on"],
            days=choices["days"],
            time_of_day=choices["time_of_day"],
            quiet_start=choices["quiet_start"],
            quiet_end=choices["quiet_end"],
            next_morning=choices["next_morning"],
        )
        patient.refresh_from_db(fields=["reminders_opt_out"])
        return Response(ReminderPreferencesSerializer(_preferences_body(patient)).data)

    @extend_schema(request=ReminderPreferencesSerializer, responses={200: ReminderPreferencesSerializer})
    def put(self, request):
        """Replace every choice; a 400 names each wrong field and nothing is saved."""
        return self._save(request, partial=False)

    @extend_schema(request=ReminderPreferencesSerializer, responses={200: ReminderPreferencesSerializer})
    def patch(self, request):
        """Change some choices; the others stay as they are."""
        return self._save(request, partial=True)


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionSerializer(serializers.ModelSerializer):
    keys = PushKeysSerializer(write_only=True, help_text="PushSubscription.toJSON().keys")

    class Meta:
        model = PushSubscription
        fields = ["id", "endpoint", "keys", "user_agent", "created_at", "last_success_at", "last_failure_at"]
        read_only_fields = ["id", "user_agent", "created_at", "last_success_at", "last_failure_at"]
        # Uniqueness is the service's business (the same endpoint again renews it).
        extra_kwargs = {"endpoint": {"validators": []}}


class MyPushSubscriptionsView(APIView):
    """The patient's devices that receive reminders as notifications (Web Push subscriptions)."""

    permission_classes = [IsAuthenticated, PatientsOnly]

    @extend_schema(responses={200: PushSubscriptionSerializer(many=True)})
    def get(self, request):
        patient = own_patient(request)
        return Response(PushSubscriptionSerializer(selectors.push_subscriptions_of(patient), many=True).data)

    @extend_schema(
        request=PushSubscriptionSerializer,
        responses={
            201: PushSubscriptionSerializer,
            200: OpenApiResponse(PushSubscriptionSerializer, description="Known already: its keys are renewed."),
        },
    )
    def post(self, request):
        """Keep a subscription from PushManager.subscribe() (its JSON: endpoint and keys)."""
        patient = own_patient(request)
        serializer = PushSubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription, created = push.push_subscription_save(
            actor=request.user,
            patient=patient,
            endpoint=data["endpoint"],
            p256dh=data["keys"]["p256dh"],
            auth=data["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(
            PushSubscriptionSerializer(subscription).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MyPushSubscriptionView(APIView):
    permission_classes = [IsAuthenticated, PatientsOnly]

    @extend_schema(responses={204: OpenApiResponse(description="Forgotten: no more notifications to that device.")})
    def delete(self, request, id: int):
        """Forget one device (the page also ends the browser's own subscription)."""
        patient = own_patient(request)
        if not push.push_subscription_delete(actor=request.user, patient=patient, subscription_id=id):
            raise NotFound(gettext("No such device of yours."))
        return Response(status=status.HTTP_204_NO_CONTENT)

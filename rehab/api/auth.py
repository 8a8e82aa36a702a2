"""API sign-in: expiring, revocable tokens, one per device (django-rest-knox).

POST auth/token/ with username and password (and `otp`, the code from the authenticator app or a
recovery code, for staff when MFA_REQUIRED) returns {"token", "expiry"}; the client sends
`Authorization: Token <token>`. Each sign-in makes its own token (a phone, a laptop), stored
hashed; auth/logout/ revokes the token it is sent with, auth/logout-all/ every token of the user.
Tokens last API_TOKEN_TTL_STAFF_HOURS for staff and API_TOKEN_TTL_PATIENT_DAYS for patients.
Failed sign-ins count towards the lock-out and the per-address throttle (rehab/signin.py).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, authenticate
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.views import LoginView, LogoutAllView, LogoutView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from rehab.api.token_auth import TokenAuthentication
from rehab.models import Role
from rehab.services.mfa import mfa_check, mfa_enrolled, mfa_required_for
from rehab.signin import lockout_response


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="Staff, when two-step sign-in is required: the authenticator app's code or a recovery code.",
    )


TokenAnswer = inline_serializer(
    "TokenAnswer", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
)
Detail = inline_serializer("Detail", {"detail": serializers.CharField()})


def token_ttl(user) -> timedelta:
    if user.role == Role.PATIENT:
        return timedelta(days=settings.API_TOKEN_TTL_PATIENT_DAYS)
    return timedelta(hours=settings.API_TOKEN_TTL_STAFF_HOURS)


class TokenLoginView(LoginView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def get_token_ttl(self):
        return token_ttl(self.request.user)

    @extend_schema(
        request=TokenLoginSerializer,
        responses={
            200: TokenAnswer,
            400: OpenApiResponse(description="Wrong username, password or code (a message per field)."),
            403: OpenApiResponse(Detail, description="Staff without two-step sign-in set up, when it is required."),
            429: OpenApiResponse(Detail, description="Locked out or throttled; says until when."),
        },
        auth=[],
    )
    def post(self, request, format=None):
        body = TokenLoginSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = authenticate(request=request, username=data["username"], password=data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, credentials={"username": data["username"]})
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [gettext("Unable to log in with provided credentials.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if mfa_required_for(user):
            if not mfa_enrolled(user):
                return Response(
                    {"detail": gettext("Set up two-step sign-in first: sign in on the website, which shows you how.")},
                    status=status.HTTP_403_FORBIDDEN,
                )
            if not data.get("otp"):
                return Response(
                    {"otp": [gettext("Enter the code from your authenticator app (or a recovery code).")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            if mfa_check(user=user, token=data["otp"]) is None:
                return Response({"otp": [gettext("That code is not right.")]}, status=status.HTTP_400_BAD_REQUEST)
        request.user = user
        response = super().post(request, format=format)
        # django-axes starts a session to log the sign-in; a token client has no use for one.
        if SESSION_KEY not in request.session:
            request.session.flush()
        return response


class TokenLogoutView(LogoutView):
    """Revoke the token this request is made with (sign this device out)."""

    authentication_classes = (TokenAuthentication,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)


class TokenLogoutAllView(LogoutAllView):
    """Revoke every token of the user (sign out on every device)."""

    authentication_classes = (TokenAuthentication,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)

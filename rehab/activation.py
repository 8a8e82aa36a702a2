"""One-time activation links for patient logins.

Built on Django's password-reset token generator: the token hashes the user's current
password hash and last login, so it stops working the moment the patient sets a password
(single use), expires after ACTIVATION_LINK_MAX_AGE, and cannot be forged without SECRET_KEY.
No password ever travels by email: the patient chooses one on the page the link opens.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from rehab.models import Role, User


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Its own salt, so a password-reset token is never an activation token and vice versa.

    Lifetime: settings.PASSWORD_RESET_TIMEOUT, which settings tie to ACTIVATION_LINK_MAX_AGE.
    """

    key_salt = "rehab.activation.ActivationTokenGenerator"


activation_tokens = ActivationTokenGenerator()


def activation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("frontend:activate", kwargs={"uidb64": uid, "token": activation_tokens.make_token(user)})


def activation_url(user: User) -> str:
    return f"{settings.SITE_URL}{activation_path(user)}"


def user_from_activation(uidb64: str, token: str) -> User | None:
    """The patient login the link is for, or None if the link is forged, used or expired."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.get(pk=pk, role=Role.PATIENT, is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    return user if activation_tokens.check_token(user, token) else None

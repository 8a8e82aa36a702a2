"""Second sign-in step for staff: an authenticator app (TOTP) and one-time recovery codes (django-otp).

A member of staff enrols by scanning a QR code and typing the first code the app shows; only then
is the app device confirmed and a fresh set of recovery codes made, which the page shows once.
Each recovery code works once (django-otp's static device deletes it on use). Wrong codes are
throttled by django-otp itself (each failure doubles the wait before the next try).
"""

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rehab.models import Role

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def mfa_required_for(user) -> bool:
    """Staff (every role but patient, and Django admin users) need the second step when MFA_REQUIRED."""
    if not settings.MFA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return user.role != Role.PATIENT or user.is_staff or user.is_superuser


def mfa_enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


@transaction.atomic
def mfa_app_start(*, user) -> TOTPDevice:
    """A new, unconfirmed app device (any earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def mfa_pending_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


@transaction.atomic
def mfa_app_confirm(*, user, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending app with its first code; replaces earlier devices; returns new recovery codes.

    None when the code is wrong (or nothing is pending): nothing changes then.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
    if device is None or not device.verify_token(_digits(token)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, mfa_recovery_codes_renew(user=user)


@transaction.atomic
def mfa_recovery_codes_renew(*, user) -> list[str]:
    """A fresh set of recovery codes; the earlier set stops working. Shown to the user once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_check(*, user, token: str):
    """The confirmed device that accepts `token` (an app code or an unused recovery code), else None."""
    token = (token or "").strip().replace(" ", "").replace("-", "").lower()
    if not token or not mfa_enrolled(user):
        return None
    return match_token(user, token)


def mfa_recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mfa_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def _digits(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch.isdigit())

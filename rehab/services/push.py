"""Web Push: the patient's devices that said yes to notifications, and sending to them.

A browser subscribes with the Push API and hands us its push service's endpoint and two keys; we
POST each message to that endpoint, encrypted for the browser (RFC 8291, aes128gcm) and signed with
our VAPID key (RFC 8292), through pywebpush. The push service answers 201; 404 or 410 means the
subscription is gone (the app was uninstalled, permission withdrawn), so the row is removed.

Push is on only when VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are set; without them nothing here
sends and reminders go by email (rehab/services/reminders.py).
"""

import base64
import binascii
import functools
import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from rehab.models import Patient, PushSubscription, Role, User
from rehab.services.errors import InvalidInput, NotAllowed

logger = logging.getLogger(__name__)

# How long a push service keeps a message for a phone that is off (seconds): a day's reminder
# is worth nothing the next day.
PUSH_TTL = 12 * 3600
# Seconds to wait for the push service; a slow one must not hold a worker.
PUSH_TIMEOUT = 10
# The push service answers these when the subscription no longer exists.
GONE = (404, 410)


def push_enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def vapid_key_pair() -> tuple[str, str]:
    """A new P-256 key pair as (public, private), base64url without padding.

    The public key is the uncompressed point browsers take as `applicationServerKey`; the private
    key is the raw 32-byte scalar that py_vapid reads back (Vapid.from_string).
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return _b64url(public), _b64url(private)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@functools.lru_cache(maxsize=4)
def _vapid(private_key: str):
    from py_vapid import Vapid

    return Vapid.from_string(private_key)


# --------------------------------------------------------------------------------------------
# Subscriptions
# --------------------------------------------------------------------------------------------


def _endpoint_errors(endpoint: str) -> list[str]:
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return [gettext("The push service's address must start with https://.")]
    if not any(host == allowed or host.endswith("." + allowed) for allowed in settings.PUSH_SERVICE_HOSTS):
        return [gettext("This is not the address of a push service we send to.")]
    return []


def _key_errors(value: str, length: int, what: str) -> list[str]:
    try:
        raw = _b64url_decode(value)
    except (binascii.Error, ValueError):
        return [gettext("The %(key)s is not base64url text.") % {"key": what}]
    if len(raw) != length or (length == 65 and raw[0] != 4):
        return [gettext("The %(key)s is not the browser's %(length)s-byte key.") % {"key": what, "length": length}]
    return []


def _require_patient(actor: User, patient: Patient) -> None:
    if actor.role != Role.PATIENT or patient.user_id != actor.pk:
        raise NotAllowed(gettext("Only the patient can choose their own reminders."))


@transaction.atomic
def push_subscription_save(
    *, actor: User, patient: Patient, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """Keep a device's subscription (created=True when new). Saving the same endpoint again
    renews its keys; an endpoint another patient had on this phone moves to this patient."""
    _require_patient(actor, patient)
    errors = {}
    if endpoint_errors := _endpoint_errors(endpoint):
        errors["endpoint"] = endpoint_errors
    if p256dh_errors := _key_errors(p256dh, 65, "p256dh key"):
        errors["p256dh"] = p256dh_errors
    if auth_errors := _key_errors(auth, 16, "auth secret"):
        errors["auth"] = auth_errors
    if errors:
        raise InvalidInput(errors)
    subscription, created = PushSubscription.objects.select_for_update().update_or_create(
        endpoint=endpoint,
        defaults={"patient": patient, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:200]},
    )
    return subscription, created


@transaction.atomic
def push_subscription_delete(*, actor: User, patient: Patient, subscription_id: int) -> bool:
    """Forget one of the patient's devices; False when it was not theirs (or is gone already)."""
    _require_patient(actor, patient)
    deleted, _ = PushSubscription.objects.filter(pk=subscription_id, patient=patient).delete()
    return deleted > 0


@transaction.atomic
def push_subscription_delete_endpoint(*, actor: User, patient: Patient, endpoint: str) -> bool:
    """Forget the device with this endpoint (what a page knows about itself)."""
    _require_patient(actor, patient)
    deleted, _ = PushSubscription.objects.filter(endpoint=endpoint, patient=patient).delete()
    return deleted > 0


# --------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------


def push_send(*, patient_id: int, message: dict) -> int:
    """Send `message` (title, body, url, tag) to every device of the patient; how many took it.

    One device failing does not stop the others: a gone subscription is removed, any other
    failure is recorded on its row. Nothing is raised, so the caller can fall back to email.
    """
    if not push_enabled():
        return 0
    from pywebpush import WebPushException, webpush

    data = json.dumps(message, separators=(",", ":"))
    reached = 0
    for subscription in PushSubscription.objects.filter(patient_id=patient_id):
        try:
            webpush(
                subscription_info=subscription.as_webpush(),
                data=data,
                vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=PUSH_TTL,
                timeout=PUSH_TIMEOUT,
            )
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in GONE:
                subscription.delete()
                logger.info("Push subscription %s gone (%s): removed", subscription.pk, status)
            else:
                _record_failure(subscription, f"push service answered {status}")
            continue
        except (OSError, ValueError) as error:  # network (requests' errors are OSErrors), bad keys
            _record_failure(subscription, type(error).__name__)
            continue
        PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
        reached += 1
    return reached


def _record_failure(subscription: PushSubscription, what: str) -> None:
    logger.warning("Push to subscription %s failed: %s", subscription.pk, what)
    PushSubscription.objects.filter(pk=subscription.pk).update(last_failure_at=timezone.now(), last_failure=what[:200])

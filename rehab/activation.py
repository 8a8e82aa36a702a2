"""Sign-in (activation) links for patient logins: signed, expiring, single use, revocable.

A link is `/activate/<token>/`, where the token is `<link id>.<secret>` signed with SECRET_KEY and
a timestamp (django.core.signing.TimestampSigner), so it cannot be forged and stops working after
ACTIVATION_LINK_MAX_AGE. The secret is random and only its SHA-256 is stored on the ActivationLink
row, so the row can be revoked (a newer link ends the older ones), spent (used, or too many wrong
dates of birth) and audited, while the link itself exists only in what went to the patient: their
email, their phone, or the QR code shown once to their physiotherapist for hand-over.

No password ever travels: the patient chooses one on the page the link opens, after giving their
date of birth.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse

from rehab import selectors
from rehab.models import ActivationLink, Role

SALT = "rehab.activation.link"
# Wrong dates of birth a link survives; the next one spends it (a new link is needed).
DATE_OF_BIRTH_TRIES = 5


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> tuple[str, str]:
    """A fresh random secret for a link and the hash to store for it."""
    secret = secrets.token_urlsafe(24)
    return secret, secret_hash(secret)


def activation_token(link_id: int, secret: str) -> str:
    return _signer().sign(f"{link_id}.{secret}")


def activation_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('frontend:activate', kwargs={'token': token})}"


def open_link_for(token: str, *, for_update: bool = False) -> ActivationLink | None:
    """The open link the token belongs to, or None if it is forged, expired, used, replaced or spent.

    With for_update the row is locked (inside the caller's transaction), so two tries of the same
    link are decided one after the other.
    """
    try:
        value = _signer().unsign(token, max_age=settings.ACTIVATION_LINK_MAX_AGE)
        link_id, secret = value.split(".", 1)
        link_id = int(link_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    link = selectors.open_activation_link(link_id, for_update=for_update)
    if link is None or not link.secret_hash or not hmac.compare_digest(link.secret_hash, secret_hash(secret)):
        return None
    user = link.user
    if user.role != Role.PATIENT or not user.is_active or user.has_usable_password():
        return None
    return link

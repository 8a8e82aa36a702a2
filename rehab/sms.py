"""Text messages to patients: one seam, with the backend chosen by settings.SMS_BACKEND.

There is no SMS provider in this project. A deployment that wants text messages names a class
with a `send(message)` method in SMS_BACKEND (for example a small adapter around its provider's
client, reading its credentials from its own environment variables); with SMS_BACKEND empty (the
production default) text messages are switched off and staff are told so. In development the
console backend prints each message; tests use the in-memory one and read `rehab.sms.outbox`.
"""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class SmsNotConfigured(Exception):
    """SMS_BACKEND is empty: this deployment sends no text messages."""


class ConsoleBackend:
    """Prints each message, as Django's console email backend does (development)."""

    def send(self, message: TextMessage) -> None:
        sys.stdout.write(f"SMS to {message.to}:\n{message.body}\n{'-' * 40}\n")
        sys.stdout.flush()


# Messages sent through LocMemBackend, oldest first (tests clear it).
outbox: list[TextMessage] = []


class LocMemBackend:
    """Keeps each message in `rehab.sms.outbox` (tests)."""

    def send(self, message: TextMessage) -> None:
        outbox.append(message)


def sms_enabled() -> bool:
    return bool(getattr(settings, "SMS_BACKEND", ""))


def send_sms(*, to: str, body: str) -> None:
    """Send one text message; raises SmsNotConfigured when SMS_BACKEND is empty."""
    if not sms_enabled():
        raise SmsNotConfigured("No SMS backend is configured (SMS_BACKEND).")
    import_string(settings.SMS_BACKEND)().send(TextMessage(to=to, body=body))

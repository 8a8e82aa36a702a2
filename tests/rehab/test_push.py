"""Web Push against a local fake push service: what the server POSTs (VAPID-signed, aes128gcm-encrypted
for the browser's keys), removal of a gone subscription, and email as the fallback."""

import base64
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core import mail

from rehab.models import PushSubscription, ReminderDelivery
from rehab.services import reminders
from rehab.services.push import push_send, vapid_key_pair

TEN_AM = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FakePushService:
    """A push service on 127.0.0.1: records each POST and answers `status` (201 by default)."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """What a browser keeps for a push subscription: its P-256 key pair and auth secret."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(public)

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


@pytest.fixture
def push_service():
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture
def vapid(settings):
    public, private = vapid_key_pair()
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = "mailto:reminders@clinic.example"
    return public


@pytest.fixture
def helen(world):
    world.patient.email = "helen@example.org"
    world.patient.save()
    return world.patient


def subscribe(patient, service: FakePushService, browser: Browser, name: str = "phone") -> PushSubscription:
    # Straight to the row: the service's allow-list of push hosts (https only) would refuse 127.0.0.1.
    return PushSubscription.objects.create(
        patient=patient, endpoint=f"{service.url}/push/{name}", p256dh=browser.p256dh, auth=b64url(browser.auth)
    )


def verify_vapid(authorization: str, public_key: str, audience: str) -> dict:
    """Check the `vapid t=<JWT>, k=<key>` header (RFC 8292): our key, ES256-signed, for this push service."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key
    header, claims, signature = fields["t"].split(".")
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    body = json.loads(unb64url(claims))
    assert json.loads(unb64url(header))["alg"] == "ES256"
    assert body["aud"] == audience
    return body


def test_a_reminder_goes_to_the_phone_signed_and_encrypted_and_not_by_email(helen, vapid, push_service):
    browser = Browser()
    subscription = subscribe(helen, push_service, browser)

    channel = reminders.reminder_send(patient_id=helen.pk, kind="next_morning", day=TEN_AM.date(), now=TEN_AM)

    assert channel == "push"
    assert mail.outbox == []
    [request] = push_service.received
    assert request["path"] == "/push/phone"
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) > 0
    claims = verify_vapid(headers["authorization"], vapid, push_service.url)
    assert claims["sub"] == "mailto:reminders@clinic.example"
    message = browser.decrypt(request["body"])
    assert message["url"] == "/today/#morning-title"
    assert "pain this morning" in message["body"]
    assert b"pain" not in request["body"]  # only the browser can read it
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None
    assert ReminderDelivery.objects.get().channel == "push"


def test_every_phone_of_the_patient_gets_it(helen, vapid, push_service):
    subscribe(helen, push_service, Browser(), "phone")
    subscribe(helen, push_service, Browser(), "tablet")
    assert push_send(patient_id=helen.pk, message={"title": "t", "body": "b", "url": "/today/"}) == 2
    assert sorted(r["path"] for r in push_service.received) == ["/push/phone", "/push/tablet"]


@pytest.mark.parametrize("gone", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_removed_and_email_takes_over(helen, vapid, push_service, gone):
    subscribe(helen, push_service, Browser())
    push_service.status = gone

    channel = reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM)

    assert channel == "email"
    assert len(push_service.received) == 1
    assert not PushSubscription.objects.exists()
    assert len(mail.outbox) == 1


def test_a_push_service_error_is_recorded_and_the_subscription_kept(helen, vapid, push_service):
    subscription = subscribe(helen, push_service, Browser())
    push_service.status = 503

    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM) == "email"

    subscription.refresh_from_db()
    assert subscription.last_failure_at is not None
    assert "503" in subscription.last_failure


def test_an_unreachable_push_service_falls_back_to_email(helen, vapid, push_service):
    subscribe(helen, push_service, Browser())
    push_service.close()  # nothing listens there any more

    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM) == "email"
    assert PushSubscription.objects.get().last_failure_at is not None


def test_without_vapid_keys_push_is_off_and_email_is_sent(helen, settings, push_service):
    settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_PRIVATE_KEY = ""
    subscribe(helen, push_service, Browser())

    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM) == "email"
    assert push_service.received == []


def test_a_patient_with_no_phone_and_no_email_is_marked_as_unreachable_once(world, vapid):
    assert reminders.reminder_send(patient_id=world.patient.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM) == (
        "none"
    )
    assert (
        reminders.reminder_send(patient_id=world.patient.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM) is None
    )


def test_the_key_pair_command_prints_keys_pywebpush_can_sign_with(capsys):
    from django.core.management import call_command
    from py_vapid import Vapid

    call_command("vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    signer = Vapid.from_string(lines["VAPID_PRIVATE_KEY"])
    public = signer.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert b64url(public) == lines["VAPID_PUBLIC_KEY"]

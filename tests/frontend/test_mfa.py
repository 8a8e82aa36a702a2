"""Two-step sign-in for staff: set-up with a QR code, the code at each sign-in, recovery codes once."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rehab.services import mfa as mfa_services
from tests.builders import PASSWORD


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED = True


def _code(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


def _later(seconds=60):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


def _sign_in(client, user):
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _enrolled(user) -> tuple[bytes, list[str]]:
    device = mfa_services.mfa_app_start(user=user)
    _, codes = mfa_services.mfa_app_confirm(user=user, token=_code(device.bin_key))
    return device.bin_key, codes


def test_staff_without_a_device_are_sent_to_set_up_before_any_page(world, client, required):
    _sign_in(client, world.physio)
    for url in ("/caseload/", "/admin/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/mfa/setup/?next=")
    assert client.get("/api/v1/patients/").status_code == 403


def test_set_up_shows_a_qr_code_then_the_recovery_codes_once(world, client, required):
    _sign_in(client, world.physio)
    page = client.get("/mfa/setup/?next=/caseload/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg width="' in html
    assert 'class="segno"' in html
    device = TOTPDevice.objects.get(user=world.physio, confirmed=False)
    assert client.get("/mfa/setup/").context["secret"].replace(" ", "")  # same secret on reload
    assert TOTPDevice.objects.get(user=world.physio, confirmed=False).pk == device.pk

    wrong = client.post("/mfa/setup/", {"code": "12345x"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=world.physio, confirmed=True).exists()

    with _later():
        done = client.post("/mfa/setup/", {"code": _code(device.bin_key), "next": "/caseload/"})
    codes = done.context["codes"]
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=world.physio).confirmed
    assert StaticToken.objects.filter(device__user=world.physio).count() == 10
    # Verified in this session: the pages open now.
    assert client.get("/caseload/").status_code == 200


def test_a_signed_in_staff_member_with_a_device_must_enter_the_code(world, client, required):
    key, _ = _enrolled(world.physio)
    _sign_in(client, world.physio)
    assert client.get("/caseload/")["Location"] == "/mfa/verify/?next=%2Fcaseload%2F"
    with _later():
        response = client.post("/mfa/verify/", {"code": _code(key), "next": "/caseload/"})
    assert response.status_code == 302
    assert response["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200


def test_a_wrong_code_is_refused(world, client, required):
    key, _ = _enrolled(world.physio)
    _sign_in(client, world.physio)
    wrong = f"{(int(_code(key)) + 1) % 1_000_000:06d}"
    response = client.post("/mfa/verify/", {"code": wrong, "next": "/caseload/"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/caseload/").status_code == 302


def test_a_recovery_code_works_once(world, client, required):
    _, codes = _enrolled(world.physio)
    _sign_in(client, world.physio)
    first = client.post("/mfa/verify/", {"code": codes[0].upper(), "next": "/caseload/"}, follow=True)
    assert first.status_code == 200
    assert "9 left" in first.content.decode()
    client.logout()

    _sign_in(client, world.physio)
    again = client.post("/mfa/verify/", {"code": codes[0], "next": "/caseload/"})
    assert "That code is not right" in again.content.decode()
    assert client.get("/caseload/").status_code == 302


def test_a_password_alone_cannot_replace_an_enrolled_device(world, client, required):
    _key, _ = _enrolled(world.physio)
    _sign_in(client, world.physio)
    response = client.get("/mfa/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/mfa/verify/")
    assert TOTPDevice.objects.filter(user=world.physio).count() == 1


def test_patients_and_debug_logins_are_not_asked_for_a_code(world, client, settings):
    settings.MFA_REQUIRED = True
    _sign_in(client, world.patient_user)
    assert client.get("/today/").status_code == 200
    client.logout()
    settings.MFA_REQUIRED = False
    _sign_in(client, world.physio)
    assert client.get("/caseload/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(world, client, required):
    key, old = _enrolled(world.physio)
    _sign_in(client, world.physio)
    with _later():
        client.post("/mfa/verify/", {"code": _code(key)})
    response = client.post("/mfa/recovery-codes/")
    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert set(StaticToken.objects.filter(device__user=world.physio).values_list("token", flat=True)) == set(new)
    assert re.search(r"shown only now", response.content.decode())

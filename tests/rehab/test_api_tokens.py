"""API tokens (django-rest-knox): one per sign-in, expiring by role, revocable; 401 with WWW-Authenticate."""

from datetime import timedelta

import time_machine
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_otp.oath import TOTP
from knox.models import AuthToken
from rest_framework.test import APIClient

from rehab.services import mfa as mfa_services
from tests.builders import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def _sign_in(api, user, **extra):
    return api.post(TOKEN_URL, {"username": user.username, "password": PASSWORD, **extra}, format="json")


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_sign_in_returns_a_token_and_its_expiry_by_role(world, api, settings):
    settings.API_TOKEN_TTL_STAFF_HOURS, settings.API_TOKEN_TTL_PATIENT_DAYS = 12, 30
    staff = _sign_in(api, world.physio).json()
    patient = _sign_in(api, world.patient_user).json()
    now = timezone.now()
    assert abs(parse_datetime(staff["expiry"]) - (now + timedelta(hours=12))) < timedelta(minutes=1)
    assert abs(parse_datetime(patient["expiry"]) - (now + timedelta(days=30))) < timedelta(minutes=1)
    assert _client(staff["token"]).get("/api/v1/patients/").status_code == 200


def test_the_token_is_stored_hashed_and_the_sign_in_starts_no_session(world, api):
    response = _sign_in(api, world.patient_user)
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=world.patient_user)
    assert token not in (stored.digest, stored.token_key)
    assert "sessionid" not in response.cookies


def test_an_expired_token_is_refused_with_401_and_www_authenticate(world, api, settings):
    settings.API_TOKEN_TTL_STAFF_HOURS = 12
    token = _sign_in(api, world.physio).json()["token"]
    with time_machine.travel(timezone.now() + timedelta(hours=12, minutes=1)):
        response = _client(token).get("/api/v1/patients/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_call_without_credentials_gets_401_with_www_authenticate(db, api):
    response = api.get("/api/v1/patients/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_logout_revokes_only_this_devices_token(world, api):
    phone = _sign_in(api, world.physio).json()["token"]
    laptop = _sign_in(api, world.physio).json()["token"]
    assert _client(phone).post("/api/v1/auth/logout/").status_code == 204
    assert _client(phone).get("/api/v1/patients/").status_code == 401
    assert _client(laptop).get("/api/v1/patients/").status_code == 200


def test_logout_all_revokes_every_token_of_the_user(world, api):
    phone = _sign_in(api, world.physio).json()["token"]
    laptop = _sign_in(api, world.physio).json()["token"]
    other = _sign_in(api, world.clinician).json()["token"]
    assert _client(phone).post("/api/v1/auth/logout-all/").status_code == 204
    assert _client(phone).get("/api/v1/patients/").status_code == 401
    assert _client(laptop).get("/api/v1/patients/").status_code == 401
    assert _client(other).get("/api/v1/patients/").status_code == 200


def _code(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


def _enrol(user) -> bytes:
    device = mfa_services.mfa_app_start(user=user)
    assert mfa_services.mfa_app_confirm(user=user, token=_code(device.bin_key)) is not None
    return device.bin_key


def test_with_mfa_required_staff_need_the_apps_code_for_a_token(world, api, settings):
    settings.MFA_REQUIRED = True
    key = _enrol(world.physio)
    missing = _sign_in(api, world.physio)
    assert missing.status_code == 400
    assert "otp" in missing.json()
    assert "token" not in missing.json()
    wrong = _sign_in(api, world.physio, otp=f"{(int(_code(key)) + 1) % 1_000_000:06d}")
    assert wrong.status_code == 400
    assert "token" not in wrong.json()
    # The next time step (a code is good once), past django-otp's wait after a wrong code.
    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        right = _sign_in(api, world.physio, otp=_code(key))
    assert right.status_code == 200
    assert right.json()["token"]


def test_with_mfa_required_staff_without_a_device_get_no_token(world, api, settings):
    settings.MFA_REQUIRED = True
    response = _sign_in(api, world.physio, otp="123456")
    assert response.status_code == 403
    assert "Set up two-step sign-in" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=world.physio).exists()


def test_patients_need_no_second_step(world, api, settings):
    settings.MFA_REQUIRED = True
    assert _sign_in(api, world.patient_user).status_code == 200

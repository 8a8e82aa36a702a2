"""The check-in lane answers in front of the header middleware and still carries every header they put
on the DRF view's answer to the same request (rehab/api/lane_headers.py)."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from knox.models import AuthToken
from rest_framework.test import APIClient

from rehab.api.checkins import CheckInViewSet
from rehab.models import CheckIn
from tests import builders

TODAY = "2026-11-10 10:00"
LANE = "rehab.api.checkin_fast.CheckInFastPath"


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


@pytest.fixture
def token(world):
    return AuthToken.objects.create(user=world.patient_user, expiry=timedelta(days=1))[1]


def _session(plan) -> dict:
    return {
        "date": "2026-11-09",
        "items": [{"plan_item": item.pk, "done": True, "sets": 2, "reps": 10} for item in plan.items.all()[:3]],
        "session_rpe": 12,
        "pain_during": 2,
        "pain_after": 2,
    }


def _post(token, payload, *, key, secure=False, **headers):
    client = APIClient(raise_request_exception=False)
    return client.post(
        "/api/v1/checkins/",
        payload,
        format="json",
        secure=secure,
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_IDEMPOTENCY_KEY=key,
        **headers,
    )


def _every_header(response) -> dict:
    headers = {name.lower(): value for name, value in response.headers.items()}
    # Each answer's length is its own: the new check-in's id can have a digit more on one side (PostgreSQL's
    # sequence does not go back after the delete). That it is the answer's true length is asserted apart.
    assert int(headers.pop("content-length", len(response.content))) == len(response.content)
    # The full stack reads the session cookie on the way (Vary: Cookie); a token's answer does not depend on it.
    vary = [value.strip() for value in headers.pop("vary", "").split(",") if value.strip() not in ("Cookie", "")]
    return {**headers, "vary": vary}


def _body(response):
    body = response.json() if response.headers.get("Content-Type") == "application/json" else response.content
    if isinstance(body, dict):
        body = {name: value for name, value in body.items() if name not in ("id", "created_at")}
    return body


def _lane_and_drf_view(settings, token, payload, **request):
    """(the lane's answer, the DRF view's answer with the lane taken out), each on an empty table."""
    lane = _post(token, payload, key="lane", **request)
    CheckIn.objects.all().delete()
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != LANE]
    full = _post(token, payload, key="full", **request)
    return lane, full


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("accept_language", "secure", "patient_language"),
    [
        ("", False, ""),
        ("es", False, ""),
        ("es-ES,es;q=0.9,en;q=0.5", True, "es"),
        ("fr", True, ""),
        ("en", False, "es"),
    ],
)
def test_the_lanes_answer_has_every_header_and_the_body_of_the_drf_views(
    world, plan, token, settings, accept_language, secure, patient_language
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_REFERRER_POLICY = "same-origin"
    world.patient.language = patient_language
    world.patient.save(update_fields=["language"])
    payload = _session(plan)
    with mock.patch.object(CheckInViewSet, "create", side_effect=AssertionError("the DRF view ran")):
        lane = _post(token, payload, key="lane", secure=secure, HTTP_ACCEPT_LANGUAGE=accept_language)
    CheckIn.objects.all().delete()
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != LANE]
    full = _post(token, payload, key="full", secure=secure, HTTP_ACCEPT_LANGUAGE=accept_language)

    assert lane.status_code == full.status_code == 201, lane.content
    assert _every_header(lane) == _every_header(full)
    assert _body(lane) == _body(full)
    assert ("strict-transport-security" in _every_header(lane)) is secure
    # The patient's own language (else their clinic's, English here), whatever the phone asks for.
    assert lane.headers["Content-Language"] == (patient_language or "en")


@time_machine.travel(TODAY, tick=False)
def test_a_second_answer_gets_its_own_length_and_moment(world, plan, token):
    first = _post(token, _session(plan), key="one")
    payload = {**_session(plan), "date": "2026-11-08", "notes": "A longer answer than the first one."}
    with time_machine.travel("2026-11-10 10:05", tick=False):
        second = _post(token, payload, key="two")

    assert (first.status_code, second.status_code) == (201, 201)
    assert int(second.headers["Content-Length"]) == len(second.content) > len(first.content)
    assert first.headers["Expires"] == "Tue, 10 Nov 2026 10:00:00 GMT"
    assert second.headers["Expires"] == "Tue, 10 Nov 2026 10:05:00 GMT"


@time_machine.travel(TODAY, tick=False)
def test_what_the_header_middleware_turn_away_they_still_turn_away(world, plan, token, settings):
    settings.SECURE_SSL_REDIRECT = True
    redirected = _post(token, _session(plan), key="http")
    settings.SECURE_SSL_REDIRECT = False
    wrong_host = _post(token, _session(plan), key="host", HTTP_HOST="elsewhere.example")

    assert redirected.status_code == 301
    assert redirected.headers["Location"].startswith("https://")
    assert wrong_host.status_code == 400
    assert not CheckIn.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_error_in_the_lane_is_djangos_500_with_the_same_headers(world, plan, token, settings):
    failing = mock.patch("rehab.services.checkins.checkin_record", side_effect=RuntimeError("database gone"))
    with failing:
        lane, full = _lane_and_drf_view(settings, token, _session(plan))

    assert lane.status_code == full.status_code == 500
    assert _every_header(lane) == _every_header(full)
    assert lane.content == full.content

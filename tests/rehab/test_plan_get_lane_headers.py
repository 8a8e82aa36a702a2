"""The plan GET lane answers in front of the header middleware (next to the check-in lane) and still
carries every header they put on the DRF view's answer to the same request, 200 and 304 alike, each
answer with its own ETag, length and moment (rehab/api/lane_headers.py, rehab/api/plan_get_fast.py)."""

from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from knox.models import AuthToken
from rest_framework.test import APIClient

from rehab import settings as project_settings
from rehab.api import lane_headers
from rehab.api.plan_get_fast import forget_readers
from rehab.api.plans import PlanViewSet
from rehab.models import RecordAccess
from tests import builders

GET_LANE = "rehab.api.plan_get_fast.PlanGetFastLane"
CHECKIN_LANE = "rehab.api.checkin_fast.CheckInFastPath"
START = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _in_week_three():
    with time_machine.travel("2026-11-18 09:00", tick=False):
        yield


@pytest.fixture(autouse=True)
def _https_as_in_production(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_REFERRER_POLICY = "same-origin"
    forget_readers()


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


def _token(user) -> str:
    return AuthToken.objects.create(user=user, expiry=timedelta(days=1))[1]


def _get(token, plan_id, **headers):
    client = APIClient(raise_request_exception=False)
    return client.get(f"/api/v1/plans/{plan_id}/", HTTP_AUTHORIZATION=f"Token {token}", **headers)


def _drf_view_must_not_run():
    return mock.patch.object(PlanViewSet, "retrieve", side_effect=AssertionError("the DRF view ran"))


def _without_get_lane(settings):
    settings.MIDDLEWARE = [name for name in project_settings.MIDDLEWARE if name != GET_LANE]


def _with_get_lane(settings):
    settings.MIDDLEWARE = list(project_settings.MIDDLEWARE)


def test_the_lanes_stand_together_first_after_the_request_log():
    names = project_settings.MIDDLEWARE

    assert names[:3] == ["rehab.logs.RequestLogMiddleware", CHECKIN_LANE, GET_LANE]


def test_a_lane_placed_behind_a_header_middleware_is_refused(settings, world, plan):
    names = [name for name in project_settings.MIDDLEWARE if name != GET_LANE]
    after_security = names.index("django.middleware.security.SecurityMiddleware") + 1
    settings.MIDDLEWARE = [*names[:after_security], GET_LANE, *names[after_security:]]

    with pytest.raises(ImproperlyConfigured):
        lane_headers.dress(APIClient().get("/").wsgi_request, lane_headers.HttpResponse(b"{}"))


@pytest.mark.parametrize(
    ("accept_language", "secure", "reader_language", "conditional"),
    [
        ("", False, "", False),
        ("", False, "", True),
        ("es", False, "", False),
        ("es-ES,es;q=0.9,en;q=0.5", True, "es", False),
        ("es-ES,es;q=0.9,en;q=0.5", True, "es", True),
        ("fr", True, "", True),
        ("en", False, "es", True),
    ],
)
def test_the_lanes_answer_is_the_drf_views_header_by_header_and_byte_by_byte(
    world, plan, settings, accept_language, secure, reader_language, conditional
):
    world.physio.language = reader_language
    world.physio.save(update_fields=["language"])
    token = _token(world.physio)
    request = {"HTTP_ACCEPT_LANGUAGE": accept_language, "secure": secure}
    if secure:
        request["HTTP_X_FORWARDED_PROTO"] = "https"
    _without_get_lane(settings)
    etag = _get(token, plan.pk, **request)["ETag"]  # the DRF view builds and keeps the answer
    if conditional:
        request["HTTP_IF_NONE_MATCH"] = etag

    _with_get_lane(settings)
    with _drf_view_must_not_run():
        lane = _get(token, plan.pk, **request)
    _without_get_lane(settings)
    full = _get(token, plan.pk, **request)

    assert lane.status_code == full.status_code == (304 if conditional else 200)
    # Every header, in the order the client receives them, and every byte of the body.
    assert list(lane.headers.items()) == list(full.headers.items())
    assert lane.content == full.content
    assert lane["ETag"] == etag
    assert ("Strict-Transport-Security" in lane.headers) is secure
    # The reader's own language, else the one the request asks for that we ship (English, Spanish).
    assert lane["Content-Language"] == (reader_language or ("es" if accept_language.startswith("es") else "en"))
    assert lane["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert lane["Content-Length"] == str(len(lane.content))


def test_each_answer_gets_its_own_etag_length_and_moment(world, plan, settings):
    # Two plans of the same shape: the headers the middleware add are kept once and put on both answers;
    # what belongs to each answer is its own.
    other = builders.make_active_plan(world.patient, world.physio, start_date=START - timedelta(weeks=1))
    token = _token(world.physio)
    _without_get_lane(settings)
    first_full, second_full = _get(token, plan.pk), _get(token, other.pk)
    _with_get_lane(settings)

    with _drf_view_must_not_run():
        first = _get(token, plan.pk)
        with time_machine.travel("2026-11-18 09:05", tick=False):
            second = _get(token, other.pk)
        unchanged = _get(token, other.pk, HTTP_IF_NONE_MATCH=second["ETag"])

    assert (first["ETag"], second["ETag"]) == (first_full["ETag"], second_full["ETag"])
    assert first["ETag"] != second["ETag"]
    assert first.content == first_full.content
    assert second.content == second_full.content
    assert first["Content-Length"] == str(len(first.content))
    assert second["Content-Length"] == str(len(second.content))
    assert first["Expires"] == "Wed, 18 Nov 2026 09:00:00 GMT"
    assert second["Expires"] == "Wed, 18 Nov 2026 09:05:00 GMT"
    assert (unchanged.status_code, unchanged["ETag"], unchanged["Content-Length"]) == (304, second["ETag"], "0")
    assert "Content-Type" not in unchanged.headers


def test_what_the_header_middleware_turn_away_they_still_turn_away(world, plan, settings):
    token = _token(world.physio)
    _get(token, plan.pk)  # warm: the lane would answer
    before = RecordAccess.objects.count()

    settings.SECURE_SSL_REDIRECT = True
    redirected = _get(token, plan.pk)
    settings.SECURE_SSL_REDIRECT = False
    wrong_host = _get(token, plan.pk, HTTP_HOST="elsewhere.example")

    assert redirected.status_code == 301
    assert redirected.headers["Location"].startswith("https://")
    assert wrong_host.status_code == 400
    assert RecordAccess.objects.count() == before  # neither was read


@pytest.mark.parametrize("reader_language", ["", "es"])
def test_an_error_in_the_lane_is_djangos_500_with_the_same_headers(world, plan, settings, reader_language):
    world.physio.language = reader_language
    world.physio.save(update_fields=["language"])
    token = _token(world.physio)
    _get(token, plan.pk)  # warm: the lane answers, and fails writing the audit row
    failing = mock.patch("rehab.services.access.request_address", side_effect=RuntimeError("no address"))

    with failing:
        lane = _get(token, plan.pk)
        _without_get_lane(settings)
        full = _get(token, plan.pk)

    assert lane.status_code == full.status_code == 500
    assert list(lane.headers.items()) == list(full.headers.items())
    assert lane.content == full.content
    assert lane["Content-Language"] == (reader_language or "en")

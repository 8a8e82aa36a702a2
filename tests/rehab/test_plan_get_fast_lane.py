"""GET plans/{id}/'s fast lane (rehab/api/plan_get_fast.py): a token's read of a cached compact answer gets
the DRF view's answer byte for byte (status, every header, body) and leaves the same read-audit rows;
everything else is handed to the DRF view."""

from contextlib import contextmanager
from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from rest_framework.test import APIClient

from rehab import settings as project_settings
from rehab.api import plan_get_fast
from rehab.api.plan_cache import forget_kept_answers
from rehab.api.plan_get_fast import fast_plan_get, forget_readers
from rehab.api.plans import PlanViewSet
from rehab.models import AccessKind, Plan, PlanStatus, RecordAccess
from rehab.services.plans import plan_generate
from tests import builders

LANE = "rehab.api.plan_get_fast.PlanGetFastLane"
WITHOUT_LANE = [name for name in project_settings.MIDDLEWARE if name != LANE]
START = date(2026, 11, 2)  # a Monday
AUDIT_FIELDS = ("actor_id", "patient_id", "kind", "object_id", "address", "surface", "at")


@pytest.fixture(autouse=True)
def _in_week_three():
    with time_machine.travel("2026-11-18 09:00", tick=False):
        yield


@pytest.fixture
def plan(world) -> Plan:
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


def _token(user) -> str:
    return AuthToken.objects.create(user=user, expiry=timedelta(days=1))[1]


def _get(token: str | None, plan_id: int, query: str = "", **headers):
    if token is not None:
        headers.setdefault("HTTP_AUTHORIZATION", f"Token {token}")
    return APIClient().get(f"/api/v1/plans/{plan_id}/{query}", **headers)


def _answer(response) -> tuple:
    """What a client receives: status, every header in its order, the body's bytes."""
    return response.status_code, list(response.headers.items()), response.content


def _audit_mark() -> int:
    """The newest audit row's id (the log is append-only: rows after it are what a read added)."""
    return RecordAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _audit_since(mark: int) -> list[tuple]:
    return list(RecordAccess.objects.filter(pk__gt=mark).order_by("pk").values_list(*AUDIT_FIELDS))


def _drf_view_must_not_run():
    return mock.patch.object(PlanViewSet, "retrieve", side_effect=AssertionError("the DRF view ran"))


def _counting_drf_view():
    return mock.patch.object(PlanViewSet, "retrieve", autospec=True, side_effect=PlanViewSet.retrieve)


def _both_ways(settings, read, *, warm_with=None) -> list[tuple]:
    """`read()` with the lane and without it, each from the same cache and audit state: empty, or warmed by
    `warm_with()` through the DRF view. Each gives (answer, audit rows, whether
    the lane answered it)."""
    seen = []
    for middleware in (project_settings.MIDDLEWARE, WITHOUT_LANE):
        cache.clear()
        forget_kept_answers()
        if warm_with is not None:
            settings.MIDDLEWARE = WITHOUT_LANE
            warm_with()
        mark = _audit_mark()
        settings.MIDDLEWARE = middleware
        with _lane_answers() as answered:
            answer = _answer(read())
        seen.append((answer, _audit_since(mark), bool(answered)))
    return seen


@contextmanager
def _lane_answers():
    """The responses the lane gave (not handed on) while inside."""
    answered = []

    def spy(request, pk):
        response = fast_plan_get(request, pk)
        if response is not None:
            answered.append(response)
        return response

    with mock.patch("rehab.api.plan_get_fast.fast_plan_get", spy):
        yield answered


# ---------------------------------------------------------------------------------------------
# The lane answers a warm read, as the DRF view would
# ---------------------------------------------------------------------------------------------


def test_a_warm_staff_read_is_the_drf_views_answer_and_audit_row_without_the_view(world, plan, settings):
    token = _token(world.physio)

    (lane, lane_rows, by_lane), (full, full_rows, _) = _both_ways(
        settings, lambda: _get(token, plan.pk), warm_with=lambda: _get(token, plan.pk)
    )

    assert by_lane is True
    assert lane == full
    assert lane[0] == 200
    assert dict(lane[1])["ETag"].startswith('"')
    assert lane_rows == full_rows
    assert [row[:4] for row in lane_rows] == [(world.physio.pk, world.patient.pk, AccessKind.PLAN, plan.pk)]
    assert lane_rows[0][5] == "api:plan-detail"


def test_the_etag_gets_the_drf_views_304_and_is_audited(world, plan, settings):
    token = _token(world.physio)
    etag = _get(token, plan.pk)["ETag"]

    (lane, lane_rows, by_lane), (full, full_rows, _) = _both_ways(
        settings, lambda: _get(token, plan.pk, HTTP_IF_NONE_MATCH=etag), warm_with=lambda: _get(token, plan.pk)
    )

    assert by_lane is True
    assert lane == full
    assert (lane[0], lane[2]) == (304, b"")
    assert lane_rows == full_rows != []


def test_a_patients_read_in_their_own_language_names_it_as_the_drf_view_does(world, plan, settings):
    world.patient.language = "es"
    world.patient.save(update_fields=["language"])
    token = _token(world.patient_user)

    (lane, lane_rows, by_lane), (full, full_rows, _) = _both_ways(
        settings,
        lambda: _get(token, plan.pk, HTTP_ACCEPT_LANGUAGE="en"),
        warm_with=lambda: _get(token, plan.pk, HTTP_ACCEPT_LANGUAGE="en"),
    )

    assert by_lane is True
    assert lane == full
    assert dict(lane[1])["Content-Language"] == "es"
    assert lane_rows == full_rows == []  # a patient reading their own plan is not audited


def test_the_lane_leaves_the_active_language_as_the_request_had_it(world, plan):
    world.patient.language = "es"
    world.patient.save(update_fields=["language"])
    token = _token(world.patient_user)
    _get(token, plan.pk)

    from django.utils import translation

    with _drf_view_must_not_run():
        assert _get(token, plan.pk, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "es"
    assert translation.get_language() == "en"


# ---------------------------------------------------------------------------------------------
# Everything else is the DRF view's
# ---------------------------------------------------------------------------------------------


def test_a_cold_read_is_built_by_the_drf_view_and_the_next_one_takes_the_lane(world, plan):
    token = _token(world.physio)

    with _counting_drf_view() as view:
        first = _get(token, plan.pk)
        second = _get(token, plan.pk)

    assert view.call_count == 1
    assert _answer(first) == _answer(second)
    assert len(RecordAccess.objects.filter(actor=world.physio, object_id=plan.pk)) == 2


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("?include=rules", {}),
        ("?patient=1", {}),
        ("?format=json", {}),
        ("", {"HTTP_ACCEPT": "text/html"}),
        ("", {"HTTP_ACCEPT": "application/json; indent=2"}),
        ("", {"HTTP_COOKIE": "sessionid=abc"}),
    ],
)
def test_a_read_the_lane_does_not_take_goes_to_the_drf_view(world, plan, query, headers):
    token = _token(world.physio)
    _get(token, plan.pk)

    with _counting_drf_view() as view:
        response = _get(token, plan.pk, query, **headers)

    assert view.called
    assert response.status_code in (200, 404)


def test_head_and_session_sign_ins_go_to_the_drf_view(world, plan):
    token = _token(world.physio)
    _get(token, plan.pk)
    signed_in = APIClient()
    signed_in.force_login(world.physio)

    with _counting_drf_view() as view:
        head = APIClient().head(f"/api/v1/plans/{plan.pk}/", HTTP_AUTHORIZATION=f"Token {token}")
        session = signed_in.get(f"/api/v1/plans/{plan.pk}/")

    assert view.call_count == 2
    assert (head.status_code, session.status_code) == (200, 200)


def test_a_bad_expired_or_missing_token_and_an_inactive_login_get_the_drf_views_401(world, plan, settings):
    token = _token(world.physio)
    _get(token, plan.pk)
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]
    expired = _token(world.physio)
    AuthToken.objects.filter(token_key=expired[:15]).update(expiry=timezone.now() - timedelta(minutes=1))
    inactive_user = builders.make_user(world.clinic, world.physio.role)
    inactive = _token(inactive_user)
    inactive_user.is_active = False
    inactive_user.save(update_fields=["is_active"])

    for header in (f"Token {forged}", f"Token {expired}", f"Token {inactive}", "Token", f"Token {token} x", ""):
        lane, full = _both_ways(settings, lambda header=header: _get(None, plan.pk, HTTP_AUTHORIZATION=header))
        assert lane == full
        assert lane[0][0] == 401, header
    assert not AuthToken.objects.filter(token_key=expired[:15]).exists()  # knox deleted it, as always


def test_the_throttle_counts_lane_reads_and_the_drf_view_answers_429(world, plan, settings):
    token = _token(world.physio)
    with mock.patch("rest_framework.throttling.UserRateThrottle.THROTTLE_RATES", {"user": "3/minute"}):
        statuses = [_get(token, plan.pk).status_code for _ in range(4)]
        with _counting_drf_view() as view:
            refused = _get(token, plan.pk)

    assert statuses == [200, 200, 200, 429]
    assert view.called is False  # refused before the view, by DRF's throttle
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert RecordAccess.objects.filter(actor=world.physio).count() == 3


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def test_a_warm_lane_read_costs_the_token_with_the_scope_and_the_audit_row(world, plan, django_assert_num_queries):
    staff, patient = _token(world.physio), _token(world.patient_user)
    _get(staff, plan.pk)
    forget_readers()

    # The first read of a token in a process: the token, then the scope and markers, then the audit row.
    with _drf_view_must_not_run(), CaptureQueriesContext(connection) as first:
        assert _get(staff, plan.pk).status_code == 200
    assert len(first.captured_queries) == 3, [query["sql"][:60] for query in first.captured_queries]
    # From then on the scope and markers come with the token, in one statement.
    with _drf_view_must_not_run(), CaptureQueriesContext(connection) as then:
        assert _get(staff, plan.pk).status_code == 200
    statements = [query["sql"] for query in then.captured_queries]
    assert len(statements) == 2, [sql[:60] for sql in statements]
    assert "rehab_plan" in statements[0]
    assert statements[1].startswith("INSERT")
    _get(patient, plan.pk)
    with _drf_view_must_not_run(), django_assert_num_queries(1):
        assert _get(patient, plan.pk).status_code == 200  # a patient's own read is not audited


def test_a_wrong_guess_of_the_tokens_login_reads_the_scope_again(world, plan):
    token = _token(world.physio)
    _get(token, plan.pk)
    outsider = world.outsider_physio
    # This process last saw the key name a login who may not see the plan (a reused key, a changed role).
    plan_get_fast.remember_reader(token[:15], outsider)

    with _drf_view_must_not_run(), CaptureQueriesContext(connection) as seen:
        response = _get(token, plan.pk)

    assert response.status_code == 200
    assert len(seen.captured_queries) == 3  # token and the guessed scope, the physio's scope, the audit row
    assert plan_get_fast.remembered_reader(token[:15]) == (world.physio.pk, world.physio.role, world.physio.clinic_id)


# ---------------------------------------------------------------------------------------------
# Any reader, any plan, any conditional header: the DRF view's answer and audit rows
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def plans(world) -> dict[str, Plan]:
    archived = builders.make_active_plan(world.patient, world.physio, start_date=date(2026, 6, 1))
    archived.status = PlanStatus.ARCHIVED
    archived.save()
    active = builders.make_active_plan(world.patient, world.physio, start_date=START)
    paused = builders.make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    paused.status = PlanStatus.PAUSED
    paused.save()
    draft = plan_generate(actor=world.physio, patient=world.patient, start_date=date(2026, 11, 30), weeks=8)
    foreign = builders.make_active_plan(world.foreign_patient, world.foreign_physio, start_date=START)
    return {"active": active, "archived": archived, "paused": paused, "draft": draft, "foreign": foreign}


READERS = ("physio", "clinician", "admin", "outsider_physio", "foreign_physio", "patient_user", "other_patient_user")
# Who may see each plan (the others get a 404): drawn half the time, so the lane's answers are common.
SEEING = {
    "active": ("physio", "clinician", "patient_user"),
    "archived": ("physio", "clinician"),
    "paused": ("outsider_physio", "other_patient_user"),
    "draft": ("physio", "clinician"),
    "foreign": ("foreign_physio",),
    "missing": READERS,
}
CONDITIONS = ("none", "match", "weak match", "mismatch", "any", "list with match")
# text/html is the browsable API's page, whose CSRF token differs on every request: its hand-over to the DRF
# view is shown above (test_a_read_the_lane_does_not_take_goes_to_the_drf_view).
ACCEPTS = (None, None, "*/*", "application/json", "application/json; indent=2", "application/xml")
LANGUAGES = (None, "es", "en", "fr")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.sampled_from(tuple(SEEING)),
    seeing=st.sampled_from((True, True, False)),
    data=st.data(),
    condition=st.sampled_from(CONDITIONS),
    accept=st.sampled_from(ACCEPTS),
    language=st.sampled_from(LANGUAGES),
    reader_language=st.sampled_from(("", "es")),
    warm=st.booleans(),
    guess=st.sampled_from(("none", "the reader", "another reader")),
    secure=st.booleans(),
)
def test_any_read_gets_the_drf_views_answer_and_audit_rows(
    world, plans, settings, which, seeing, data, condition, accept, language, reader_language, warm, guess, secure
):
    # Over HTTPS the answer carries HSTS too (the lane answers in front of SecurityMiddleware).
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    reader = data.draw(st.sampled_from(SEEING[which] if seeing else READERS), label="reader")
    user = getattr(world, reader)
    user.language = reader_language
    user.save(update_fields=["language"])
    token = _token(user)
    plan_id = plans[which].pk if which in plans else max(plan.pk for plan in plans.values()) + 1
    etag = '"0123456789abcdef0123456789abcdef"'
    if condition != "none":
        # The answer's real ETag in the reader's language, when they may see the plan.
        settings.MIDDLEWARE = WITHOUT_LANE
        etag = _get(token, plan_id, HTTP_ACCEPT_LANGUAGE=language or "").headers.get("ETag", etag)
    sent = {
        "none": None,
        "match": etag,
        "weak match": f"W/{etag}",
        "mismatch": '"not-it"',
        "any": "*",
        "list with match": f'"not-it", {etag}',
    }[condition]
    headers = {
        name: value
        for name, value in (
            ("HTTP_IF_NONE_MATCH", sent),
            ("HTTP_ACCEPT", accept),
            ("HTTP_ACCEPT_LANGUAGE", language),
            ("HTTP_X_FORWARDED_PROTO", "https" if secure else None),
        )
        if value is not None
    }

    other = world.foreign_physio if reader != "foreign_physio" else world.physio
    guessed = {"none": None, "the reader": user, "another reader": other}[guess]

    def read():
        # Which login this process last saw the token name: only which scope query rides with the token's.
        forget_readers()
        if guessed is not None:
            plan_get_fast.remember_reader(token[:15], guessed)
        return _get(token, plan_id, **headers)

    (lane, lane_rows, by_lane), (full, full_rows, _) = _both_ways(settings, read, warm_with=read if warm else None)

    event(f"{full[0]}, answered by {'the lane' if by_lane else 'the DRF view'}")
    assert lane == full
    assert lane_rows == full_rows
    # The lane answers every warm read of a plan the reader may see, in JSON, and nothing else.
    assert by_lane == (warm and full[0] in (200, 304) and accept in (None, "*/*", "application/json"))

"""A patient's check-in sent with their API token: the fast path (rehab/api/checkin_fast.py) answers a
plain session exactly as the DRF view does, and hands everything else to the DRF view."""

from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from rest_framework.test import APIClient

from rehab import settings as project_settings
from rehab.api.checkin_fast import plain_value
from rehab.api.checkins import CheckInSerializer, CheckInViewSet
from rehab.models import CheckIn, CheckInItem, OutboxMessage, PlanItem
from tests import builders

TODAY = "2026-11-10 10:00"
FAST_PATH = "rehab.api.checkin_fast.CheckInFastPath"


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


def _token(user, expiry=timedelta(days=1)) -> str:
    return AuthToken.objects.create(user=user, expiry=expiry)[1]


_session = builders.session_payload


def _post(token, payload, key="key-1", **headers):
    return APIClient().post(
        "/api/v1/checkins/",
        payload,
        format="json",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_IDEMPOTENCY_KEY=key,
        **headers,
    )


def _without_fast_path(settings):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_PATH]


def _drf_view_must_not_run():
    return mock.patch.object(CheckInViewSet, "create", side_effect=AssertionError("the DRF view ran"))


def _comparable(response) -> tuple:
    body = response.json()
    if isinstance(body, dict):
        body = {name: value for name, value in body.items() if name not in ("id", "created_at")}
    headers = {
        name: response.headers.get(name) for name in ("Content-Type", "Allow", "Cache-Control", "X-Frame-Options")
    }
    # The full stack reads the session cookie on the way (Vary: Cookie); a token's answer does not depend on it.
    vary = [value.strip() for value in response.headers.get("Vary", "").split(",") if value.strip() != "Cookie"]
    return response.status_code, body, headers, vary


@time_machine.travel(TODAY, tick=False)
def test_a_plain_session_is_stored_by_the_fast_path_with_at_most_five_queries(world, plan):
    token = _token(world.patient_user)
    payload = _session(plan)

    with _drf_view_must_not_run(), CaptureQueriesContext(connection) as seen:
        response = _post(token, payload)

    assert response.status_code == 201, response.content
    # Token, user and plan in one query; the check-in and its items in one transaction (SQLite logs its
    # SAVEPOINT and RELEASE inside the test's transaction; PostgreSQL's BEGIN and COMMIT are not logged).
    assert len(seen.captured_queries) <= 5, [q["sql"][:80] for q in seen.captured_queries]
    if connection.vendor == "postgresql":
        # There the check-in and its items are one statement (rehab/services/checkin_rows.py), which
        # needs no BEGIN and COMMIT of its own: two statements in all, besides the test's savepoint.
        statements = [q["sql"] for q in seen.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(statements) == 2, [sql[:80] for sql in statements]
    checkin = CheckIn.objects.get()
    assert checkin.logged_by == world.patient_user
    assert checkin.on_behalf is False
    assert sorted(checkin.items.values_list("plan_item_id", flat=True)) == sorted(
        item["plan_item"] for item in payload["items"]
    )
    assert response.json()["id"] == checkin.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@time_machine.travel("2026-11-25 10:00", tick=False)
def test_on_postgresql_the_check_ins_statements_are_prepared_and_no_longer_planned(world, plan):
    # Planning the token query cost PostgreSQL several times running it: after a few check-ins on a
    # connection, both statements run prepared (DATABASE_PREPARE_THRESHOLD), and after five runs
    # prepared PostgreSQL settles on one plan for them all.
    token = _token(world.patient_user)
    for day in range(16):
        response = _post(token, _session(plan, date=f"2026-11-{day + 2:02d}"), key=f"key-{day}")
        assert response.status_code == 201, response.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    token_read = [row for row in prepared if "knox_authtoken" in row[0]]
    insert = [row for row in prepared if row[0].startswith('WITH c AS (INSERT INTO "rehab_checkin"')]
    assert len(token_read) == 1, [row[0][:60] for row in prepared]
    assert len(insert) == 1, [row[0][:60] for row in prepared]
    for _statement, generic, _custom in token_read + insert:
        assert generic >= 1  # PostgreSQL settled on one plan for every call and stopped planning


@time_machine.travel(TODAY, tick=False)
def test_the_fast_path_answers_with_the_same_body_and_headers_as_the_drf_view(world, plan, settings):
    token = _token(world.patient_user)
    payload = _session(plan, effort_scale="cr10", effort_value=5, session_rpe=None, notes="  Knees fine.  ")
    payload["items"][0].update(load_kg=12.5, minutes="3", average_hr=None)
    fast = _post(token, payload, key="fast")
    CheckIn.objects.all().delete()

    _without_fast_path(settings)
    full = _post(token, payload, key="full")

    assert fast.status_code == 201, fast.content
    assert _comparable(fast) == _comparable(full)
    assert fast.json()["created_at"].endswith("Z")


def _stored_rows() -> tuple[list, list]:
    """Every stored column of the check-ins and their items but the ids and the idempotency key."""
    checkin_columns = [f.attname for f in CheckIn._meta.concrete_fields if f.attname not in ("id", "idempotency_key")]
    item_columns = [f.attname for f in CheckInItem._meta.concrete_fields if f.attname not in ("id", "checkin_id")]
    return (
        list(CheckIn.objects.order_by("date").values(*checkin_columns)),
        list(CheckInItem.objects.order_by("plan_item_id").values(*item_columns)),
    )


# Values a client may send: plain ones the fast path takes, and odd or invalid ones it hands over.
ODD_INTS = st.one_of(st.integers(-2, 25), st.sampled_from([None, "3", 3.0, 2.5, True, "", "x"]))
FIELDS = {
    "pain_during": ODD_INTS,
    "pain_after": ODD_INTS,
    "pain_next_morning": ODD_INTS,
    "session_rpe": ODD_INTS,
    "effort_scale": st.sampled_from(["", "cr10", "borg_6_20", "likert"]),
    "effort_value": ODD_INTS,
    "kind": st.sampled_from(["session", "symptoms", "other"]),
    "notes": st.sampled_from(["", "  fine ", "x" * 2001, 7, "\x00"]),
    "date": st.sampled_from(["2026-11-09", "2026-11-11", "2026-10-01", "2026-11-9", "20261109", "nope"]),
    "red_flags": st.sampled_from([[], ["chest_pain"], "chest_pain"]),
    "pain_regions": st.sampled_from([[], ["muscles"], ["muscles", "muscles"], ["nowhere"]]),
    "heart_rate_avg": st.sampled_from([None, 120, 20]),
    "spo2_min": st.sampled_from([None, 97, 85]),
    "plan": st.sampled_from(["own", "other", None, "x"]),
}


@time_machine.travel(TODAY, tick=False)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.fixed_dictionaries({}, optional=FIELDS), drop_items=st.booleans(), bad_item=st.booleans())
def test_any_body_gets_the_answer_the_drf_view_gives(world, plan, settings, changes, drop_items, bad_item):
    token = _token(world.patient_user)
    payload = _session(plan, **changes)
    if payload.get("plan") == "own":
        payload["plan"] = plan.pk
    elif payload.get("plan") == "other":
        payload["plan"] = plan.pk + 1000
    if drop_items:
        del payload["items"]
    elif bad_item:
        payload["items"].append({"plan_item": 999999, "done": "yes"})
    answers = []
    for middleware in (
        project_settings.MIDDLEWARE,
        [name for name in project_settings.MIDDLEWARE if name != FAST_PATH],
    ):
        settings.MIDDLEWARE = middleware
        answers.append(_comparable(_post(token, payload, key=f"k-{len(answers)}")))
        answers[-1] += (_stored_rows(),)
        CheckIn.objects.all().delete()
        OutboxMessage.objects.all().delete()

    assert answers[0] == answers[1]


@time_machine.travel(TODAY, tick=False)
def test_a_retry_with_the_same_key_returns_the_first_check_in_and_stores_nothing_more(world, plan):
    token = _token(world.patient_user)
    first = _post(token, _session(plan), key="same")

    again = _post(token, _session(plan), key="same")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_an_expired_token_is_refused_and_deleted_as_knox_does(world, plan):
    token = _token(world.patient_user)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(minutes=1))

    response = _post(token, _session(plan))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")
    assert not AuthToken.objects.exists()
    assert not CheckIn.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_wrong_token_with_a_real_key_prefix_is_refused(world, plan):
    token = _token(world.patient_user)
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]

    response = _post(forged, _session(plan))

    assert response.status_code == 401
    assert not CheckIn.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_another_patients_plan_is_a_404_and_an_inactive_login_a_401(world, plan):
    other_plan = builders.make_active_plan(world.other_patient, world.outsider_physio)
    token = _token(world.patient_user)

    assert _post(token, _session(plan, plan=other_plan.pk)).status_code == 404
    world.patient_user.is_active = False
    world.patient_user.save()
    assert _post(token, _session(plan), key="key-2").status_code == 401
    assert not CheckIn.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_red_flag_takes_the_full_path_and_its_follow_up_is_queued_with_the_check_in(
    world, plan, django_capture_on_commit_callbacks
):
    token = _token(world.patient_user)

    with django_capture_on_commit_callbacks(execute=False):
        response = _post(token, _session(plan, red_flags=["chest_pain"]))

    assert response.status_code == 201, response.content
    checkin = CheckIn.objects.get()
    assert checkin.follow_up_due_at is not None
    assert OutboxMessage.objects.filter(task_name="rehab.tasks.checkin_follow_up", args=[checkin.pk]).exists()
    assert response.json()["advice"]


@time_machine.travel(TODAY, tick=False)
def test_a_physiotherapists_token_takes_the_full_path_and_logs_on_behalf(world, plan):
    token = _token(world.physio)

    response = _post(token, _session(plan, plan=plan.pk))

    assert response.status_code == 201, response.content
    assert CheckIn.objects.get().on_behalf is True


@time_machine.travel(TODAY, tick=False)
def test_an_item_no_longer_in_the_plan_is_the_same_400(world, plan):
    token = _token(world.patient_user)
    payload = _session(plan)
    PlanItem.objects.filter(pk=payload["items"][0]["plan_item"]).update(in_plan=False)

    response = _post(token, payload)

    assert response.status_code == 400
    assert response.json() == {"items": ["Each item must be an exercise of this plan."]}


@time_machine.travel(TODAY, tick=False)
def test_the_throttle_counts_fast_path_requests_and_answers_429(world, plan, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "2/minute"}}
    token = _token(world.patient_user)
    with mock.patch("rest_framework.throttling.UserRateThrottle.THROTTLE_RATES", {"user": "2/minute"}):
        statuses = [
            _post(token, _session(plan, date=f"2026-11-0{day}"), key=f"t-{day}").status_code for day in (3, 4, 5)
        ]
        refused = _post(token, _session(plan, date="2026-11-06"), key="t-6")

    assert statuses == [201, 201, 429]
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert CheckIn.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_the_fast_path_and_the_drf_view_count_against_one_budget(world, plan):
    token = _token(world.patient_user)
    with mock.patch("rest_framework.throttling.UserRateThrottle.THROTTLE_RATES", {"user": "2/minute"}):
        with _drf_view_must_not_run():
            by_fast_path = _post(token, _session(plan, date="2026-11-03"), key="b-3")
        with mock.patch.object(CheckInViewSet, "create", autospec=True, side_effect=CheckInViewSet.create) as drf_view:
            # A heart-rate reading takes the full path (its red-flag check reads the assessment).
            by_drf_view = _post(token, _session(plan, date="2026-11-04", heart_rate_avg=120), key="b-4")
        assert drf_view.called
        with _drf_view_must_not_run():
            refused = _post(token, _session(plan, date="2026-11-05"), key="b-5")

    assert (by_fast_path.status_code, by_drf_view.status_code, refused.status_code) == (201, 201, 429)
    assert sorted(CheckIn.objects.values_list("date", flat=True)) == [date(2026, 11, 3), date(2026, 11, 4)]


ITEM_FIELDS = list(CheckInSerializer().fields["items"].child.fields.values())
TOP_FIELDS = list(CheckInSerializer().fields.values())
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**19), 10**19),
    st.integers(-5, 300),
    st.floats(allow_nan=False),
    st.sampled_from(["", "3", "true", "x", 2.0]),
)


@given(field=st.sampled_from(ITEM_FIELDS + TOP_FIELDS), value=ANY_VALUE)
def test_a_value_taken_as_plain_is_what_the_drf_field_makes_of_it(field, value):
    if field.read_only or not plain_value(field, value):
        return
    validated = field.run_validation(value)
    assert validated == value
    assert type(validated) is type(value)

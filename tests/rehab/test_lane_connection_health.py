"""The API lanes read and write through Django's connection with its health check (CONN_HEALTH_CHECKS):
a kept connection the database dropped between two requests is replaced before the lane's first
statement, so the request is answered instead of failing with a 500 (rehab.bulk_sql.server_bound_cursor,
which both lanes' statements go through)."""

import time
from datetime import date, timedelta
from unittest import mock

import psycopg
import pytest
import time_machine
from django.db import DEFAULT_DB_ALIAS, connection, connections
from knox.models import AuthToken
from rest_framework.test import APIClient

from rehab.api.plan_get_fast import forget_readers
from rehab.api.plans import PlanViewSet
from rehab.bulk_sql import server_bound_cursor
from rehab.models import CheckIn, RecordAccess
from tests import builders

START = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _in_week_three():
    with time_machine.travel("2026-11-18 09:00", tick=False):
        yield


def _a_new_request_begins():
    """What Django does as a request starts (the test client leaves it out): a kept connection is to be
    checked again before its first use."""
    connection.health_check_enabled = True
    connection.close_at = None  # kept for good (CONN_MAX_AGE=None): not closed and opened afresh anyway
    connection.close_if_unusable_or_obsolete()
    assert connection.health_check_done is False


def test_the_first_statement_of_a_request_checks_the_kept_connection(db):
    connection.ensure_connection()
    # As a request's start leaves it (close_if_unusable_or_obsolete, which inside the test's transaction
    # would close the connection instead).
    connection.health_check_enabled = True
    connection.health_check_done = False

    wrapper = connections[DEFAULT_DB_ALIAS]
    with mock.patch.object(type(wrapper), "is_usable", autospec=True, return_value=True) as checked:
        for _ in range(2):
            with server_bound_cursor() as cursor:
                cursor.execute("SELECT 1")

    assert checked.call_count == 1  # once per request, as Django's own cursor does
    assert connection.health_check_done is True


def _drop_the_kept_connection():
    """The database ends this connection's session, as a restart or a failover would."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    # In autocommit: inside one transaction pg_stat_activity would show the same snapshot at every look.
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        # pg_terminate_backend only signals the session: wait until it has ended, as a restart or a
        # failover has by the time the next request comes.
        for _ in range(100):
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the database did not end the session")


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no server to drop the connection"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_plan_read_on_a_dropped_connection_is_answered_by_the_lane(world):
    forget_readers()
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    token = AuthToken.objects.create(user=world.physio, expiry=timedelta(days=1))[1]
    client = APIClient(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"/api/v1/plans/{plan.pk}/").status_code == 200  # cold: the DRF view keeps the answer
    before = RecordAccess.objects.count()
    _drop_the_kept_connection()
    _a_new_request_begins()

    with mock.patch.object(PlanViewSet, "retrieve", side_effect=AssertionError("the DRF view ran")):
        response = client.get(f"/api/v1/plans/{plan.pk}/")

    assert response.status_code == 200
    assert RecordAccess.objects.count() == before + 1  # the read is in the audit log


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_check_in_on_a_dropped_connection_is_stored_by_the_lane(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    token = AuthToken.objects.create(user=world.patient_user, expiry=timedelta(days=1))[1]
    item = plan.items.first()
    _drop_the_kept_connection()
    _a_new_request_begins()

    response = APIClient(raise_request_exception=False).post(
        "/api/v1/checkins/",
        {
            "date": "2026-11-17",
            "items": [{"plan_item": item.pk, "done": True, "sets": 2, "reps": 10}],
            "session_rpe": 12,
            "pain_during": 2,
            "pain_after": 2,
        },
        format="json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )

    assert response.status_code == 201, response.content
    assert CheckIn.objects.filter(plan=plan, date=date(2026, 11, 17)).count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_health_check_sends_nothing_to_a_kept_connection_and_sees_one_the_database_ended(db):
    """rehab/postgresql: a kept connection is checked by looking at its socket, not by a SELECT 1."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement' AS marker")
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict

    assert connection.is_usable()

    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    ) as other:
        last = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert last == ("SELECT 'the last statement' AS marker",)  # the check sent no statement

    _drop_the_kept_connection()
    assert not connection.is_usable()
    connection.close()

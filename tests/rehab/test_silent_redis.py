"""A Redis that stops answering (the connection stays open, no reply ever comes: a failover, or a NAT or
firewall that dropped the flow) neither hangs a request nor loses a check-in. As the broker, the publish
gives up after BROKER_SOCKET_TIMEOUT and the work waits in the outbox (a red flag's follow-up runs in the
request); as the cache, it reads as empty (rehab/cache.py) and the API's throttles let requests through.

Each request runs in a thread given a minute: without the socket timeouts it never returns."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from rehab import cache as rehab_cache
from rehab.models import Alert, AlertKind, CheckIn, OutboxMessage, PlanStatus
from tests import builders
from tests.worker import broker_outage, finished_within, silent_server

TODAY = "2026-11-10 10:00"
HANG = 60  # seconds after which a request counts as hung (each timeout here is a few seconds)


_session = builders.session_payload


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user, expiry=timedelta(days=1))[1]}")
    return client


def _redis_cache(port: int) -> dict:
    """settings.CACHES as CACHE_URL makes it, at the silent server (socket timeouts as settings.py sets them)."""
    return {
        "default": {
            "BACKEND": "rehab.cache.SharedClientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
        }
    }


@pytest.fixture
def no_cache_outage(monkeypatch):
    """This test's cache outage ends with it (the module's state is restored afterwards)."""
    monkeypatch.setattr(rehab_cache.outage, "_until", 0.0)


@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=True)
def test_a_red_flag_sent_while_the_broker_never_answers_is_stored_and_reaches_the_care_team(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    client = _token_client(world.patient_user)

    with silent_server() as port, broker_outage(f"redis://127.0.0.1:{port}/0"):
        response = finished_within(
            HANG,
            lambda: client.post(
                "/api/v1/checkins/", _session(plan, red_flags=["dizziness"]), format="json", HTTP_IDEMPOTENCY_KEY="k1"
            ),
        )

    assert response.status_code == 201, response.content
    assert CheckIn.objects.get(pk=response.json()["id"]).red_flags == ["dizziness"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    assert Alert.objects.filter(kind=AlertKind.RED_FLAG, patient=world.patient).count() == 1
    assert any("dizziness" in message.body.lower() or "red flag" in message.subject.lower() for message in mail.outbox)
    # Each publish gave up on the silent broker, and the urgent work (the follow-up and its alert email)
    # ran in the request.
    ran = OutboxMessage.objects.values_list("task_name", "attempts", "last_error")
    assert sorted(ran) == [
        ("rehab.tasks.checkin_follow_up", 1, "ran inline: broker down"),
        ("rehab.tasks.email_alert", 1, "ran inline: broker down"),
    ]


@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=True)
def test_an_activation_email_while_the_broker_never_answers_waits_in_the_outbox(world):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], email="ann@example.org")
    client = APIClient()
    client.force_authenticate(world.physio)

    with silent_server() as port, broker_outage(f"redis://127.0.0.1:{port}/0"):
        response = finished_within(HANG, lambda: client.post(f"/api/v1/patients/{patient.pk}/activation/"))

    assert response.status_code == 201, response.content
    pending = OutboxMessage.objects.get()
    assert (pending.sent_at, pending.claimed_at) == (None, None)
    assert pending.last_error


@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=True)
def test_with_the_cache_never_answering_a_patient_logs_a_session_and_reads_the_plan(world, no_cache_outage):
    plan = builders.make_active_plan(world.patient, world.physio)
    client = _token_client(world.patient_user)

    with silent_server() as port, override_settings(CACHES=_redis_cache(port)):
        logged = finished_within(
            HANG, lambda: client.post("/api/v1/checkins/", _session(plan), format="json", HTTP_IDEMPOTENCY_KEY="k2")
        )
        shown = finished_within(HANG, lambda: client.get(f"/api/v1/plans/{plan.pk}/"))
        health = finished_within(HANG, lambda: APIClient().get("/health/"))

    assert logged.status_code == 201, logged.content
    assert CheckIn.objects.get(pk=logged.json()["id"]).items.count() == 3
    assert shown.status_code == 200, shown.content
    assert shown.json()["id"] == plan.pk
    assert health.status_code == 503  # the cache is reported, not hidden


@pytest.mark.django_db
def test_a_cache_that_cannot_be_reached_answers_as_an_empty_one(no_cache_outage):
    from django.core.cache import caches

    with override_settings(CACHES=_redis_cache(9)):  # a closed port: refused at once
        cache = caches["default"]
        cache.set("plan", "answer")
        assert cache.get("plan", "missing") == "missing"
        assert cache.get_many(["plan"]) == {}
        assert cache.add("counter", 0) is True
        with pytest.raises(ValueError):
            cache.incr("counter")
        # This process leaves Redis alone for CACHE_RETRY_AFTER seconds, then tries it again.
        assert 4 < rehab_cache.outage._until - time.monotonic() <= settings.CACHE_RETRY_AFTER == 5


@pytest.mark.django_db
def test_a_new_database_connection_to_a_server_that_never_answers_fails_in_seconds():
    from django.db import OperationalError, connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("the connection settings are PostgreSQL's")
    with silent_server() as port:
        settings_dict = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": port}
        silent = type(connections["default"])(settings_dict, alias="silent")
        try:
            # libpq would wait without limit for the server's answer to its start-up message.
            with pytest.raises(OperationalError, match="timeout"):
                finished_within(HANG, silent.ensure_connection)
        finally:
            silent.close()

"""The weekly sweep's lock on a plan (held for the whole chunk's transaction, seconds on a large clinic)
does not hold back the patient's check-in on that plan, and still keeps a second sweep off the plan."""

import threading

import pytest
import time_machine
from django.db import connection, transaction

from rehab.models import CheckIn
from rehab.services import sweep
from tests import builders
from tests.conftest import client_for
from tests.worker import finished_within

TODAY = "2026-11-10 10:00"


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite serialises writers)")


def _holding_the_sweeps_lock(plan_ids, locked: threading.Event, release: threading.Event, seen: list):
    """In a thread: lock the plans as a sweep chunk does and keep the transaction open until `release`."""
    try:
        with transaction.atomic():
            seen.extend(sweep._locked_plans(plan_ids))
            locked.set()
            release.wait(60)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=True)
def test_a_checkin_is_stored_while_the_sweep_holds_its_plan_and_a_second_sweep_skips_the_plan(world, on_postgresql):
    plan = builders.make_active_plan(world.patient, world.physio)
    item = plan.items.first()
    locked, release, seen = threading.Event(), threading.Event(), []
    holder = threading.Thread(target=_holding_the_sweeps_lock, args=([plan.pk], locked, release, seen), daemon=True)
    holder.start()
    try:
        assert locked.wait(20), "the sweep's lock was not taken"
        payload = {
            "date": "2026-11-09",
            "items": [{"plan_item": item.pk, "done": True}],
            "session_rpe": 12,
            "pain_during": 2,
            "pain_after": 2,
        }
        # Before: FOR UPDATE made the check-in's foreign key wait for the sweep's commit.
        response = finished_within(
            15,
            lambda: client_for(world.patient_user).post(
                "/api/v1/checkins/", payload, format="json", HTTP_IDEMPOTENCY_KEY="during-the-sweep"
            ),
        )
        # A second sweep in the meantime leaves the plan to the first (SKIP LOCKED).
        with transaction.atomic():
            second = sweep._locked_plans([plan.pk])
    finally:
        release.set()
        holder.join(30)

    assert seen == [plan.pk]
    assert response.status_code == 201, response.content
    assert CheckIn.objects.filter(plan=plan).count() == 1
    assert second == {}

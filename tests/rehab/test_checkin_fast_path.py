"""The check-in POST's fast path: few queries, the plan's snapshot never loaded, every guarantee kept."""

from dataclasses import replace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rehab.models import CheckIn, OutboxMessage, PlanItem
from rehab.services.plans import _save, engine_plan
from tests import builders
from tests.conftest import client_for

TODAY = "2026-11-10 10:00"


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


_session = builders.session_payload


def _post(user, payload, key):
    return client_for(user).post("/api/v1/checkins/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


def _snapshot_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "rehab_plan" in q["sql"] and '"blueprint"' in q["sql"]]


# The service's SAVEPOINT and RELEASE inside the test's transaction stand for production's BEGIN and
# COMMIT (SQLite logs both; on PostgreSQL Django sends them without logging, so 3 are counted there).
@time_machine.travel(TODAY, tick=False)
def test_a_session_with_items_and_no_red_flag_costs_at_most_five_queries(world, plan, django_assert_max_num_queries):
    payload = _session(plan)

    with CaptureQueriesContext(connection) as seen, django_assert_max_num_queries(5):
        response = _post(world.patient_user, payload, "fast-1")

    assert response.status_code == 201, response.content
    assert _snapshot_reads(seen.captured_queries) == []
    checkin = CheckIn.objects.get()
    assert checkin.items.count() == 3
    assert sorted(row["plan_item"] for row in response.json()["items"]) == sorted(
        item["plan_item"] for item in payload["items"]
    )


@time_machine.travel(TODAY, tick=False)
def test_a_red_flag_session_adds_only_its_outbox_row_before_commit(
    world, plan, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    payload = _session(plan, red_flags=["chest_pain"], spo2_min=85)
    # Inside the test's transaction (SAVEPOINT and RELEASE stand for production's BEGIN and COMMIT):
    # the no-red-flag path's 5 and the outbox row. After the commit, publishing the outbox row costs
    # 3 more (claim, read, mark sent) besides the broker call.
    with django_capture_on_commit_callbacks(execute=False), django_assert_max_num_queries(6):
        response = _post(world.patient_user, payload, "red-1")

    assert response.status_code == 201, response.content
    checkin = CheckIn.objects.get()
    assert checkin.red_flags == ["chest_pain", "low_oxygen"]
    assert checkin.follow_up_due_at is not None
    assert OutboxMessage.objects.filter(task_name="rehab.tasks.checkin_follow_up", args=[checkin.pk]).exists()


@time_machine.travel(TODAY, tick=False)
def test_a_second_session_on_the_same_day_is_refused_by_the_constraint_with_the_same_400(world, plan):
    assert _post(world.patient_user, _session(plan), "day-1").status_code == 201

    response = _post(world.patient_user, _session(plan, pain_during=4), "day-2")

    assert response.status_code == 400
    assert response.json()["date"] == ["A session is already logged for this day; change it instead."]
    assert CheckIn.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_retry_returns_the_first_even_when_it_would_no_longer_be_valid(world, plan):
    first = _post(world.patient_user, _session(plan), "retry-1")
    # The retry carries an item no longer in the plan; the key was stored, so the first comes back.
    PlanItem.objects.filter(pk=first.json()["items"][0]["plan_item"]).update(in_plan=False)

    again = _post(world.patient_user, _session(plan), "retry-1")

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_an_item_the_plan_dropped_takes_no_check_in_and_neither_does_an_unknown_id(world, plan):
    engine = engine_plan(plan)
    dropped = engine.items[0].slug
    weeks = tuple(replace(w, doses=tuple(d for d in w.doses if d.exercise_slug != dropped)) for w in engine.weeks)
    _save(plan, replace(engine, items=engine.items[1:], weeks=weeks), "test: first item dropped", world.physio)
    gone = PlanItem.objects.get(plan=plan, exercise__slug=dropped)

    assert gone.in_plan is False
    assert PlanItem.objects.filter(plan=plan, in_plan=True).count() == len(engine.items) - 1
    for item_id in (gone.pk, 999999):
        response = _post(world.patient_user, _session(plan, items=[{"plan_item": item_id, "done": True}]), "x")
        assert response.status_code == 400
        assert response.json()["items"] == ["Each item must be an exercise of this plan."]
    response = _post(world.patient_user, _session(plan, pain_item=gone.pk), "y")
    assert response.json()["pain_item"] == ["The exercise that hurt must be an exercise of this plan."]
    assert not CheckIn.objects.exists()

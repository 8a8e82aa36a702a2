"""The sweep and the decision tasks: idempotent, safe with two workers, and through a real worker."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection

from rehab import tasks
from rehab.models import Alert, AlertKind, CheckIn, PlanStatus, ProgressionDecision
from rehab.services.checkins import checkin_record
from rehab.services.progression import plan_progress
from tests import builders
from tests.conftest import client_for
from tests.worker import broker_outage, running_worker, wait_for

START = date(2026, 11, 2)


def _log(world, plan, day, key, **values):
    with time_machine.travel(day + timedelta(hours=12), tick=False):
        return checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key=key,
            date=day,
            pain_during=values.get("during", 1),
            pain_after=values.get("after", 1),
            pain_next_morning=values.get("morning", 2),
            session_rpe=11,
            items=[{"plan_item": item, "done": True} for item in plan.items.all()],
        )


def test_the_sweep_task_queues_one_task_per_due_plan_and_a_second_sweep_changes_nothing(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    other = builders.make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    for n in range(5):
        _log(world, plan, START + timedelta(days=n), f"k{n}")

    assert tasks.progression_sweep("2026-11-10") == 2  # eager: the per-plan tasks ran inline
    assert ProgressionDecision.objects.filter(plan=plan, week=1).count() == 1
    assert ProgressionDecision.objects.filter(plan=other, week=1).get().action == "hold"  # no check-ins
    assert tasks.progression_sweep("2026-11-10") == 0
    assert ProgressionDecision.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_deciding_the_same_plan_at_once_store_one_decision_per_week(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    for n in range(5):
        _log(world, plan, START + timedelta(days=n), f"k{n}")
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 17))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(ProgressionDecision.objects.filter(plan=plan).values_list("week", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_checkins_are_stored_and_the_next_sweep_processes_them(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    items = [{"plan_item": item.pk, "done": True} for item in plan.items.all()]
    with broker_outage():
        for n in range(5):
            day = START + timedelta(days=n)
            with time_machine.travel(day + timedelta(hours=12), tick=False):
                response = client_for(world.patient_user).post(
                    "/api/v1/checkins/",
                    {
                        "date": day.isoformat(),
                        "pain_during": 1,
                        "pain_after": 2,
                        "pain_next_morning": 2,
                        "session_rpe": 11,
                        "items": items,
                    },
                    format="json",
                    HTTP_IDEMPOTENCY_KEY=f"offline-{n}",
                )
            assert response.status_code == 201
        assert CheckIn.objects.count() == 5
        # Beat cannot even deliver the sweep while the broker is down; nothing is decided yet.
        assert not ProgressionDecision.objects.exists()

    # The broker is back: the next sweep finds the undecided week and decides it from those check-ins.
    assert tasks.progression_sweep("2026-11-10") == 1
    decision = ProgressionDecision.objects.get(plan=plan, week=1)
    cited = {checkin_id for reason in decision.reasons for checkin_id in reason["checkin_ids"]}
    assert cited <= set(CheckIn.objects.values_list("pk", flat=True))
    assert decision.sessions_done == 5


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_red_flag_checkin_through_a_real_worker_pauses_the_plan_and_alerts_the_care_team(world, tmp_path):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=date.today() - timedelta(days=3))
    with running_worker(tmp_path):
        response = client_for(world.patient_user).post(
            "/api/v1/checkins/",
            {"date": date.today().isoformat(), "pain_during": 2, "pain_after": 2, "red_flags": ["breathlessness"]},
            format="json",
            HTTP_IDEMPOTENCY_KEY="worker-red-flag",
        )
        assert response.status_code == 201
        wait_for(lambda: Alert.objects.filter(kind=AlertKind.RED_FLAG, emailed_at__isnull=False).exists())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    assert "breathlessness" in plan.pause_reason.lower()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_sweep_through_a_real_worker_stores_the_decisions(world, tmp_path):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    for n in range(5):
        _log(world, plan, START + timedelta(days=n), f"k{n}")
    with running_worker(tmp_path):
        tasks.progression_sweep.delay("2026-11-17")
        wait_for(lambda: ProgressionDecision.objects.filter(plan=plan).count() == 2)
    assert list(ProgressionDecision.objects.filter(plan=plan).values_list("week", flat=True)) == [1, 2]

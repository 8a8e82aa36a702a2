"""One plan the weekly sweep cannot decide holds back no other plan of its chunk (sweep_chunk_or_each)."""

import logging
from datetime import date, timedelta

import pytest
from django.db import OperationalError

from rehab import tasks
from rehab.models import Plan, ProgressionDecision
from rehab.services import progression, sweep
from rehab.services.progression import plans_due
from tests import builders
from tests.rehab.sweep_data import clone_plans, log_week

pytestmark = pytest.mark.django_db

START = date(2026, 11, 2)
AS_OF = START + timedelta(days=8)


@pytest.fixture
def plans(world) -> list[Plan]:
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    made = [template, *clone_plans(template, 4, clinic=world.clinic)]
    log_week(made, 1, by=world.physio)
    return made


def _failing_for(monkeypatch, plan: Plan, error: Exception) -> None:
    """The weekly decision raises `error` for `plan` on both paths (set-based and per-plan)."""
    decide = progression.decide_week

    def decide_or_fail(one, *args, **kwargs):
        if one.pk == plan.pk:
            raise error
        return decide(one, *args, **kwargs)

    monkeypatch.setattr(sweep, "decide_week", decide_or_fail)
    monkeypatch.setattr(progression, "decide_week", decide_or_fail)


def test_the_other_plans_of_the_chunk_are_decided_and_the_failing_one_stays_due(plans, monkeypatch, caplog):
    poisoned = plans[2]
    _failing_for(monkeypatch, poisoned, ValueError("age 17 is outside the planned range"))

    with caplog.at_level(logging.ERROR, logger="rehab.services.sweep"):
        decided = tasks.progress_chunk([plan.pk for plan in plans], AS_OF.isoformat())

    assert decided == 4
    assert set(ProgressionDecision.objects.values_list("plan_id", "week")) == {
        (plan.pk, 1) for plan in plans if plan is not poisoned
    }
    assert plans_due(AS_OF) == [poisoned.pk]
    failed = [record for record in caplog.records if getattr(record, "plan_id", None) == poisoned.pk]
    assert len(failed) == 1
    assert "age 17" in str(failed[0].exc_info[1])
    assert Plan.objects.get(pk=poisoned.pk).version == poisoned.version  # nothing of it was written

    monkeypatch.undo()  # fixed: the next sweep decides it
    assert [row.plan_id for row in sweep.sweep(as_of=AS_OF)] == [poisoned.pk]


def test_an_unavailable_database_is_the_tasks_retry_not_a_plans_fault(plans, monkeypatch):
    _failing_for(monkeypatch, plans[0], OperationalError("server closed the connection unexpectedly"))

    with pytest.raises(OperationalError):
        tasks.progress_chunk([plan.pk for plan in plans], AS_OF.isoformat())
    assert not ProgressionDecision.objects.exists()


def test_a_healthy_chunk_is_decided_set_based_in_one_go(plans, monkeypatch):
    def per_plan(**_kwargs):
        raise AssertionError("the per-plan path runs only after a chunk failed")

    monkeypatch.setattr(sweep, "plan_progress", per_plan)
    assert tasks.progress_chunk([plan.pk for plan in plans], AS_OF.isoformat()) == 5

"""Two sweeps running at once over the same due plans, each in its own thread with its own database
connection, decide every plan-week exactly once: on PostgreSQL the chunk's FOR UPDATE SKIP LOCKED lets
one sweep leave the plans the other holds (rehab.services.sweep). SQLite serialises writers, so there
is nothing concurrent to test there."""

import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection, connections

from rehab.models import ProgressionDecision
from rehab.services import sweep
from rehab.services.progression import plans_due
from tests import builders
from tests.rehab.sweep_data import clone_plans, log_week

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),  # each thread's connection must see the committed plans
]

START = date(2026, 11, 2)
AS_OF = START + timedelta(days=15)  # weeks 1 and 2 have ended: two rounds per plan, in one transaction
WAIT = 60  # seconds; only reached when something is wrong (a sweep blocked instead of skipping)


@pytest.fixture
def due_plans(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = [template, *clone_plans(template, 7, clinic=world.clinic)]
    log_week(plans, 1, by=world.physio)
    log_week(plans[::2], 2, by=world.physio, pain=(7, 8, 8))
    return [plan.pk for plan in plans]


def _in_thread(target, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            results[name] = target()
        except BaseException as error:  # reported by the test, not lost in the thread
            results[name] = error
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def _decided_weeks() -> Counter:
    return Counter(ProgressionDecision.objects.values_list("plan_id", "week"))


def test_a_sweep_skips_the_plans_another_sweep_holds_and_each_plan_week_is_decided_once(due_plans, monkeypatch):
    first_half = due_plans[:4]
    holding, released = threading.Event(), threading.Event()
    load = sweep._load

    def load_while_holding_the_locks(plans, as_of):
        # The first sweep has locked its plans: hold them (transaction open) while the second sweep runs.
        if threading.current_thread().name == "first":
            holding.set()
            released.wait(WAIT)
        return load(plans, as_of)

    monkeypatch.setattr(sweep, "_load", load_while_holding_the_locks)
    results: dict = {}
    first = _in_thread(lambda: sweep.sweep_chunk(plan_ids=first_half, as_of=AS_OF), results, "first")
    assert holding.wait(WAIT)
    second = _in_thread(lambda: sweep.sweep_chunk(plan_ids=due_plans, as_of=AS_OF), results, "second")
    second.join(WAIT)
    second_done_while_held = not second.is_alive()
    released.set()
    first.join(WAIT)
    second.join(WAIT)

    assert second_done_while_held  # it skipped the held plans instead of waiting for them
    made_first = {(d.plan_id, d.week) for d in results["first"]}
    made_second = {(d.plan_id, d.week) for d in results["second"]}
    assert made_first == {(pk, week) for pk in first_half for week in (1, 2)}
    assert made_second == {(pk, week) for pk in due_plans[4:] for week in (1, 2)}
    assert _decided_weeks() == Counter({(pk, week): 1 for pk in due_plans for week in (1, 2)})
    assert plans_due(AS_OF) == []


def test_two_free_running_sweeps_over_the_same_plans_decide_each_plan_week_once(due_plans):
    start = threading.Barrier(2, timeout=WAIT)

    def sweep_everything():
        start.wait()
        made = []
        for chunk in sweep.chunks(due_plans, size=2):
            made += sweep.sweep_chunk(plan_ids=chunk, as_of=AS_OF)
        return made

    results: dict = {}
    threads = [_in_thread(sweep_everything, results, name) for name in ("one", "two")]
    for thread in threads:
        thread.join(WAIT)

    errors = [result for result in results.values() if isinstance(result, BaseException)]
    assert errors == []
    made = Counter((d.plan_id, d.week) for result in results.values() for d in result)
    expected = Counter({(pk, week): 1 for pk in due_plans for week in (1, 2)})
    assert made == expected  # between them the two sweeps report each plan-week once
    assert _decided_weeks() == expected

"""The sweep's bulk writes: rows as arrays in one statement, history copied on the server, stored doses
remembered by value; each writes what the slower way it replaced writes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rehab.bulk_sql import insert_values, update_values
from rehab.models import Alert, ChangeTrigger, Plan, PlanChange, PlanItem, ProgressionDecision
from rehab.services import progression, sweep
from rehab.services.sweep_history import history_copy
from tests import builders
from tests.rehab.sweep_data import clone_plans, log_week

START = date(2026, 11, 2)
WEEK_ONE_DUE = START + timedelta(days=8)

# The statements of a chunk whose plan parts are stored already, every plan deciding one week: the
# chunk's savepoint (a test runs inside a transaction), the lock, nine reads (decisions, check-ins,
# their items, measurements, overrides, open alerts, item rows, item slugs, known plan parts), the
# decisions in their own savepoint, and the writes, one statement each (known parts, item rows, change
# rows, plan rows, blueprints, plan history, alerts, alert history). A change of this figure is a
# change of the sweep's shape: say why in the commit.
CHUNK_QUERIES = 23


def test_a_warm_chunk_of_forty_plans_takes_a_fixed_number_of_queries(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = clone_plans(template, 45, clinic=world.clinic)
    log_week(plans, 1, by=world.physio)
    sweep.sweep_chunk(plan_ids=[plan.pk for plan in plans[:5]], as_of=WEEK_ONE_DUE)  # stores the shared parts

    with CaptureQueriesContext(connection) as queries:
        made = sweep.sweep_chunk(plan_ids=[plan.pk for plan in plans[5:]], as_of=WEEK_ONE_DUE)

    assert len(made) == 40
    assert len(queries) == CHUNK_QUERIES, [q["sql"][:60] for q in queries]
    assert PlanChange.objects.filter(plan__in=plans[5:], trigger=ChangeTrigger.DECISION).count() > 40
    assert Plan.history.filter(id__in=[plan.pk for plan in plans[5:]], history_type="~").count() == 40


def test_history_copied_on_the_server_is_what_bulk_history_create_writes(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    made = [template, *clone_plans(template, 3, clinic=world.clinic)]
    # Read again, as the sweep reads them (the builders' saves leave a history user on their instances).
    plans = list(Plan.objects.filter(pk__in=[plan.pk for plan in made]).order_by("pk"))
    for n, plan in enumerate(plans):
        plan._change_reason = f"Week 1 decision: hold (amber) — reason {n} with 'quotes' and \\ backslash"
    plans[2]._change_reason = None  # no reason of its own: the default
    when = timezone.now()

    with CaptureQueriesContext(connection) as queries:
        history_copy(Plan, plans, update=True, date=when, default_change_reason="by default")
    copied = _history(plans, when)
    if connection.vendor == "postgresql":
        # Copied from the plan rows on the server (the plan's history has a field of its own, the
        # reason's template, which stays empty as bulk_history_create leaves it), not built in Python.
        assert len(queries) == 1
        assert 'JOIN "rehab_plan" t' in queries[0]["sql"], queries[0]["sql"][:200]
    Plan.history.filter(history_date=when).delete()
    Plan.history.bulk_history_create(plans, update=True, default_date=when, default_change_reason="by default")

    assert copied == _history(plans, when)
    assert [row["history_change_reason"] for row in copied][2] == "by default"
    assert {row["history_change_said"] for row in copied} == {None}


def _history(plans, when) -> list[dict]:
    rows = Plan.history.filter(history_date=when).order_by("history_id").values()
    assert len(rows) == len(plans)
    return [{name: value for name, value in row.items() if name != "history_id"} for row in rows]


def test_alert_history_copied_on_the_server_keeps_no_reason(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    alerts = [
        Alert.objects.create(patient=plan.patient, plan=plan, kind=kind, message=f"{kind} message")
        for kind in ("retest_due", "amber_streak")
    ]
    Alert.history.all().delete()

    history_copy(Alert, alerts, update=False, default_change_reason=None)

    stored = list(Alert.history.order_by("history_id").values("id", "kind", "message", "history_type"))
    assert stored == [
        {"id": alert.pk, "kind": alert.kind, "message": alert.message, "history_type": "+"} for alert in alerts
    ]
    assert set(Alert.history.values_list("history_change_reason", flat=True)) == {None}


def test_insert_values_takes_columns_of_mixed_numbers_and_json_text_and_returns_ids_in_order(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    item = PlanItem.objects.filter(plan=plan).first()
    befores = ['{"minutes": 12.5}', None, "3", '"quoted \\" text"']

    ids = insert_values(
        PlanChange,
        ["plan", "item", "week", "field", "before", "after", "trigger", "reason", "version"],
        [
            [plan.pk] * 4,
            [item.pk, None, item.pk, item.pk],
            [1, 2, None, 4],
            ["minutes", "limits.x", "sets", "notes"],
            befores,
            ["1", "2.5", None, "[]"],
            [ChangeTrigger.DECISION] * 4,
            ["a", "b", "c", "d"],
            [7, 7, 7, 7],
        ],
        returning=True,
    )

    stored = {row.pk: row for row in PlanChange.objects.filter(plan=plan, reason__in="abcd")}
    assert [stored[pk].reason for (pk,) in ids] == ["a", "b", "c", "d"]
    assert [stored[pk].before for (pk,) in ids] == [{"minutes": 12.5}, None, 3, 'quoted " text']
    assert [stored[pk].after for (pk,) in ids] == [1, 2.5, None, []]
    assert all(stored[pk].created_at is not None for (pk,) in ids)  # the column's default


def test_update_values_takes_a_column_of_whole_and_decimal_numbers(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    rows = list(PlanItem.objects.filter(plan=plan).order_by("pk")[:3])

    update_values(PlanItem, ["minutes"], [(rows[0].pk, 12), (rows[1].pk, 12.5), (rows[2].pk, None)])

    assert [PlanItem.objects.get(pk=row.pk).minutes for row in rows] == [12, 12.5, None]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no length for a text column")
def test_a_value_too_long_for_its_column_is_refused_not_cut_short(world):
    from django.db import DataError, transaction

    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    with pytest.raises(DataError), transaction.atomic():
        insert_values(
            PlanChange,
            ["plan", "field", "trigger", "reason", "version"],
            [[plan.pk], ["x" * 61], [ChangeTrigger.DECISION], ["too long"], [1]],
        )


def test_a_remembered_set_of_stored_doses_is_what_storing_them_anew_gives(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = [template, *clone_plans(template, 1, clinic=world.clinic)]
    log_week(plans, 1, by=world.physio)
    progression._STORED_DOSES.clear()

    fresh = progression.plan_progress(plan_id=plans[0].pk, as_of=WEEK_ONE_DUE)[0]
    assert len(progression._STORED_DOSES) == 1
    remembered = progression.plan_progress(plan_id=plans[1].pk, as_of=WEEK_ONE_DUE)[0]

    assert len(progression._STORED_DOSES) == 1  # the second plan's decision stored the same doses
    first, second = (ProgressionDecision.objects.get(pk=row.pk) for row in (fresh, remembered))
    for name in ("doses_before", "doses_after", "carry", "rule_index"):
        assert getattr(first, name) == getattr(second, name)
    assert first.doses_after  # a decision with doses, not two empty ones

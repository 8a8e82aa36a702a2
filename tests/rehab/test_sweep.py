"""The set-based sweep decides exactly what the per-plan path decides, in a constant number of queries."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import stored_items
from planner.vocabulary import PAIN_SITE_CODES, RED_FLAG_CODES
from rehab import tasks
from rehab.models import (
    Alert,
    AlertKind,
    CheckIn,
    CheckInItem,
    LimitOverride,
    Measurement,
    OutboxMessage,
    Patient,
    Plan,
    PlanChange,
    PlanItem,
    PlanStatus,
    ProgressionDecision,
)
from rehab.models.plans import ITEM_COLUMNS
from rehab.services import sweep
from rehab.services.progression import plan_progress, plans_due
from tests import builders
from tests.rehab.sweep_data import clone_plans, log_week

START = date(2026, 11, 2)


class _Rollback(Exception):
    pass


def _then_roll_back(run):
    """Run, return what it returned, and undo its writes (each path runs on the same data)."""
    result = None
    try:
        with transaction.atomic():
            result = run()
            raise _Rollback
    except _Rollback:
        return result


def _outcome() -> dict:
    """Every row a decision writes, without ids or clock times (they differ between the two runs)."""
    week_of = dict(ProgressionDecision.objects.values_list("pk", "week"))
    alert_of = {pk: (plan, kind) for pk, plan, kind in Alert.objects.values_list("pk", "plan_id", "kind")}
    decision_of = {pk: (plan, week) for pk, plan, week in ProgressionDecision.objects.values_list("pk", "plan", "week")}

    def message(task, args):
        if task.endswith("email_alert"):
            return task, alert_of[args[0]]
        if task.endswith("email_plan_change"):
            return task, decision_of[args[0]]
        return task, tuple(args)

    return {
        "decisions": list(ProgressionDecision.objects.order_by("plan", "week").values().iterator()),
        "plans": list(Plan.objects.order_by("pk").values("pk", "status", "pause_reason", "version", "blueprint")),
        "items": list(PlanItem.objects.order_by("plan", "position").values("plan", "position", *ITEM_COLUMNS)),
        "changes": sorted(
            (
                c.plan_id,
                c.item_id,
                c.week,
                c.field,
                repr(c.before),
                repr(c.after),
                c.trigger,
                c.reason,
                week_of.get(c.decision_id),
                c.version,
            )
            for c in PlanChange.objects.all()
        ),
        "history": sorted(
            Plan.history.values_list("id", "version", "status", "pause_reason", "history_type", "history_change_reason")
        ),
        "alerts": sorted(
            (a.plan_id, a.kind, a.urgent, a.message, week_of.get(a.decision_id), a.acknowledged_at is None)
            for a in Alert.objects.all()
        ),
        "outbox": sorted(message(m.task_name, m.args) for m in OutboxMessage.objects.all()),
        # Every alert is in the audit trail, however it was made.
        "alert_history": sorted(
            Alert.history.values_list("plan_id", "kind", "message", "history_type", "history_change_reason")
        ),
    }


def _without_ids(outcome: dict) -> dict:
    for row in outcome["decisions"]:
        row.pop("id")
        row.pop("decided_at")
    return outcome


def _per_plan(as_of: date) -> dict:
    for plan_id in plans_due(as_of):
        plan_progress(plan_id=plan_id, as_of=as_of)
    return _without_ids(_outcome())


def _set_based(as_of: date, size: int) -> dict:
    sweep.sweep(as_of=as_of, size=size)
    return _without_ids(_outcome())


# One plan's story for the weeks that are due: the sessions of each week (or a missing week), and
# what else is on record (a pause, an override, strength measures, an alert the team has open).
session = st.fixed_dictionaries(
    {
        "day": st.integers(0, 6),
        "symptoms_only": st.booleans(),
        "pain": st.tuples(st.integers(0, 10), st.integers(0, 10), st.none() | st.integers(0, 10)),
        "rpe": st.none() | st.integers(6, 20),
        "red_flags": st.lists(st.sampled_from(RED_FLAG_CODES), max_size=1),
        "sites": st.lists(st.sampled_from(PAIN_SITE_CODES), max_size=2, unique=True),
        "done": st.lists(st.booleans(), min_size=1, max_size=8),
        "hurt_item": st.none() | st.integers(0, 7),
        "heart_rate_max": st.none() | st.integers(90, 200),
    }
)
story = st.fixed_dictionaries(
    {
        "weeks": st.lists(st.lists(session, max_size=6), min_size=1, max_size=3),
        "paused": st.booleans(),
        "override": st.booleans(),
        "strength": st.lists(st.tuples(st.integers(-7, 20), st.integers(40, 80)), max_size=3),
        "ck": st.lists(st.tuples(st.integers(-7, 20), st.integers(100, 5000)), max_size=2),
        "open_alert": st.none() | st.sampled_from([AlertKind.STRENGTH_DROP, AlertKind.RETEST_DUE]),
    }
)


def _write_story(plan: Plan, story: dict, physio) -> None:
    items = list(plan.items.filter(in_plan=True).order_by("position"))
    if story["paused"]:
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.PAUSED, pause_reason="Paused by the test")
    if story["override"]:
        LimitOverride.objects.create(
            plan=plan, item=items[0], limits_exceeded=[], dose=None, reason="Accepted", created_by=physio
        )
    for offset, value in story["strength"]:
        Measurement.objects.create(
            patient=plan.patient,
            kind="mmt8_total",
            value=value,
            measured_on=START + timedelta(days=offset),
            recorded_by=physio,
        )
    for offset, value in story["ck"]:
        Measurement.objects.create(
            patient=plan.patient,
            kind="ck_u_l",
            value=value,
            upper_limit_normal=200,
            measured_on=START + timedelta(days=offset),
            recorded_by=physio,
        )
    if story["open_alert"]:
        Alert.objects.create(patient=plan.patient, plan=plan, kind=story["open_alert"], message="Open before")
    for week, sessions in enumerate(story["weeks"], start=1):
        days_used = set()
        for n, s in enumerate(sessions):
            day = plan.start_date + timedelta(days=7 * (week - 1) + s["day"])
            kind = "symptoms" if s["symptoms_only"] else "session"
            if kind == "session" and day in days_used:
                continue  # one session per plan and day
            days_used.add(day) if kind == "session" else None
            during, after, morning = s["pain"]
            checkin = CheckIn.objects.create(
                plan=plan,
                patient=plan.patient,
                date=day,
                plan_week=week,
                kind=kind,
                logged_by=physio,
                on_behalf=True,
                session_rpe=s["rpe"],
                pain_during=during,
                pain_after=after,
                pain_next_morning=morning,
                red_flags=s["red_flags"],
                pain_regions=s["sites"],
                pain_item=items[s["hurt_item"] % len(items)] if s["hurt_item"] is not None else None,
                heart_rate_max=s["heart_rate_max"],
                idempotency_key=f"story-{plan.pk}-{week}-{n}",
            )
            if kind == "session":
                CheckInItem.objects.bulk_create(
                    [
                        CheckInItem(checkin=checkin, plan_item=item, done=done)
                        for item, done in zip(items, s["done"], strict=False)
                    ]
                )


@pytest.fixture
def plans(world):
    """Running plans of different kinds: myositis (strength gate), a quiet arthritis, a two-week plan."""
    return [
        builders.make_active_plan(world.patient, world.physio, start_date=START),
        builders.make_active_plan(
            world.other_patient,
            world.physio,
            start_date=START,
            inflammation_activity="inactive",
            heterotopic_ossification_regions=[],
        ),
        builders.make_active_plan(
            builders.make_patient(world.clinic, diagnoses=["Rheumatoid arthritis"], email="ra@example.org"),
            world.physio,
            start_date=START,
            weeks=2,
            bone_fragility="none",
            pain_at_rest=1,
        ),
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stories=st.lists(story, min_size=3, max_size=3), weeks_due=st.integers(1, 3), size=st.integers(1, 3))
def test_the_sweep_and_the_per_plan_path_write_the_same_rows(world, plans, stories, weeks_due, size):
    as_of = START + timedelta(days=7 * weeks_due + 1)

    def compare():
        for plan, one in zip(plans, stories, strict=True):
            _write_story(plan, one, world.physio)
        reference = _then_roll_back(lambda: _per_plan(as_of))
        set_based = _then_roll_back(lambda: _set_based(as_of, size))
        assert reference["decisions"], "the population must have due weeks"
        for table in reference:
            assert set_based[table] == reference[table], table

    _then_roll_back(compare)


def _chunk_queries(plans, as_of) -> int:
    with CaptureQueriesContext(connection) as queries:
        made = sweep.sweep_chunk(plan_ids=[plan.pk for plan in plans], as_of=as_of)
    assert len(made) == len(plans)
    return len(queries)


@pytest.fixture
def sqlite_batches_as_large_as_postgres(monkeypatch):
    """Django splits a bulk write on SQLite every 999 parameters (SQLite's limit before 3.32, 32766 since);
    with the real limit, a chunk's bulk writes are one statement each, as on PostgreSQL."""
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection.features, "max_query_params", 32766)


def _population(template: Plan, world, count: int, name: str) -> list[Plan]:
    """Plans with every kind of outcome in the same shares: paused, red weeks (alerts), green weeks,
    no check-ins (reminders), and one patient with an email (the plan-change message)."""
    plans = clone_plans(template, count, clinic=world.clinic, first_name=name)
    tenth = max(1, count // 10)
    Plan.objects.filter(pk__in=[p.pk for p in plans[: 4 * tenth]]).update(status=PlanStatus.PAUSED)
    log_week(plans[: 2 * tenth], 1, by=world.physio, days=range(3), pain=(8, 9, 9))
    log_week(plans[4 * tenth : 6 * tenth], 1, by=world.physio)
    Patient.objects.filter(plans=plans[-1]).update(email="told@example.org")
    return plans


@pytest.mark.usefixtures("sqlite_batches_as_large_as_postgres")
def test_a_chunk_takes_as_many_queries_for_fifty_plans_as_for_five(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    warm, few, many = (_population(template, world, n, name) for n, name in ((5, "Warm"), (5, "Few"), (50, "Many")))
    as_of = START + timedelta(days=8)
    # The first chunk stores the plan parts (shared, content-addressed) its decisions create; later
    # chunks with the same kinds of decisions find them stored. Measure two later chunks.
    _chunk_queries(warm, as_of)

    assert _chunk_queries(few, as_of) == _chunk_queries(many, as_of)
    assert OutboxMessage.objects.filter(task_name__endswith="email_plan_change").count() == 3
    assert Alert.objects.filter(plan__in=many).exclude(kind=AlertKind.NO_CHECKINS).exists()
    assert Alert.objects.filter(plan__in=few).exists()


@pytest.mark.usefixtures("sqlite_batches_as_large_as_postgres")
def test_a_chunk_behind_by_two_weeks_decides_both_in_order_with_a_constant_count_per_week(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = clone_plans(template, 10, clinic=world.clinic)
    log_week(plans, 1, by=world.physio)
    log_week(plans, 2, by=world.physio)
    one_week = _chunk_queries(plans[:5], START + timedelta(days=8))
    with CaptureQueriesContext(connection) as queries:
        made = sweep.sweep_chunk(plan_ids=[plan.pk for plan in plans], as_of=START + timedelta(days=15))
    # Round one takes every plan's next week, round two the week after for the plans behind by two.
    assert [(d.plan_id, d.week) for d in made] == (
        [(p.pk, 2) for p in plans[:5]] + [(p.pk, 1) for p in plans[5:]] + [(p.pk, 2) for p in plans[5:]]
    )
    assert len(queries) < 2 * one_week


def test_running_a_chunk_again_changes_nothing(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = [template, *clone_plans(template, 3, clinic=world.clinic)]
    log_week(plans, 1, by=world.physio)
    ids = [plan.pk for plan in plans]
    assert len(sweep.sweep_chunk(plan_ids=ids, as_of=START + timedelta(days=8))) == 4
    versions = list(Plan.objects.filter(pk__in=ids).values_list("version", flat=True))
    assert sweep.sweep_chunk(plan_ids=ids, as_of=START + timedelta(days=8)) == []
    assert ProgressionDecision.objects.count() == 4
    assert list(Plan.objects.filter(pk__in=ids).values_list("version", flat=True)) == versions


def test_a_chunk_that_dies_midway_leaves_nothing_and_the_next_sweep_decides_it(world, monkeypatch):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = [template, *clone_plans(template, 3, clinic=world.clinic)]
    log_week(plans, 1, by=world.physio)

    def killed(states, stored):
        raise SystemExit("worker killed")

    monkeypatch.setattr(sweep, "chunk_states_write", killed)
    with pytest.raises(SystemExit):
        sweep.sweep(as_of=START + timedelta(days=8))
    assert not ProgressionDecision.objects.exists()
    assert set(Plan.objects.values_list("version", flat=True)) == {template.version}
    monkeypatch.undo()
    assert len(sweep.sweep(as_of=START + timedelta(days=8))) == 4


def test_a_week_another_writer_decided_first_is_skipped_not_duplicated(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = [template, *clone_plans(template, 2, clinic=world.clinic)]
    log_week(plans, 1, by=world.physio)
    as_of = START + timedelta(days=8)
    # The chunk loads its data, then a per-plan run (no lock between them here) decides one plan.
    original = sweep._load

    def load_then_race(due, as_of):
        chunk = original(due, as_of)
        plan_progress(plan_id=plans[1].pk, as_of=as_of)
        return chunk

    sweep._load = load_then_race
    try:
        made = sweep.sweep_chunk(plan_ids=[plan.pk for plan in plans], as_of=as_of)
    finally:
        sweep._load = original
    assert sorted(d.plan_id for d in made) == [plans[0].pk, plans[2].pk]
    assert ProgressionDecision.objects.filter(plan=plans[1]).count() == 1
    assert Plan.objects.get(pk=plans[1].pk).version == template.version + 1


def test_the_beat_sweep_queues_one_task_per_chunk_of_due_plans(world, settings, monkeypatch):
    settings.SWEEP_CHUNK_SIZE = 2
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = [template, *clone_plans(template, 4, clinic=world.clinic)]
    queued = []
    monkeypatch.setattr(tasks.progress_chunk, "delay", lambda ids, as_of: queued.append((ids, as_of)))

    assert tasks.progression_sweep("2026-11-10") == 5

    ids = [plan.pk for plan in plans]
    assert queued == [(ids[0:2], "2026-11-10"), (ids[2:4], "2026-11-10"), (ids[4:], "2026-11-10")]
    assert tasks.progress_chunk(ids[0:2], "2026-11-10") == 2  # the chunk task decides its plans
    assert ProgressionDecision.objects.filter(plan_id__in=ids[0:2], week=1).count() == 2


def test_the_command_decides_every_due_plan_in_chunks(world):
    template = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plans = [template, *clone_plans(template, 2, clinic=world.clinic)]
    log_week(plans, 1, by=world.physio)
    out = io.StringIO()
    call_command("progress_plans", "--as-of", "2026-11-17", "--chunk-size", "2", stdout=out)
    assert "6 decision(s) as of 2026-11-17." in out.getvalue()
    assert f"plan {plans[2].pk} week 2: hold (no data)" in out.getvalue()  # week 2 had no check-ins


def test_a_plan_whose_items_cite_one_rule_with_two_texts_is_stored_the_whole_plan_way(world, plans, monkeypatch):
    """The whole plan's rule index keeps the first text it meets; the sweep hands such a plan to store_engines."""
    as_of = START + timedelta(days=15)
    for plan in plans:
        log_week([plan], 1, by=world.physio)
    reference = _then_roll_back(lambda: _per_plan(as_of))

    def conflict(frame, items):
        raise stored_items.RuleTextConflict("a.rule")

    monkeypatch.setattr(stored_items, "stored_blueprint", conflict)
    set_based = _then_roll_back(lambda: _set_based(as_of, 2))

    assert len(reference["decisions"]) == 6
    for table in reference:
        assert set_based[table] == reference[table], table

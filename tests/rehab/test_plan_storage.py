"""Plans are stored as rows: the engine plan comes back exactly, items carry their current dose as
columns, and every change is recorded field by field (item, week, from → to, why, what triggered it)."""

import copy
from datetime import date, timedelta
from itertools import pairwise

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from planner import serialize, storage
from planner.editing import reschedule_from
from planner.schedule import build_plan
from planner.types import Plan as EnginePlan
from rehab.clinical import active_catalogue, profile_from_assessment
from rehab.models import ChangeTrigger, Plan, PlanChange, PlanItem, PlanPart
from rehab.selectors import plan_history
from rehab.services import plan_store
from rehab.services.checkins import checkin_record
from rehab.services.plans import engine_plan, plan_generate, plan_item_update
from rehab.services.progression import plan_progress
from tests import builders

START = date(2026, 11, 2)


@pytest.fixture
def draft(world):
    builders.make_assessment(world.patient, by=world.physio)
    return plan_generate(actor=world.physio, patient=world.patient, start_date=START, weeks=12)


def _fresh(plan: Plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def test_a_generated_plan_reads_back_as_exactly_what_the_engine_built(world, draft):
    profile = profile_from_assessment(world.patient, draft.assessment)
    built = build_plan(profile, active_catalogue(), weeks=12)
    assert engine_plan(_fresh(draft)) == built
    assert len(storage.canonical(draft.blueprint)) < 8_000  # the blueprint is small; the snapshot was ≈190 KB
    rows = {row.exercise.slug: row for row in PlanItem.objects.filter(plan=draft).select_related("exercise")}
    for item in built.items:
        row = rows[item.slug]
        first = built.weeks[0].dose_for(item.slug).dose
        assert row.dose_week == 1
        assert row.frequency_per_week == first.frequency_per_week
        assert row.sets == first.sets
        assert row.reps == first.reps
        assert row.minutes == first.minutes
        assert row.hold_seconds == first.hold_seconds
        assert row.intensity == [[t.unit, t.low, t.high] for t in first.intensity]
    assert not PlanChange.objects.filter(plan=draft).exists()  # creation is in the plan's history row


def test_reading_a_plan_costs_three_queries_cold_and_one_once_its_parts_are_known(draft):
    written = engine_plan(_fresh(draft))  # parts as this process wrote them
    plan_store._PART_CACHE.clear()
    plan_store.forget_loaded_plans()
    plan = _fresh(draft)
    with CaptureQueriesContext(connection) as cold:
        read = engine_plan(plan)
    assert len(cold) == 3  # the items, the rule list, then every part (the row holds its blueprint)
    assert read == written  # as read from the database (jsonb on PostgreSQL keeps no key order)
    plan_store.forget_loaded_plans()
    plan = _fresh(draft)
    with CaptureQueriesContext(connection) as parts_known:
        engine_plan(plan)
    assert len(parts_known) == 1  # parts never change, so the process keeps them
    plan = _fresh(draft)
    with CaptureQueriesContext(connection) as rebuilt:
        assert engine_plan(plan) == read
    assert len(rebuilt) == 1  # its items: the same content as before, so the typed plan this process built
    with CaptureQueriesContext(connection) as again:
        engine_plan(plan)
    assert len(again) == 0  # the row keeps its engine plan while its version stands


def test_an_edit_records_the_item_week_field_before_after_reason_and_author(world, draft):
    item = draft.items.select_related("exercise").get(position=1)
    before = engine_plan(_fresh(draft)).weeks[0].dose_for(item.exercise.slug).dose
    plan_item_update(
        actor=world.physio,
        plan=draft,
        item=item,
        version=draft.version,
        changes={"frequency_per_week": max(1, before.frequency_per_week - 1)},
        reason="Tired after work",
    )
    changes = list(PlanChange.objects.filter(plan=draft))
    frequency = [c for c in changes if c.field == "frequency_per_week"]
    assert len(frequency) == 1
    (change,) = frequency
    assert change.item_id == item.pk
    assert change.week == 1
    assert change.before == before.frequency_per_week
    assert change.after == max(1, before.frequency_per_week - 1)
    assert change.trigger == ChangeTrigger.EDIT
    assert change.by == world.physio
    assert change.version == _fresh(draft).version
    assert "Tired after work" in change.reason
    item.refresh_from_db()
    assert item.frequency_per_week == max(1, before.frequency_per_week - 1)
    history = plan_history(_fresh(draft))
    assert any(entry["object"] == "change" and entry["field"] == "frequency_per_week" for entry in history)


def test_a_weekly_decision_moves_the_current_dose_to_the_next_week_and_records_why(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    items = list(plan.items.all())
    for n in range(5):
        day = START + timedelta(days=n)
        with time_machine.travel(day + timedelta(hours=12), tick=False):
            checkin_record(
                actor=world.patient_user,
                plan=plan,
                idempotency_key=f"s{n}",
                date=day,
                pain_during=1,
                pain_after=1,
                pain_next_morning=1,
                session_rpe=11,
                items=[{"plan_item": item, "done": True} for item in items],
            )
    forecast = engine_plan(_fresh(plan))
    with time_machine.travel(date(2026, 11, 10), tick=False):
        (decision,) = plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 10))
    plan = _fresh(plan)
    engine = engine_plan(plan)
    for row in PlanItem.objects.filter(plan=plan, in_plan=True).select_related("exercise"):
        second = engine.weeks[1].dose_for(row.exercise.slug).dose
        assert row.dose_week == 2
        assert (row.frequency_per_week, row.minutes, row.sets, row.reps, row.hold_seconds) == (
            second.frequency_per_week,
            second.minutes,
            second.sets,
            second.reps,
            second.hold_seconds,
        )
    # What the plan records is where the decision departs from the forecast the patient was given.
    recorded = PlanChange.objects.filter(plan=plan, decision=decision).select_related("item__exercise")
    departed = {
        item.slug
        for item in engine.items
        if any(
            _values(forecast.weeks[n].dose_for(item.slug).dose) != _values(engine.weeks[n].dose_for(item.slug).dose)
            for n in range(12)
        )
    }
    assert {c.item.exercise.slug for c in recorded} == departed
    assert all(c.trigger == ChangeTrigger.DECISION for c in recorded)
    assert all(c.week >= 2 for c in recorded)


def test_parts_are_stored_once_for_every_plan_that_shares_them(world, draft):
    parts = PlanPart.objects.count()
    builders.make_assessment(world.other_patient, by=world.outsider_physio)
    plan_generate(actor=world.outsider_physio, patient=world.other_patient, start_date=START, weeks=12)
    exercises = PlanPart.objects.filter(kind="exercise").count()
    assert exercises <= PlanItem.objects.values("exercise").distinct().count()
    assert PlanPart.objects.count() < 2 * parts


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_snapshots_and_52_weeks_of_history_to_rows_with_nothing_lost(world):
    """Back to the schema with one snapshot per plan; a 52-week plan saved after each of 52 decisions."""
    assessment_id = builders.make_assessment(world.patient, by=world.physio).pk
    executor = MigrationExecutor(connection)
    before, after = [("rehab", "0014_effort_scales_and_emergency_number")], [("rehab", "0015_plan_rows")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldPlan, OldHistory = old.get_model("rehab", "Plan"), old.get_model("rehab", "HistoricalPlan")
    OldItem, OldExercise = old.get_model("rehab", "PlanItem"), old.get_model("rehab", "Exercise")
    OldPatient, OldAssessment = old.get_model("rehab", "Patient"), old.get_model("rehab", "Assessment")
    patient = OldPatient.objects.get(pk=world.patient.pk)
    assessment = OldAssessment.objects.get(pk=assessment_id)
    profile = builders_profile()
    engine = build_plan(profile, active_catalogue(), weeks=52)
    plan = OldPlan.objects.create(
        patient=patient, assessment=assessment, start_date=START, weeks=52, engine=serialize.to_dict(engine)
    )
    exercises = dict(OldExercise.objects.values_list("slug", "id"))
    for n, item in enumerate(engine.items, start=1):
        OldItem.objects.create(plan=plan, position=n, exercise_id=exercises[item.slug], component=item.component)
    snapshots = [engine]
    for week in range(2, 53):
        # Each week the first item is held one step lower than forecast, as a regress would.
        current = snapshots[-1]
        first = current.items[0]
        dose = current.weeks[week - 2].dose_for(first.slug).dose
        snapshots.append(reschedule_from(current, week, {first.slug: dose}))
    for version, snapshot in enumerate(snapshots, start=1):
        OldHistory.objects.create(
            id=plan.pk,
            patient_id=patient.pk,
            assessment_id=assessment.pk,
            status="active",
            start_date=START,
            weeks=52,
            engine=serialize.to_dict(snapshot),
            version=version,
            created_at=plan.created_at,
            history_date=plan.created_at + timedelta(days=7 * version),
            history_type="+" if version == 1 else "~",
            history_change_reason=f"Week {version - 1} decision" if version > 1 else "Generated",
            history_user_id=world.physio.pk,
            pause_reason="",
        )
    OldPlan.objects.filter(pk=plan.pk).update(engine=serialize.to_dict(snapshots[-1]), version=len(snapshots))
    # The snapshot as the database gives it back (PostgreSQL's jsonb does not keep key order).
    stored_before = serialize.from_dict(EnginePlan, OldPlan.objects.get(pk=plan.pk).engine)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Plan.objects.get(pk=plan.pk)
    assert engine_plan(migrated) == stored_before
    changes = list(PlanChange.objects.filter(plan=migrated).order_by("version", "id"))
    expected = [
        c
        for a, b in pairwise(snapshots)
        for c in storage.changes_between(storage.split(serialize.to_dict(a)), storage.split(serialize.to_dict(b)))
    ]
    assert len(changes) == len(expected)
    assert [(c.field, c.week, c.before, c.after) for c in changes] == [
        (c.field, c.week, c.before, c.after) for c in expected
    ]
    assert all(c.trigger == ChangeTrigger.IMPORTED for c in changes)
    assert all(c.by_id == world.physio.pk for c in changes)


def _values(dose):
    return (dose.frequency_per_week, dose.minutes, dose.sets, dose.reps, dose.hold_seconds, dose.intensity)


def builders_profile():
    from tests.planner.conftest import motivating_case_profile

    return motivating_case_profile()


def test_a_plan_object_loaded_before_a_change_reads_one_consistent_moment(world, draft):
    stale = _fresh(draft)
    item = draft.items.get(position=1)
    before = engine_plan(_fresh(draft))
    dose = before.weeks[0].dose_for(item.exercise.slug).dose
    plan_item_update(
        actor=world.physio,
        plan=draft,
        item=item,
        version=draft.version,
        changes={"frequency_per_week": max(1, dose.frequency_per_week - 1)},
        reason="Fewer days",
    )
    after = engine_plan(_fresh(draft))
    assert before != after
    assert engine_plan(stale) == after  # as it is now: never its old blueprint with the newer items


def test_the_typed_plan_is_the_only_representation_services_write(draft):
    stored = plan_store.stored_plans([_fresh(draft)])[draft.pk]
    assert serialize.from_dict(EnginePlan, storage.join(stored)) == engine_plan(_fresh(draft))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def _stored(blueprint, dose) -> storage.StoredPlan:
    item = storage.StoredItem("walk", "aerobic", "e", "p", "r", [], [], dose, [[1, None, False, 0]])
    return storage.StoredPlan(blueprint, (item,), {})


@given(JSON, JSON, JSON)
def test_the_key_of_a_rebuilt_plan_is_its_content(blueprint, dose, other):
    key = plan_store._rebuilt_from(_stored(blueprint, dose))
    # The same values read again (new objects) find the plan this process rebuilt.
    assert plan_store._rebuilt_from(_stored(copy.deepcopy(blueprint), copy.deepcopy(dose))) == key
    # Whatever the canonical JSON (the content address) tells apart, the key tells apart.
    if storage.canonical(other) != storage.canonical(dose):
        assert plan_store._rebuilt_from(_stored(blueprint, other)) != key

"""A weekly decision stores its doses with rule ids and rationale digests; the texts are shared parts.

The migration moves decisions stored with every rule text beside every dose over to that form with
nothing lost (and back), and the next week's decision reads what the migrated one carried.
"""

import json
from dataclasses import replace
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from planner import serialize
from planner.decision_doses import doses_from
from planner.types import Dose, Rule, ValueRationale
from rehab.models import PlanPart, ProgressionDecision
from rehab.services.plan_store import cited_by, forget_loaded_plans
from rehab.services.plans import engine_plan
from rehab.services.progression import plan_progress, week_context
from tests import builders
from tests.rehab.sweep_data import log_week

BEFORE = [("rehab", "0020_exercise_translations")]
AFTER = [("rehab", "0021_decision_rule_index")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _reworded(dose: Dose) -> Dose:
    """The dose citing its first rule under other words, as a rule reworded since would read."""
    first = dose.rationale[0]
    rule = first.rules[0]
    return replace(dose, rationale=(ValueRationale(first.field, (Rule(rule.id, "Older words.", "C", "x"),)),))


def _row_bytes(row) -> int:
    return sum(len(json.dumps(value)) for value in (row.doses_before, row.doses_after, row.carry))


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_rule_texts_to_shared_parts_and_back_with_nothing_lost(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    engine = engine_plan(plan)
    week1, week2 = engine.weeks[0], engine.weeks[1]
    first = engine.items[0].slug
    before = {d.exercise_slug: d.dose for d in week1.doses}
    after = {d.exercise_slug: d.dose for d in week2.doses}
    after[first] = _reworded(after[first])
    held = {first: before[first]}
    trail = [d.dose for week in engine.weeks[:3] if (d := week.dose_for(first)) is not None]

    old = _migrate(BEFORE)
    OldDecision = old.get_model("rehab", "ProgressionDecision")
    OldDecision.objects.create(
        plan_id=plan.pk,
        week=1,
        action="hold",
        light="green",
        reasons=[],
        doses_before={slug: serialize.to_dict(dose) for slug, dose in before.items()},
        doses_after={slug: serialize.to_dict(dose) for slug, dose in after.items()},
        changes={},
        carry={
            "held_doses": {slug: serialize.to_dict(dose) for slug, dose in held.items()},
            "growth_trails": {first: [serialize.to_dict(dose) for dose in trail]},
            "mean_pain": 2.0,
            "weeks_since_regression": None,
            "amber_weeks": 0,
        },
    )
    stored_old = OldDecision.objects.get(plan_id=plan.pk)
    old_bytes = _row_bytes(stored_old)
    # What the old row reads back as (PostgreSQL's jsonb keeps no key order: a rationale's fields may
    # come back in another order than the engine wrote them; the migration keeps the order it reads).
    before = {slug: serialize.from_dict(Dose, d) for slug, d in stored_old.doses_before.items()}
    after = {slug: serialize.from_dict(Dose, d) for slug, d in stored_old.doses_after.items()}
    held = {slug: serialize.from_dict(Dose, d) for slug, d in stored_old.carry["held_doses"].items()}
    trail = [serialize.from_dict(Dose, d) for d in stored_old.carry["growth_trails"][first]]

    _migrate(AFTER)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    forget_loaded_plans()
    row = ProgressionDecision.objects.get(plan=plan, week=1)
    cited = cited_by(row)
    assert doses_from(row.doses_before, cited) == before
    assert doses_from(row.doses_after, cited) == after
    assert row.doses_after[first]["rule_index"][after[first].rationale[0].rules[0].id]["text"] == "Older words."
    assert PlanPart.objects.get(pk=row.rule_index).kind == "rule_index"
    assert _row_bytes(row) * 5 < old_bytes
    # The next week reads the held dose and the growth window the migrated decision carries.
    context = week_context(plan, engine_plan(plan), 2, row)
    carried = next(item for item in context.items if item.slug == first)
    assert carried.held_dose == held[first]
    assert carried.growth_trail == tuple(trail)

    old = _migrate(BEFORE)
    back = old.get_model("rehab", "ProgressionDecision").objects.get(plan_id=plan.pk)
    assert {slug: serialize.from_dict(Dose, d) for slug, d in back.doses_before.items()} == before
    assert {slug: serialize.from_dict(Dose, d) for slug, d in back.doses_after.items()} == after
    assert serialize.from_dict(Dose, back.carry["held_doses"][first]) == held[first]
    assert [serialize.from_dict(Dose, d) for d in back.carry["growth_trails"][first]] == trail
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_a_decided_week_stores_each_rule_text_once_and_reads_back_its_doses(world, django_capture_on_commit_callbacks):
    plan = builders.make_active_plan(world.patient, world.physio)
    engine = engine_plan(plan)
    log_week([plan], 1, by=world.physio)
    with django_capture_on_commit_callbacks(execute=True):
        plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 10))
    row = ProgressionDecision.objects.get(plan=plan, week=1)
    index = PlanPart.objects.get(pk=row.rule_index).body
    stored = json.dumps([row.doses_before, row.doses_after, row.carry])
    assert index
    assert all(entry["text"] not in stored for entry in index.values())
    assert doses_from(row.doses_before, cited_by(row)) == {d.exercise_slug: d.dose for d in engine.weeks[0].doses}
    assert _row_bytes(row) < 16_000, "a decision of a dozen exercises stays small"

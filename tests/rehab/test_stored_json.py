"""The JSON columns the weekly sweep rewrites are kept as written (rehab.models.fields.StoredJSONField):
PostgreSQL's json, not jsonb; values read back equal to what was saved, on either database."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rehab.models import Plan, PlanChange, PlanItem, ProgressionDecision
from rehab.models.fields import StoredJSONField
from rehab.services.plan_store import forget_loaded_plans
from rehab.services.plans import engine_plan
from rehab.services.progression import plan_progress
from tests import builders
from tests.rehab.sweep_data import log_week

pytestmark = pytest.mark.django_db

KEPT_AS_WRITTEN = {
    Plan: ("blueprint",),
    PlanItem: ("prescribed_dose", "schedule", "intensity"),
    PlanChange: ("before", "after"),
    ProgressionDecision: ("reasons", "doses_before", "doses_after", "changes"),
}
BEFORE = [("rehab", "0026_decision_json_lz4")]
on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's column types")


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _column_types(model) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            [model._meta.db_table],
        )
        return dict(cursor.fetchall())


def test_the_swept_columns_are_stored_json_fields():
    for model, names in KEPT_AS_WRITTEN.items():
        for name in names:
            assert isinstance(model._meta.get_field(name), StoredJSONField), f"{model.__name__}.{name}"
    # Looked up by key (rehab.services.notifications: carry__<claim>__isnull), which needs jsonb.
    assert not isinstance(ProgressionDecision._meta.get_field("carry"), StoredJSONField)


@on_postgresql
def test_on_postgresql_they_are_json_columns_and_carry_stays_jsonb():
    for model, names in KEPT_AS_WRITTEN.items():
        types = _column_types(model)
        assert {name: types[model._meta.get_field(name).column] for name in names} == dict.fromkeys(names, "json")
    assert _column_types(ProgressionDecision)["carry"] == "jsonb"


@on_postgresql
def test_the_decision_columns_keep_lz4_compression_after_the_change_of_type():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL is built without lz4")
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
            [ProgressionDecision._meta.db_table],
        )
        compression = dict(cursor.fetchall())
    assert {name: compression[name] for name in KEPT_AS_WRITTEN[ProgressionDecision]} == dict.fromkeys(
        KEPT_AS_WRITTEN[ProgressionDecision], "l"
    )


def test_values_read_back_as_saved_with_their_key_order(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=date(2026, 11, 2))
    # Keys in an order jsonb would not keep (it sorts by length, then bytes), non-ASCII text, floats,
    # nested lists, JSON null inside a value.
    reasons = [{"zeta": 1, "a": [1.5, None, {"é": "“quoted”"}], "mid": True}]
    doses = {"walking": {"m": 12.5, "f": 3, "i": [["pct_hrr", 40, 50]], "ra": None}}
    decision = ProgressionDecision.objects.create(
        plan=plan,
        week=1,
        action="advance",
        light="green",
        reasons=reasons,
        doses_before=doses,
        doses_after={},
        changes={"walking": {"variable": "minutes"}},
    )
    change = PlanChange.objects.create(
        plan=plan, week=2, field="minutes", before=None, after=[1, "two"], trigger="edit", reason="test", version=2
    )
    # JSON strings that read as other JSON: decoded once, they stay strings.
    texts = PlanChange.objects.create(
        plan=plan, week=2, field="notes", before="null", after="12", trigger="edit", reason="test", version=3
    )
    stored = ProgressionDecision.objects.get(pk=decision.pk)
    assert stored.reasons == reasons
    assert list(stored.reasons[0]) == ["zeta", "a", "mid"]
    assert stored.doses_before == doses
    assert stored.doses_after == {}
    assert list(ProgressionDecision.objects.filter(pk=decision.pk).values_list("reasons", flat=True)) == [reasons]
    again = PlanChange.objects.get(pk=change.pk)
    assert again.before is None
    assert again.after == [1, "two"]
    assert PlanChange.objects.filter(pk=texts.pk).values_list("before", "after").get() == ("null", "12")
    # SQL NULL for None (as JSONField saves it), not JSON null.
    assert PlanChange.objects.filter(pk=change.pk, before__isnull=True).exists()


def _stored_values(plan_id) -> dict:
    """Every kept-as-written value of the plan, its items, changes and decisions, as Python values."""
    found = {}
    for model, names in KEPT_AS_WRITTEN.items():
        key = "pk" if model is Plan else "plan_id"
        for row in model.objects.filter(**{key: plan_id}).order_by("pk").values("pk", *names):
            found[(model.__name__, row.pop("pk"))] = row
    return found


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_value_of_a_decided_plan_both_ways(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=date(2026, 11, 2))
    log_week([plan], 1, by=world.physio)
    log_week([plan], 2, by=world.physio, pain=(3, 4, 3))
    assert len(plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 17))) == 2
    written = _stored_values(plan.pk)
    assert sum(model == "ProgressionDecision" for model, _pk in written) == 2
    assert sum(model == "PlanChange" for model, _pk in written) > 0
    engine = engine_plan(Plan.objects.get(pk=plan.pk))

    _migrate(BEFORE)
    if connection.vendor == "postgresql":
        assert _column_types(PlanItem)["schedule"] == "jsonb"
    assert _stored_values(plan.pk) == written
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert _stored_values(plan.pk) == written
    forget_loaded_plans()
    assert engine_plan(Plan.objects.get(pk=plan.pk)) == engine

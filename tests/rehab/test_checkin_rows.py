"""A check-in and its items written in one statement (PostgreSQL) store what the two INSERTs in a
transaction store, refuse as they refused, and hand back the same rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import signals
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from rehab.models import CheckIn, CheckInItem
from rehab.services.checkin_rows import insert_checkin, unchanged_by_field
from tests import builders

ITEM_VALUES = [
    {"done": True, "sets": 2, "reps": 10},
    {"done": False, "load_kg": Decimal("12.5"), "minutes": Decimal("3.0"), "average_hr": 120},
    {"done": True, "sets": None, "reps": 0, "load_kg": None, "minutes": Decimal("0.5")},
]


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


def _checkin(plan, day: int, key: str) -> CheckIn:
    return CheckIn(
        plan=plan,
        patient=plan.patient,
        date=date(2026, 11, day),
        plan_week=1,
        logged_by=plan.patient.user,
        pain_during=2,
        pain_after=3,
        session_rpe=12,
        effort_scale="borg_6_20",
        effort_value=12,
        red_flags=[],
        pain_regions=["knee_left"],
        idempotency_key=key,
        notes="Fine.",
    )


def _items(plan) -> list[dict]:
    ids = list(plan.items.order_by("pk").values_list("pk", flat=True)[: len(ITEM_VALUES)])
    return [{"plan_item_id": pk, **values} for pk, values in zip(ids, ITEM_VALUES, strict=True)]


def _stored(checkin: CheckIn) -> tuple:
    row = CheckIn.objects.filter(pk=checkin.pk).values().get()
    shown = {name: value for name, value in row.items() if name not in ("id", "date", "idempotency_key", "created_at")}
    items = sorted(
        (
            {name: value for name, value in item.items() if name not in ("id", "checkin_id")}
            for item in CheckInItem.objects.filter(checkin=checkin).values()
        ),
        key=lambda item: item["plan_item_id"],
    )
    return shown, items


def _values(row: CheckInItem) -> dict:
    return {
        field.attname: getattr(row, field.attname) for field in CheckInItem._meta.concrete_fields if field.name != "id"
    }


def test_one_statement_stores_what_the_transaction_of_two_stores(world, plan):
    alone, in_transaction = _checkin(plan, 5, "alone"), _checkin(plan, 6, "with-then")
    ran = []

    alone_rows = insert_checkin(alone, _items(plan))
    then_rows = insert_checkin(in_transaction, _items(plan), then=lambda: ran.append(True))

    assert ran == [True]
    assert alone.pk
    assert in_transaction.pk
    assert alone.pk != in_transaction.pk
    assert _stored(alone) == _stored(in_transaction)
    assert CheckIn.objects.get(pk=alone.pk).created_at is not None
    # The rows handed back are the stored rows, as CheckInItem(checkin=..., **item) saved would be.
    for rows, checkin in ((alone_rows, alone), (then_rows, in_transaction)):
        assert sorted(row.pk for row in rows) == sorted(
            CheckInItem.objects.filter(checkin=checkin).values_list("pk", flat=True)
        )
        for row, item in zip(rows, _items(plan), strict=True):
            made = CheckInItem(checkin=checkin, **item)
            assert _values(row) == _values(made)
            assert row.checkin is checkin
            assert row._state.adding is False
            assert row._state.db == "default"


def test_a_refused_check_in_stores_no_item_and_leaves_the_transaction_usable(world, plan):
    insert_checkin(_checkin(plan, 5, "first"), _items(plan))

    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_checkin(_checkin(plan, 5, "same-day"), _items(plan))  # one session per plan and day
        assert CheckIn.objects.count() == 1  # the caller's transaction still answers

    assert CheckInItem.objects.count() == len(ITEM_VALUES)


def test_a_refused_item_refuses_the_check_in_too(world, plan):
    items = _items(plan)
    items[1]["plan_item_id"] = items[0]["plan_item_id"]  # the same exercise twice: the items' constraint

    with pytest.raises(IntegrityError):
        insert_checkin(_checkin(plan, 5, "twice"), items)

    assert CheckIn.objects.count() == 0
    assert CheckInItem.objects.count() == 0


def test_a_session_without_items_is_stored_alone(world, plan):
    checkin = _checkin(plan, 5, "no-items")

    assert insert_checkin(checkin, []) == []

    assert CheckIn.objects.get().pk == checkin.pk


def test_on_postgresql_the_write_is_one_statement(world, plan):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no INSERT inside WITH: two INSERTs in a transaction there")
    checkin, items = _checkin(plan, 5, "one"), _items(plan)

    with CaptureQueriesContext(connection) as seen:
        insert_checkin(checkin, items)

    # The test's own transaction is open, so the statement runs in a savepoint; alone, it needs none.
    assert connection.in_atomic_block
    statements = [q["sql"] for q in seen.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith("WITH c AS (INSERT INTO")


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.decimals(allow_nan=False, allow_infinity=False, places=1, min_value=-1000, max_value=1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=3),
)


@given(
    field=st.sampled_from([f for model in (CheckIn, CheckInItem) for f in model._meta.concrete_fields]), value=VALUES
)
def test_a_value_sent_unchanged_is_what_the_field_would_send(field, value):
    if unchanged_by_field(field, value):
        prepared = field.get_db_prep_save(value, connection)
        assert prepared == value
        assert type(value) is not bool or type(prepared) is bool
        assert (prepared is None) is (value is None)


def test_the_fields_take_their_plain_values_unchanged():
    items = {field.attname: field for field in CheckInItem._meta.concrete_fields}
    assert unchanged_by_field(items["plan_item_id"], 7)
    assert unchanged_by_field(items["sets"], 3)
    assert unchanged_by_field(items["sets"], None)
    assert unchanged_by_field(items["done"], True)
    assert unchanged_by_field(items["load_kg"], None)
    assert not unchanged_by_field(items["load_kg"], Decimal("1.5"))
    assert not unchanged_by_field(items["sets"], True)
    assert not unchanged_by_field(items["done"], 1)
    assert not unchanged_by_field(items["done"], None)  # not nullable: for the field (and the database) to refuse


def test_with_a_post_init_receiver_the_rows_are_made_through_init(world, plan):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=CheckInItem)
    try:
        checkin = _checkin(plan, 5, "signals")
        rows = insert_checkin(checkin, _items(plan))
    finally:
        signals.post_init.disconnect(receiver, sender=CheckInItem)

    assert [id(row) for row in rows] == [id(row) for row in seen[-len(rows) :]]
    for row, item in zip(rows, _items(plan), strict=True):
        assert _values(row) == _values(CheckInItem(checkin=checkin, **item))
        assert row.checkin is checkin

"""The check-in tables keep exactly the indexes their queries use: each index is a write on every
check-in logged, the busiest insert (migration 0023 dropped the ones another index already covers)."""

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _plain_indexes(table: str) -> dict[str, tuple[str, ...]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: tuple(about["columns"])
        for name, about in found.items()
        if about["index"] and not about["unique"] and not about["primary_key"]
    }


def _unique_columns(table: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [tuple(about["columns"]) for about in found.values() if about["unique"] and not about["primary_key"]]


def test_an_item_row_writes_no_index_its_unique_pair_already_covers():
    assert ("checkin_id", "plan_item_id") in _unique_columns("rehab_checkinitem")
    assert sorted(_plain_indexes("rehab_checkinitem").values()) == [("plan_item_id",)]


def test_a_checkin_keeps_the_indexes_its_queries_use_and_no_other():
    indexes = _plain_indexes("rehab_checkin")
    assert sorted(indexes.values()) == [
        ("follow_up_due_at",),
        ("pain_item_id",),
        ("patient_id",),
        ("plan_id", "plan_week"),
        ("supervised_by_id",),
    ]
    # The plan's and the login's own single-column indexes are gone: these start with them.
    assert ("logged_by_id", "idempotency_key") in _unique_columns("rehab_checkin")
    assert ("plan_id", "date") in _unique_columns("rehab_checkin")


def test_going_back_past_the_migration_puts_the_dropped_indexes_back():
    try:
        call_command("migrate", "rehab", "0022", verbosity=0)
        assert ("checkin_id",) in _plain_indexes("rehab_checkinitem").values()
        assert {("plan_id",), ("logged_by_id",)} <= set(_plain_indexes("rehab_checkin").values())
    finally:
        call_command("migrate", "rehab", verbosity=0)
    assert ("checkin_id",) not in _plain_indexes("rehab_checkinitem").values()

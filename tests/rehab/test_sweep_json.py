"""The sweep's decision insert (rehab.services.sweep_json): the same stored JSON as a row-by-row save."""

from datetime import date

import pytest
from django.db import connection

from rehab.bulk_sql import insert_rows
from rehab.models import ProgressionDecision
from rehab.services.sweep_json import decisions_insert
from tests import builders

pytestmark = pytest.mark.django_db

JSON_COLUMNS = ("reasons", "doses_before", "doses_after", "changes", "carry")


def _decisions(plan, weeks) -> list[ProgressionDecision]:
    """Decisions whose doses share dict objects (as the sweep's memo of stored doses makes them), with
    keys and values that json.dumps escapes."""
    walking = {"f": 3, "m": 12.5, "i": [["pct_hrr", 40, 50]], "ra": "digest-é"}
    press = {"f": 2, "s": 2, "r": 10, "i": [["rpe_6_20", 11, 13]]}
    made = []
    for week in weeks:
        made.append(
            ProgressionDecision(
                plan=plan,
                week=week,
                action="advance",
                light="green",
                reasons=[{"rule_id": "progression.green", "text": f"Week {week} — “green”", "checkin_ids": [1, 2]}],
                doses_before={"walking": walking, "wall-press": press},
                doses_after={"walking": walking, "wall-press": None},
                changes={"walking": {"variable": "minutes", "direction": "up", "said": None}},
                carry={
                    "held_doses": {"wall-press": press},
                    "mean_pain": 1.5,
                    "weeks_since_regression": None,
                    "amber_weeks": 0,
                    "growth_trails": {"walking": [walking, press], "wall-press": []},
                },
                sessions_planned=3,
                sessions_done=week % 4,
            )
        )
    return made


def _stored(ids) -> list[tuple]:
    """The JSON columns as the database returns their text (as written; PostgreSQL's jsonb carry: its own)."""
    table = ProgressionDecision._meta.db_table
    cast = "::text" if connection.vendor == "postgresql" else ""
    columns = ", ".join(f"{column}{cast}" for column in JSON_COLUMNS)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id IN ({marks}) ORDER BY week", ids)
        return cursor.fetchall()


def test_decisions_inserted_with_shared_texts_store_what_insert_rows_stores(world):
    one = builders.make_active_plan(world.patient, world.physio, start_date=date(2026, 11, 2))
    other = builders.make_active_plan(world.other_patient, world.physio, start_date=date(2026, 11, 2))
    ours, theirs = _decisions(one, range(1, 4)), _decisions(other, range(1, 4))
    decisions_insert(ours)
    insert_rows(ProgressionDecision, theirs)
    assert all(row.pk is not None and not row._state.adding for row in ours)
    # The same text (SQLite's text and PostgreSQL's json keep it as written; carry is the same jsonb).
    assert _stored([row.pk for row in ours]) == _stored([row.pk for row in theirs])
    for row in ours:
        row.refresh_from_db()
    assert [row.carry for row in ours] == [row.carry for row in theirs]
    assert [row.doses_after for row in ours] == [row.doses_after for row in theirs]

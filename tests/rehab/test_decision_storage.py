"""How the weekly decisions' rows are stored (migration 0026): lz4 for their JSON on PostgreSQL."""

import pytest
from django.db import connection

from rehab.models import ProgressionDecision

pytestmark = pytest.mark.django_db

JSON_COLUMNS = ("reasons", "doses_before", "doses_after", "changes", "carry")


def _lz4_available() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        return bool(cursor.fetchone()[0])


def test_the_decisions_json_columns_are_compressed_with_lz4_on_postgresql():
    if connection.vendor != "postgresql" or not _lz4_available():
        pytest.skip("a PostgreSQL storage setting (lz4 needs PostgreSQL 14+ built with it)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = %s::regclass AND attname = ANY(%s)",
            [ProgressionDecision._meta.db_table, list(JSON_COLUMNS)],
        )
        methods = dict(cursor.fetchall())
    assert methods == dict.fromkeys(JSON_COLUMNS, "l")

"""A JSON column kept as written, for values the app always reads and writes whole.

Django's JSONField is PostgreSQL's jsonb: every value written is parsed into jsonb's binary form, and
every value read is printed back to text for the driver. That buys queries inside the value (keys,
containment, GIN indexes) and equality. The weekly sweep rewrites a plan's doses and schedule and
inserts a decision of ≈ 20 KB of JSON for every plan every week, and reads them back whole; nothing
queries inside them. For those columns PostgreSQL's `json` type does the same job for less: it checks
the text is JSON and stores it as it is. Measured on 8,500 plan item rows (psql, 2026-12-01): the
sweep's UPDATE took 162 ms of the server's time with json against 380 ms with jsonb, and reading the
schedules back as text 41 against 164 ms.

What json gives up, and why these columns do not need it: it has no equality operator (no DISTINCT,
UNION or GROUP BY over the column: none selects it), no key or containment lookups (`?`, `@>`: none is
used on these fields; the decision's `carry`, which is looked up by key, stays jsonb), and it keeps the
text's own key order and spacing (the app writes each value with json.dumps and reads it with
json.loads, so it sees equal values either way). On SQLite a JSON column is text either way.

Migrations name these classes by their import path (tests/ops/test_house_rules.py allows this module
for that reason): a class here keeps its name and what it stores for as long as a migration names it,
and the module imports nothing of the app.
"""

from django.db import models


class StoredJSONField(models.JSONField):
    """A JSONField stored as PostgreSQL's `json` (checked, kept as written), not `jsonb`."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        from django.db.backends.postgresql.operations import get_json_dumps
        from psycopg.types.json import Json

        if not prepared:
            value = self.get_prep_value(value)
        # Sent as json, not jsonb: a jsonb parameter would be parsed into jsonb and printed again on its
        # way into the column.
        return Json(value, dumps=get_json_dumps(self.encoder))

# The JSON columns the weekly sweep rewrites or inserts for every plan every week, and reads back
# whole, become PostgreSQL's json (kept as written) instead of jsonb (rehab/models/fields.py says what
# that saves and gives up). Stored values convert as they are (jsonb to json is a cast PostgreSQL makes
# on assignment); SQLite keeps text. A change of type resets a column's compression, so the decision's
# columns get lz4 again, as migration 0026 set it (after the change, and after undoing it).

from django.db import migrations

import rehab.models.fields

DECISION_TABLE = "rehab_progressiondecision"
DECISION_JSON = ("reasons", "doses_before", "doses_after", "changes")


def _lz4_available(cursor) -> bool:
    cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    row = cursor.fetchone()
    return bool(row and row[0])


def decision_columns_lz4(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not _lz4_available(cursor):
            return
    quote = schema_editor.quote_name
    alters = ", ".join(f"ALTER COLUMN {quote(column)} SET COMPRESSION lz4" for column in DECISION_JSON)
    schema_editor.execute(f"ALTER TABLE {quote(DECISION_TABLE)} {alters}")


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0026_decision_json_lz4"),
    ]

    operations = [
        # Undone last (operations are undone in reverse): the jsonb columns back get their lz4 too.
        migrations.RunPython(migrations.RunPython.noop, decision_columns_lz4, elidable=False),
        migrations.AlterField(
            model_name="plan",
            name="blueprint",
            field=rehab.models.fields.StoredJSONField(
                default=dict,
                help_text="The engine plan's small part (planner.storage): profile, load limits, the items' order, the number of weeks, the safety notice and the digests of its targets and rule list.",
            ),
        ),
        migrations.AlterField(
            model_name="planchange",
            name="after",
            field=rehab.models.fields.StoredJSONField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="planchange",
            name="before",
            field=rehab.models.fields.StoredJSONField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="intensity",
            field=rehab.models.fields.StoredJSONField(
                blank=True, default=list, help_text="[[unit, low, high], ...]; the first governs."
            ),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="prescribed_dose",
            field=rehab.models.fields.StoredJSONField(
                blank=True, default=dict, help_text="The week-1 dose (compact form)."
            ),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="schedule",
            field=rehab.models.fields.StoredJSONField(
                blank=True,
                default=list,
                help_text="Week by week: [week, compact dose or null when unchanged, variable that grew, growth %].",
            ),
        ),
        migrations.AlterField(
            model_name="progressiondecision",
            name="changes",
            field=rehab.models.fields.StoredJSONField(
                default=dict, help_text="Per exercise slug, the one variable that changed."
            ),
        ),
        migrations.AlterField(
            model_name="progressiondecision",
            name="doses_after",
            field=rehab.models.fields.StoredJSONField(help_text="The doses set for the next week, per exercise slug."),
        ),
        migrations.AlterField(
            model_name="progressiondecision",
            name="doses_before",
            field=rehab.models.fields.StoredJSONField(help_text="The doses of the week that ended, per exercise slug."),
        ),
        migrations.AlterField(
            model_name="progressiondecision",
            name="reasons",
            field=rehab.models.fields.StoredJSONField(
                help_text="[{rule_id, rule_text, evidence, source, text, checkin_ids}]"
            ),
        ),
        migrations.RunPython(decision_columns_lz4, migrations.RunPython.noop, elidable=False),
    ]

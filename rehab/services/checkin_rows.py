"""Writing a check-in and its items: on PostgreSQL one statement, elsewhere two in a transaction.

A check-in and its items are stored together or not at all. On PostgreSQL a single statement does
that by itself: a data-modifying WITH inserts the check-in and then its items, read from one JSON
parameter by jsonb_to_recordset (one C call writes it; an array per column cost the driver's Python
array writer eight times a check-in), so the write needs no BEGIN and COMMIT of its own (two round
trips of the busiest write's five). A constraint that refuses the check-in (one session per plan and
day, the idempotency key) refuses the whole statement, as the transaction's rollback did. Inside a
caller's transaction the statement runs in a savepoint, so such a refusal leaves that transaction
usable, as before.
SQLite has no INSERT in WITH: there the two INSERTs run in one transaction, as they always have.

Values go through each field's own `pre_save` and `get_db_prep_save`, as `save()` would send them,
except an item's values that those would send unchanged (`unchanged_by_field`), which are sent as
they are: about a hundred and fifty calls a check-in saved, the same values stored.
"""

import json
from collections.abc import Callable
from contextlib import nullcontext
from decimal import Decimal
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Model, signals
from django.db.models.base import ModelState

from rehab.bulk_sql import server_bound_cursor
from rehab.models import CheckIn, CheckInItem


def insert_checkin(checkin: CheckIn, items: list[dict], *, then: Callable[[], None] | None = None) -> list[CheckInItem]:
    """Store `checkin` (unsaved; its id is set) and one CheckInItem per dict of `items` (plan_item_id and
    the item's values); returns the item rows, saved. Raises IntegrityError, storing nothing, when a
    constraint refuses either. `then` runs after the rows are written, in their transaction (a red
    flag's outbox row), which is then an ordinary one."""
    db = connections[DEFAULT_DB_ALIAS]
    if then is not None or db.vendor != "postgresql" or not items:
        with transaction.atomic():
            insert_rows(CheckIn, [checkin])
            rows = [CheckInItem(checkin=checkin, **item) for item in items]
            insert_rows(CheckInItem, rows)
            if then is not None:
                then()
        return rows
    # A savepoint only where a transaction is already open: alone, the statement is its own transaction.
    with transaction.atomic() if db.in_atomic_block else nullcontext():
        checkin_id, item_ids = _insert_together(db, checkin, items)
    _mark_saved(checkin, checkin_id, db.alias)
    through_init = signals.pre_init.has_listeners(CheckInItem) or signals.post_init.has_listeners(CheckInItem)
    return [_item_row(checkin, item, pk, db.alias, through_init) for item, pk in zip(items, item_ids, strict=True)]


def _insert_together(db, checkin: CheckIn, items: list[dict]) -> tuple[int, list[int]]:
    checkin_values = [field.get_db_prep_save(field.pre_save(checkin, True), db) for field in _columns(CheckIn)]
    rows = []
    for item in items:
        row = {}
        for field, column, default, kind in _item_json_columns():
            value = item.get(field.attname, default)
            row[column] = value if _unchanged(kind, field.null, value) else field.get_db_prep_save(value, db)
        rows.append(row)
    # Decimals as JSON strings: each column's own input function reads them, as it reads the text of an array.
    items_json = json.dumps(rows, default=_json_text, separators=(",", ":"))
    with server_bound_cursor() as cursor:
        cursor.execute(_together_sql(db.alias), [*checkin_values, items_json])
        checkin_id, item_ids = cursor.fetchone()
    return checkin_id, list(item_ids)


@cache
def _together_sql(alias: str) -> str:
    """WITH c AS (INSERT the check-in), i AS (INSERT its items from one JSON array of rows) SELECT both ids."""
    db = connections[alias]
    quote = db.ops.quote_name

    def names(fields) -> str:
        return ", ".join(quote(str(field.column)) for field in fields)

    checkin_table, checkin_id = quote(CheckIn._meta.db_table), quote(str(CheckIn._meta.pk.column))
    item_table, item_id = quote(CheckInItem._meta.db_table), quote(str(CheckInItem._meta.pk.column))
    checkin_fields, item_fields = _columns(CheckIn), _item_columns()
    record = ", ".join(f"{quote(str(field.column))} {_array_type(field, db)}" for field in item_fields)
    placeholders = ", ".join(["%s"] * len(checkin_fields))
    # Only the models' own table, column and type names are put in the text; every value is a parameter.
    return (
        f"WITH c AS (INSERT INTO {checkin_table} ({names(checkin_fields)}) VALUES ({placeholders}) "  # noqa: S608
        f"RETURNING {checkin_id}), "
        f"i AS (INSERT INTO {item_table} ({quote(CheckInItem._meta.get_field('checkin').column)}, "
        f"{names(item_fields)}) SELECT c.{checkin_id}, u.* FROM c, jsonb_to_recordset((%s)::jsonb) AS u({record}) "
        f"RETURNING {item_id}) "
        f"SELECT (SELECT {checkin_id} FROM c), ARRAY(SELECT {item_id} FROM i)"
    )


def _item_row(checkin: CheckIn, item: dict, pk: int, alias: str, through_init: bool) -> CheckInItem:
    """The saved row, as `CheckInItem(checkin=checkin, **item)` saved would be. Made without
    Model.__init__ when no pre_init or post_init receiver listens for CheckInItem: for a new instance,
    __init__ does nothing else than set each field's attribute (its foreign keys' setters only clear
    a cache a new instance does not have) and those signals; a dozen items cost a third of a
    millisecond through it."""
    values = {**_item_defaults(), "id": pk, "checkin_id": checkin.pk, **item}
    if through_init:  # a pre_init or post_init receiver listens for CheckInItem
        names = [field.attname for field in CheckInItem._meta.concrete_fields]
        row = CheckInItem.from_db(alias, names, [values[name] for name in names])
    else:
        row = CheckInItem.__new__(CheckInItem)
        row._state = ModelState()
        row.__dict__.update(values)
    row._state.fields_cache["checkin"] = checkin
    _mark_saved(row, pk, alias)
    return row


@cache
def _item_json_columns() -> tuple:
    """(field, column name, default, kind) of each item column the statement reads from the items' JSON."""
    return tuple((field, str(field.column), field.get_default(), _kind(field)) for field in _item_columns())


def _json_text(value) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not stored from JSON")


@cache
def _item_defaults() -> dict:
    return {field.attname: field.get_default() for field in CheckInItem._meta.concrete_fields}


def _mark_saved(row: Model, pk: int, alias: str) -> None:
    row.pk = pk
    row._state.adding = False
    row._state.db = alias


@cache
def _columns(model: type[Model]) -> tuple:
    return tuple(field for field in model._meta.concrete_fields if not field.primary_key)


@cache
def _item_columns() -> tuple:
    """CheckInItem's columns but the check-in (the statement's own new id)."""
    return tuple(field for field in _columns(CheckInItem) if field.name != "checkin")


def _array_type(field, db) -> str:
    target = field.target_field if field.is_relation else field
    return str(target.rel_db_type(db) if field.is_relation else target.db_type(db)).split("(")[0].strip()


def unchanged_by_field(field, value) -> bool:
    """Whether `field.get_db_prep_save(value)` equals `value` (PostgreSQL's adapter may wrap an int in a
    driver type naming its size; the typed array the value goes in names it anyway), told from the
    field's class and the value's type alone: None for a nullable integer, decimal, boolean or foreign
    key; an int (not a bool) for an integer field or a foreign key to an integer key; a bool for a
    boolean field. Anything else goes through the field."""
    return _unchanged(_kind(field), field.null, value)


def _unchanged(kind: type | None, null: bool, value) -> bool:
    """unchanged_by_field for a field of this kind (_kind) and nullability."""
    if value is None:
        return kind is not None and null
    if type(value) is int:
        return kind is int
    if type(value) is bool:
        return kind is bool
    return False


@cache
def _kind(field) -> type | None:
    """bool, int, or object for a decimal (whose None alone passes unchanged); None for any other field."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.BooleanField):
        return bool
    if isinstance(target, (models.IntegerField, models.AutoField)):
        return int
    if isinstance(target, models.DecimalField):
        return object
    return None


def insert_rows(model: type[Model], rows: list) -> None:
    """INSERT ... VALUES ... RETURNING id for these new rows, setting each one's id: what save(force_insert=True)
    and bulk_create store (each field's pre_save, so created_at is set, and get_db_prep_save), without
    building the ORM's insert query, which cost the check-in POST more than the database's own work.
    The model has no save() of its own and no signal receivers: nothing else would have run. Rows that
    point at another new row are made after that one has its id (its id is copied when a row is made)."""
    if not rows:
        return
    meta = model._meta
    fields = list(_columns(model))
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: each field's adaptation reads it
    quote = db.ops.quote_name
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(str(field.column)) for field in fields)
    values = [[field.get_db_prep_save(field.pre_save(row, True), db) for field in fields] for row in rows]
    if len(rows) > 1 and db.vendor == "postgresql" and all(_unnestable(field, db) for field in fields):
        # One array per column, as Django's own bulk insert does on PostgreSQL: a handful of parameters
        # whatever the number of rows, so the driver's prepared form of the statement is reused.
        types = [str(field.db_type(db)).split("(")[0] for field in fields]  # numeric, not numeric(5, 1)
        source = "SELECT * FROM UNNEST(" + ", ".join(f"(%s)::{name}[]" for name in types) + ")"  # noqa: S608
        params = [list(column) for column in zip(*values, strict=True)]
    else:
        source = "VALUES " + ", ".join([one_row] * len(rows))
        params = [value for row in values for value in row]
    # Only the model's own table, column and type names are put in the text; every value is a parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) {source} RETURNING {quote(str(meta.pk.column))}"
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [found[0] for found in cursor.fetchall()]
    for row, pk in zip(rows, ids, strict=True):
        _mark_saved(row, pk, db.alias)


def _unnestable(field, db) -> bool:
    """Whether a column's values can go in one typed array (Django's own test for its UNNEST insert)."""
    target = field.target_field if field.is_relation else field
    return not hasattr(field, "get_placeholder") and target.get_internal_type() in db.data_types

"""Many rows written in one statement: UPDATE ... FROM (VALUES ...) and INSERT ... VALUES, on PostgreSQL and SQLite.

Django's bulk_update writes one CASE WHEN per field and row; building those expressions costs
about a millisecond of Python per row and field (a plan's dozen items × 15 columns took ≈ 300 ms
under load). A VALUES list carries the same data as plain parameters. `update_rows` passes values
through each field's own get_db_prep_save, so JSON and dates are adapted exactly as a save() would
adapt them; `update_values` takes values already in the database's form (a JSON field's value as
its JSON text), for a caller that has them written already (the weekly sweep's memoised items);
`insert_rows` inserts model rows and sets their primary keys, as bulk_create does.

On PostgreSQL these statements send their values apart from the SQL (server-side binding). Django's
psycopg cursor binds on the client: it quotes every value into the SQL text in Python, with a
regular expression over every JSON text; for a chunk of weekly decisions (≈ 140 KB of JSON each)
that quoting took two thirds of the sweep's time.

On PostgreSQL each column also travels as one array, unnested on the server (`UPDATE ... FROM
unnest(...)`, `INSERT ... SELECT ... FROM unnest(...)`, as Django's own bulk_create does): the
statement's text is the same whatever the number of rows. A VALUES list of thousands of placeholders
made psycopg scan the whole text for placeholders at every call (its cache of converted statements
keeps only short ones): ≈ 10 % of the weekly sweep's CPU time. The arrays go in binary (%b): in
text, psycopg escapes every element of an array with a regular expression in Python (2.9 s of CPU for
500 JSON texts of 4 KB, against 15 ms in binary).
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection, models

# Parameters per statement stay well under SQLite's limit (32,766) and PostgreSQL's (65,535).
MAX_PARAMETERS = 30_000


def update_rows(model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str]) -> int:
    """Write `fields` of every row (matched by primary key); returns the number of rows updated."""
    columns = [model._meta.get_field(name) for name in fields]
    pk = model._meta.pk
    assert pk is not None
    values = [
        (
            pk.get_db_prep_save(row.pk, connection),
            *(field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns),
        )
        for row in rows
    ]
    return update_values(model, fields, values)


def update_values(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Write `fields` from rows of (primary key, value, ...) in the database's own form (JSON as text)."""
    if not rows:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    assert pk is not None
    if connection.vendor == "postgresql":
        with server_bound_cursor() as cursor:
            cursor.execute(_unnest_update(meta.db_table, pk, columns), _by_column(rows, len(columns) + 1))
            return cursor.rowcount
    batch = max(1, MAX_PARAMETERS // (len(columns) + 1))
    updated = 0
    with server_bound_cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                _statement(meta.db_table, pk, columns, len(chunk)), [value for row in chunk for value in row]
            )
            updated += cursor.rowcount
    return updated


def _by_column(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """The rows' values as one list per column (each list is one array parameter)."""
    columns: list[list[Any]] = [[] for _ in range(width)]
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    return [_one_type(column) for column in columns]


def _one_type(values: list[Any]) -> list[Any]:
    """An array holds one type: numbers of several Python types (2 and 2.5 in one dose column) go as text,
    which the cast to the column's array type reads back as numbers."""
    kinds = {type(value) for value in values if value is not None}
    if len(kinds) > 1 and all(issubclass(kind, int | float | Decimal) and kind is not bool for kind in kinds):
        return [None if value is None else str(value) for value in values]
    return values


def _array_type(field: models.Field) -> str:
    # Without the length (varchar[], not varchar(60)[]): a cast to varchar(60)[] would cut a longer
    # value short where a single value's insert refuses it. The column's own type still checks it.
    return f"{field.db_type(connection).split('(')[0]}[]"


def _unnest(fields: Sequence[models.Field], names: Sequence[str]) -> str:
    arrays = ", ".join(f"CAST(%b AS {_array_type(field)})" for field in fields)
    return f"unnest({arrays}) AS v({', '.join(names)})"


def _unnest_update(table: str, pk: models.Field, columns: Sequence[Any]) -> str:
    quote = connection.ops.quote_name
    names = ["pk", *[f"c{n}" for n in range(len(columns))]]
    assignments = ", ".join(f"{quote(field.column)} = v.{name}" for field, name in zip(columns, names[1:], strict=True))
    where = f"{quote(table)}.{quote(pk.column)} = v.pk"
    # Only quoted model names and placeholders are formatted in; every value is a parameter.
    return f"UPDATE {quote(table)} SET {assignments} FROM {_unnest([pk, *columns], names)} WHERE {where}"  # noqa: S608


def _statement(table: str, pk: models.Field, columns: Sequence[Any], count: int) -> str:
    """UPDATE ... FROM (VALUES ...) for SQLite (PostgreSQL takes _unnest_update)."""
    quote = connection.ops.quote_name
    every = [pk, *columns]
    placeholder = "(" + ", ".join(["%s"] * len(every)) + ")"
    names = [f"column{n + 1}" for n in range(len(every))]
    source = f"(VALUES {', '.join([placeholder] * count)}) AS v"
    assignments = ", ".join(f"{quote(field.column)} = v.{name}" for field, name in zip(columns, names[1:], strict=True))
    where = f"{quote(table)}.{quote(pk.column)} = v.{names[0]}"
    # Only quoted model names and placeholders are formatted in; every value is a parameter.
    return f"UPDATE {quote(table)} SET {assignments} FROM {source} WHERE {where}"  # noqa: S608


def insert_rows(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """Insert the rows (as bulk_create: auto_now_add set, no signals, no history) and set their primary keys."""
    if not rows:
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [field for field in meta.concrete_fields if field is not pk]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)
    if connection.vendor == "postgresql":
        values = [
            [field.get_db_prep_save(field.pre_save(row, add=True), connection) for row in rows] for field in fields
        ]
        returned = [key for (key,) in insert_values(model, [field.name for field in fields], values, returning=True)]
        for row, key in zip(rows, returned, strict=True):
            setattr(row, pk.attname, key)
            row._state.adding = False
            row._state.db = connection.alias
        return
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, MAX_PARAMETERS // len(fields))
    with server_bound_cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [
                field.get_db_prep_save(field.pre_save(row, add=True), connection) for row in chunk for field in fields
            ]
            # Only quoted model names and placeholders are formatted in; every value is a parameter.
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES {', '.join([placeholder] * len(chunk))} "  # noqa: S608
                f"RETURNING {quote(pk.column)}"
            )
            cursor.execute(sql, params)
            for row, (key,) in zip(chunk, cursor.fetchall(), strict=True):
                setattr(row, pk.attname, key)
                row._state.adding = False
                row._state.db = connection.alias


def insert_values(
    model: type[models.Model], fields: Sequence[str], columns: Sequence[Sequence[Any]], *, returning: bool = False
) -> list[tuple[Any, ...]]:
    """Insert rows given as one list per field, values in the database's form (JSON as its text), in one
    statement; columns left out take their defaults. With `returning`, the new primary keys in row order.

    No model instances, no signals, no history: for the weekly sweep's many small rows (PlanChange).
    """
    if not columns or not columns[0]:
        return []
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    targets = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in targets)
    back = f" RETURNING {quote(pk.column)}" if returning else ""
    with server_bound_cursor() as cursor:
        if connection.vendor == "postgresql":
            source = _unnest(targets, [f"c{n}" for n in range(len(targets))])
            # Rows come back in the order unnest gives them, as Django's own bulk_create relies on.
            arrays = [_one_type(list(column)) for column in columns]
            cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({names}) SELECT * FROM {source}{back}", arrays)  # noqa: S608
            return cursor.fetchall() if returning else []
        made: list[tuple[Any, ...]] = []
        rows = list(zip(*columns, strict=True))
        batch = max(1, MAX_PARAMETERS // len(targets))
        placeholder = "(" + ", ".join(["%s"] * len(targets)) + ")"
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES {', '.join([placeholder] * len(chunk))}{back}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            if returning:
                made += cursor.fetchall()
        return made


@contextmanager
def server_bound_cursor() -> Iterator[Any]:
    """Django's cursor (its execute wrappers see every statement), server-side binding on PostgreSQL:
    the values travel apart from the SQL, so a statement's text is the same at every call and psycopg
    prepares it on the server after DATABASE_PREPARE_THRESHOLD runs (settings.py; the database then
    skips parsing and planning it). Django's own cursors bind on the client and are never prepared."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    # As connection.cursor() does: with CONN_HEALTH_CHECKS, a kept connection is tried once per request
    # before its first statement, so one the database dropped is replaced instead of failing the request.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    cursor = connection._prepare_cursor(psycopg.Cursor(connection.connection))
    with cursor:
        yield cursor

"""The audit trail of rows the weekly sweep wrote in bulk, copied on the database server.

django-simple-history's `bulk_history_create` builds one historical model instance per row in Python
and inserts them with bulk_create: for a chunk of 500 plans and their alerts, ≈ 5 % of the sweep's
CPU time, spent copying values the database already holds. On PostgreSQL `history_copy` writes the
same history rows with one INSERT ... SELECT from the rows just written (locked by the chunk's
transaction, so what it copies is what the sweep wrote): each row's tracked fields, the date, the
history type, the default history user and each row's own change reason. Elsewhere (SQLite) it calls
bulk_history_create. A test compares the two paths' history rows field by field.
"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

from rehab.bulk_sql import server_bound_cursor

# The historical model's own fields, filled from the call, not from the row.
_HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


def history_copy(
    model: type[models.Model],
    rows: Sequence[models.Model],
    *,
    update: bool,
    date=None,
    default_change_reason: str | None = "",
) -> None:
    """One history row per written row, as `model.history.bulk_history_create(rows, update=..., ...)` makes.

    rows: saved instances of `model`, each with its `_change_reason` where it has one.
    """
    if not rows or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    manager = model.history  # type: ignore[attr-defined]  # django-simple-history's descriptor
    history = manager.model
    date = date or timezone.now()
    if not _copyable(history, rows):
        manager.bulk_history_create(rows, update=update, default_date=date, default_change_reason=default_change_reason)
        return
    quote = connection.ops.quote_name
    tracked = {field.name: field for field in history.tracked_fields}
    targets, sources = [], []
    for field in history._meta.concrete_fields:
        if field.name in _HISTORY_FIELDS or field.name not in tracked:
            continue  # an attribute of the history row's own: left NULL, as bulk_history_create leaves it
        targets.append(quote(field.column))
        sources.append(f"t.{quote(tracked[field.name].column)}")
    user = history.get_default_history_user(rows[0])
    pk = model._meta.pk
    assert pk is not None
    key_type, key_column = pk.db_type(connection), pk.column
    assert key_type is not None
    assert key_column is not None
    own = ", ".join(
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    )
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}, {own}) "  # noqa: S608  (quoted names only)
        f"SELECT {', '.join(sources)}, %s, v.reason, %s, %s "
        f"FROM unnest(CAST(%b AS {key_type}[]), CAST(%b AS text[])) WITH ORDINALITY AS v(pk, reason, n) "
        f"JOIN {quote(model._meta.db_table)} t ON t.{quote(key_column)} = v.pk ORDER BY v.n"
    )
    reasons = [get_change_reason_from_object(row) or default_change_reason for row in rows]
    with server_bound_cursor() as cursor:
        cursor.execute(
            sql,
            [date, "~" if update else "+", user.pk if user is not None else None, [row.pk for row in rows], reasons],
        )
        assert cursor.rowcount == len(rows), "every row written has its history"


def _copyable(history: Any, rows: Sequence[models.Model]) -> bool:
    """Whether the server-side copy writes exactly what bulk_history_create would."""
    if connection.vendor != "postgresql" or hasattr(history, "history_relation"):
        return False
    names = {field.name for field in history._meta.concrete_fields}
    if not {"history_date", "history_change_reason", "history_type", "history_user"} <= names:
        return False
    tracked = {field.name for field in history.tracked_fields}
    for name in names - _HISTORY_FIELDS - tracked:
        # A field of the history row's own (a reason's template, rehab.models.history_said): what
        # bulk_history_create gives it is its default, which the INSERT leaves to a nullable column
        # without one. Any other needs the Python path.
        field = history._meta.get_field(name)
        if not field.null or field.has_default() or field.db_default is not models.NOT_PROVIDED:
            return False
    # A row with its own history user or date set in Python: the Python path reads those per row.
    return not any(hasattr(row, "_history_user") or hasattr(row, "_history_date") for row in rows)

"""The API tokens a presented token may be, with their login, its patient record and that record's clinic:
the rows of `AuthToken.objects.filter(token_key=key).select_related("user__patient_record__clinic")`,
made as that query makes them, without building the query each time.

Every API request authenticated with a token runs this read. Django spent about three milliseconds
of CPU building and compiling the select_related query (four tables, every column of each), more than
anything else a cached plan read does and many times what the database takes to answer it. The SQL
here is written once per process from the models' own tables and columns; each value goes through the
converters Django's compiler would apply to its column, and each row becomes its model instance
through `Model.from_db`, linked to the others in the related-object caches select_related fills (the
token's login, the login's patient record or its absence, the record's login and clinic), so reading
`token.user.patient_record.clinic` costs no query, as before.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Model
from knox.models import AuthToken, get_token_model

from rehab.bulk_sql import server_bound_cursor
from rehab.models import Clinic, Patient, User

# (model, table alias) in the order their columns come in a row.
_TABLES = (("token", "t"), ("user", "u"), ("patient", "p"), ("clinic", "c"))


def api_tokens_for_key(token_key: str) -> list[AuthToken]:
    """The tokens whose key (the token's first characters) is `token_key`, their related rows attached."""
    sql, columns = _statement(connection.alias)
    with server_bound_cursor() as cursor:
        cursor.execute(sql, [token_key])
        rows = cursor.fetchall()
    return [_token(row, columns) for row in rows]


def api_tokens_for_key_with(token_key: str, read: tuple[str, Sequence[Any]]) -> list[tuple[AuthToken, tuple]]:
    """api_tokens_for_key's tokens, each with the first row of another read sent in the same statement
    (one round trip instead of two): `read` is its SQL and parameters, a SELECT of its own that refers to
    nothing outside itself. A token whose read found nothing comes with a row of NULLs."""
    sql, columns = _statement(connection.alias)
    other, params = read
    select, tables = sql.split(" FROM ", 1)
    tables, where = tables.split(" WHERE ", 1)
    width = sum(len(names) for _model, names, _converters in columns)
    found: dict[Any, tuple[AuthToken, tuple]] = {}
    with server_bound_cursor() as cursor:
        # The read's own text and parameters, as its caller built them; the key is a parameter.
        statement = f"{select}, x.* FROM {tables} LEFT JOIN ({other}) x ON 1 = 1 WHERE {where}"
        cursor.execute(statement, [*params, token_key])
        for row in cursor.fetchall():
            token = _token(row[:width], columns)
            found.setdefault(token.pk, (token, tuple(row[width:])))  # a join in the read may repeat its row
    return list(found.values())


def _models() -> dict[str, type[Model]]:
    return {"token": get_token_model(), "user": User, "patient": Patient, "clinic": Clinic}


@cache
def _statement(alias: str) -> tuple[str, tuple]:
    """The SQL, and per table: (its model, the columns' attribute names, each column's converters)."""
    quote = connection.ops.quote_name
    models = _models()
    select: list[str] = []
    columns = []
    for name, alias_of_table in _TABLES:
        model = models[name]
        fields = model._meta.concrete_fields
        select += [f"{alias_of_table}.{quote(str(field.column))}" for field in fields]
        converters = []
        for field in fields:
            expression = field.get_col(alias_of_table)
            found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            converters.append((expression, tuple(found)))
        columns.append((model, tuple(field.attname for field in fields), tuple(converters)))

    def column(model: type[Model], name: str) -> str:
        return quote(str(getattr(model._meta.get_field(name), "column", name)))

    def table(model: type[Model]) -> str:
        return quote(model._meta.db_table)

    token = models["token"]
    # Only the models' own table and column names are put in the text; the key is a parameter.
    sql = (
        f"SELECT {', '.join(select)} FROM {table(token)} t "  # noqa: S608
        f"INNER JOIN {table(User)} u ON t.{column(token, 'user')} = u.{column(User, 'id')} "
        f"LEFT OUTER JOIN {table(Patient)} p ON u.{column(User, 'id')} = p.{column(Patient, 'user')} "
        f"LEFT OUTER JOIN {table(Clinic)} c ON p.{column(Patient, 'clinic')} = c.{column(Clinic, 'id')} "
        f"WHERE t.{column(token, 'token_key')} = %s"
    )
    return sql, tuple(columns)


def _token(row: tuple, columns: tuple) -> AuthToken:
    made: list[Any] = []
    start = 0
    for model, names, converters in columns:
        values = list(row[start : start + len(names)])
        start += len(names)
        if values[names.index(model._meta.pk.attname)] is None:
            made.append(None)  # no such row joined (a login without a patient record)
            continue
        for n, (expression, found) in enumerate(converters):
            for converter in found:
                values[n] = converter(values[n], expression, connection)
        made.append(model.from_db(connection.alias, list(names), values))
    token, user, patient, clinic = made  # the token and its login always: inner joins
    # The caches select_related fills: the token's login; the login's record (None: it has none, so
    # reading it raises RelatedObjectDoesNotExist without a query); the record's login and clinic.
    login: Any = token._meta.get_field("user")
    record: Any = Patient._meta.get_field("user")
    login.set_cached_value(token, user)
    record.remote_field.set_cached_value(user, patient)
    if patient is not None:
        record.set_cached_value(patient, user)
        Patient._meta.get_field("clinic").set_cached_value(patient, clinic)
    return token

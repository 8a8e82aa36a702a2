"""A chunk's weekly decisions inserted with their JSON written once per shared value.

A decision row holds ≈ 20 KB of JSON, and serialising it was ≈ 8 % of the sweep's CPU time. Most of
it is doses: the decision's stored doses come from a memo (rehab.services.progression._stored_doses)
shared by every decision that stores the same doses, so the same dose dicts appear in hundreds of
rows of a chunk. Their texts are written once per chunk here, by identity, and each row's JSON is put
together from them: the same text json.dumps gives for the whole value (default separators, keys in
order), so the database stores the same bytes as Django's own save (SQLite's text and PostgreSQL's json
columns keep the text as written; the carry column is jsonb, the same value).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection

from rehab.bulk_sql import insert_values
from rehab.models import ProgressionDecision

# Columns whose values are dicts of shared doses (slug -> stored dose).
_DOSE_MAPS = ("doses_before", "doses_after")


class SharedTexts:
    """JSON texts of values by identity, for one chunk's rows (values are not changed once stored:
    the memo shares them between decisions). Each value is held while its text is: its id stays its own."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[Any, str]] = {}

    def of(self, value: Any) -> str:
        if value is None or isinstance(value, str | int | float):
            return json.dumps(value)
        known = self._texts.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        text = json.dumps(value)
        self._texts[id(value)] = (value, text)
        return text


def _object(pairs: list[tuple[str, str]]) -> str:
    """A JSON object from keys and the texts of their values, as json.dumps writes it."""
    return "{" + ", ".join(f"{json.dumps(key)}: {text}" for key, text in pairs) + "}"


def _dose_map(doses: Any, shared: SharedTexts) -> str:
    if not isinstance(doses, dict) or not all(isinstance(key, str) for key in doses):
        return json.dumps(doses)
    return _object([(slug, shared.of(dose)) for slug, dose in doses.items()])


def _carry(carry: Any, shared: SharedTexts) -> str:
    if not isinstance(carry, dict) or not all(isinstance(key, str) for key in carry):
        return json.dumps(carry)
    pairs = []
    for key, value in carry.items():
        if key == "held_doses":
            pairs.append((key, _dose_map(value, shared)))
        elif key == "growth_trails" and isinstance(value, dict) and all(isinstance(k, str) for k in value):
            trails = [
                (slug, "[" + ", ".join(shared.of(dose) for dose in trail) + "]")
                if isinstance(trail, list | tuple)
                else (slug, json.dumps(trail))
                for slug, trail in value.items()
            ]
            pairs.append((key, _object(trails)))
        else:
            pairs.append((key, json.dumps(value)))
    return _object(pairs)


def decisions_insert(rows: Sequence[ProgressionDecision]) -> None:
    """Insert the decisions (as rehab.bulk_sql.insert_rows does: auto_now_add set, no signals) and set
    their primary keys, the JSON of their shared doses written once."""
    if not rows:
        return
    meta = ProgressionDecision._meta
    pk = meta.pk
    assert pk is not None
    fields = [field for field in meta.concrete_fields if field is not pk]
    shared = SharedTexts()
    columns: list[list[Any]] = []
    for field in fields:
        values = [field.pre_save(row, add=True) for row in rows]
        if field.get_internal_type() == "JSONField" and any(value is None for value in values):
            columns.append([field.get_db_prep_save(value, connection) for value in values])  # SQL NULL, as a save
        elif field.name in _DOSE_MAPS:
            columns.append([_dose_map(value, shared) for value in values])
        elif field.name == "carry":
            columns.append([_carry(value, shared) for value in values])
        elif field.get_internal_type() == "JSONField":
            columns.append([json.dumps(value) for value in values])
        else:
            columns.append([field.get_db_prep_save(value, connection) for value in values])
    returned = insert_values(ProgressionDecision, [field.name for field in fields], columns, returning=True)
    for row, (key,) in zip(rows, returned, strict=True):
        setattr(row, pk.attname, key)
        row._state.adding = False
        row._state.db = connection.alias

"""The check-in lane's reading of the common, well-formed body, without running the serializer.

A phone logging a session sends the same few fields every time: the date as YYYY-MM-DD, the pains and
the effort as whole numbers, perhaps notes and the plan's id. For exactly those, `plain_fields` returns
what CheckInSerializer's validation returns (the lane's items are read by its own item reader); for
anything else, even a value the serializer would accept (another date form, "3" for 3, a field it
would ignore, the effort on another scale, pain regions), it returns None and the lane asks the
serializer itself, so a body is never accepted that the serializer refuses and never read otherwise.
Each bound below is the serializer's own (tests/rehab/test_checkin_plain_body.py compares the two on
generated bodies).
"""

import re
from datetime import date
from functools import cache

from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework.fields import IntegerField

from rehab.api.checkins import CheckInSerializer
from rehab.models import CheckInKind

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: int() reads others too
# What the notes' CharField refuses (NUL and lone surrogates) or may read otherwise: left to it.
_NOT_PLAIN_TEXT = re.compile("[\x00\ud800-\udfff]")
MAX_ID = 10**18 - 1
WHOLE_NUMBERS = ("pain_during", "pain_after", "pain_next_morning", "session_rpe")
REQUIRED = frozenset({"date", "pain_during", "pain_after"})
READ_HERE = frozenset({*WHOLE_NUMBERS, "date", "notes", "kind", "plan"})


def plain_fields(payload: dict) -> dict | None:
    """CheckInSerializer's validated data for `payload` (its items aside), or None: not sure."""
    if not (REQUIRED <= payload.keys() <= READ_HERE):
        return None
    day = payload["date"]
    if type(day) is not str or not _ISO_DAY.fullmatch(day):
        return None
    try:
        data: dict = {"date": date.fromisoformat(day)}
    except ValueError:
        return None
    bounds = _bounds()
    for name in WHOLE_NUMBERS:
        if name not in payload:
            continue
        value = payload[name]
        low, high, nullable = bounds[name]
        if value is None and nullable:
            data[name] = None
        elif type(value) is int and low <= value <= high:
            data[name] = value
        else:
            return None
    if "notes" in payload:
        notes = payload["notes"]
        if type(notes) is not str or _NOT_PLAIN_TEXT.search(notes):
            return None
        notes = notes.strip()
        if len(notes) > bounds["notes"]:
            return None
        data["notes"] = notes
    kind = payload.get("kind", CheckInKind.SESSION.value)
    if kind != CheckInKind.SESSION or type(kind) is not str:
        return None
    data["kind"] = CheckInKind.SESSION.value
    if "plan" in payload:
        plan = payload["plan"]
        if type(plan) is not int or not 0 <= plan <= MAX_ID:
            return None
        data["plan_id"] = plan
    return data


@cache
def _bounds() -> dict:
    """Each whole-number field's (lowest, highest, null allowed) and the notes' longest, read from the
    serializer's own fields, so a change there changes this reading too."""
    fields = CheckInSerializer().fields
    bounds: dict = {}
    for name in WHOLE_NUMBERS:
        field = fields[name]
        only_bounds = all(isinstance(check, MinValueValidator | MaxValueValidator) for check in field.validators)
        if type(field) is IntegerField and only_bounds and None not in (field.min_value, field.max_value):
            bounds[name] = (field.min_value, field.max_value, field.allow_null)
        else:
            bounds[name] = (1, 0, False)  # a check of its own: every value goes to the serializer
    bounds["notes"] = fields["notes"].max_length
    return bounds

"""Ids from the client: record ids in URLs, query strings and bodies, and the Idempotency-Key header.

A record id is 1 to 18 digits, so it always fits a 64-bit column. A value that cannot be an id never
reaches a query (SQLite refuses integers past 64 bits with an OverflowError, which would be a 500):
in a path it is a 404 like any record the user may not see, in a query parameter or a body a 400
naming the field.
"""

import re

from django.utils.translation import gettext
from rest_framework import serializers

ID_PATTERN = "[0-9]{1,18}"
MAX_ID = 10**18 - 1
# How the schema documents an id in a path (SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"]).
ID_SCHEMA = {"type": "integer", "minimum": 0, "maximum": MAX_ID}


class IdConverter:
    """`<id:name>` in a URL pattern: a record id (Django's `int` takes any number of digits)."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


def is_id(value) -> bool:
    """Whether `value` (a string or an int) can be a record id."""
    return re.fullmatch(ID_PATTERN, str(value)) is not None


def id_query_param(request, name: str) -> int | None:
    """The id in query parameter `name`, or None when it is absent or empty; 400 naming it otherwise."""
    value = request.query_params.get(name)
    if not value:
        return None
    if not is_id(value):
        raise serializers.ValidationError({name: [gettext("Must be an id: a whole number of at most 18 digits.")]})
    return int(value)


IDEMPOTENCY_KEY_PATTERN = "[\\x21-\\x7e]{1,100}"


def idempotency_key(request) -> str | None:
    """The request's Idempotency-Key: 1 to 100 visible ASCII characters (a NUL byte would not even
    store on PostgreSQL); None when absent; 400 naming the header otherwise."""
    key = request.headers.get("Idempotency-Key")
    if not key:
        return None
    if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
        raise serializers.ValidationError(
            {"Idempotency-Key": [gettext("At most 100 visible ASCII characters (letters, digits, punctuation).")]}
        )
    return key

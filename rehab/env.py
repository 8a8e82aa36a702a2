"""Tiny, strict readers for environment variables.

Strict on purpose: a typo such as DEBUG=flase must stop the start-up, not silently
run production with debugging on.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    # An empty variable means "not set": CI files often export NAME= to clear a value.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name) or default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_prepare_threshold(raw: str) -> int | None:
    """DATABASE_PREPARE_THRESHOLD: runs of a statement before psycopg prepares it (0: at once); "off": never."""
    if raw.strip().lower() == "off":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ImproperlyConfigured(f"DATABASE_PREPARE_THRESHOLD must be a whole number or off, not {raw!r}.")
    return value

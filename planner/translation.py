"""The seam through which the planner's wording is translated, without importing Django.

The planner writes English. Its patient-facing sentences call gettext()/ngettext() from here on
literal strings, so `manage.py makemessages` extracts them into the same catalogue as the pages. The
Django layer installs Django's own functions at start-up (rehab.apps.RehabConfig.ready): a page, PDF or
message rendered under `translation.override(code)` then reads the planner's words in that language.
Without the Django layer (planner tests, scripts) the functions leave the English as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar


def _same(message: str) -> str:
    return message


def _same_plural(singular: str, plural: str, number: int) -> str:
    return singular if number == 1 else plural


def _same_in_context(context: str, message: str) -> str:
    return message


def _point() -> str:
    return "."


def _english_name(slug: str, english: str) -> str:
    return english


_gettext: Callable[[str], str] = _same
_ngettext: Callable[[str, str, int], str] = _same_plural
_pgettext: Callable[[str, str], str] = _same_in_context
_decimal_separator: Callable[[], str] = _point
_exercise_name: Callable[[str, str], str] = _english_name
# Translations already looked up, while one language is sure to stay active (`remembered`).
_remembered: ContextVar[MutableMapping[object, str] | None] = ContextVar("planner_translations", default=None)


def install(
    *,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
    pgettext: Callable[[str, str], str],
    decimal_separator: Callable[[], str] = _point,
    exercise_name: Callable[[str, str], str] = _english_name,
) -> None:
    """Route the planner's wording through these functions (the Django layer's, at start-up).
    `exercise_name(slug, english)` names a library exercise in the active language (its translation rows)."""
    global _gettext, _ngettext, _pgettext, _decimal_separator, _exercise_name
    _gettext, _ngettext, _pgettext, _decimal_separator = gettext, ngettext, pgettext, decimal_separator
    _exercise_name = exercise_name


def exercise_name(slug: str, english: str) -> str:
    """The library exercise `slug` (called `english` in English) named in the active language."""
    return _exercise_name(slug, english)


def number(value: float, decimals: int | None = None) -> str:
    """`value` as the active language writes it: 2.5 in English, 2,5 in Spanish. With `decimals`, that
    many digits after the separator; without, as few as it takes (2, 2.5, 0.25)."""
    text = f"{value:g}" if decimals is None else f"{value:.{decimals}f}"
    return text.replace(".", _decimal_separator())


@contextmanager
def remembered(memory: MutableMapping[object, str]) -> Iterator[None]:
    """Within, each message is looked up once and then read from `memory`.

    A plan booklet asks for some 1,500 translations of a few hundred messages, and each lookup in
    Django's catalogue costs microseconds (the active language is a context-local read). The caller
    keeps one `memory` per language and must not switch language inside (rehab.i18n.words_remembered
    keeps it on Django's own translation object, which is replaced whenever the catalogues are).
    """
    token = _remembered.set(memory)
    try:
        yield
    finally:
        _remembered.reset(token)


def gettext(message: str) -> str:
    """`message` in the active language (English when nothing is installed)."""
    memory = _remembered.get()
    if memory is None:
        return _gettext(message)
    words = memory.get(message)
    if words is None:
        words = memory[message] = _gettext(message)
    return words


def ngettext(singular: str, plural: str, number: int) -> str:
    """The singular or plural form for `number`, in the active language."""
    memory = _remembered.get()
    if memory is None:
        return _ngettext(singular, plural, number)
    key = (singular, plural, number)
    words = memory.get(key)
    if words is None:
        words = memory[key] = _ngettext(singular, plural, number)
    return words


def pgettext(context: str, message: str) -> str:
    """`message` in the active language, told apart from the same English used elsewhere by `context`
    (a month's "May" is not Django's full month name "May")."""
    memory = _remembered.get()
    if memory is None:
        return _pgettext(context, message)
    key = (context, message)
    words = memory.get(key)
    if words is None:
        words = memory[key] = _pgettext(context, message)
    return words


def gettext_noop(message: str) -> str:
    """Marks a literal for extraction only: data kept in English and translated where it is shown."""
    return message


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular and plural pair for extraction only (rehab's makemessages knows the keyword):
    a sentence stored in English whose count picks its form where it is shown."""
    return singular, plural

"""A sentence of the weekly decision as data: a catalogue template and the values that fill it.

The decision writes its reasons and each item's change in English, and the stored rows keep that
English as their audit text. Beside it they keep the sentence as a template marked for the catalogue
(gettext_noop / ngettext_noop, so `makemessages` extracts it) with named values, so that a page, the
clinician's report or the triage list can say it in the reader's language: numbers with the reader's
decimal separator, measure, unit and variable names in the reader's words, counts with their plural.
A row stored before (no template beside its text) reads in its stored English (text_of).

The values, as stored (JSON):
    3, 2.5              a number as the language writes it: a whole one bare, else to one decimal
    {"n": 2.0, "d": 1}  a number with a fixed number of decimals ("2.0")
    "2026-11-03"        a literal kept as it is (a date, a name)
    {"w": "sets"}       a word of the catalogue (a measure's or a variable's name, a unit)
    {"s": {...}}        a sentence of its own (a change inside "Regress: ...")
    {"j": [...], "by": "; "}  values joined (the red flags of one check-in)
    {"x": "slug", "e": "Flat walking"}  a library exercise, named in the reader's language
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner import translation

Value = Any  # int | float | str | Fixed | Word | Said | Joined (a recursive union mypy reads poorly)


@dataclass(frozen=True)
class Fixed:
    """A number always written with `decimals` digits after the separator (a mean pain of "2.0")."""

    value: float
    decimals: int


@dataclass(frozen=True)
class Word:
    """A catalogue word: the English msgid, said in the reader's language."""

    english: str


@dataclass(frozen=True)
class ExerciseName:
    """A library exercise in a sentence: `english` in the audit's English, its translated name (the
    exercise library's rows for the reader's language) where it is said."""

    slug: str
    english: str


@dataclass(frozen=True)
class Joined:
    values: tuple[Value, ...]
    by: str


@dataclass(frozen=True)
class Said:
    """One sentence: `template` (with `plural`, the count being the value named "count") filled with `values`."""

    template: str
    values: tuple[tuple[str, Value], ...] = ()
    plural: str = ""

    def english(self) -> str:
        """The sentence as the audit keeps it, whatever language is active."""
        return _render(self, _ENGLISH)

    def text(self) -> str:
        """The sentence in the active language (English where the catalogue has no translation of it)."""
        return _render(self, _ACTIVE)

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"t": self.template, "v": {name: _value_data(v) for name, v in self.values}}
        if self.plural:
            data["p"] = self.plural
        return data


def said(template: str, /, **values: Value) -> Said:
    return Said(template, tuple(values.items()))


def said_from_data(data: Mapping[str, Any]) -> Said:
    return Said(data["t"], tuple((name, _value_back(v)) for name, v in data.get("v", {}).items()), data.get("p", ""))


def text_of(entry: Mapping[str, Any]) -> str:
    """A stored reason's or change's words in the active language: from its template when it kept one,
    else its stored English. A template the catalogue does not know reads in English, filled the same way."""
    stored = str(entry.get("text", ""))
    data = entry.get("said")
    if not data:
        return stored
    try:
        return said_from_data(data).text()
    except (KeyError, TypeError, ValueError):
        # A template whose named values do not fit it (a translation that names another value) must not
        # take the page down: the stored English says the same.
        return stored


@dataclass(frozen=True)
class _Language:
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    number: Callable[[float, int | None], str]
    exercise: Callable[[str, str], str]


def _english_number(value: float, decimals: int | None = None) -> str:
    return f"{value:g}" if decimals is None else f"{float(value):.{decimals}f}"


_ENGLISH = _Language(lambda m: m, lambda s, p, n: s if n == 1 else p, _english_number, lambda slug, name: name)


def _active_number(value: float, decimals: int | None = None) -> str:
    return translation.number(value, decimals)


# Looked up at each call: the Django layer installs its functions into planner.translation at start-up.
_ACTIVE = _Language(translation.gettext, translation.ngettext, _active_number, translation.exercise_name)


def _render(sentence: Said, language: _Language) -> str:
    values = {name: _said_value(value, language) for name, value in sentence.values}
    if sentence.plural:
        count = dict(sentence.values)["count"]
        template = language.ngettext(sentence.template, sentence.plural, int(count))
    else:
        template = language.gettext(sentence.template)
    return template % values


def _said_value(value: Value, language: _Language) -> str:
    if isinstance(value, bool):
        raise TypeError("a sentence takes no yes/no value")
    if isinstance(value, int | float):
        # As planner.progression.outcome.number_text writes it: "3", "2.5" (one decimal at most).
        return language.number(value, 0 if float(value).is_integer() else 1)
    if isinstance(value, Fixed):
        return language.number(value.value, value.decimals)
    if isinstance(value, Word):
        return language.gettext(value.english)
    if isinstance(value, ExerciseName):
        return language.exercise(value.slug, value.english)
    if isinstance(value, Said):
        return _render(value, language)
    if isinstance(value, Joined):
        return value.by.join(_said_value(v, language) for v in value.values)
    return str(value)


def _value_data(value: Value) -> Any:
    if isinstance(value, Fixed):
        return {"n": value.value, "d": value.decimals}
    if isinstance(value, Word):
        return {"w": value.english}
    if isinstance(value, ExerciseName):
        return {"x": value.slug, "e": value.english}
    if isinstance(value, Said):
        return {"s": value.as_data()}
    if isinstance(value, Joined):
        return {"j": [_value_data(v) for v in value.values], "by": value.by}
    return value


def _value_back(data: Any) -> Value:
    if not isinstance(data, dict):
        return data
    if "n" in data:
        return Fixed(data["n"], data["d"])
    if "w" in data:
        return Word(data["w"])
    if "x" in data:
        return ExerciseName(data["x"], data["e"])
    if "s" in data:
        return said_from_data(data["s"])
    return Joined(tuple(_value_back(v) for v in data["j"]), data["by"])


def words(values: Sequence[str]) -> tuple[Word, ...]:
    return tuple(Word(v) for v in values)

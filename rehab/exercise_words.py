"""An exercise's name and instructions in the reader's language, else in English.

The pages, the API and the PDFs ask here for what a library exercise is called and how it is done:
`exercise_words(slug, name, instructions)` gives the words of the active language (a patient's page
and PDF run under their language, an API call under its caller's), or of `language` when given; an
exercise with no translation row in that language keeps the English it was given. The translations
are rows (ExerciseTranslation: the shipped library's from locale/<code>/exercises.json, a clinic's
own added in the admin), read once per language per process and read again after the library changes
(the version rehab.clinical keeps in the shared cache).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from planner.types import Instructions
from rehab import selectors
from rehab.clinical import library_version


@dataclass(frozen=True)
class ExerciseWords:
    """What an exercise is called and how it is done, in one language."""

    name: str
    instructions: Instructions | None


_loaded: dict[str, tuple[str, dict[str, ExerciseWords]]] = {}


def _translations(language: str) -> dict[str, ExerciseWords]:
    version = library_version()
    kept = _loaded.get(language)
    if kept is not None and kept[0] == version:
        return kept[1]
    words = {
        slug: ExerciseWords(row["name"], Instructions(row["setup"], row["movement"], row["feel"], row["mistakes"]))
        for slug, row in selectors.exercise_translations(language).items()
    }
    _loaded[language] = (version, words)
    return words


def exercise_words(
    slug: str, name: str, instructions: Instructions | None = None, language: str | None = None
) -> ExerciseWords:
    """The exercise `slug` in `language` (default: the active one); its English `name` and
    `instructions` when that language is English or has no translation of it."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return ExerciseWords(name, instructions)
    found = _translations(language).get(slug)
    if found is None:
        return ExerciseWords(name, instructions)
    return found


def exercise_name(slug: str, name: str, language: str | None = None) -> str:
    """Only the name (lists, the log form, weekly changes)."""
    return exercise_words(slug, name, None, language).name

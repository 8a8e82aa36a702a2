"""The exercise library in the reader's language: every shipped exercise has its Spanish, the pages
and the API read it, and an exercise without a translation keeps its English."""

import json
from pathlib import Path

from django.conf import settings
from django.utils import translation

from planner.types import Instructions
from rehab.exercise_library import TRANSLATED_FIELDS, library_translations
from rehab.exercise_words import exercise_name, exercise_words
from rehab.models import Exercise, ExerciseTranslation
from tests.conftest import client_for

LIBRARY = json.loads((Path(settings.BASE_DIR) / "planner" / "data" / "exercises.json").read_text(encoding="utf-8"))
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def test_every_shipped_exercise_has_every_word_in_every_shipped_language():
    translations = library_translations()
    assert sorted(translations) == sorted(SHIPPED)
    for language, entries in translations.items():
        assert list(entries) == [entry["slug"] for entry in LIBRARY], language
        for slug, words in entries.items():
            assert set(words) == set(TRANSLATED_FIELDS), slug
            assert all(text.strip() for text in words.values()), slug


def test_the_library_sync_stores_a_translation_row_for_each_shipped_exercise(db):
    assert ExerciseTranslation.objects.filter(language="es").count() == len(LIBRARY)


def test_a_reader_in_spanish_gets_the_spanish_name_and_instructions(db):
    walking = Exercise.objects.get(slug="flat-walking")
    english = Instructions(walking.setup, walking.movement, walking.feel, walking.mistakes)
    with translation.override("es"):
        words = exercise_words("flat-walking", walking.name, english)
    assert words.name == "Caminar por terreno llano"
    assert words.instructions.setup.startswith("Elija un recorrido llano")
    assert exercise_words("flat-walking", walking.name, english, language="en").name == "Walking on flat ground"


def test_an_exercise_without_a_translation_keeps_its_english(db):
    own = Exercise.objects.get(slug="flat-walking")
    own.pk, own.slug, own.name = None, "clinic-corridor-walk", "Corridor walk"
    own.save()
    with translation.override("es"):
        assert exercise_name("clinic-corridor-walk", "Corridor walk") == "Corridor walk"
    ExerciseTranslation.objects.create(
        exercise=own, language="es", name="Paseo por el pasillo", setup="a", movement="b", feel="c", mistakes="d"
    )
    with translation.override("es"):  # a new row is read at once: the library changed
        assert exercise_name("clinic-corridor-walk", "Corridor walk") == "Paseo por el pasillo"


def test_the_api_answers_the_library_in_the_callers_language(world):
    client = client_for(world.physio)
    spanish = client.get("/api/v1/exercises/flat-walking/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["name"] == "Caminar por terreno llano"
    assert spanish["instructions"]["mistakes"].startswith("No mire todo el rato a sus pies")
    english = client.get("/api/v1/exercises/flat-walking/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"] == "Walking on flat ground"

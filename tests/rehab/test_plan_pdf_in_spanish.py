"""A patient whose language is Spanish downloads a plan PDF in Spanish: cover, dose tables, stop rules,
red flags, exercise pages and diary; an English-speaking patient's PDF stays in English."""

import io
from datetime import date

import time_machine
from pypdf import PdfReader

from rehab.models import Patient
from tests import builders
from tests.conftest import client_for

NOW = "2026-11-04 10:00"  # a Wednesday, day 3 of a plan that starts on Monday 2 November
START = date(2026, 11, 2)

SPANISH = [
    "Su plan de ejercicio",  # cover
    "En este cuaderno",
    "Sus límites de seguridad",
    "Impreso el",
    "Cómo se siente",  # the effort scale
    "Qué evitar, y por qué",
    "Pare y llámenos si...",  # stop rules and red flags
    "Deje de hacer ejercicio y actúe enseguida si nota cualquiera de estas cosas:",
    "Dolor u opresión en el pecho",
    "llame a una ambulancia",
    "Semana a semana",  # the dose tables
    "Su primera semana: semana 1 de",
    "Qué cambia",
    "Primera semana",
    "Sus ejercicios",
    "Cómo puntuar",  # the diary
    "Diario, semana 1",
    "Página 1 de",
    "Este plan apoya, y no sustituye, el criterio del fisioterapeuta",  # the notice
    "Después de la semana que viene, mientras se sienta bien",  # how an exercise grows
    "Inicio Después",  # the labels over an exercise's two poses
]
ENGLISH = [
    "Your exercise plan",
    "In this booklet",
    "Your safety limits",
    "Printed on",
    "How it feels",
    "What to avoid, and why",
    "Stop and call us if",
    "Stop exercising and act at once",
    "Chest pain or pressure",
    "call an ambulance",
    "Week by week",
    "Your first week",
    "What is new",
    "First week",
    "Your exercises",
    "How to score",
    "Diary, week",
    "Page 1 of",
    "On a bad day",
    "Questions? Call",
    "This plan supports",
    "After next week",
    "Start Then",
]


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # A phrase may wrap between lines or table cells: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _plan_pdf(world, language: str) -> str:
    Patient.objects.filter(pk=world.patient.pk).update(language=language)
    world.patient.refresh_from_db()
    with time_machine.travel(NOW, tick=False):
        plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
        return _text(client_for(world.patient_user).get(f"/api/v1/plans/{plan.pk}/pdf/"))


def test_a_spanish_patients_plan_pdf_is_in_spanish(world):
    text = _plan_pdf(world, "es")

    assert [p for p in SPANISH if p not in text] == []
    assert [p for p in ENGLISH if p in text] == []


def test_an_english_patients_plan_pdf_stays_in_english(world):
    text = _plan_pdf(world, "en")

    assert [p for p in ENGLISH if p not in text] == []
    assert [p for p in SPANISH if p in text] == []


def test_no_diary_header_word_is_split_across_lines(world):
    """The diary's narrow columns once printed "mornin g"; each header word now fits its column."""
    english, spanish = _plan_pdf(world, "en"), _plan_pdf(world, "es")

    assert "Pain next morning (0-10)" in english
    assert "mornin g" not in english
    assert "Dolor a la mañana siguiente (0-10)" in spanish


def test_every_body_region_the_safety_page_can_name_reads_in_spanish():
    """The avoid lines name regions as whole phrases ("su rodilla izquierda"), none left in English."""
    from django.utils import translation

    from planner.documents.wording import region_words
    from planner.vocabulary import BODY_REGIONS

    with translation.override("es"):
        spanish = {region: region_words([region]) for region in BODY_REGIONS}
        assert region_words(["knee_left"]) == "su rodilla izquierda"
        assert region_words(["knee_left", "knee_right"]) == "ambas rodillas"
        assert region_words(["sacrum", "gluteal_left"]) == "su sacro y su nalga izquierda"
    assert [r for r, words in spanish.items() if words == region_words([r]) or "your" in words] == []
    assert region_words(["knee_left", "knee_right"]) == "both knees"
    assert region_words(["upper_back"]) == "your upper back"

"""The clinician's report read by a Spanish-speaking physiotherapist is Spanish throughout its own words:
headings, table headers, the summary, the assessments' labels, statuses, the targets' "why lower" and
the clearance lines (rule ids, names and the assessment's codes stay as they are)."""

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import translation
from pypdf import PdfReader

from planner.targets import WHY_CEILINGS, WHY_GROWTH_CAP, WHY_STEP_BY_STEP, why_lower_text
from rehab.models import User
from tests import builders

START = date(2026, 11, 2)
TODAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ENGLISH_HEADINGS = (
    "Progress report",
    "Summary",
    "Assessments",
    "Limits and their rules",
    "Where twelve good weeks should get to",
    "Trends",
    "Strength and function",
    "Progression decisions",
    "Overrides",
    "About this report",
    "Report date",
    "What it says",
    "Why lower",
)


@pytest.fixture
def report_text(world, client):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    client.force_login(world.physio)
    builders.make_assessment(world.patient, by=world.physio)
    builders.make_active_plan(world.patient, world.physio, start_date=START)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(f"/api/v1/patients/{world.patient.pk}/report/pdf/")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_reports_headings_and_summary_are_spanish(report_text):
    for spanish in (
        "Informe de evolución",
        "Resumen",
        "Valoraciones",
        "Límites y sus reglas",
        "Tendencias",
        "Fuerza y función",
        "Página 1 de",
        "Aeróbico",  # the plan items' kind
        "minutos a la semana",  # a target's measure
        "Caminar",  # an exercise's name from the library's Spanish
        "Decisiones de progresión",
        "Excepciones",
        "Sobre este informe",
        "Fecha del informe",
        "Plan de 12 semanas desde el",
        "Alertas abiertas: 0 (0 urgentes). Excepciones de dosis: 0.",
        "Actividad inflamatoria: moderate",  # the assessment's own code
        "Inicio supervisado: 0 de 3 sesiones supervisadas hechas",
    ):
        assert spanish in report_text, spanish
    for english in ENGLISH_HEADINGS:
        assert english not in report_text, english
    assert "Open alerts" not in report_text
    assert "Page 1 of" not in report_text
    assert "minutes a week" not in report_text
    assert "Supervised start" not in report_text  # the limits table's names
    assert "This plan supports, and does not replace" not in report_text
    assert "Supervised start" not in report_text


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        (
            WHY_GROWTH_CAP % {"cap": "7.5", "window": 3, "weeks": 12},
            "Con el tope de progresión semanal del 7,5 % (promediado en 3 semanas) no se alcanza en 12 semanas; "
            "sigue aumentando después.",
        ),
        (
            WHY_STEP_BY_STEP % {"weeks": 8},
            "Aumenta paso a paso y no se alcanza en 8 semanas; sigue aumentando después.",
        ),
        (WHY_CEILINGS, "Los límites y los techos de dosis lo detienen más abajo en este paciente."),
        ("A reason an older release wrote.", "A reason an older release wrote."),
    ],
)
def test_why_a_target_stays_lower_is_said_in_the_readers_language(english, spanish):
    with translation.override("es"):
        assert why_lower_text(english) == spanish
    assert why_lower_text(english) == english

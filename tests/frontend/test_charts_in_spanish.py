"""Progress charts and measures in the reader's language: the staff patient page's chart titles,
legends, axis dates and numbers, and the measure labels the progress API gives, read in Spanish for a
Spanish reader; the measure names stay one list with the planner's (rehab.measure_words)."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import translation

from frontend.charts import Series, line_chart_svg
from planner.documents.charts import adherence_chart, measure_charts
from planner.documents.inputs import MeasureEntry, WeekAdherence
from planner.vocabulary import MEASURES
from rehab.measure_words import MEASURE_LABELS, MEASURE_UNIT_WORDS
from rehab.models import Measurement, User
from rehab.services.checkins import checkin_record
from tests import builders

START = date(2026, 11, 2)


def test_every_measure_the_planner_names_is_marked_for_translation():
    assert {m.code: m.label for m in MEASURES} == MEASURE_LABELS
    assert {m.unit for m in MEASURES} - {"kg", "s", "m", "U/L", "0-10"} == set(MEASURE_UNIT_WORDS)


def test_a_measure_chart_and_the_adherence_bars_are_titled_in_the_active_language():
    points = [MeasureEntry("mmt8_total", date(2026, 11, 4), 64.0)]
    weeks = [WeekAdherence(1, 3, 2)]
    assert measure_charts(points)[0].title == "MMT-8 total (unilateral) (points, higher is better)"
    with translation.override("es"):
        chart = measure_charts(points)[0]
        bars = adherence_chart(weeks)
    assert chart.title == "MMT-8 total (unilateral) (puntos, más es mejor)"
    assert chart.y_label == "puntos"
    assert (bars.title, bars.categories, [s.label for s in bars.series]) == (
        "Sesiones previstas y hechas, por semana",
        ("S1",),
        ["Previstas", "Hechas"],
    )


def test_an_svg_chart_writes_its_dates_numbers_and_description_as_the_language_does():
    series = [Series("Grip", ((date(2026, 11, 4), 21.5), (date(2026, 12, 2), 22.5)))]
    with translation.override("es"):
        svg = line_chart_svg("Prensión", series, y_min=20, y_max=22.5)
        empty = line_chart_svg("Prensión", [], y_min=0, y_max=1)
    assert ">4 Nov<" in svg or ">4 nov<" in svg
    assert ">20.5<" not in svg
    assert ">20,5<" in svg
    assert "Grip: 2 valores, el último 22,5, de 21,5 a 22,5" in svg
    assert "values" not in svg
    assert "latest" not in svg
    assert "Prensión: todavía sin datos" in empty
    assert ">Todavía sin datos<" in empty
    assert "No data yet" not in empty


@pytest.fixture
def spanish_clinician(world, client):
    User.objects.filter(pk=world.clinician.pk).update(language="es")
    client.force_login(world.clinician)
    return client


@time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False)
def test_the_staff_patient_pages_charts_and_the_progress_api_read_in_spanish(world, spanish_clinician):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key="k1",
        date=date(2026, 11, 3),
        pain_during=1,
        pain_after=2,
        pain_next_morning=None,
        session_rpe=11,
    )
    Measurement.objects.create(
        patient=world.patient, kind="grip_left_kg", value=21.5, measured_on=date(2026, 11, 4), recorded_by=world.physio
    )
    page = spanish_clinician.get(f"/patients/{world.patient.pk}/").content.decode()
    for spanish in ("Fuerza de prensión, mano izquierda (kg, más es mejor)", "RPE de la sesión", "Hechas", "21,5"):
        assert spanish in page, spanish
    for english in ("higher is better", "Session RPE", ">Done<", ">Planned<", "21.5"):
        assert english not in page, english
    progress = spanish_clinician.get(f"/api/v1/plans/{plan.pk}/progress/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert [m["label"] for m in progress["measures"]] == ["Fuerza de prensión, mano izquierda"]

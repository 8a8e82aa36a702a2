"""A patient whose language is Spanish reads Today, the log form, the red-flag pages and their
reminder email in Spanish; the same pages stay English for an English-speaking patient."""

import re
from datetime import date

import pytest
import time_machine
from django.core import mail

from rehab.models import Patient
from rehab.services import reminders
from tests.builders import make_active_plan

NOW = "2026-11-04 10:00"  # a Wednesday, day 3 of a plan that starts on Monday 2 November
START = date(2026, 11, 2)


@pytest.fixture
def spanish_patient(world):
    Patient.objects.filter(pk=world.patient.pk).update(language="es")
    world.patient.refresh_from_db()
    return world.patient


@pytest.fixture
def patient_client(client, world, spanish_patient):
    with time_machine.travel(NOW, tick=False):
        make_active_plan(spanish_patient, world.physio, start_date=START)
        client.force_login(world.patient_user)
        yield client


def page(client, name: str, **kwargs) -> str:
    response = client.get(f"/{name}", **kwargs)
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    return response.content.decode()


def test_today_is_in_spanish_with_spanish_dates(patient_client):
    html = page(patient_client, "today/")
    assert "<h1>Hoy" in html
    assert "miércoles 4 de noviembre" in html
    assert "Algo va mal" in html  # the red-flag button on every page
    assert "Something is wrong" not in html
    assert "Your plan to print" not in html


def test_the_log_form_is_in_spanish(patient_client):
    html = page(patient_client, "today/log/")
    assert "Registrar su sesión" in html
    assert "¿Cuánto dolor tuvo durante los ejercicios?" in html
    assert "Guardar mi sesión" in html
    assert "Save my session" not in html


def test_the_red_flag_page_names_each_flag_and_its_advice_in_spanish(patient_client):
    html = page(patient_client, "something-wrong/")
    assert "Si se encuentra muy mal" in html
    assert "Dolor u opresión en el pecho" in html
    # The advice travels with the form for a report kept offline: it is the Spanish advice too.
    assert "Pare ahora. Si no se calma en unos minutos en reposo, llame a una ambulancia." in html
    assert "Chest pain or pressure" not in html
    assert "call an ambulance" not in html


def test_the_red_flag_advice_after_a_report_is_in_spanish(patient_client):
    with time_machine.travel(NOW, tick=False):
        response = patient_client.post(
            "/something-wrong/",
            {"red_flags": ["chest_pain"], "idempotency_key": "a7e1b7a0-9f8e-4d6c-8a51-0d5d8d1f0c11", "pain_now": "3"},
            follow=True,
        )
    assert response.redirect_chain, "the report was not recorded"
    assert response.redirect_chain[-1][0].startswith("/something-wrong/")
    html = response.content.decode()
    assert "Lo que nos ha dicho" in html
    assert "Pare ahora. Si no se calma en unos minutos en reposo, llame a una ambulancia." in html
    assert "Qué hacer ahora" in html


def test_an_english_patient_still_reads_english(client, world):
    with time_machine.travel(NOW, tick=False):
        make_active_plan(world.patient, world.physio, start_date=START)
        client.force_login(world.patient_user)
        response = client.get("/today/")
    assert response["Content-Language"] == "en"
    assert "Something is wrong" in response.content.decode()


def test_a_patient_without_a_language_reads_their_clinics(client, world):
    world.patient.clinic.language = "es"
    world.patient.clinic.save(update_fields=["language"])
    with time_machine.travel(NOW, tick=False):
        make_active_plan(world.patient, world.physio, start_date=START)
        client.force_login(world.patient_user)
        response = client.get("/today/")
    assert response["Content-Language"] == "es"


def test_the_reminder_email_is_in_spanish(spanish_patient):
    Patient.objects.filter(pk=spanish_patient.pk).update(email="ana@example.org")
    with time_machine.travel(NOW, tick=False):  # 10:00 on a Wednesday: outside the default quiet hours
        channel = reminders.reminder_send(patient_id=spanish_patient.pk, kind="session_due")
    assert channel == "email"
    message = mail.outbox[-1]
    assert message.subject == "Su plan de ejercicios"
    assert message.body.startswith(f"Hola, {spanish_patient.first_name}:")
    assert "Le toca una sesión de su plan de ejercicios." in message.body
    assert "Your exercise plan" not in message.body


def without_scripts(html: str) -> str:
    """The page less its scripts (the JavaScript catalogue holds the English originals as keys)."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S)


def test_the_log_forms_choices_labels_and_errors_are_in_spanish(patient_client):
    html = without_scripts(page(patient_client, "today/log/"))
    assert "sin dolor" in html  # the 0-10 pain words
    assert "algo duro" in html  # the Borg 6-20 words
    assert "Mis articulaciones" in html  # where it hurt
    assert "Frecuencia cardiaca media (latidos por minuto)" in html
    assert "no pain" not in html
    assert "somewhat hard" not in html
    with time_machine.travel(NOW, tick=False):
        response = patient_client.post("/today/log/", {"date": "2026-11-04", "idempotency_key": "k-1"})
    assert response.status_code == 400
    html = without_scripts(response.content.decode())
    assert "Elija cuánto dolor tuvo durante los ejercicios, de 0 a 10." in html
    assert "Choose how much pain" not in html


def test_today_says_doses_effort_and_days_in_spanish(patient_client):
    html = without_scripts(page(patient_client, "today/"))
    assert "3 veces (lun, mié, sáb)" in html
    assert "mantenimientos de 10 segundos" in html
    assert "holds of" not in html
    assert "Mon, Wed" not in html


def test_the_remaining_patient_pages_are_in_spanish(patient_client):
    assert "Siga su sesión" in page(patient_client, "today/follow/")
    assert "Sus sesiones" in page(patient_client, "history/")
    reminders = page(patient_client, "reminders/")
    assert "Guardar mis recordatorios" in reminders
    assert "Miércoles" in reminders
    assert "Sí: recuérdemelo" in reminders
    assert "Guardado en este teléfono" in page(patient_client, "today/saved/")
    assert "No tiene conexión" in page(patient_client, "offline/")


def test_the_page_carries_its_scripts_words_in_spanish(patient_client):
    html = page(patient_client, "today/follow/")
    assert '<html lang="es">' in html
    catalogue = html.split('<script id="js-catalogue" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert '"10 seconds left": "Quedan 10 segundos"' in catalogue
    assert "frontend/i18n.js" in html


def test_today_names_and_explains_each_exercise_in_spanish(patient_client):
    html = without_scripts(page(patient_client, "today/"))
    assert "Caminar por terreno llano" in html
    assert "Elija un recorrido llano y regular que conozca" in html
    assert "Walking on flat ground" not in html

"""A physiotherapist who reads Spanish sees the patient page, the plan page and the plan-generate page in
Spanish: the pages' own words, the forms' labels and help, the FITT-VP values and the dashboard's flags."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from rehab.models import User
from tests import builders

START = date(2026, 11, 2)  # a Monday; "today" is the Friday of week 3
TODAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def spanish_physio(world, client):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    client.force_login(world.physio)
    return client


@pytest.fixture
def plan(world):
    builders.make_assessment(world.patient, by=world.physio)
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


def page_text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    return response.content.decode()


def assert_spanish(html: str, spanish: list[str], english: list[str]) -> None:
    assert [words for words in spanish if words not in html] == []
    assert [words for words in english if words in html] == []


def test_the_patient_page_is_in_spanish(spanish_physio, world, plan):
    html = page_text(spanish_physio, f"/patients/{world.patient.pk}/")
    assert_spanish(
        html,
        spanish=[
            "Valoraciones",
            "Nueva valoración",
            "Medidas de fuerza y función",
            "Registrar una medida",
            "Endurecer los límites",
            "Historial del plan",
            "Registro de auditoría",
            "Zona horaria",
            "Equipo de atención",
            "Generar un borrador de plan",
            "Duración en semanas",
        ],
        english=[
            "Assessments",
            "New assessment",
            "Strength and function measures",
            "Record a measure",
            "Tighten limits",
            "Plan history",
            "Audit trail",
            "Time zone",
            "Care team",
            "Generate a draft plan",
            "Length in weeks",
            "Save the measure",
            "On this page",
        ],
    )


def test_the_plan_page_is_in_spanish(spanish_physio, world, plan):
    html = page_text(spanish_physio, f"/plans/{plan.pk}/")
    assert_spanish(
        html,
        spanish=[
            "Plan de ",
            "Semana a semana",
            "Límites y las reglas en que se basan",
            "Por qué estos valores",
            "Frecuencia",
            "Intensidad",
            "días a la semana",
            "guía o ensayo",
            "Progresión semanal de como máximo",
            'id="plan-status">Activo</span>',  # the status, the model's own label
        ],
        english=[
            "Week by week",
            "Limits and the rules behind them",
            "Why these values",
            "Frequency",
            "Limits and their rules",
            "Exercises, week",
            "min/week",
            "guideline or trial",
            "Weekly growth at most",
            'id="plan-status">Active</span>',
            "Change the dose",
            "On this page",
        ],
    )


def test_the_plan_generate_page_is_in_spanish(spanish_physio, world, plan):
    html = page_text(spanish_physio, f"/patients/{world.patient.pk}/plans/new/")
    assert_spanish(
        html,
        spanish=["Generar un plan para", "Primer día", "Duración en semanas", "Generar un borrador de plan"],
        english=["Generate a plan for", "First day", "Length in weeks", "Generate a draft plan", "Week 1 starts"],
    )
    refused = spanish_physio.post(
        f"/patients/{world.patient.pk}/plans/new/", {"start_date": "2020-01-06", "weeks": "8"}
    )
    assert refused.status_code == 400
    assert "Un plan no puede empezar hace más de cuatro semanas." in refused.content.decode()


def test_the_plan_history_and_the_access_log_say_their_entries_in_spanish(spanish_physio, world, plan):
    history = page_text(spanish_physio, f"/plans/{plan.pk}/history/")
    assert_spanish(
        history,
        spanish=["Historial del plan del", "Plan: creado", "Cuándo", "Quién"],
        english=["Plan created", "Plan changed", "Every change, newest first", "No change recorded yet"],
    )
    spanish_physio.get(f"/patients/{world.patient.pk}/")
    # The clinic's admin reads the access log, in Spanish too.
    User.objects.filter(pk=world.admin.pk).update(language="es")
    spanish_physio.force_login(world.admin)
    log = page_text(spanish_physio, "/access-log/")
    assert_spanish(
        log,
        spanish=["Registro de accesos", "Historia del paciente", "Consultado por"],
        english=["Patient record", "Read by", "Every patient"],
    )


def test_an_alert_kind_without_a_triage_label_reads_in_spanish_on_the_dashboard(spanish_physio, world, plan):
    from rehab.models import Alert, AlertKind

    Alert.objects.create(patient=world.patient, plan=plan, kind=AlertKind.LIMITS_LOOSENED, message="Review")
    html = page_text(spanish_physio, "/dashboard/")
    english = str(AlertKind.LIMITS_LOOSENED.label)
    assert english == "Reassessment allows looser limits (to review)"  # outside a Spanish request
    assert_spanish(html, [], [english])


def test_the_audit_trail_names_records_actions_and_fields_in_spanish(spanish_physio, world, plan):
    from datetime import timedelta

    from rehab.models import ActivationLink, Alert, AlertKind, PlanChange

    world.patient.phone = "+34 600 000 000"
    world.patient.save()
    PlanChange.objects.create(
        plan=plan,
        item=plan.items.first(),
        week=4,
        field="sets",
        before=2,
        after=3,
        trigger="edit",
        reason="More sets",
        by=world.physio,
        version=plan.version,
    )
    Alert.objects.create(
        patient=world.patient,
        plan=plan,
        kind=AlertKind.NO_CHECKINS,
        message="Nothing logged",
        acknowledged_at=TODAY,
        acknowledged_by=world.physio,
    )
    ActivationLink.objects.create(
        patient=world.patient,
        user=world.patient_user,
        channel="email",
        destination="helen@example.org",
        issued_by=world.physio,
        expires_at=TODAY + timedelta(days=7),
        ended_at=TODAY,
        end_reason="replaced",
    )
    html = page_text(spanish_physio, f"/patients/{world.patient.pk}/audit/")
    assert_spanish(
        html,
        spanish=[
            "Historia del paciente: modificación",  # the record, and what happened to it
            "Teléfono:",  # the field, by the patient form's label
            "→ +34 600 000 000",
            "Valoración: creación",
            f"Plan {plan.pk}: modificación",
            f"Plan {plan.pk}: cambio de dosis o de límites: Dosis modificada",  # the change's trigger
            "Series: 2 → 3",
            "Alerta: Sin registros esta semana",
            "Alerta: revisada",
            "Enlace de acceso: emitido",
            "Enviado por correo electrónico a helen@example.org",
            "Enlace de acceso: finalizado",
            "Sustituido por un enlace más reciente",
            "sistema",
        ],
        english=[
            "Patient record",
            "Phone:",
            "Assessment",
            "created",
            ": change",
            ": plan:",
            "Dose edited",
            "No check-ins this week",
            "acknowledged",
            "Sign-in link",
            "Sent by email",
            "Replaced by a newer link",
            ">system<",
        ],
    )


def test_the_audit_trail_says_recorded_choices_by_their_labels_in_spanish(spanish_physio, world, plan):
    from rehab.services.people import patient_update

    patient_update(actor=world.physio, patient=world.patient, sex="male", language="es")

    html = page_text(spanish_physio, f"/patients/{world.patient.pk}/audit/")

    assert "Sexo: Mujer → Hombre" in html  # the form's labels, not the codes
    assert "→ Español" in html
    assert "female → male" not in html

"""Why a plan changed reads in the reader's language: each reason a service gives a plan's history row
(generated, activated, a dose edited, limits changed, paused at once, resumed, emailed, made from a
template, a clearance) keeps its English for the record and its template beside it, and the fixed
reasons of a patient's record and assessments are catalogue sentences, and a patient login's creation
keeps its template too; the audit trail says them in Spanish to a Spanish reader and in English to an
English one. A person's own words read as written."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from planner.progression.said import said_from_data
from rehab.models import Plan, User
from rehab.services.assessments import assessment_create
from rehab.services.people import patient_activation_issue, patient_create
from rehab.services.plans import plan_item_update, plan_limits_adjust, plan_resume
from rehab.stored_words import stored_text
from tests import builders

TODAY = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def edited(world) -> Plan:
    """A running plan with a dose edited (the reason typed by the physiotherapist), its limits tightened
    without a reason, then paused and resumed with one."""
    plan = builders.make_active_plan(world.patient, world.physio)
    item = plan.items.get(exercise__slug="flat-walking")
    plan = plan_item_update(
        actor=world.physio, plan=plan, item=item, version=plan.version, changes={"minutes": 12}, reason=""
    )
    plan = plan_limits_adjust(
        actor=world.physio,
        plan=plan,
        version=plan.version,
        adjustments=[{"field": "aerobic.max_rpe", "value": 11}],
        reason="",
    )
    Plan.objects.filter(pk=plan.pk).update(status="paused", pause_reason="Paused by hand")
    plan.refresh_from_db()
    return plan_resume(actor=world.physio, plan=plan, version=plan.version, reason="Pain settled")


def test_every_reason_the_product_gives_a_plan_keeps_its_template_and_reads_back_as_its_english(edited):
    rows = list(edited.history.order_by("history_date", "history_id"))
    reasons = [row.history_change_reason for row in rows]
    assert reasons[0].startswith("Generated from the assessment of 2026-")
    assert "Activated" in reasons
    assert any(", from week " in reason and reason.endswith(": Dose edited") for reason in reasons), reasons
    assert any(reason.startswith("Limits changed (aerobic.max_rpe → 11)") for reason in reasons), reasons
    assert "Resumed: Pain settled" in reasons
    for row in rows:
        assert row.history_change_said, row.history_change_reason
        assert said_from_data(row.history_change_said).english() == row.history_change_reason


def test_the_reasons_read_in_spanish_with_the_persons_own_words_as_written(edited):
    with translation.override("es"):
        said = [stored_text(row.history_change_reason, row.history_change_said) for row in edited.history.all()]
    assert any(text.startswith("Generado a partir de la valoración del 2026-") for text in said), said
    assert "Activado" in said
    # The exercise by its Spanish name in the library ("flat-walking").
    assert "Caminar por terreno llano, desde la semana 2: Dosis modificada" in said, said
    assert any(text.startswith("Límites cambiados (aerobic.max_rpe → 11)") for text in said), said
    assert "Reanudado: Pain settled" in said  # what the physiotherapist typed stays as typed


def _speaking(user: User, language: str) -> User:
    User.objects.filter(pk=user.pk).update(language=language)
    user.refresh_from_db()
    return user


def test_the_audit_trail_says_plan_and_record_reasons_in_spanish(world, edited, client):
    client.force_login(_speaking(world.physio, "es"))
    html = client.get(f"/patients/{world.patient.pk}/audit/").content.decode()
    assert "Generado a partir de la valoración del" in html
    assert "Reanudado: Pain settled" in html
    assert "Dosis modificada" in html  # the PlanChange rows of the edit carry the same reason
    assert "Generated from the assessment of" not in html
    assert "Resumed:" not in html


def test_a_records_and_an_assessments_fixed_reasons_read_in_spanish(world, client):
    patient = patient_create(actor=world.physio, first_name="Rosa", last_name="Vidal", date_of_birth=date(1970, 5, 1))
    assessment_create(
        actor=world.physio,
        patient=patient,
        assessed_on=date(2026, 11, 1),
        bone_fragility="osteoporosis",
        resting_hr=70,
        inflammation_activity="low",
        cardiopulmonary_status="cleared",
        pain_at_rest=2,
    )
    patient_activation_issue(actor=world.physio, patient=patient, channel="handover")
    client.force_login(_speaking(world.physio, "es"))
    html = client.get(f"/patients/{patient.pk}/audit/").content.decode()
    assert "Paciente dado de alta" in html
    assert "Valoración registrada" in html
    assert f"Acceso del paciente creado por {world.physio.display_name}" in html
    assert "Patient registered" not in html
    assert "Patient login created by" not in html
    # The record's history keeps the English for the record, its template beside it.
    created = patient.history.filter(history_change_said__isnull=False).get()
    assert created.history_change_reason == f"Patient login created by {world.physio.display_name}"


def test_the_audit_trail_says_them_in_english_to_an_english_reader(world, edited, client):
    client.force_login(_speaking(world.physio, "en"))
    html = client.get(f"/patients/{world.patient.pk}/audit/").content.decode()
    assert "Generated from the assessment of" in html
    assert "Resumed: Pain settled" in html
    assert "Generado a partir" not in html

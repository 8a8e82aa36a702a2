"""Free text has a size limit: above it, a 400 naming the field, and nothing is stored."""

import pytest

from rehab import text_limits
from rehab.models import Alert, AlertKind, Assessment, CheckIn, Measurement, Patient
from tests import builders
from tests.builders import valid_assessment_payload
from tests.conftest import client_for


def _over(limit: int) -> str:
    return "x" * (limit + 1)


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


def test_a_record_change_reason_above_its_limit_is_refused(world):
    response = client_for(world.physio).patch(
        f"/api/v1/patients/{world.patient.pk}/",
        {"phone": "+44 5", "reason": _over(text_limits.RECORD_REASON)},
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    world.patient.refresh_from_db()
    assert world.patient.phone != "+44 5"


@pytest.mark.parametrize(
    "diagnoses",
    [[_over(text_limits.DIAGNOSIS)], [f"Diagnosis {n}" for n in range(text_limits.DIAGNOSES + 1)]],
    ids=["one too long", "too many"],
)
def test_diagnoses_above_their_limits_are_refused(world, diagnoses):
    response = client_for(world.physio).post(
        "/api/v1/patients/",
        {
            "first_name": "Ann",
            "last_name": "Long",
            "date_of_birth": "1960-01-02",
            "sex": "female",
            "diagnoses": diagnoses,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "diagnoses" in response.json()
    assert not Patient.objects.filter(last_name="Long").exists()


def test_assessment_notes_above_their_limit_are_refused(world):
    before = Assessment.objects.count()
    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/assessments/",
        valid_assessment_payload(notes=_over(text_limits.ASSESSMENT_NOTES)),
        format="json",
    )
    assert response.status_code == 400
    assert "notes" in response.json()
    assert Assessment.objects.count() == before


def test_check_in_notes_above_their_limit_are_refused(world, plan):
    response = client_for(world.patient_user).post(
        "/api/v1/checkins/",
        {"date": str(plan.start_date), "pain_during": 2, "pain_after": 3, "notes": _over(text_limits.NOTE)},
        format="json",
        HTTP_IDEMPOTENCY_KEY="long-note",
    )
    assert response.status_code == 400
    assert "notes" in response.json()
    assert not CheckIn.objects.exists()


def test_measurement_notes_above_their_limit_are_refused(world):
    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/measurements/",
        {"kind": "chair_stand_30s", "value": "9", "measured_on": "2026-11-03", "notes": _over(text_limits.REASON)},
        format="json",
    )
    assert response.status_code == 400
    assert "notes" in response.json()
    assert not Measurement.objects.exists()


def test_an_acknowledgement_note_above_its_limit_is_refused(world, plan):
    alert = Alert.objects.create(patient=world.patient, plan=plan, kind=AlertKind.PAIN_RED, message="Pain")
    response = client_for(world.clinician).post(
        f"/api/v1/alerts/{alert.pk}/acknowledge/", {"note": _over(text_limits.NOTE)}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_dose_change_reason_above_its_limit_is_refused(world, plan):
    item = plan.items.first()
    version = plan.version
    response = client_for(world.physio).patch(
        f"/api/v1/plans/{plan.pk}/items/{item.pk}/",
        {"version": plan.version, "sets": 1, "reason": _over(text_limits.REASON)},
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    plan.refresh_from_db()
    assert plan.version == version


def test_the_staff_form_refuses_too_long_assessment_notes(world, client):
    client.force_login(world.physio)
    response = client.post(
        f"/patients/{world.patient.pk}/assessments/new/",
        {
            key: value
            for key, value in valid_assessment_payload(notes=_over(text_limits.ASSESSMENT_NOTES)).items()
            if value is not None
        },
    )
    assert response.status_code == 400
    assert f"at most {text_limits.ASSESSMENT_NOTES} characters" in response.content.decode()
    assert not Assessment.objects.exists()

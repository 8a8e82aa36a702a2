"""An API refusal by role (a permission's message, the 403's detail) is in the caller's language."""

from knox.models import AuthToken
from rest_framework.test import APIClient

from rehab.models import Patient, User


def token_client(user) -> APIClient:
    _row, token = AuthToken.objects.create(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_spanish_patient_is_refused_the_caseload_in_spanish(world):
    Patient.objects.filter(pk=world.patient.pk).update(language="es")

    answer = token_client(world.patient_user).get("/api/v1/caseload/")

    assert answer.status_code == 403
    assert answer.json()["detail"] == (
        "La lista de pacientes asignados es para el personal de la clínica "
        "(fisioterapeutas, clínicos y administradores de la clínica)."
    )


def test_a_spanish_physiotherapist_is_refused_the_patients_reminders_in_spanish(world):
    User.objects.filter(pk=world.physio.pk).update(language="es")

    answer = token_client(world.physio).get("/api/v1/me/reminders/")

    assert answer.status_code == 403
    assert answer.json()["detail"] == "Los recordatorios son del propio paciente: inicie sesión como el paciente."


def test_an_english_caller_is_refused_in_english(world):
    answer = token_client(world.physio).get("/api/v1/me/reminders/")

    assert answer.status_code == 403
    assert answer.json()["detail"] == "Reminders are the patient's own: sign in as the patient."

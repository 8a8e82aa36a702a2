"""The API's error messages are in the caller's language. A patient reads the language recorded for
them (their own, else their clinic's), as on their pages; a staff member their own choice
(User.language), else the request's Accept-Language, else English."""

from knox.models import AuthToken

from rehab.models import Clinic, Patient, User
from tests.conftest import client_for

REMINDERS = {"reminders_on": True, "days": [], "time_of_day": "18:30", "quiet_start": None, "quiet_end": None}


def token_client(api, user):
    _row, token = AuthToken.objects.create(user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_a_staff_member_without_a_choice_reads_the_requests_language(world, api):
    answer = token_client(api, world.physio).post(
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "Ruiz", "date_of_birth": "2999-01-01"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert answer.status_code == 400
    assert answer["Content-Language"] == "es"
    assert answer.json()["date_of_birth"] == ["La fecha de nacimiento no puede ser futura."]


def test_a_staff_members_own_language_wins_over_the_request(world, api):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    world.physio.refresh_from_db()
    answer = token_client(api, world.physio).post(
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "Ruiz", "date_of_birth": "2999-01-01"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400
    assert answer.json()["date_of_birth"] == ["La fecha de nacimiento no puede ser futura."]


def test_without_a_choice_the_api_answers_in_english(world):
    answer = client_for(world.patient_user).put(
        "/api/v1/me/reminders/", {**REMINDERS, "next_morning": True}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["days"] == ["Choose at least one day, or turn reminders off."]


def test_an_unknown_address_under_the_api_answers_in_the_requests_language(client):
    answer = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="es")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No encontrado."}


def test_a_patients_recorded_language_is_the_apis_as_it_is_their_pages(world, api):
    Patient.objects.filter(pk=world.patient.pk).update(language="es")
    client = token_client(api, world.patient_user)
    answer = client.put(
        "/api/v1/me/reminders/", {**REMINDERS, "next_morning": True}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 400
    assert answer["Content-Language"] == "es"
    assert answer.json()["days"] == ["Elija al menos un día o desactive los recordatorios."]
    # DRF's own messages too.
    answer = client.put("/api/v1/me/reminders/", {**REMINDERS, "next_morning": "maybe"}, format="json")
    assert answer.json()["next_morning"] == ["Debe ser un booleano válido."]


def test_a_patient_without_a_recorded_language_reads_their_clinics(world, api):
    Clinic.objects.filter(pk=world.clinic.pk).update(language="es")
    answer = token_client(api, world.patient_user).put(
        "/api/v1/me/reminders/", {**REMINDERS, "next_morning": True}, format="json"
    )
    assert answer.json()["days"] == ["Elija al menos un día o desactive los recordatorios."]

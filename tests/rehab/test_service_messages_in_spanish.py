"""What a service refuses reaches the API client in the client's language: a field's 400, a role's 403,
a state's 409 and the clearance a plan waits for (its rules in the reader's words too). The language
is the caller's own choice, else their Accept-Language (rehab.i18n)."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from rehab.models import Plan, User
from rehab.services.errors import InvalidInput, NoClinic
from rehab.services.people import activation_redeem, patient_activation_hand_over
from tests import builders
from tests.conftest import client_for
from tests.rehab.test_api_languages import token_client

PLANS = "/api/v1/plans/"
START = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _first_week_of_the_plan():
    with time_machine.travel("2026-11-03 09:00", tick=True):
        yield


def _generate(user, patient, **headers):
    body = {"patient": patient.pk, "start_date": START.isoformat(), "weeks": 12}
    return client_for(user).post(PLANS, body, format="json", **headers)


def _draft(world, **assessment) -> Plan:
    builders.make_assessment(world.patient, by=world.physio, **assessment)
    response = _generate(world.physio, world.patient)
    assert response.status_code == 201, response.content
    return Plan.objects.get(pk=response.json()["id"])


def test_a_plan_without_an_assessment_is_refused_in_the_requests_language(world):
    answer = _generate(world.physio, world.patient, HTTP_ACCEPT_LANGUAGE="es")

    assert answer.status_code == 400
    assert answer.json()["patient"] == [
        "Registre primero una valoración: los límites de carga se calculan a partir de ella."
    ]
    english = _generate(world.physio, world.patient, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["patient"] == ["Record an assessment first: the load limits are computed from it."]


def test_a_conflict_names_the_plans_state_in_the_staff_members_own_language(world, api):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    world.physio.refresh_from_db()
    plan = _draft(world, inflammation_activity="inactive")
    client = token_client(api, world.physio)  # a real token: the login's language is read with it
    assert client.post(f"{PLANS}{plan.pk}/activate/", {"version": plan.version}, format="json").status_code == 200
    plan.refresh_from_db()

    again = client.post(
        f"{PLANS}{plan.pk}/activate/", {"version": plan.version}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    stale = client.post(f"{PLANS}{plan.pk}/activate/", {"version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert again.status_code == stale.status_code == 409
    assert again.json()["detail"] == "Solo se puede activar un borrador; este plan está en estado «activo»."
    assert stale.json()["detail"] == (
        f"El plan ha cambiado desde que lo cargó (su versión 1, ahora {plan.version}). "
        "Vuelva a cargarlo e inténtelo de nuevo."
    )


def test_the_clearance_a_draft_waits_for_is_said_with_its_rule_in_the_readers_words(world):
    plan = _draft(world, inflammation_activity="high")

    answer = client_for(world.physio).post(
        f"{PLANS}{plan.pk}/activate/", {"version": plan.version}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert answer.status_code == 409
    detail = answer.json()["detail"]
    assert detail.startswith("Un médico debe registrar la autorización médica antes de que este plan pueda empezar.")
    assert "Con inflamación muy activa, un clínico autoriza médicamente el plan" in detail
    assert "(clearance.inflammation_high)" in detail  # the rule's id stays as it is
    assert "With highly active inflammation" not in detail


def test_a_role_refusal_reaches_the_client_in_its_language(world):
    plan = _draft(world)

    answer = client_for(world.clinician).post(
        f"{PLANS}{plan.pk}/activate/", {"version": plan.version}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert answer.status_code == 403
    assert answer.json()["detail"] == "Su función no permite cambiar planes."


def test_a_wrong_date_of_birth_tells_the_patient_in_their_language_how_many_tries_are_left(world):
    patient = builders.make_patient(world.clinic, care_team=[world.physio])
    _link, token = patient_activation_hand_over(actor=world.physio, patient=patient)

    with translation.override("es"), pytest.raises(InvalidInput) as refused:
        activation_redeem(token=token, date_of_birth=date(1900, 1, 1), password="a long enough passphrase 7")

    (message,) = refused.value.errors["date_of_birth"]
    assert message.startswith("Esta fecha de nacimiento no coincide con nuestros registros. Le quedan ")
    assert message.endswith(" intentos antes de que este enlace deje de funcionar.")


def test_a_staff_account_without_a_clinic_is_told_so_in_the_active_language():
    with translation.override("es"):
        assert str(NoClinic()) == (
            "Esta cuenta de personal no pertenece a ningún centro. Pida a un administrador que le asigne su centro."
        )
    assert str(NoClinic()).startswith("This staff account belongs to no clinic.")

"""Every patient endpoint, for each role x (own care team / other care team / other clinic).

The rule: patients see only themselves; physiotherapists and clinicians only the patients
whose care team they are on, in their clinic; a clinic admin sees its clinic's patient list
but no clinical data; nothing crosses clinics; the unseen is a 404.
"""

import pytest

from rehab.models import Assessment, Patient
from tests.builders import valid_assessment_payload
from tests.conftest import client_for

OWN, OTHER_TEAM, OTHER_CLINIC = "own", "other_team", "other_clinic"

# (actor, target) -> expected status, per endpoint. Every target already has an activated
# login, so a visible activation request is refused with 400 ("already set a password").
ENDPOINTS = {
    "retrieve": ("get", "/api/v1/patients/{id}/", None),
    "update": ("patch", "/api/v1/patients/{id}/", {"phone": "+44 1", "reason": "new number"}),
    "assessments_list": ("get", "/api/v1/patients/{id}/assessments/", None),
    "assessments_create": ("post", "/api/v1/patients/{id}/assessments/", valid_assessment_payload()),
    "activation": ("post", "/api/v1/patients/{id}/activation/", None),
    "audit": ("get", "/api/v1/patients/{id}/audit/", None),
}

EXPECTED = {
    "physio": {
        OWN: {
            "retrieve": 200,
            "update": 200,
            "assessments_list": 200,
            "assessments_create": 201,
            "activation": 400,
            "audit": 200,
        },
        OTHER_TEAM: dict.fromkeys(ENDPOINTS, 404),
        OTHER_CLINIC: dict.fromkeys(ENDPOINTS, 404),
    },
    "clinician": {
        OWN: {
            "retrieve": 200,
            "update": 200,
            "assessments_list": 200,
            "assessments_create": 201,
            "activation": 400,
            "audit": 200,
        },
        OTHER_TEAM: dict.fromkeys(ENDPOINTS, 404),
        OTHER_CLINIC: dict.fromkeys(ENDPOINTS, 404),
    },
    "admin": {
        # The admin manages records and care teams of the clinic, but reads no clinical data.
        OWN: {
            "retrieve": 200,
            "update": 200,
            "assessments_list": 404,
            "assessments_create": 404,
            "activation": 400,
            "audit": 404,
        },
        OTHER_TEAM: {
            "retrieve": 200,
            "update": 200,
            "assessments_list": 404,
            "assessments_create": 404,
            "activation": 400,
            "audit": 404,
        },
        OTHER_CLINIC: dict.fromkeys(ENDPOINTS, 404),
    },
    "patient_user": {
        # Own record: read it, change nothing.
        OWN: {
            "retrieve": 200,
            "update": 403,
            "assessments_list": 200,
            "assessments_create": 403,
            "activation": 403,
            "audit": 200,
        },
        OTHER_TEAM: dict.fromkeys(ENDPOINTS, 404),
        OTHER_CLINIC: dict.fromkeys(ENDPOINTS, 404),
    },
}

TARGETS = {OWN: "patient", OTHER_TEAM: "other_patient", OTHER_CLINIC: "foreign_patient"}

CASES = [
    (actor, relation, endpoint)
    for actor, by_relation in EXPECTED.items()
    for relation, by_endpoint in by_relation.items()
    for endpoint in by_endpoint
]


@pytest.mark.parametrize(("actor", "relation", "endpoint"), CASES)
def test_each_role_gets_exactly_what_the_access_rule_says(world, actor, relation, endpoint):
    user = getattr(world, actor)
    target = getattr(world, TARGETS[relation])
    method, url, payload = ENDPOINTS[endpoint]
    assessments_before = Assessment.objects.count()

    response = getattr(client_for(user), method)(url.format(id=target.pk), payload, format="json")

    expected = EXPECTED[actor][relation][endpoint]
    assert response.status_code == expected, response.content
    if endpoint == "assessments_create" and expected != 201:
        assert Assessment.objects.count() == assessments_before


def test_the_patient_list_shows_each_role_exactly_its_patients(world):
    def listed(user):
        body = client_for(user).get("/api/v1/patients/").json()
        return {row["id"] for row in body["results"]}

    assert listed(world.physio) == {world.patient.pk}
    assert listed(world.clinician) == {world.patient.pk}
    assert listed(world.outsider_physio) == {world.other_patient.pk}
    assert listed(world.admin) == {world.patient.pk, world.other_patient.pk}
    assert listed(world.foreign_physio) == {world.foreign_patient.pk}
    assert listed(world.patient_user) == {world.patient.pk}
    assert listed(world.other_patient_user) == {world.other_patient.pk}


def test_patient_a_can_never_read_patient_b(world):
    client = client_for(world.patient_user)
    for url in (
        f"/api/v1/patients/{world.other_patient.pk}/",
        f"/api/v1/patients/{world.other_patient.pk}/assessments/",
        f"/api/v1/patients/{world.other_patient.pk}/audit/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Bob" not in response.content.decode()


def test_anonymous_requests_are_refused(world, api):
    assert api.get("/api/v1/patients/").status_code in (401, 403)
    assert api.get(f"/api/v1/patients/{world.patient.pk}/").status_code in (401, 403)


def test_a_physiotherapist_creates_a_patient_in_their_own_clinic_and_joins_the_care_team(world):
    response = client_for(world.physio).post(
        "/api/v1/patients/",
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "date_of_birth": "1960-01-02",
            "sex": "female",
            "diagnoses": ["Polymyositis"],
            "care_team": [world.clinician.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    patient = Patient.objects.get(pk=response.json()["id"])
    assert patient.clinic == world.clinic
    assert set(patient.care_team.all()) == {world.physio, world.clinician}


def test_a_care_team_cannot_include_staff_of_another_clinic(world):
    response = client_for(world.physio).post(
        "/api/v1/patients/",
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "date_of_birth": "1960-01-02",
            "sex": "female",
            "care_team": [world.foreign_physio.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "care_team" in response.json()
    assert not Patient.objects.filter(last_name="Lee").exists()


def test_patients_cannot_create_patients(world):
    response = client_for(world.patient_user).post(
        "/api/v1/patients/",
        {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1960-01-02", "sex": "female"},
        format="json",
    )
    assert response.status_code == 403
    assert not Patient.objects.filter(last_name="Lee").exists()

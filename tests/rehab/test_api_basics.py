"""Token auth, the schema, pagination and throttling, and the demo physiotherapist's first steps."""

import pytest
from django.core.management import call_command

from rehab.models import Patient, Role, User


@pytest.fixture
def demo(db, settings):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    call_command("seed_demo", verbosity=0)
    return settings.DEMO_PASSWORD


def test_seed_demo_is_idempotent_and_creates_the_motivating_case(demo):
    call_command("seed_demo", verbosity=0)
    assert User.objects.filter(username__in=["physio", "clinician", "patient"]).count() == 3
    patient = Patient.objects.get()
    assert patient.user.username == "patient"
    assessment = patient.assessments.get()
    assert assessment.heterotopic_ossification_regions == ["gluteal_left", "gluteal_right"]
    assert assessment.inflammation_activity in ("moderate", "high")
    assert assessment.bone_fragility in ("osteoporosis", "fragility_fracture")
    assert patient.sex == "female"
    assert patient.age_on(assessment.assessed_on) == 57
    assert set(patient.care_team.values_list("role", flat=True)) == {Role.PHYSIOTHERAPIST, Role.CLINICIAN}


def test_the_demo_physio_gets_a_token_and_lists_exactly_their_care_team(demo, api):
    response = api.post("/api/v1/auth/token/", {"username": "physio", "password": demo}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = api.get("/api/v1/patients/").json()

    physio = User.objects.get(username="physio")
    assert [row["id"] for row in listed["results"]] == list(physio.care_patients.values_list("id", flat=True))
    assert listed["count"] == 1


def test_a_wrong_password_gets_no_token(demo, api):
    response = api.post("/api/v1/auth/token/", {"username": "physio", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_requests_are_throttled(demo, api):
    statuses = [
        api.post("/api/v1/auth/token/", {"username": "physio", "password": "nope"}, format="json").status_code
        for _ in range(25)
    ]
    assert statuses[-1] == 429


def test_the_schema_lists_the_endpoints(db, api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/patients/",
        "/api/v1/patients/{id}/",
        "/api/v1/patients/{id}/assessments/",
        "/api/v1/patients/{id}/activation/",
        "/api/v1/patients/{id}/audit/",
    ):
        assert path in paths


def test_the_docs_page_loads_its_assets_from_our_own_server(db, api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


def test_lists_are_paginated(demo):
    from tests.conftest import client_for

    body = client_for(User.objects.get(username="physio")).get("/api/v1/patients/").json()
    assert {"count", "next", "previous", "results"} <= set(body)

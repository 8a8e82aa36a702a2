"""Ids from the client never reach a query unchecked: inputs that once gave a 500 (found by the API
contract run, tests/rehab/test_api_contract.py) now give a 404 or a 400 naming the field."""

import pytest

from rehab.models import Alert, AlertKind, CheckIn
from tests import builders
from tests.conftest import client_for

TOO_BIG = "2442510999175930314752"  # past 64 bits: SQLite raised OverflowError


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


def test_an_alert_id_that_is_not_a_number_is_a_json_404(world, plan):
    # Was a 500: the view filtered pk="null,null".
    alert = Alert.objects.create(patient=world.patient, plan=plan, kind=AlertKind.PAIN_RED, message="Pain")

    response = client_for(world.physio).post("/api/v1/alerts/null%2Cnull/acknowledge/", {"note": "Seen"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


@pytest.mark.parametrize("path", ["/api/v1/plans/", "/api/v1/checkins/"])
@pytest.mark.parametrize("value", [TOO_BIG, "²", "-1", "1.5", "abc"])
def test_a_patient_filter_that_cannot_be_an_id_is_a_400_naming_it(world, plan, path, value):
    # Was a 500 on SQLite for TOO_BIG (integer overflow) and for "²" ("²".isdigit() is true, int("²") fails).
    response = client_for(world.physio).get(path, {"patient": value})

    assert response.status_code == 400
    assert list(response.json()) == ["patient"]


def test_the_check_in_plan_filter_is_checked_the_same_way(world, plan):
    response = client_for(world.physio).get("/api/v1/checkins/", {"plan": TOO_BIG})

    assert response.status_code == 400
    assert list(response.json()) == ["plan"]


def test_a_valid_patient_filter_still_filters(world, plan):
    response = client_for(world.physio).get("/api/v1/plans/", {"patient": str(world.patient.pk)})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [plan.pk]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/patients/{TOO_BIG}/",
        f"/api/v1/patients/{TOO_BIG}/assessments/",
        f"/api/v1/patients/{TOO_BIG}/report/pdf/",
        f"/api/v1/plans/{TOO_BIG}/",
        f"/api/v1/plans/{TOO_BIG}/progress/",
        f"/api/v1/checkins/{TOO_BIG}/",
        "/api/v1/plans/0.5/",
        "/api/v1/exercises/a%00b/",  # was a 500 on PostgreSQL: a NUL byte in the slug lookup
        "/api/v1/no-such-endpoint/",
    ],
)
def test_an_address_that_cannot_exist_is_a_json_404(world, path):
    response = client_for(world.physio).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_item_id_that_cannot_exist_is_a_404(world, plan):
    response = client_for(world.physio).patch(f"/api/v1/plans/{plan.pk}/items/{TOO_BIG}/", {"version": plan.version})

    assert response.status_code == 404


def test_a_page_address_that_does_not_exist_keeps_the_sites_404_page(world):
    response = client_for(world.physio).get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("item_id", [int(TOO_BIG), "²"])
def test_a_check_in_item_id_that_cannot_exist_is_a_400(world, plan, item_id):
    # Was a 500 with the one-query item check: "²" passed isdigit(), TOO_BIG overflowed SQLite.
    body = {"plan": plan.pk, "date": str(plan.start_date), "pain_during": 1, "pain_after": 1}
    body["items"] = [{"plan_item": item_id, "done": True}]

    response = client_for(world.patient_user).post("/api/v1/checkins/", body, format="json")

    assert response.status_code == 400
    assert "items" in response.json()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("key", ["a\x00b", "é", "x" * 101, "two words"])
def test_an_idempotency_key_that_cannot_be_stored_is_a_400_naming_it(world, plan, key):
    # Was a 500 on PostgreSQL for the NUL byte ("text fields cannot contain NUL bytes").
    body = {"plan": plan.pk, "date": str(plan.start_date), "pain_during": 1, "pain_after": 1}

    response = client_for(world.patient_user).post("/api/v1/checkins/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert not CheckIn.objects.exists()


def test_a_supervised_session_checks_its_idempotency_key_too(world, plan):
    body = {"date": str(plan.start_date), "pain_during": 1, "pain_after": 1}

    response = client_for(world.physio).post(
        f"/api/v1/plans/{plan.pk}/supervised-sessions/", body, format="json", HTTP_IDEMPOTENCY_KEY="a\x00b"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert not CheckIn.objects.exists()


def test_a_good_idempotency_key_still_returns_the_first_check_in(world, plan):
    body = {"plan": plan.pk, "date": str(plan.start_date), "pain_during": 1, "pain_after": 1}
    client = client_for(world.patient_user)

    first = client.post("/api/v1/checkins/", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-42:retry")
    again = client.post("/api/v1/checkins/", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-42:retry")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1

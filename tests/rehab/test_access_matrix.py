"""Every patient endpoint, for each role x (own care team / other care team / other clinic), and
which fields each role reads in the JSON.

The rule: patients see only themselves; physiotherapists and clinicians only the patients
whose care team they are on, in their clinic; a clinic admin sees its clinic's patient list
(identity, contact, care team, sign-in status) but no clinical data and changes none; nothing
crosses clinics; the unseen is a 404. A sign-in link never appears in any answer.
"""

from datetime import date

import pytest

from rehab.models import Alert, AlertKind, Assessment, Patient
from rehab.services.checkins import checkin_record, measurement_record
from tests import builders
from tests.builders import valid_assessment_payload
from tests.conftest import client_for

OWN, OTHER_TEAM, OTHER_CLINIC = "own", "other_team", "other_clinic"

# (actor, target) -> expected status, per endpoint. Every target already has an activated
# login, so a visible activation request by the care team is refused with 400 ("already set a
# password"); a clinic admin sends no sign-in link at all (403).
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
            "activation": 403,
            "audit": 404,
        },
        OTHER_TEAM: {
            "retrieve": 200,
            "update": 200,
            "assessments_list": 404,
            "assessments_create": 404,
            "activation": 403,
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


# ---------------------------------------------------------------------------------------------
# Fields: which keys each role reads, endpoint by endpoint
# ---------------------------------------------------------------------------------------------

PATIENT_KEYS = {
    "id",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "diagnoses",
    "phone",
    "email",
    "time_zone",
    "reminders_opt_out",
    "care_team",
    "care_team_members",
    "has_login",
    "activation_status",
    "created_at",
}
# Identity, contact, care team and sign-in status: never a clinical field.
ADMIN_PATIENT_KEYS = PATIENT_KEYS - {"diagnoses"}
ACTIVATION_KEYS = {"username", "channel", "sent_to", "issued_at", "expires_at"}
ASSESSMENT_KEYS = {
    "id",
    "assessed_on",
    "assessed_by",
    "bone_fragility",
    "vertebral_fracture",
    "heterotopic_ossification_regions",
    "inflammation_activity",
    "pain_at_rest",
    "resting_hr",
    "measured_hr_max",
    "resting_spo2",
    "beta_blocker",
    "arrhythmia",
    "cardiopulmonary_status",
    "avoid_regions",
    "available_equipment",
    "padded_pressure_regions",
    "notes",
    "created_at",
}
MEASUREMENT_KEYS = {"id", "kind", "value", "unit", "upper_limit_normal", "measured_on", "notes", "created_at"}
AUDIT_KEYS = {"at", "object", "object_id", "action", "by", "reason", "changes"}
CHECKIN_KEYS = {
    "id",
    "plan",
    "patient",
    "date",
    "plan_week",
    "kind",
    "items",
    "session_rpe",
    "effort_scale",
    "effort_value",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "red_flags",
    "pain_regions",
    "pain_item",
    "heart_rate_avg",
    "heart_rate_max",
    "spo2_min",
    "supervised_by",
    "notes",
    "on_behalf",
    "created_at",
    "advice",
}
ALERT_KEYS = {
    "id",
    "patient",
    "patient_name",
    "plan",
    "kind",
    "urgent",
    "message",
    "checkin",
    "decision",
    "created_at",
    "acknowledged_at",
    "acknowledged_by",
    "acknowledgement_note",
}
DENIED = "404"  # {"detail": ...} and nothing else
SAME_AS_CARE_TEAM = "care"  # exactly the keys the physiotherapist on the care team reads
PDF = "pdf"
EMPTY = "empty"  # 200 with no rows

CARE = {
    "patient_list": PATIENT_KEYS,
    "patient": PATIENT_KEYS,
    "patient_update": PATIENT_KEYS,
    "activation": ACTIVATION_KEYS,
    "assessments": ASSESSMENT_KEYS,
    "measurements": MEASUREMENT_KEYS,
    "audit": AUDIT_KEYS,
    "plans": SAME_AS_CARE_TEAM,
    "plan": SAME_AS_CARE_TEAM,
    "plan_history": SAME_AS_CARE_TEAM,
    "plan_progress": SAME_AS_CARE_TEAM,
    "checkins": CHECKIN_KEYS,
    "alerts": ALERT_KEYS,
    "plan_pdf": PDF,
    "report_pdf": PDF,
}
OUTSIDER = {**dict.fromkeys(CARE, DENIED), "patient_list": EMPTY, "plans": EMPTY, "checkins": EMPTY, "alerts": EMPTY}
FIELDS = {
    "physio": CARE,
    "clinician": CARE,
    "admin": {
        **OUTSIDER,
        "patient_list": ADMIN_PATIENT_KEYS,
        "patient": ADMIN_PATIENT_KEYS,
        "patient_update": ADMIN_PATIENT_KEYS,
        "activation": DENIED,  # 403: only the care team sends a sign-in link
    },
    "patient_user": {
        **CARE,
        "patient_update": DENIED,  # 403: patients change nothing
        "activation": DENIED,  # the fresh patient is not theirs
        "plan_progress": ("care minus", {"alerts", "overrides"}),  # the care team's worklist is theirs
        "alerts": EMPTY,
        "report_pdf": DENIED,
    },
    "outsider_physio": OUTSIDER,  # same clinic, not on the care team
    "foreign_physio": OUTSIDER,  # another clinic
}


def _requests(world, plan, fresh):
    pid, plan_id = world.patient.pk, plan.pk
    return {
        "patient_list": ("get", "/api/v1/patients/", None),
        "patient": ("get", f"/api/v1/patients/{pid}/", None),
        "patient_update": ("patch", f"/api/v1/patients/{pid}/", {"phone": "+44 2", "reason": "new number"}),
        "activation": ("post", f"/api/v1/patients/{fresh.pk}/activation/", None),
        "assessments": ("get", f"/api/v1/patients/{pid}/assessments/", None),
        "measurements": ("get", f"/api/v1/patients/{pid}/measurements/", None),
        "audit": ("get", f"/api/v1/patients/{pid}/audit/", None),
        "plans": ("get", f"/api/v1/plans/?patient={pid}", None),
        "plan": ("get", f"/api/v1/plans/{plan_id}/", None),
        "plan_history": ("get", f"/api/v1/plans/{plan_id}/history/", None),
        "plan_progress": ("get", f"/api/v1/plans/{plan_id}/progress/", None),
        "checkins": ("get", f"/api/v1/checkins/?patient={pid}", None),
        "alerts": ("get", "/api/v1/alerts/", None),
        "plan_pdf": ("get", f"/api/v1/plans/{plan_id}/pdf/", None),
        "report_pdf": ("get", f"/api/v1/patients/{pid}/report/pdf/", None),
    }


def _rows(body):
    if isinstance(body, dict) and "results" in body:
        return body["results"]
    return body if isinstance(body, list) else None


def _keys(response):
    """The keys of the answer: of each row for a list, of the object otherwise."""
    body = response.json()
    rows = _rows(body)
    if rows is None:
        return set(body)
    return set().union(*(set(row) for row in rows)) if rows else set()


@pytest.fixture
def clinical_world(world, settings):
    settings.SMS_BACKEND = ""
    plan = builders.make_active_plan(world.patient, world.physio)
    checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key="matrix",
        date=plan.start_date,
        pain_during=2,
        pain_after=3,
        notes="Felt fine",
    )
    measurement_record(
        actor=world.physio, patient=world.patient, kind="chair_stand_30s", value=9, measured_on=date(2026, 11, 3)
    )
    Alert.objects.create(patient=world.patient, plan=plan, kind=AlertKind.PAIN_RED, message="Pain rising")
    fresh = builders.make_patient(
        world.clinic, care_team=[world.physio, world.clinician], email="fresh@example.org", first_name="Fresh"
    )
    return world, plan, fresh


@pytest.mark.parametrize("actor", list(FIELDS))
def test_each_role_reads_exactly_its_fields_on_every_patient_endpoint(clinical_world, actor):
    world, plan, fresh = clinical_world
    requests = _requests(world, plan, fresh)
    reference = {}
    for endpoint in ("plans", "plan", "plan_history", "plan_progress"):
        method, url, payload = requests[endpoint]
        reference[endpoint] = _keys(getattr(client_for(world.physio), method)(url, payload, format="json"))
        assert {"id"} <= reference[endpoint] or endpoint in ("plan_history", "plan_progress")

    user = getattr(world, actor)
    for endpoint, expected in FIELDS[actor].items():
        method, url, payload = requests[endpoint]
        response = getattr(client_for(user), method)(url, payload, format="json")
        where = f"{actor} {endpoint}: {response.status_code} {response.content[:300]!r}"
        assert b"/activate/" not in response.content, where  # no sign-in link, for anyone, anywhere
        if expected == PDF:
            assert response.status_code == 200, where
            assert response["Content-Type"] == "application/pdf", where
        elif expected == DENIED:
            assert response.status_code in (403, 404), where
            assert set(response.json()) == {"detail"}, where
        elif expected == EMPTY:
            assert response.status_code == 200, where
            assert _rows(response.json()) in ([], None) or world.patient.pk not in {
                row.get("id") for row in _rows(response.json())
            }, where
            if endpoint != "patient_list":
                assert _rows(response.json()) == [], where
        else:
            assert response.status_code in (200, 201), where
            if expected == SAME_AS_CARE_TEAM:
                keys = reference[endpoint]
            elif isinstance(expected, tuple):
                keys = reference[endpoint] - expected[1]
                assert expected[1] <= reference[endpoint], where
            else:
                keys = expected
            assert _keys(response) == keys, where
            assert keys, where


def test_the_clinic_admin_reads_no_diagnosis_anywhere_in_the_patient_list(world):
    body = client_for(world.admin).get("/api/v1/patients/").json()
    assert body["results"]
    text = str(body)
    assert "Dermatomyositis" not in text
    assert all("diagnoses" not in row for row in body["results"])


def test_the_clinic_admin_cannot_change_diagnoses_and_nothing_is_stored(world):
    before = list(world.patient.diagnoses)
    response = client_for(world.admin).patch(
        f"/api/v1/patients/{world.patient.pk}/",
        {"diagnoses": ["Nothing at all"], "phone": "+44 9", "reason": "tidy up"},
        format="json",
    )
    assert response.status_code == 403
    assert "diagnoses" in response.json()["detail"]
    world.patient.refresh_from_db()
    assert world.patient.diagnoses == before
    assert world.patient.phone != "+44 9"  # nothing half-saved


def test_the_clinic_admin_cannot_register_a_patient_with_diagnoses(world):
    response = client_for(world.admin).post(
        "/api/v1/patients/",
        {
            "first_name": "Ann",
            "last_name": "Noclinical",
            "date_of_birth": "1960-01-02",
            "sex": "female",
            "diagnoses": ["Polymyositis"],
            "care_team": [world.physio.pk],
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Patient.objects.filter(last_name="Noclinical").exists()


def test_the_clinic_admin_changes_contact_and_care_team(world):
    response = client_for(world.admin).patch(
        f"/api/v1/patients/{world.patient.pk}/",
        {"phone": "+44 7", "care_team": [world.physio.pk], "reason": "clinician moved"},
        format="json",
    )
    assert response.status_code == 200, response.content
    world.patient.refresh_from_db()
    assert world.patient.phone == "+44 7"
    assert list(world.patient.care_team.all()) == [world.physio]

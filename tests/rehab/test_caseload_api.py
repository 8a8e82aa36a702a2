"""GET /api/v1/caseload/ and GET /api/v1/triage/rules/: the dashboard's rows and flags, and the rules
behind them, for the care team (a clinic admin: the clinic's patients by name, as on the caseload
page); another care team's or clinic's patient never appears; the rows
cost the same queries whatever the caseload's size."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from rest_framework.pagination import PageNumberPagination

from planner.triage import default_triage_rules
from rehab.caseload import case_rows
from rehab.models import Alert, AlertKind, Plan, PlanStatus, ProgressionDecision, RecordAccess
from rehab.selectors import patients_with_clinical_access
from rehab.services.alerts import checkin_follow_up
from rehab.services.checkins import checkin_record
from tests import builders
from tests.conftest import client_for

START = date(2026, 11, 2)  # a Monday; "today" is the Friday of week 3
TODAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def patient_with_plan(world, last_name):
    patient = builders.make_patient(world.clinic, care_team=[world.physio, world.clinician], last_name=last_name)
    return patient, builders.make_active_plan(patient, world.physio, start_date=START)


def log(world, patient, plan, day, pain=(1, 1, 1), red_flags=()):
    user = patient.user or world.physio
    checkin, _ = checkin_record(
        actor=user,
        plan=plan,
        idempotency_key=f"{plan.pk}-{day}",
        date=day,
        pain_during=pain[0],
        pain_after=pain[1],
        pain_next_morning=pain[2],
        session_rpe=11,
        red_flags=list(red_flags),
    )
    return checkin


def test_the_caseload_lists_the_care_teams_patients_most_urgent_first_with_rule_ids(world):
    quiet, _ = patient_with_plan(world, "Aquiet")
    paused, paused_plan = patient_with_plan(world, "Bpaused")
    Plan.objects.filter(pk=paused_plan.pk).update(status=PlanStatus.PAUSED, pause_reason="Flu, paused by phone")
    flagged, flagged_plan = patient_with_plan(world, "Cflagged")
    checkin_follow_up(checkin_id=log(world, flagged, flagged_plan, date(2026, 11, 18), red_flags=["chest_pain"]).pk)

    body = client_for(world.clinician).get("/api/v1/caseload/").json()

    names = [row["name"] for row in body["results"]]
    assert names.index(flagged.full_name) < names.index(paused.full_name) < names.index(quiet.full_name)
    first = body["results"][0]
    assert first["patient"] == flagged.pk
    assert first["plan"] == flagged_plan.pk
    assert first["plan_status"] == PlanStatus.PAUSED
    assert first["week"] == 3
    assert first["last_session"] == "2026-11-18"
    assert first["open_alerts"] >= 1
    assert first["rank"] == 0
    assert first["flags"][0]["rule_id"] == "triage.alert.red_flag"
    assert first["flags"][0]["level"] == 0
    assert "Chest pain" in first["flags"][0]["detail"]
    paused_row = next(row for row in body["results"] if row["patient"] == paused.pk)
    assert paused_row["flags"] == [
        {
            "level": 1,
            "kind": "paused",
            "label": "Plan paused",
            "detail": "Flu, paused by phone",
            "rule_id": "triage.paused",
        }
    ]
    assert next(row for row in body["results"] if row["patient"] == quiet.pk)["flags"] == []


def test_rising_pain_and_low_adherence_come_with_their_rules(world):
    patient, plan = patient_with_plan(world, "Pain")
    for day in (date(2026, 11, 9), date(2026, 11, 11)):
        log(world, patient, plan, day)
    log(world, patient, plan, date(2026, 11, 16), pain=(4, 5, 5))
    ProgressionDecision.objects.create(
        plan=plan,
        week=2,
        action="hold",
        reasons=[],
        doses_before={},
        doses_after={},
        sessions_planned=3,
        sessions_done=1,
    )
    body = client_for(world.physio).get("/api/v1/caseload/").json()
    row = next(row for row in body["results"] if row["patient"] == patient.pk)
    assert [(f["rule_id"], f["detail"]) for f in row["flags"]] == [
        ("triage.pain_rising", "mean 1.0 → 4.7 (weeks 2 → 3)"),
        ("triage.low_adherence", "1 of 3 sessions in week 2"),
    ]


def test_another_care_teams_or_clinics_patient_never_appears(world):
    builders.make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    Alert.objects.create(patient=world.other_patient, kind=AlertKind.RED_FLAG, urgent=True, message="Not yours")
    Alert.objects.create(patient=world.foreign_patient, kind=AlertKind.RED_FLAG, urgent=True, message="Not yours")

    for user in (world.physio, world.clinician):
        ids = [row["patient"] for row in client_for(user).get("/api/v1/caseload/").json()["results"]]
        assert ids == [world.patient.pk]
    outsider = client_for(world.outsider_physio).get("/api/v1/caseload/").json()["results"]
    assert [row["patient"] for row in outsider] == [world.other_patient.pk]
    foreign = client_for(world.foreign_physio).get("/api/v1/caseload/").json()["results"]
    assert [row["patient"] for row in foreign] == [world.foreign_patient.pk]


def test_patients_get_403_and_anonymous_callers_401(world, api):
    assert client_for(world.patient_user).get("/api/v1/caseload/").status_code == 403
    assert api.get("/api/v1/caseload/").status_code == 401


def test_a_clinic_admin_gets_the_clinics_patients_by_name_as_on_the_caseload_page(world, client):
    builders.make_active_plan(world.patient, world.physio, start_date=START)
    Alert.objects.create(patient=world.patient, kind=AlertKind.RED_FLAG, urgent=True, message="Clinical")

    rows = client_for(world.admin).get("/api/v1/caseload/").json()["results"]
    client.force_login(world.admin)
    page = client.get("/caseload/").content.decode()

    # Both patients of the admin's clinic, whoever's care team; never the other clinic's.
    assert rows == [
        {"patient": p.pk, "name": p.full_name}
        for p in sorted([world.patient, world.other_patient], key=lambda p: (p.last_name, p.first_name))
    ]
    for patient in (world.patient, world.other_patient):
        assert f"{patient.last_name}, {patient.first_name}" in page
    assert world.foreign_patient.last_name not in page
    assert "Clinical" not in str(rows)


def test_the_caseload_pages_like_other_lists_and_a_page_past_the_end_is_404(world, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)  # read from settings at import
    for n in range(3):
        patient_with_plan(world, f"Extra{n}")
    client = client_for(world.physio)
    first = client.get("/api/v1/caseload/").json()
    assert first["count"] == 4
    assert len(first["results"]) == 2
    assert first["next"]
    second = client.get("/api/v1/caseload/", {"page": 2}).json()
    assert {row["patient"] for row in first["results"]}.isdisjoint(row["patient"] for row in second["results"])
    assert client.get("/api/v1/caseload/", {"page": 3}).status_code == 404


def test_the_caseload_read_is_recorded_for_each_patient_shown(world):
    client_for(world.physio).get("/api/v1/caseload/")
    assert list(RecordAccess.objects.values_list("patient_id", "kind", "surface")) == [
        (world.patient.pk, "caseload", "api:caseload")
    ]


def test_the_caseload_costs_the_same_queries_for_a_bigger_caseload(world, django_assert_max_num_queries):
    def rows_cost():
        with django_assert_max_num_queries(50) as counted:
            rows = case_rows(world.clinician, patients_with_clinical_access(world.clinician))
        return len(counted.captured_queries), rows

    for n in range(2):
        patient, plan = patient_with_plan(world, f"Small{n}")
        log(world, patient, plan, date(2026, 11, 9))
    small, _ = rows_cost()
    for n in range(6):
        patient, plan = patient_with_plan(world, f"Big{n}")
        log(world, patient, plan, date(2026, 11, 9))
        Alert.objects.create(patient=patient, plan=plan, kind=AlertKind.OVERRIDE, message="to review")
    big, rows = rows_cost()
    assert big == small == 5  # patients, plans, pain by week, decisions, alerts
    assert sum(1 for row in rows if row.flags) == 6


def test_the_triage_rules_are_served_with_thresholds_and_sources(world):
    body = client_for(world.clinician).get("/api/v1/triage/rules/").json()
    rules = {rule["id"]: rule for rule in body["rules"]}
    assert set(rules) == {rule.id for rule in default_triage_rules().rules}
    assert rules["triage.low_adherence"]["threshold"] == "2/3"
    assert rules["triage.low_adherence"]["evidence"] == "D"
    assert rules["triage.pain_rising"]["threshold"] == "0"
    assert rules["triage.alert.red_flag"]["level"] == 0
    assert all(rule["source"] for rule in body["rules"])
    assert body["about"]

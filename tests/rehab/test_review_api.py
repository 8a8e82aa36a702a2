"""Exercise library filters, measurements, alerts and acknowledgements, the progress series.

Reminders are tested in test_reminders.py (who is due, when, once) and test_push.py (Web Push).
"""

from datetime import date, timedelta

import pytest
import time_machine

from rehab.models import Alert, AlertKind, Measurement
from rehab.services.checkins import checkin_record
from rehab.services.progression import plan_progress
from tests import builders
from tests.conftest import client_for

START = date(2026, 11, 2)


def test_the_library_filters_by_component_impact_tag_and_equipment(world):
    client = client_for(world.physio)
    aerobic = client.get("/api/v1/exercises/?component=aerobic&page_size=200").json()["results"]
    assert aerobic
    assert {row["component"] for row in aerobic} == {"aerobic"}
    gentle = client.get("/api/v1/exercises/?max_impact=low").json()["results"]
    assert {row["impact"] for row in gentle} <= {"none", "low"}
    flexion = client.get("/api/v1/exercises/?tag=loaded_spinal_flexion").json()["results"]
    assert flexion
    assert all("loaded_spinal_flexion" in row["tags"] for row in flexion)
    pool = client.get("/api/v1/exercises/?equipment=pool").json()["results"]
    assert pool
    assert all("pool" in row["equipment"] for row in pool)
    bad = client.get("/api/v1/exercises/?impact=huge")
    assert bad.status_code == 400
    assert "impact" in bad.json()


def test_every_exercise_has_plain_instructions_and_resolvable_variants(world):
    row = client_for(world.patient_user).get("/api/v1/exercises/flat-walking/").json()
    assert all(row["instructions"][part] for part in ("setup", "movement", "feel", "mistakes"))
    assert row["harder"] == "brisk-walking"


@pytest.mark.parametrize(
    ("kind", "value", "status"),
    [
        ("grip_left_kg", 18.5, 201),
        ("grip_left_kg", 150, 400),
        ("tug_seconds", 1, 400),
        ("mmt8_total", 72, 201),
        ("six_minute_walk_m", 410, 201),
        ("unknown_test", 3, 400),
    ],
)
def test_measurements_are_validated_against_their_unit_and_range(world, kind, value, status):
    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/measurements/",
        {"kind": kind, "value": value, "measured_on": "2026-11-01"},
        format="json",
    )
    assert response.status_code == status, response.content
    assert Measurement.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        assert response.json()["unit"]
    else:
        assert set(response.json()) & {"kind", "value"}


def test_patients_read_their_measurements_but_cannot_record_them(world):
    client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/measurements/",
        {"kind": "chair_stand_30s", "value": 9, "measured_on": "2026-11-01"},
        format="json",
    )
    patient = client_for(world.patient_user)
    assert patient.get(f"/api/v1/patients/{world.patient.pk}/measurements/").json()["count"] == 1
    refused = patient.post(
        f"/api/v1/patients/{world.patient.pk}/measurements/",
        {"kind": "chair_stand_30s", "value": 30, "measured_on": "2026-11-02"},
        format="json",
    )
    assert refused.status_code == 403
    assert (
        client_for(world.outsider_physio).get(f"/api/v1/patients/{world.patient.pk}/measurements/").status_code == 404
    )


@time_machine.travel("2026-11-10 10:00", tick=False)
def test_alerts_are_listed_for_the_care_team_and_acknowledged_with_a_note(world, django_capture_on_commit_callbacks):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    with django_capture_on_commit_callbacks(execute=True):
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key="x",
            date=date(2026, 11, 9),
            pain_during=1,
            pain_after=1,
            red_flags=["fever"],
        )
    listed = client_for(world.clinician).get("/api/v1/alerts/").json()["results"]
    assert [row["kind"] for row in listed] == ["red_flag"]
    assert client_for(world.outsider_physio).get("/api/v1/alerts/").json()["results"] == []
    assert client_for(world.patient_user).get("/api/v1/alerts/").json()["results"] == []

    alert_id = listed[0]["id"]
    empty = client_for(world.clinician).post(f"/api/v1/alerts/{alert_id}/acknowledge/", {"note": ""}, format="json")
    assert empty.status_code == 400
    done = client_for(world.clinician).post(
        f"/api/v1/alerts/{alert_id}/acknowledge/", {"note": "Phoned her; GP visit booked"}, format="json"
    )
    assert done.status_code == 200
    alert = Alert.objects.get()
    assert alert.acknowledged_by == world.clinician
    assert alert.acknowledgement_note == "Phoned her; GP visit booked"
    assert client_for(world.clinician).get("/api/v1/alerts/").json()["results"] == []
    again = client_for(world.physio).post(f"/api/v1/alerts/{alert_id}/acknowledge/", {"note": "me too"}, format="json")
    assert again.status_code == 409
    outsider = client_for(world.outsider_physio).post(
        f"/api/v1/alerts/{alert_id}/acknowledge/", {"note": "x"}, format="json"
    )
    assert outsider.status_code == 404


def test_the_progress_series_has_pain_rpe_adherence_measures_and_decisions(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    for n in range(5):
        day = START + timedelta(days=n)
        with time_machine.travel(day + timedelta(hours=20), tick=False):
            checkin_record(
                actor=world.patient_user,
                plan=plan,
                idempotency_key=f"k{n}",
                date=day,
                pain_during=1,
                pain_after=2,
                pain_next_morning=2,
                session_rpe=11,
            )
    Measurement.objects.create(
        patient=world.patient, kind="grip_left_kg", value=20, measured_on=START, recorded_by=world.physio
    )
    plan_progress(plan_id=plan.pk, as_of=START + timedelta(days=8))

    body = client_for(world.clinician).get(f"/api/v1/plans/{plan.pk}/progress/").json()

    assert [p["during"] for p in body["pain"]] == [1] * 5
    assert [p["next_morning"] for p in body["pain"]] == [2] * 5
    assert len(body["rpe"]) == 5
    assert body["adherence"][0]["week"] == 1
    assert body["adherence"][0]["done"] == 5
    assert body["measures"][0]["kind"] == "grip_left_kg"
    decision = body["decisions"][0]
    assert decision["week"] == 1
    assert decision["reasons"]
    assert all(reason["rule_id"] and reason["text"] for reason in decision["reasons"])
    assert "alerts" in body
    assert "alerts" not in client_for(world.patient_user).get(f"/api/v1/plans/{plan.pk}/progress/").json()
    assert client_for(world.outsider_physio).get(f"/api/v1/plans/{plan.pk}/progress/").status_code == 404


def test_a_no_checkin_week_creates_one_alert_of_its_kind(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plan_progress(plan_id=plan.pk, as_of=START + timedelta(days=15))
    assert Alert.objects.filter(plan=plan, kind=AlertKind.NO_CHECKINS).count() == 2


def test_acknowledging_an_override_alert_marks_the_override_reviewed(world):
    from rehab.models import LimitOverride
    from rehab.services.plans import engine_plan, plan_item_update

    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    item = plan.items.get(exercise__slug=engine_plan(plan).items[0].slug)
    governing = engine_plan(plan).weeks[0].dose_for(item.exercise.slug).dose.intensity[0]
    plan_item_update(
        actor=world.physio,
        plan=plan,
        item=item,
        version=plan.version,
        changes={"intensity_high": governing.high + 10},
        override_reason="Monitored in the gym",
    )
    alert = Alert.objects.get(kind=AlertKind.OVERRIDE)
    assert alert.override == LimitOverride.objects.get()

    client_for(world.clinician).post(f"/api/v1/alerts/{alert.pk}/acknowledge/", {"note": "Agreed"}, format="json")

    override = LimitOverride.objects.get()
    assert override.acknowledged_by == world.clinician
    assert override.acknowledged_at is not None

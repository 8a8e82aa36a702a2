"""Check-ins: validation, idempotency, red flags and red pain, next-morning pain, staff on behalf."""

import pytest
import time_machine
from django.core import mail

from rehab.models import Alert, AlertKind, CheckIn, OutboxMessage, PlanStatus
from tests import builders
from tests.conftest import client_for

TODAY = "2026-11-10 10:00"


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


def _payload(plan, **overrides):
    items = list(plan.items.all()[:2])
    payload = {
        "date": "2026-11-09",
        "items": [{"plan_item": items[0].pk, "done": True, "minutes": 10}, {"plan_item": items[1].pk, "done": False}],
        "session_rpe": 11,
        "pain_during": 2,
        "pain_after": 3,
        "notes": "Felt fine <b>really</b>",
    }
    payload.update(overrides)
    return payload


def _post(user, payload, key="key-1"):
    return client_for(user).post("/api/v1/checkins/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


@time_machine.travel(TODAY, tick=False)
def test_a_patient_logs_a_session_of_their_active_plan(world, plan):
    response = _post(world.patient_user, _payload(plan))

    assert response.status_code == 201, response.content
    checkin = CheckIn.objects.get()
    assert checkin.plan == plan
    assert checkin.plan_week == 2
    assert checkin.on_behalf is False
    assert checkin.items.count() == 2
    assert checkin.items.get(done=True).minutes == 10
    assert response.json()["advice"] == []


@time_machine.travel(TODAY, tick=False)
def test_the_same_idempotency_key_twice_stores_one_checkin_and_returns_the_first(world, plan):
    first = _post(world.patient_user, _payload(plan), key="abc")
    second = _post(world.patient_user, _payload(plan, pain_during=9), key="abc")

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["pain_during"] == 2
    assert CheckIn.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_second_session_on_the_same_day_with_another_key_is_refused(world, plan):
    _post(world.patient_user, _payload(plan), key="a")
    response = _post(world.patient_user, _payload(plan), key="b")
    assert response.status_code == 400
    assert "date" in response.json()
    assert CheckIn.objects.count() == 1


BAD = [
    ("date", "2026-11-11"),  # tomorrow
    ("date", "2026-10-01"),  # before the plan
    ("pain_during", 11),
    ("pain_after", -1),
    ("session_rpe", 21),
    ("session_rpe", 5),
    ("red_flags", ["headache"]),
    ("items", [{"plan_item": 999999, "done": True}]),
]


@pytest.mark.parametrize(("field", "value"), BAD)
@time_machine.travel(TODAY, tick=False)
def test_bad_input_gets_a_400_naming_the_field_and_nothing_is_stored(world, plan, field, value):
    response = _post(world.patient_user, _payload(plan, **{field: value}))
    assert response.status_code == 400
    assert field in response.json()
    assert CheckIn.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_an_item_of_another_plan_is_refused(world, plan):
    other_plan = builders.make_active_plan(world.other_patient, world.outsider_physio)
    foreign_item = other_plan.items.first()
    response = _post(world.patient_user, _payload(plan, items=[{"plan_item": foreign_item.pk, "done": True}]))
    assert response.status_code == 400
    assert CheckIn.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_a_red_flag_pauses_the_plan_alerts_the_care_team_and_tells_the_patient_what_to_do(
    world, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(world.patient_user, _payload(plan, red_flags=["chest_pain"]))

    assert response.status_code == 201
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    alert = Alert.objects.get(kind=AlertKind.RED_FLAG)
    assert alert.urgent
    assert "Chest pain" in alert.message
    assert alert.emailed_at is not None
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {world.physio.email, world.clinician.email}
    advice = " ".join(response.json()["advice"])
    assert "ambulance" in advice
    history = plan.history.order_by("-history_id").first()
    assert "Paused at once" in history.history_change_reason


@time_machine.travel(TODAY, tick=False)
def test_pain_above_the_red_threshold_also_pauses_and_alerts(world, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(world.patient_user, _payload(plan, pain_after=7))
    assert response.status_code == 201
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    assert Alert.objects.filter(kind=AlertKind.PAIN_RED, checkin__isnull=False).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_repeated_follow_up_creates_no_second_alert_and_no_second_email(
    world, plan, django_capture_on_commit_callbacks
):
    from rehab.services.alerts import alert_email, checkin_follow_up

    with django_capture_on_commit_callbacks(execute=True):
        _post(world.patient_user, _payload(plan, red_flags=["fever"]))
    emails = len(mail.outbox)
    checkin = CheckIn.objects.get()
    assert checkin_follow_up(checkin_id=checkin.pk) == []
    alert = Alert.objects.get()
    assert alert_email(alert_id=alert.pk) is False
    assert len(mail.outbox) == emails
    assert Alert.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_next_morning_pain_is_added_later_and_a_red_value_triggers_the_follow_up(
    world, plan, django_capture_on_commit_callbacks
):
    created = _post(world.patient_user, _payload(plan)).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.patient_user).patch(
            f"/api/v1/checkins/{created['id']}/", {"pain_next_morning": 8}, format="json"
        )
    assert response.status_code == 200
    assert CheckIn.objects.get().pain_next_morning == 8
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED


@time_machine.travel(TODAY, tick=False)
def test_staff_log_on_the_patients_behalf_and_it_is_recorded_as_such(world, plan):
    response = _post(world.physio, {**_payload(plan), "plan": plan.pk})
    assert response.status_code == 201
    assert CheckIn.objects.get().on_behalf is True


@time_machine.travel(TODAY, tick=False)
def test_patients_and_staff_outside_the_care_team_cannot_see_or_log_checkins(world, plan):
    _post(world.patient_user, _payload(plan))
    checkin = CheckIn.objects.get()
    for outsider in (world.other_patient_user, world.outsider_physio, world.foreign_physio):
        assert client_for(outsider).get(f"/api/v1/checkins/{checkin.pk}/").status_code == 404
        patch = client_for(outsider).patch(f"/api/v1/checkins/{checkin.pk}/", {"pain_next_morning": 1}, format="json")
        assert patch.status_code == 404
        logged = _post(outsider, {**_payload(plan, date="2026-11-08"), "plan": plan.pk}, key="x")
        assert logged.status_code == 404
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=False)
def test_with_the_broker_down_a_red_flag_checkin_is_stored_and_still_reaches_the_care_team(world, broker_down):
    plan = builders.make_active_plan(world.patient, world.physio)
    response = _post(world.patient_user, _payload(plan, red_flags=["dizziness"]))

    assert response.status_code == 201
    assert CheckIn.objects.count() == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    assert Alert.objects.filter(kind=AlertKind.RED_FLAG).count() == 1
    assert len(mail.outbox) >= 1
    assert OutboxMessage.objects.filter(last_error__contains="inline").exists()


@time_machine.travel(TODAY, tick=False)
def test_a_red_flag_and_the_pause_are_in_the_patients_audit_trail(world, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(world.patient_user, _payload(plan, red_flags=["bone_pain"]))

    trail = client_for(world.physio).get(f"/api/v1/patients/{world.patient.pk}/audit/").json()

    red_flag = next(row for row in trail if row["object"] == "alert" and row["action"] == "red_flag")
    assert "bone pain" in red_flag["reason"].lower()
    assert any("Paused at once" in row["reason"] for row in trail if row["object"].startswith("plan"))


@time_machine.travel(TODAY, tick=False)
def test_a_symptom_report_alerts_but_is_no_session_and_does_not_block_logging_one(
    world, plan, django_capture_on_commit_callbacks
):
    from datetime import date

    from rehab.models import ProgressionDecision
    from rehab.services.progression import plan_progress

    with django_capture_on_commit_callbacks(execute=True):
        report = _post(
            world.patient_user,
            {"date": "2026-11-09", "kind": "symptoms", "pain_during": 3, "pain_after": 3, "red_flags": ["swelling"]},
            key="sym",
        )
    assert report.status_code == 201
    assert Alert.objects.filter(kind=AlertKind.RED_FLAG).count() == 1
    session = _post(world.patient_user, _payload(plan), key="session")
    assert session.status_code == 201
    assert CheckIn.objects.count() == 2

    plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 17))
    decision = ProgressionDecision.objects.get(plan=plan, week=2)
    assert decision.sessions_done == 1  # the report is not a session
    assert decision.action == "pause_for_review"  # but its red flag counts


def test_a_symptom_report_needs_a_red_flag(world, plan):
    with time_machine.travel(TODAY, tick=False):
        response = _post(
            world.patient_user, {"date": "2026-11-09", "kind": "symptoms", "pain_during": 1, "pain_after": 1}, key="sym"
        )
    assert response.status_code == 400
    assert "red_flags" in response.json()

"""Medical clearance before a plan starts and the supervised start after it: who may record them, what
is stored, what activation answers without them, and what the plan and the audit trail show."""

from datetime import date

import pytest
import time_machine

from planner.limits import get_field
from rehab.models import CheckIn, Clearance, Plan, PlanStatus
from rehab.services.plans import engine_plan
from tests import builders
from tests.conftest import client_for

PLANS = "/api/v1/plans/"
START = date(2026, 11, 2)
HIGH_INFLAMMATION = {"inflammation_activity": "high"}
RESTRICTED_HEART = {"cardiopulmonary_status": "restricted", "inflammation_activity": "low"}


@pytest.fixture(autouse=True)
def _first_week_of_the_plan():
    with time_machine.travel("2026-11-03 09:00", tick=True):
        yield


def _draft(world, **assessment) -> Plan:
    builders.make_assessment(world.patient, by=world.physio, **assessment)
    response = client_for(world.physio).post(
        PLANS, {"patient": world.patient.pk, "start_date": START.isoformat(), "weeks": 12}, format="json"
    )
    assert response.status_code == 201, response.content
    return Plan.objects.get(pk=response.json()["id"])


def _clear(user, plan, note="Reviewed in clinic: CK falling, no cardiac signs; may start."):
    return client_for(user).post(f"{PLANS}{plan.pk}/clearance/", {"note": note}, format="json")


def _activate(user, plan):
    plan.refresh_from_db()
    return client_for(user).post(f"{PLANS}{plan.pk}/activate/", {"version": plan.version}, format="json")


def _supervised(user, plan, day="2026-11-03", key="sup-1"):
    body = {"date": day, "pain_during": 2, "pain_after": 3, "session_rpe": 11, "notes": "At the clinic."}
    return client_for(user).post(
        f"{PLANS}{plan.pk}/supervised-sessions/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


# ---------------------------------------------------------------------------------------------
# Which plans need clearance (rule data)
# ---------------------------------------------------------------------------------------------


def test_high_inflammation_and_restricted_heart_ask_for_clearance_and_moderate_does_not(world):
    high = engine_plan(_draft(world, **HIGH_INFLAMMATION)).limits
    assert high.clearance_required
    assert "clearance.inflammation_high" in high.rule_ids_for("clearance_required")
    heart = engine_plan(_draft(world, **RESTRICTED_HEART)).limits
    assert "clearance.cardiopulmonary_restricted" in heart.rule_ids_for("clearance_required")
    assert heart.supervised_sessions == 3
    moderate = engine_plan(_draft(world)).limits
    assert not moderate.clearance_required
    assert moderate.supervised_sessions == 3  # moderate inflammation; osteoporosis alone asks for 2


# ---------------------------------------------------------------------------------------------
# Recording clearance
# ---------------------------------------------------------------------------------------------


def test_a_clinician_clears_a_plan_and_the_row_names_the_rules(world):
    plan = _draft(world, **HIGH_INFLAMMATION)
    response = _clear(world.clinician, plan)
    assert response.status_code == 201, response.content
    stored = Clearance.objects.get(plan=plan)
    assert stored.granted_by == world.clinician
    assert stored.note.startswith("Reviewed in clinic")
    assert stored.rules == ["clearance.inflammation_high"]
    body = response.json()
    assert body["id"] == stored.pk
    assert body["rules"] == ["clearance.inflammation_high"]
    assert body["clearance"]["granted"]["by"] == world.clinician.display_name
    assert body["clearance"]["rules"][0]["id"] == "clearance.inflammation_high"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.version == 1


def test_a_physiotherapist_may_not_clear_a_plan(world):
    plan = _draft(world, **HIGH_INFLAMMATION)
    response = _clear(world.physio, plan)
    assert response.status_code == 403
    assert "clinician" in response.json()["detail"]
    assert not Clearance.objects.exists()


@pytest.mark.parametrize("who", ["outsider_physio", "foreign_physio", "admin", "patient_user"])
def test_staff_off_the_care_team_and_patients_get_404(world, who):
    plan = _draft(world, **HIGH_INFLAMMATION)
    if who == "patient_user":
        # Even on their own running plan, a patient never sees the clearance action.
        plan.status = PlanStatus.ACTIVE
        plan.save()
    assert _clear(getattr(world, who), plan).status_code == 404
    assert not Clearance.objects.exists()


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_blank_note_is_a_400_naming_the_note_and_nothing_is_stored(world, note):
    plan = _draft(world, **HIGH_INFLAMMATION)
    body = {} if note is None else {"note": note}
    response = client_for(world.clinician).post(f"{PLANS}{plan.pk}/clearance/", body, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    assert not Clearance.objects.exists()
    assert plan.history.count() == 1  # generated; nothing since


def test_clearing_a_plan_that_needs_none_is_a_409_and_stores_nothing(world):
    plan = _draft(world)
    response = _clear(world.clinician, plan)
    assert response.status_code == 409
    assert "do not ask for medical clearance" in response.json()["detail"]
    assert not Clearance.objects.exists()


def test_a_second_clearance_is_kept_as_history_and_the_newest_counts(world):
    plan = _draft(world, **HIGH_INFLAMMATION)
    _clear(world.clinician, plan, note="First review.")
    second = _clear(world.clinician, plan, note="Second review after echo.")
    assert second.status_code == 201
    assert Clearance.objects.filter(plan=plan).count() == 2
    shown = client_for(world.physio).get(f"{PLANS}{plan.pk}/").json()["clearance"]
    assert shown["granted"]["note"] == "Second review after echo."


# ---------------------------------------------------------------------------------------------
# Activation waits for clearance
# ---------------------------------------------------------------------------------------------


def test_activation_without_clearance_is_a_409_naming_the_rule_and_the_plan_stays_a_draft(world):
    plan = _draft(world, **HIGH_INFLAMMATION)
    response = _activate(world.physio, plan)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "clearance_required"
    assert [rule["id"] for rule in body["rules"]] == ["clearance.inflammation_high"]
    assert "signs the plan off medically" in body["rules"][0]["text"]
    assert "clearance.inflammation_high" in body["detail"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.activated_at is None
    assert plan.version == 1


def test_activation_without_clearance_leaves_the_running_plan_running(world):
    running = builders.make_active_plan(world.patient, world.physio)
    plan = _draft(world, **RESTRICTED_HEART)
    assert _activate(world.physio, plan).status_code == 409
    running.refresh_from_db()
    assert running.status == PlanStatus.ACTIVE


def test_after_clearance_the_plan_activates(world):
    plan = _draft(world, **RESTRICTED_HEART)
    assert _clear(world.clinician, plan).status_code == 201
    response = _activate(world.physio, plan)
    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert plan.activated_at is not None
    assert response.json()["clearance"]["granted"]["rules"] == ["clearance.cardiopulmonary_restricted"]


def test_a_plan_that_needs_no_clearance_activates_as_before(world):
    plan = _draft(world)
    assert _activate(world.physio, plan).status_code == 200


# ---------------------------------------------------------------------------------------------
# The plan shows both states
# ---------------------------------------------------------------------------------------------


def test_the_plan_shows_clearance_awaited_with_its_rules_and_the_supervision_due(world):
    plan = _draft(world, **HIGH_INFLAMMATION)
    body = client_for(world.physio).get(f"{PLANS}{plan.pk}/").json()
    assert body["clearance"]["required"] is True
    assert body["clearance"]["granted"] is None
    rule = body["clearance"]["rules"][0]
    assert rule["id"] == "clearance.inflammation_high"
    assert rule["evidence"] == "C"
    assert rule["source"]
    assert body["supervision"] == {
        "required": True,
        "sessions_required": 3,
        "sessions_done": 0,
        "remaining": 3,
        "rules": body["supervision"]["rules"],
    }
    assert "inflammation.supervised_start" in [r["id"] for r in body["supervision"]["rules"]]


def test_a_plan_without_clearance_rules_says_not_required(world):
    plan = _draft(world, bone_fragility="none", inflammation_activity="inactive", heterotopic_ossification_regions=[])
    body = client_for(world.physio).get(f"{PLANS}{plan.pk}/").json()
    assert body["clearance"] == {"required": False, "rules": [], "granted": None}
    assert body["supervision"]["required"] is False
    assert body["supervision"]["remaining"] == 0


# ---------------------------------------------------------------------------------------------
# Supervised sessions
# ---------------------------------------------------------------------------------------------


def test_a_physiotherapist_records_supervised_sessions_and_they_are_counted(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    first = _supervised(world.physio, plan, day="2026-11-02", key="a")
    assert first.status_code == 201, first.content
    checkin = CheckIn.objects.get(pk=first.json()["id"])
    assert checkin.supervised_by == world.physio
    assert checkin.on_behalf
    assert checkin.plan == plan
    assert first.json()["supervised_by"] == world.physio.display_name
    retry = _supervised(world.physio, plan, day="2026-11-02", key="a")
    assert retry.status_code == 200
    assert retry.json()["id"] == checkin.pk
    assert _supervised(world.physio, plan, day="2026-11-03", key="b").status_code == 201
    supervision = client_for(world.physio).get(f"{PLANS}{plan.pk}/").json()["supervision"]
    assert (supervision["sessions_done"], supervision["remaining"]) == (2, 1)
    assert CheckIn.objects.filter(plan=plan, supervised_by__isnull=False).count() == 2


def test_a_session_the_patient_logs_is_not_supervised(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    response = client_for(world.patient_user).post(
        "/api/v1/checkins/", {"date": "2026-11-03", "pain_during": 1, "pain_after": 1}, format="json"
    )
    assert response.status_code == 201, response.content
    assert client_for(world.physio).get(f"{PLANS}{plan.pk}/").json()["supervision"]["sessions_done"] == 0


@pytest.mark.parametrize(("who", "expected"), [("clinician", 403), ("outsider_physio", 404), ("patient_user", 404)])
def test_only_the_care_teams_physiotherapist_records_a_supervised_session(world, who, expected):
    plan = builders.make_active_plan(world.patient, world.physio)
    assert _supervised(getattr(world, who), plan).status_code == expected
    assert not CheckIn.objects.exists()


def test_a_supervised_session_with_bad_input_names_the_field_and_stores_nothing(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    body = {"date": "2026-11-03", "pain_during": 11, "pain_after": 3}
    response = client_for(world.physio).post(f"{PLANS}{plan.pk}/supervised-sessions/", body, format="json")
    assert response.status_code == 400
    assert "pain_during" in response.json()
    assert not CheckIn.objects.exists()


def test_a_supervised_session_needs_an_active_plan(world):
    plan = _draft(world)
    response = _supervised(world.physio, plan)
    assert response.status_code == 400
    assert "plan" in response.json()
    assert not CheckIn.objects.exists()


# ---------------------------------------------------------------------------------------------
# Audit
# ---------------------------------------------------------------------------------------------


def test_the_patients_audit_trail_shows_the_clearance_with_who_and_why(world):
    plan = _draft(world, **HIGH_INFLAMMATION)
    _clear(world.clinician, plan, note="Seen today; cleared to start low-intensity work.")
    trail = client_for(world.clinician).get(f"/api/v1/patients/{world.patient.pk}/audit/").json()
    entries = trail["results"] if isinstance(trail, dict) else trail
    cleared = [e for e in entries if "Medical clearance recorded" in e["reason"]]
    assert len(cleared) == 1
    assert cleared[0]["by"] == world.clinician.display_name
    assert "cleared to start low-intensity work" in cleared[0]["reason"]
    assert "clearance.inflammation_high" in cleared[0]["reason"]
    history = client_for(world.physio).get(f"{PLANS}{plan.pk}/history/").json()
    assert any("Medical clearance recorded" in e["reason"] for e in history)


@pytest.mark.parametrize(
    ("field", "value"), [("clearance_required", False), ("supervised_sessions", 0), ("supervision_required", False)]
)
def test_only_a_clinician_may_waive_clearance_or_the_supervised_start(world, field, value):
    plan = _draft(world, **HIGH_INFLAMMATION)
    body = {"version": plan.version, "adjustments": [{"field": field, "value": value}], "reason": "Seen in clinic."}

    refused = client_for(world.physio).patch(f"{PLANS}{plan.pk}/limits/", body, format="json")
    assert refused.status_code == 403
    plan.refresh_from_db()
    assert engine_plan(plan).limits.clearance_required is True
    assert engine_plan(plan).limits.supervised_sessions == 3

    accepted = client_for(world.clinician).patch(f"{PLANS}{plan.pk}/limits/", body, format="json")
    assert accepted.status_code == 200, accepted.content
    plan.refresh_from_db()
    assert get_field(engine_plan(plan).limits, field) == value


def test_a_flare_that_asks_for_clearance_keeps_the_plan_paused_until_a_clinician_clears_it(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    flare = builders.valid_assessment_payload(assessed_on="2026-11-03", inflammation_activity="high")
    assert (
        client_for(world.physio)
        .post(f"/api/v1/patients/{world.patient.pk}/assessments/", flare, format="json")
        .status_code
        == 201
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED

    def resume():
        body = {"version": plan.version, "reason": "Reviewed the flare."}
        return client_for(world.clinician).post(f"{PLANS}{plan.pk}/resume/", body, format="json")

    refused = resume()
    assert refused.status_code == 409
    assert refused.json()["code"] == "clearance_required"
    assert "clearance.inflammation_high" in {rule["id"] for rule in refused.json()["rules"]}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED

    assert _clear(world.clinician, plan).status_code == 201
    plan.refresh_from_db()
    assert resume().status_code == 200
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE

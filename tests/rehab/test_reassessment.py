"""A new assessment changes the running plan within the request: rows, history, alerts, email."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from planner.catalogue import exercise_violations
from planner.limits import LOOSENING_TESTS, check_dose, get_field
from planner.reassessment import loosens
from rehab.models import Alert, AlertKind, Assessment, Patient, Plan, PlanItem, PlanStatus, User
from rehab.services.plans import engine_plan, plan_item_update, plan_limits_adjust
from rehab.services.reassessment import plan_reassess
from tests import builders
from tests.conftest import client_for
from tests.worker import running_worker, wait_for

TODAY = date(2026, 11, 25)  # week 4 of a plan started on 2 November
MILD = {
    "inflammation_activity": "inactive",
    "bone_fragility": "none",
    "cardiopulmonary_status": "cleared",
    "heterotopic_ossification_regions": [],
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def post_assessment(user, patient, **changes):
    payload = builders.valid_assessment_payload(assessed_on=TODAY.isoformat(), **{**MILD, **changes})
    return client_for(user).post(f"/api/v1/patients/{patient.pk}/assessments/", payload, format="json")


def week_doses_from(engine, week):
    return [entry for scheduled in engine.weeks[week - 1 :] for entry in scheduled.doses]


def test_a_flare_tightens_swaps_pauses_and_alerts_the_care_team_once(world, django_capture_on_commit_callbacks):
    plan = builders.make_active_plan(world.patient, world.physio, **MILD)
    before, version = engine_plan(plan), plan.version

    with django_capture_on_commit_callbacks(execute=True):
        response = post_assessment(world.physio, world.patient, inflammation_activity="high")

    assert response.status_code == 201, response.content
    assessment = Assessment.objects.get(pk=response.json()["id"])
    outcome = response.json()["running_plan"]
    plan.refresh_from_db()
    after = engine_plan(plan)
    assert plan.status == PlanStatus.PAUSED
    assert "inflammation" in plan.pause_reason
    assert plan.assessment_id == assessment.pk
    assert plan.version == version + 1
    assert outcome["id"] == plan.pk
    assert outcome["paused"] is True
    # Stored limits are stricter and nothing is looser than before.
    assert after.limits.aerobic.max_hrr_pct < before.limits.aerobic.max_hrr_pct
    assert all(not loosens(p, get_field(before.limits, p), get_field(after.limits, p)) for p in LOOSENING_TESTS)
    # Every dose from this week on and every item pass the new limits.
    assert all(check_dose(entry, after.limits) == [] for entry in week_doses_from(after, 4))
    assert all(check_dose(item, after.limits, after.profile) == [] for item in after.items)
    # The exercises the flare forbids are gone from the plan, each swapped or removed.
    forbidden = [i.slug for i in before.items if exercise_violations(i.exercise, after.limits, after.profile)]
    assert forbidden, "no item of the mild plan is forbidden by a flare any more; change the test's profiles"
    kinds = {c["exercise"]: c["kind"] for c in outcome["changes"] if "exercise" in c}
    for slug in forbidden:
        assert slug not in {item.slug for item in after.items}
        assert kinds[slug] in ("swapped", "removed")
    for change in outcome["changes"]:
        if change["kind"] == "swapped":
            assert PlanItem.objects.filter(plan=plan, exercise__slug=change["replacement"]).exists()
    # One urgent FLARE alert for this assessment, emailed after commit.
    alert = Alert.objects.get(assessment=assessment, kind=AlertKind.FLARE)
    assert alert.urgent
    assert alert.pk == outcome["alert_id"]
    assert "inflammation inactive → high" in alert.message
    assert alert.emailed_at is not None
    assert len(mail.outbox) == 1
    # History names the reassessment and what changed.
    reason = plan.history.first().history_change_reason
    assert reason.startswith(f"Reassessment of {TODAY.isoformat()}: inflammation inactive → high;")
    assert f"aerobic ceiling {before.limits.aerobic.max_hrr_pct} → {after.limits.aerobic.max_hrr_pct} %HRR" in reason

    # Retry-safe: running it again for the same assessment changes nothing and alerts nobody twice.
    plan_reassess(actor=world.physio, assessment=assessment)
    plan.refresh_from_db()
    assert plan.version == version + 1
    assert Alert.objects.filter(assessment=assessment).count() == 1


def test_a_milder_assessment_keeps_the_limits_and_proposes_the_looser_ones(world):
    plan = builders.make_active_plan(world.patient, world.physio, **{**MILD, "inflammation_activity": "moderate"})
    before = engine_plan(plan)

    response = post_assessment(world.physio, world.patient)

    plan.refresh_from_db()
    after = engine_plan(plan)
    assert plan.status == PlanStatus.ACTIVE
    assert all(get_field(before.limits, p) == get_field(after.limits, p) for p in LOOSENING_TESTS)
    alert = Alert.objects.get(kind=AlertKind.LIMITS_LOOSENED)
    assert not alert.urgent
    assert "aerobic ceiling" in alert.message
    assert not Alert.objects.filter(kind=AlertKind.FLARE).exists()
    outcome = response.json()["running_plan"]
    assert outcome["alert_id"] == alert.pk
    assert outcome["paused"] is False
    assert any(c["kind"] == "limit_proposed" and c["field"] == "aerobic.max_hrr_pct" for c in outcome["changes"])


def test_without_a_running_plan_only_the_assessment_is_stored(world):
    response = post_assessment(world.physio, world.patient, inflammation_activity="high")

    assert response.status_code == 201
    assert response.json()["running_plan"] is None
    assert Assessment.objects.count() == 1
    assert not Plan.objects.exists()
    assert not Alert.objects.exists()


def test_a_clinicians_tightening_survives_a_reassessment(world):
    plan = builders.make_active_plan(world.patient, world.physio, **MILD)
    plan = plan_limits_adjust(
        actor=world.clinician,
        plan=plan,
        version=plan.version,
        adjustments=[{"field": "resistance.max_pct_1rm", "value": 20}],
        reason="Shoulder still sore",
    )

    post_assessment(world.physio, world.patient, inflammation_activity="low")

    plan.refresh_from_db()
    assert engine_plan(plan).limits.resistance.max_pct_1rm == 20


def test_an_override_above_a_newly_tightened_limit_is_clamped_and_no_longer_applies(world):
    plan = builders.make_active_plan(world.patient, world.physio, **MILD)
    engine = engine_plan(plan)
    # A weighted exercise that high inflammation still allows (a swing would be swapped out instead).
    item_spec = next(
        i
        for i in engine.items
        if i.dose.intensity_in("pct_1rm") is not None
        and not {"ballistic", "swinging", "rapid", "heavy_eccentric", "heavy_isometric"} & set(i.exercise.tags)
    )
    item = PlanItem.objects.get(plan=plan, exercise__slug=item_spec.slug)
    high = engine.limits.resistance.max_pct_1rm + 5
    plan = plan_item_update(
        actor=world.physio,
        plan=plan,
        item=item,
        version=plan.version,
        changes={"intensity_high": high},
        override_reason="Tolerated well in clinic",
    )

    response = post_assessment(world.physio, world.patient, inflammation_activity="high")

    plan.refresh_from_db()
    after = engine_plan(plan)
    dose = after.weeks[3].dose_for(item_spec.slug).dose
    assert check_dose(dose, after.limits) == []
    assert dose.intensity_in("pct_1rm").high <= after.limits.resistance.max_pct_1rm < high
    released = [c for c in response.json()["running_plan"]["changes"] if c["kind"] == "override_released"]
    assert [c["exercise"] for c in released] == [item_spec.slug]
    assert "override no longer applies" in plan.history.first().history_change_reason


def test_the_plan_pages_and_pdf_still_render_after_a_swap(world):
    plan = builders.make_active_plan(world.patient, world.physio, **MILD)
    post_assessment(world.physio, world.patient, inflammation_activity="high")

    client = client_for(world.physio)
    assert client.get(f"/api/v1/plans/{plan.pk}/").status_code == 200
    assert client.get(f"/api/v1/plans/{plan.pk}/pdf/").status_code == 200


def test_the_demo_patients_flare_pauses_the_plan_and_alerts_the_care_team_within_the_request(db):
    call_command("seed_demo", force=True, verbosity=0)
    physio = User.objects.get(username="physio")
    patient = Patient.objects.get(user__username="patient")
    plan = Plan.objects.get(patient=patient, status=PlanStatus.ACTIVE)
    latest = patient.assessments.order_by("-assessed_on", "-id").first()
    payload = {
        name: getattr(latest, name)
        for name in builders.valid_assessment_payload()
        if name not in ("assessed_on",) and hasattr(latest, name)
    }
    payload.update(assessed_on=TODAY.isoformat(), inflammation_activity="high")
    if payload.get("measured_hr_max") is None:
        payload.pop("measured_hr_max")

    response = client_for(physio).post(f"/api/v1/patients/{patient.pk}/assessments/", payload, format="json")

    assert response.status_code == 201, response.content
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    alert = Alert.objects.get(patient=patient, kind=AlertKind.FLARE)
    assert alert.urgent
    assert response.json()["running_plan"]["alert_id"] == alert.pk


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_flare_alert_is_emailed_through_a_real_worker(world, tmp_path):
    builders.make_active_plan(world.patient, world.physio, **MILD)
    with running_worker(tmp_path):
        response = post_assessment(world.physio, world.patient, inflammation_activity="high")
        assert response.status_code == 201
        wait_for(lambda: Alert.objects.filter(kind=AlertKind.FLARE, emailed_at__isnull=False).exists())
        wait_for(lambda: len(mail.outbox) == 1)
    assert set(mail.outbox[0].to) == {world.physio.email, world.clinician.email}

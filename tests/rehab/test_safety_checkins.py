"""Safety v2 through the API: vital signs and pain sites on check-ins, disease-activity measures, and
the alerts the weekly decision raises (strength re-test due, CK rising, three amber weeks)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from rehab.models import Alert, AlertKind, CheckIn, Measurement, PlanStatus, ProgressionDecision
from rehab.services.checkins import checkin_record, measurement_record
from rehab.services.plans import engine_plan
from rehab.services.progression import plan_progress
from tests import builders
from tests.conftest import client_for
from tests.worker import running_worker, wait_for

START = date(2026, 11, 2)
TODAY = "2026-11-10 10:00"


@pytest.fixture
def plan(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    plan.assessment.resting_spo2 = 97
    plan.assessment.save()
    return plan


def _post(user, payload, key):
    return client_for(user).post("/api/v1/checkins/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


def _session(**extra):
    return {"date": "2026-11-09", "session_rpe": 11, "pain_during": 2, "pain_after": 2, **extra}


# --- vital signs --------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_a_desaturation_below_90_is_a_red_flag_that_pauses_and_alerts_with_the_number(
    world, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(world.patient_user, _session(spo2_min=88), "ox-1")

    assert response.status_code == 201, response.content
    checkin = CheckIn.objects.get()
    assert checkin.spo2_min == 88
    assert checkin.red_flags == ["low_oxygen"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    alert = Alert.objects.get(kind=AlertKind.RED_FLAG)
    assert alert.urgent
    assert "88 %" in alert.message
    assert any("ambulance" in line for line in response.json()["advice"])
    assert len(mail.outbox) == 1


@time_machine.travel(TODAY, tick=False)
def test_a_fall_of_four_points_from_rest_is_a_red_flag_and_three_points_is_not(
    world, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(world.patient_user, _session(spo2_min=94), "ox-2").json()["red_flags"] == []
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(world.patient_user, _session(date="2026-11-08", spo2_min=93), "ox-3")
    assert response.json()["red_flags"] == ["low_oxygen"]
    assert "fell by 4 points" in Alert.objects.get(kind=AlertKind.RED_FLAG).message


@time_machine.travel(TODAY, tick=False)
def test_a_heart_rate_above_the_zone_tells_the_patient_but_does_not_pause(world, plan):
    ceiling = engine_plan(plan).limits.aerobic.hr_zone_bpm[1]
    response = _post(world.patient_user, _session(heart_rate_avg=ceiling + 3, heart_rate_max=ceiling + 15), "hr-1")

    assert response.status_code == 201, response.content
    advice = response.json()["advice"]
    assert any(f"limit of {ceiling} beats a minute" in line for line in advice)
    assert not any("paused" in line for line in advice)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"spo2_min": 49}, "spo2_min"),
        ({"heart_rate_avg": 250}, "heart_rate_avg"),
        ({"heart_rate_avg": 120, "heart_rate_max": 110}, "heart_rate_max"),
        ({"pain_regions": ["knee"]}, "pain_regions"),
        ({"pain_regions": ["joints", "joints"]}, "pain_regions"),
        ({"pain_item": 999999}, "pain_item"),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_bad_vital_signs_and_pain_sites_are_a_400_naming_the_field_and_store_nothing(world, plan, extra, field):
    response = _post(world.patient_user, _session(**extra), f"bad-{field}")

    assert response.status_code == 400
    assert field in response.json()
    assert not CheckIn.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_painful_exercise_must_belong_to_the_plan(world, plan):
    other_plan = builders.make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    response = _post(world.patient_user, _session(pain_item=other_plan.items.first().pk), "foreign-item")

    assert response.status_code == 400
    assert "pain_item" in response.json()
    assert not CheckIn.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_pain_sites_and_the_painful_exercise_are_stored_in_vocabulary_order(world, plan):
    item = plan.items.first()
    response = _post(world.patient_user, _session(pain_regions=["joints", "calcified_area"], pain_item=item.pk), "s")

    assert response.status_code == 201, response.content
    checkin = CheckIn.objects.get()
    assert checkin.pain_regions == ["calcified_area", "joints"]
    assert checkin.pain_item == item


# --- disease-activity measures ------------------------------------------------------------------


def test_a_ck_rise_of_the_rule_factor_alerts_the_care_team_at_once(world, plan, django_capture_on_commit_callbacks):
    measurement_record(actor=world.physio, patient=world.patient, kind="ck_u_l", value=180, measured_on=START)
    response = client_for(world.clinician).post(
        f"/api/v1/patients/{world.patient.pk}/measurements/",
        {"kind": "ck_u_l", "value": "300", "upper_limit_normal": "170", "measured_on": "2026-11-20"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["upper_limit_normal"] == "170.00"
    alert = Alert.objects.get(kind=AlertKind.CK_RISE)
    assert alert.urgent
    assert alert.measurement_id == response.json()["id"]
    assert "1.7 times the baseline of 180" in alert.message
    assert "upper limit of normal 170" in alert.message


def test_a_flare_from_the_treated_ck_alerts_although_the_result_at_diagnosis_was_higher(world, plan):
    for value, day in ((5000, "2026-08-01"), (300, "2026-10-20")):
        measurement_record(
            actor=world.physio, patient=world.patient, kind="ck_u_l", value=value, measured_on=date.fromisoformat(day)
        )
    assert not Alert.objects.exists()  # falling is no rise

    measurement_record(actor=world.physio, patient=world.patient, kind="ck_u_l", value=3000, measured_on=START)

    alert = Alert.objects.get(kind=AlertKind.CK_RISE)
    assert "10.0 times the baseline of 300 U/L on 2026-10-20" in alert.message


def test_a_small_ck_change_raises_nothing(world, plan):
    measurement_record(actor=world.physio, patient=world.patient, kind="ck_u_l", value=180, measured_on=START)
    measurement_record(actor=world.physio, patient=world.patient, kind="ck_u_l", value=250, measured_on=START)
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "grip_left_kg", "value": "20", "upper_limit_normal": "170"}, "upper_limit_normal"),
        ({"kind": "haq_di", "value": "3.5"}, "value"),
        ({"kind": "fatigue", "value": "11"}, "value"),
        ({"kind": "crp", "value": "1"}, "kind"),
    ],
)
def test_bad_measurements_are_a_400_naming_the_field(world, payload, field):
    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/measurements/", {**payload, "measured_on": "2026-11-20"}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Measurement.objects.exists()


def test_haq_di_and_global_scores_are_stored_with_two_decimals(world):
    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/measurements/",
        {"kind": "haq_di", "value": "1.25", "measured_on": "2026-11-20"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Measurement.objects.get().value == pytest.approx(1.25)


# --- the weekly decision's alerts ---------------------------------------------------------------


def _log_green_week(world, plan, week: int, **values):
    for n in range(5):
        day = START + timedelta(days=7 * (week - 1) + n)
        with time_machine.travel(day + timedelta(hours=12), tick=False):
            checkin_record(
                actor=world.patient_user,
                plan=plan,
                idempotency_key=f"w{week}-{n}",
                date=day,
                pain_during=values.get("during", 1),
                pain_after=values.get("after", 1),
                pain_next_morning=values.get("morning", 3),
                session_rpe=11,
                items=[{"plan_item": item, "done": True} for item in plan.items.all()],
            )


def _resistance_slugs(plan):
    return {item.slug for item in engine_plan(plan).items if item.component == "resistance"}


def test_myositis_without_a_strength_test_holds_resistance_and_asks_for_one(world, plan):
    _log_green_week(world, plan, 1)
    plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 10))

    decision = ProgressionDecision.objects.get(plan=plan, week=1)
    for slug in _resistance_slugs(plan):
        assert decision.changes[slug]["direction"] is None
        assert "baseline" in decision.changes[slug]["text"]
    alert = Alert.objects.get(kind=AlertKind.RETEST_DUE)
    assert "baseline MMT-8 or FI-3" in alert.message
    assert not alert.urgent


def test_a_recent_strength_test_lets_the_week_pass_without_a_retest_alert(world, plan):
    measurement_record(actor=world.physio, patient=world.patient, kind="mmt8_total", value=64, measured_on=START)
    _log_green_week(world, plan, 1)
    plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 10))

    decision = ProgressionDecision.objects.get(plan=plan, week=1)
    assert all("baseline" not in decision.changes[slug]["text"] for slug in _resistance_slugs(plan))
    assert not Alert.objects.filter(kind=AlertKind.RETEST_DUE).exists()


@pytest.mark.parametrize(("assessed_days_before", "due"), [(40, True), (30, False)])
def test_highly_active_inflammation_not_reassessed_in_six_weeks_holds_every_dose_and_asks_for_it(
    world, plan, assessed_days_before, due
):
    plan.assessment.inflammation_activity = "high"
    plan.assessment.assessed_on = START - timedelta(days=assessed_days_before)  # week 1 ends on START + 6
    plan.assessment.save()
    measurement_record(actor=world.physio, patient=world.patient, kind="mmt8_total", value=64, measured_on=START)
    _log_green_week(world, plan, 1)
    plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 10))

    decision = ProgressionDecision.objects.get(plan=plan, week=1)
    advanced = [slug for slug, change in decision.changes.items() if change["direction"] == "up"]
    alerts = Alert.objects.filter(kind=AlertKind.REASSESSMENT_DUE)
    if due:
        assert advanced == []
        assert decision.review_required
        assert "reassessment due" in alerts.get().message
    else:
        assert advanced
        assert not alerts.exists()


def test_three_amber_weeks_in_a_row_raise_one_review_alert(world, plan):
    measurement_record(actor=world.physio, patient=world.patient, kind="mmt8_total", value=64, measured_on=START)
    for week in (1, 2, 3):
        _log_green_week(world, plan, week, during=4, after=4)
    plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 24))

    lights = list(ProgressionDecision.objects.filter(plan=plan).order_by("week").values_list("light", flat=True))
    assert lights == ["amber", "amber", "amber"]
    alert = Alert.objects.get(kind=AlertKind.AMBER_STREAK)
    assert alert.decision.week == 3


def test_high_resting_pain_that_does_not_rise_can_be_green(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START, pain_at_rest=6)
    measurement_record(actor=world.physio, patient=world.patient, kind="mmt8_total", value=64, measured_on=START)
    _log_green_week(world, plan, 1, during=6, after=6, morning=6)
    plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 10))

    decision = ProgressionDecision.objects.get(plan=plan, week=1)
    assert (decision.light, decision.action) == ("green", "advance")


# --- through a real worker ------------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_desaturation_through_a_real_worker_pauses_the_plan_and_emails_the_care_team(world, tmp_path):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=date.today() - timedelta(days=3))
    with running_worker(tmp_path):
        response = _post(
            world.patient_user,
            {"date": date.today().isoformat(), "pain_during": 1, "pain_after": 1, "spo2_min": 86},
            "worker-oxygen",
        )
        assert response.status_code == 201, response.content
        wait_for(lambda: Alert.objects.filter(kind=AlertKind.RED_FLAG, emailed_at__isnull=False).exists())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    assert "86 %" in Alert.objects.get(kind=AlertKind.RED_FLAG).message


def test_the_new_fields_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/?format=json").json()
    checkin = schema["components"]["schemas"]["CheckIn"]["properties"]
    for name in ("heart_rate_avg", "heart_rate_max", "spo2_min", "pain_regions", "pain_item", "supervised_by"):
        assert name in checkin
    measurement = schema["components"]["schemas"]["Measurement"]["properties"]
    assert "upper_limit_normal" in measurement
    kinds = schema["components"]["schemas"]["MeasurementKindEnum"]["enum"]
    assert {"ck_u_l", "haq_di", "patient_global", "physician_global", "fatigue"} <= set(kinds)


@time_machine.travel(TODAY, tick=False)
def test_the_progress_series_and_the_staff_page_show_where_it_hurt_and_the_vital_signs(world, plan, client):
    item = plan.items.first()
    _post(world.patient_user, _session(pain_regions=["joints"], pain_item=item.pk, heart_rate_avg=101), "v-1")

    body = client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/progress/").json()
    (row,) = body["symptoms"]
    assert row["pain_sites"] == ["My joints"]
    assert row["painful_exercise"] == item.exercise.name
    assert row["heart_rate_avg"] == 101
    client.force_login(world.physio)
    html = client.get(f"/patients/{world.patient.pk}/").content.decode()
    assert 'id="symptoms"' in html
    assert item.exercise.name in html

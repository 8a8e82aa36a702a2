"""Staff pages through the Django test client: access, caseload, dashboard order, plan editing and review."""

import dataclasses
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
import time_machine

from planner import triage as triage_rules
from planner.triage import LOW_ADHERENCE, default_triage_rules
from rehab.models import Alert, AlertKind, LimitOverride, Measurement, Patient, Plan, PlanStatus, ProgressionDecision
from rehab.services.alerts import checkin_follow_up
from rehab.services.checkins import checkin_record
from rehab.services.plans import engine_plan
from tests import builders

START = date(2026, 11, 2)  # a Monday; "today" is the Friday of week 3
TODAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


@pytest.fixture
def draft(world):
    from rehab.services.plans import plan_generate

    builders.make_assessment(world.patient, by=world.physio)
    return plan_generate(actor=world.physio, patient=world.patient, start_date=START, weeks=12)


def signed_in(client, user):
    client.force_login(user)
    return client


def html_of(response) -> str:
    return response.content.decode()


def walking(plan):
    return plan.items.select_related("exercise").get(exercise__slug="flat-walking")


def log_session(world, plan, day, *, pain=(1, 2, 2), red_flags=(), key=None):
    checkin, _ = checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key=key or f"s-{day}",
        date=day,
        pain_during=pain[0],
        pain_after=pain[1],
        pain_next_morning=pain[2],
        session_rpe=11,
        red_flags=list(red_flags),
    )
    return checkin


# ---------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------


def test_the_caseload_lists_only_the_care_teams_patients(world, client, plan):
    page = html_of(signed_in(client, world.physio).get("/caseload/"))
    assert world.patient.last_name in page
    assert world.other_patient.last_name not in page  # same clinic, another care team
    assert world.foreign_patient.last_name not in page  # another clinic
    assert "Active" in page
    assert "week 3 of 12" in page


def test_the_caseload_search_finds_patients_by_name(world, client):
    builders.make_patient(world.clinic, care_team=[world.physio], first_name="Ann", last_name="Zephyr")
    client = signed_in(client, world.physio)
    page = html_of(client.get("/caseload/", {"q": "zeph"}))
    assert "Zephyr" in page
    assert world.patient.last_name not in page
    assert "1 patient matching" in page
    assert world.patient.last_name in html_of(client.get("/caseload/", {"q": "Helen"}))


def test_a_search_with_htmx_returns_only_the_results(world, client):
    response = signed_in(client, world.physio).get("/caseload/", {"q": "Helen"}, HTTP_HX_REQUEST="true")
    page = html_of(response)
    assert "<html" not in page
    assert world.patient.last_name in page


def test_a_clinic_admin_sees_the_clinics_patients_but_no_clinical_pages(world, client):
    client = signed_in(client, world.admin)
    page = html_of(client.get("/caseload/"))
    assert world.patient.last_name in page
    assert world.other_patient.last_name in page
    assert world.foreign_patient.last_name not in page
    assert client.get(f"/patients/{world.patient.pk}/").status_code == 403
    assert client.get("/dashboard/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/patients/{patient}/",
        "/patients/{patient}/audit/",
        "/patients/{patient}/assessments/new/",
        "/plans/{plan}/",
        "/plans/{plan}/history/",
        "/plans/{plan}/limits/",
        "/plans/{plan}/items/{item}/edit/",
    ],
)
def test_another_teams_patient_and_plan_are_not_found(world, client, path):
    plan = builders.make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    url = path.format(patient=world.other_patient.pk, plan=plan.pk, item=walking(plan).pk)
    assert signed_in(client, world.physio).get(url).status_code == 404
    assert signed_in(client, world.foreign_physio).get(url).status_code == 404


def test_another_clinics_patient_is_not_found(world, client):
    assert signed_in(client, world.physio).get(f"/patients/{world.foreign_patient.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/caseload/", "/dashboard/", "/patients/new/", "/patients/{patient}/", "/plans/{plan}/"]
)
def test_patients_cannot_open_staff_pages(world, client, plan, path):
    url = path.format(patient=world.patient.pk, plan=plan.pk)
    assert signed_in(client, world.patient_user).get(url).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/caseload/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_home_sends_each_role_to_its_start_page(world, client):
    assert signed_in(client, world.physio).get("/")["Location"] == "/caseload/"
    assert signed_in(client, world.clinician).get("/")["Location"] == "/dashboard/"


# ---------------------------------------------------------------------------------------------
# Dashboard
# ---------------------------------------------------------------------------------------------


def _patient_with_plan(world, name):
    patient = builders.make_patient(world.clinic, care_team=[world.physio, world.clinician], last_name=name)
    return patient, builders.make_active_plan(patient, world.physio, start_date=START)


def test_the_dashboard_puts_a_red_flag_above_a_paused_plan_above_a_quiet_patient(world, client):
    _quiet, _ = _patient_with_plan(world, "Aquiet")
    _paused, paused_plan = _patient_with_plan(world, "Bpaused")
    Plan.objects.filter(pk=paused_plan.pk).update(status=PlanStatus.PAUSED, pause_reason="Flu, paused by phone")
    _flagged, flagged_plan = _patient_with_plan(world, "Cflagged")
    checkin = log_session(world, flagged_plan, date(2026, 11, 18), red_flags=["chest_pain"])
    checkin_follow_up(checkin_id=checkin.pk)

    page = html_of(signed_in(client, world.clinician).get("/dashboard/"))
    assert page.index("Cflagged") < page.index("Bpaused") < page.index("Aquiet")
    assert "Red flag" in page
    assert "Chest pain" in page
    assert "Flu, paused by phone" in page
    assert "1 needs you today" in page


def test_the_dashboard_flags_rising_pain_and_low_adherence(world, client, plan):
    for day in (date(2026, 11, 9), date(2026, 11, 11)):
        log_session(world, plan, day, pain=(1, 1, 1))
    log_session(world, plan, date(2026, 11, 16), pain=(4, 5, 5))
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
    page = html_of(signed_in(client, world.clinician).get("/dashboard/"))
    assert "Pain rising" in page
    assert "mean 1.0 → 4.7 (weeks 2 → 3)" in page
    assert "Low adherence" in page
    assert "1 of 3 sessions in week 2" in page


def test_the_dashboard_legend_says_the_low_adherence_share_of_the_rule_in_use(world, client, monkeypatch):
    client = signed_in(client, world.clinician)
    assert "fewer than two thirds of the planned sessions" in html_of(client.get("/dashboard/"))
    rules = default_triage_rules()
    stricter = tuple(
        dataclasses.replace(rule, threshold=Fraction(3, 4)) if rule.id == LOW_ADHERENCE else rule
        for rule in rules.rules
    )
    monkeypatch.setattr(triage_rules, "default_triage_rules", lambda: dataclasses.replace(rules, rules=stricter))

    page = html_of(client.get("/dashboard/"))

    assert "fewer than three quarters of the planned sessions" in page
    assert "two thirds" not in page


# ---------------------------------------------------------------------------------------------
# Creating patients and assessments
# ---------------------------------------------------------------------------------------------


def test_a_physiotherapist_registers_a_patient_and_the_sign_in_link_goes_to_the_patient_only(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, world.physio).post(
            "/patients/new/",
            {
                "first_name": "Mary",
                "last_name": "Stone",
                "date_of_birth": "1968-05-01",
                "sex": "female",
                "diagnoses": "Dermatomyositis\nOsteoporosis",
                "email": "mary@example.org",
                "time_zone": "Europe/London",
                "care_team": [world.clinician.pk],
                "create_login": "on",
            },
        )
    patient = Patient.objects.get(last_name="Stone")
    assert response["Location"] == f"/patients/{patient.pk}/"
    assert set(patient.care_team.all()) == {world.physio, world.clinician}
    assert patient.diagnoses == ["Dermatomyositis", "Osteoporosis"]
    page = html_of(client.get(response["Location"]))
    assert "/activate/" not in page
    assert "on its way by email to mary@example.org" in page
    assert [m.to for m in mailoutbox] == [["mary@example.org"]]
    assert "/activate/" in mailoutbox[0].body


def test_a_refused_patient_form_keeps_what_was_typed(world, client):
    response = signed_in(client, world.physio).post(
        "/patients/new/",
        {
            "first_name": "Mary",
            "last_name": "Stone",
            "date_of_birth": "2999-01-01",
            "sex": "female",
            "time_zone": "Mars",
        },
    )
    assert response.status_code == 400
    page = html_of(response)
    assert 'value="Mary"' in page
    assert 'value="Stone"' in page
    assert "cannot be in the future" in page
    assert "Unknown time zone" in page
    assert not Patient.objects.filter(last_name="Stone").exists()


def test_the_assessment_form_explains_its_fields(world, client):
    page = html_of(signed_in(client, world.physio).get(f"/patients/{world.patient.pk}/assessments/new/"))
    assert "Fragility fracture" in page
    assert "fall from standing height" in page
    assert "Heterotopic ossification" in page
    assert "calcified masses" in page
    # Regions are checkbox groups: one row per region, left and right side by side, each fully named.
    assert 'type="checkbox" name="heterotopic_ossification_regions" value="gluteal_left"' in page
    assert '<span class="visually-hidden">Buttock (gluteal region), </span>left' in page


def test_an_assessment_is_recorded_from_the_form(world, client):
    response = signed_in(client, world.physio).post(
        f"/patients/{world.patient.pk}/assessments/new/",
        {
            "assessed_on": "2026-11-19",
            "bone_fragility": "osteoporosis",
            "heterotopic_ossification_regions": ["gluteal_left", "gluteal_right"],
            "inflammation_activity": "moderate",
            "pain_at_rest": "3",
            "resting_hr": "72",
            "cardiopulmonary_status": "monitor",
            "notes": "Masses tender.",
        },
    )
    assert response.status_code == 302
    assessment = world.patient.assessments.get()
    assert assessment.heterotopic_ossification_regions == ["gluteal_left", "gluteal_right"]
    assert assessment.available_equipment is None
    assert assessment.assessed_by == world.physio


def test_a_maximal_heart_rate_below_the_resting_one_is_refused(world, client):
    response = signed_in(client, world.physio).post(
        f"/patients/{world.patient.pk}/assessments/new/",
        {
            "assessed_on": "2026-11-19",
            "bone_fragility": "none",
            "inflammation_activity": "low",
            "pain_at_rest": "2",
            "resting_hr": "90",
            "measured_hr_max": "85",
            "cardiopulmonary_status": "cleared",
        },
    )
    assert response.status_code == 400
    assert "must be above the resting heart rate" in html_of(response)
    assert not world.patient.assessments.exists()


# ---------------------------------------------------------------------------------------------
# Plans: generate, review, edit, activate, history
# ---------------------------------------------------------------------------------------------


def test_a_physiotherapist_generates_a_draft_and_reviews_it(world, client):
    builders.make_assessment(world.patient, by=world.physio)
    client = signed_in(client, world.physio)
    response = client.post(f"/patients/{world.patient.pk}/plans/new/", {"start_date": "2026-11-23", "weeks": "8"})
    plan = Plan.objects.get(patient=world.patient)
    assert response["Location"] == f"/plans/{plan.pk}/"
    page = html_of(client.get(f"/plans/{plan.pk}/"))
    assert "Draft" in page
    assert "Activate the plan" in page
    # Limits with their rules, evidence tags and sources.
    assert "Aerobic intensity ceiling" in page
    assert "39 %HRR" in page
    assert "With moderate or high inflammation, aerobic work stays light" in page
    assert "guideline or trial" in page
    # Each item with its FITT-VP values in units, and the rules behind them.
    assert "Walking on flat ground" in page
    assert "30–39 %HRR" in page
    assert "99–108 bpm" in page
    assert "RPE 9–11 (very light to light)" in page
    assert "5 days a week" in page
    assert "75 min/week" in page
    assert "Weekly growth at most 10 % averaged over 3 weeks" in page
    assert "Minutes +5 a week up to 30" in page
    assert "Why these values" in page
    # The week-by-week schedule.
    assert "Week 8" in page
    assert "Week 9" not in page


def test_generating_without_an_assessment_says_what_to_do(world, client):
    response = signed_in(client, world.physio).post(
        f"/patients/{world.patient.pk}/plans/new/", {"start_date": "2026-11-23", "weeks": "8"}
    )
    assert response.status_code == 400
    assert "Record an assessment first" in html_of(response)


def test_a_clinician_cannot_generate_or_activate(world, client, draft):
    client = signed_in(client, world.clinician)
    assert client.post(f"/patients/{world.patient.pk}/plans/new/", {}).status_code == 403
    assert client.post(f"/plans/{draft.pk}/activate/", {"version": draft.version}).status_code == 403
    assert "Activate the plan" not in html_of(client.get(f"/plans/{draft.pk}/"))


def test_a_dose_above_a_limit_shows_the_limit_and_stores_nothing(world, client, draft):
    item = walking(draft)
    response = signed_in(client, world.physio).post(
        f"/plans/{draft.pk}/items/{item.pk}/edit/",
        {
            "version": draft.version,
            "frequency_per_week": "3",
            "minutes": "10",
            "intensity_low": "30",
            "intensity_high": "60",
        },
    )
    assert response.status_code == 400
    page = html_of(response)
    assert "Aerobic intensity up to 60 %HRR is above the limit of 39 %HRR." in page
    assert "Reason for going above the limit" in page
    assert 'value="60"' in page  # what was typed stays
    draft.refresh_from_db()
    assert draft.version == 1
    assert not LimitOverride.objects.exists()


def test_a_dose_above_a_limit_with_a_reason_is_stored_as_an_override(world, client, draft):
    item = walking(draft)
    response = signed_in(client, world.physio).post(
        f"/plans/{draft.pk}/items/{item.pk}/edit/",
        {
            "version": draft.version,
            "frequency_per_week": "3",
            "minutes": "10",
            "intensity_low": "30",
            "intensity_high": "45",
            "override_reason": "Supervised in clinic, cardiologist agreed.",
        },
    )
    assert response.status_code == 302
    override = LimitOverride.objects.get()
    assert override.reason == "Supervised in clinic, cardiologist agreed."
    assert override.created_by == world.physio
    assert override.limits_exceeded[0]["limit"] == "aerobic.max_hrr_pct"
    draft.refresh_from_db()
    assert engine_plan(draft).weeks[0].dose_for("flat-walking").dose.intensity[0].high == 45
    assert Alert.objects.filter(kind=AlertKind.OVERRIDE, patient=world.patient).exists()
    page = html_of(client.get(f"/plans/{draft.pk}/"))
    assert "Above a limit with an override" in page


def test_a_clinician_cannot_override_a_limit(world, client, draft):
    item = walking(draft)
    response = signed_in(client, world.clinician).post(
        f"/plans/{draft.pk}/items/{item.pk}/edit/",
        {
            "version": draft.version,
            "frequency_per_week": "3",
            "minutes": "10",
            "intensity_high": "45",
            "intensity_low": "30",
            "override_reason": "I think it is fine.",
        },
    )
    assert response.status_code == 400
    assert "Only a physiotherapist may accept a dose above a limit" in html_of(response)
    assert not LimitOverride.objects.exists()


def test_a_dose_within_the_limits_is_saved_and_recorded_in_the_history(world, client, draft):
    item = walking(draft)
    client = signed_in(client, world.physio)
    response = client.post(
        f"/plans/{draft.pk}/items/{item.pk}/edit/",
        {
            "version": draft.version,
            "frequency_per_week": "3",
            "minutes": "12",
            "intensity_low": "30",
            "intensity_high": "39",
            "reason": "Walks 12 minutes easily",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert engine_plan(draft).weeks[0].dose_for("flat-walking").dose.minutes == 12
    page = html_of(client.get(f"/plans/{draft.pk}/history/"))
    assert "Walking on flat ground, from week 1: Walks 12 minutes easily" in page


def test_a_stale_version_asks_to_reload_and_keeps_what_was_typed(world, client, draft):
    item = walking(draft)
    response = signed_in(client, world.physio).post(
        f"/plans/{draft.pk}/items/{item.pk}/edit/",
        {
            "version": draft.version - 1 or 99,
            "frequency_per_week": "3",
            "minutes": "13",
            "intensity_low": "30",
            "intensity_high": "39",
        },
    )
    assert response.status_code == 400
    page = html_of(response)
    assert "Someone else changed this plan" in page
    assert "Reload" in page
    assert 'value="13"' in page


def test_the_dose_form_rerenders_in_place_with_htmx(world, client, draft):
    item = walking(draft)
    client = signed_in(client, world.physio)
    form = client.get(f"/plans/{draft.pk}/items/{item.pk}/edit/", HTTP_HX_REQUEST="true")
    assert "<html" not in html_of(form)
    assert "hx-post=" in html_of(form)
    refused = client.post(
        f"/plans/{draft.pk}/items/{item.pk}/edit/",
        {
            "version": draft.version,
            "frequency_per_week": "3",
            "minutes": "10",
            "intensity_low": "30",
            "intensity_high": "60",
        },
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200  # htmx swaps it in place
    assert "above the limit of 39 %HRR" in html_of(refused)
    assert "<html" not in html_of(refused)
    saved = client.post(
        f"/plans/{draft.pk}/items/{item.pk}/edit/",
        {
            "version": draft.version,
            "frequency_per_week": "3",
            "minutes": "11",
            "intensity_low": "30",
            "intensity_high": "39",
        },
        HTTP_HX_REQUEST="true",
    )
    assert saved["HX-Redirect"] == f"/plans/{draft.pk}/?changed={item.pk}#item-{item.pk}"


def test_activation_needs_the_current_version(world, client, draft):
    client = signed_in(client, world.physio)
    stale = client.post(f"/plans/{draft.pk}/activate/", {"version": draft.version + 5}, follow=True)
    assert "Someone else changed this plan" in html_of(stale)
    client.post(f"/plans/{draft.pk}/activate/", {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ACTIVE
    page = html_of(client.get(f"/plans/{draft.pk}/"))
    assert 'id="plan-status">Active' in page
    assert f"/api/v1/plans/{draft.pk}/pdf/" in page


def test_an_active_plan_offers_the_email_button_when_the_patient_has_an_email(world, client, plan):
    Patient.objects.filter(pk=world.patient.pk).update(email="helen@example.org")
    page = html_of(signed_in(client, world.physio).get(f"/plans/{plan.pk}/"))
    assert f'action="/plans/{plan.pk}/email/"' in page


# ---------------------------------------------------------------------------------------------
# Clinician: alerts, limits, resume, measures, progress
# ---------------------------------------------------------------------------------------------


def test_acknowledging_an_alert_stores_the_note(world, client, plan):
    checkin = log_session(world, plan, date(2026, 11, 18), red_flags=["dizziness"])
    alert = checkin_follow_up(checkin_id=checkin.pk)[0]
    client = signed_in(client, world.clinician)
    assert "Dizziness" in html_of(client.get(f"/patients/{world.patient.pk}/"))
    refused = client.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "  "})
    assert refused.status_code == 400
    response = client.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "Phoned her: orthostatic, fluids advised."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledgement_note == "Phoned her: orthostatic, fluids advised."
    assert alert.acknowledged_by == world.clinician


def test_another_teams_alert_cannot_be_acknowledged(world, client):
    plan = builders.make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    alert = Alert.objects.create(patient=world.other_patient, plan=plan, kind=AlertKind.REVIEW, message="x")
    response = signed_in(client, world.clinician).post(f"/alerts/{alert.pk}/acknowledge/", {"note": "seen"})
    assert response.status_code == 404


def test_tightening_a_limit_works_and_loosening_needs_a_reason(world, client, plan):
    client = signed_in(client, world.clinician)
    form = html_of(client.get(f"/plans/{plan.pk}/limits/"))
    assert 'name="aerobic__max_rpe"' in form
    assert 'value="11"' in form
    data = {
        "version": plan.version,
        "max_impact": "low",
        "aerobic__max_rpe": "10",
        "aerobic__max_hrr_pct": "39",
        "resistance__max_pct_1rm": "50",
        "resistance__max_rpe": "13",
        "resistance__min_reps": "12",
        "flexibility__max_hold_seconds": "30",
        "weekly_progression_max_pct": "5",
        "supervision_required": "on",
        "excluded_tags": engine_plan(plan).limits.excluded_tags,
        "avoid_regions": ["gluteal_left", "gluteal_right"],
    }
    response = client.post(f"/plans/{plan.pk}/limits/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert engine_plan(plan).limits.aerobic.max_rpe == 10

    looser = {**data, "version": plan.version, "aerobic__max_rpe": "15"}
    refused = client.post(f"/plans/{plan.pk}/limits/", looser)
    assert refused.status_code == 400
    assert "needs a recorded reason" in html_of(refused)
    assert 'value="15"' in html_of(refused)
    plan.refresh_from_db()
    assert engine_plan(plan).limits.aerobic.max_rpe == 10


def test_resuming_a_paused_plan_needs_a_reason(world, client, plan):
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.PAUSED, pause_reason="Red flag", version=plan.version + 1)
    plan.refresh_from_db()
    client = signed_in(client, world.clinician)
    refused = client.post(f"/plans/{plan.pk}/resume/", {"version": plan.version, "reason": ""})
    assert refused.status_code == 400
    assert "Why the plan can resume" in html_of(refused)
    client.post(f"/plans/{plan.pk}/resume/", {"version": plan.version, "reason": "Seen in clinic, settled."})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_a_measurement_is_recorded_and_charted(world, client, plan):
    client = signed_in(client, world.clinician)
    refused = client.post(
        f"/patients/{world.patient.pk}/measurements/",
        {"kind": "mmt8_total", "value": "95", "measured_on": "2026-11-19"},
    )
    assert refused.status_code == 400
    assert "between 0 and 80" in html_of(refused)
    client.post(
        f"/patients/{world.patient.pk}/measurements/",
        {"kind": "mmt8_total", "value": "64", "measured_on": "2026-11-19"},
    )
    assert Measurement.objects.get().value == 64
    page = html_of(client.get(f"/patients/{world.patient.pk}/"))
    assert "MMT-8 total (unilateral) (points, higher is better)" in page


def test_the_clinician_patient_page_shows_progress_charts_with_tables_and_decisions(world, client, plan):
    for day in (date(2026, 11, 2), date(2026, 11, 4)):
        log_session(world, plan, day, pain=(2, 3, 2))
    from rehab.services.progression import plan_progress

    plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 10))
    page = html_of(signed_in(client, world.clinician).get(f"/patients/{world.patient.pk}/"))
    assert page.count('role="img"') >= 3
    assert "Data table" in page
    assert "Week 1:" in page
    assert "sessions done" in page
    assert "Rule:" in page
    assert "Progress report (PDF)" in page
    assert f"/api/v1/patients/{world.patient.pk}/report/pdf/" in page


def test_the_audit_trail_lists_changes_in_the_patients_time_zone(world, client, plan):
    Patient.objects.filter(pk=world.patient.pk).update(time_zone="Australia/Sydney")
    page = html_of(signed_in(client, world.physio).get(f"/patients/{world.patient.pk}/audit/"))
    assert "Australia/Sydney" in page
    assert "Activated" in page
    # Frozen at 12:00 UTC: 23:00 in Sydney (summer time).
    assert "23:00" in page


def test_a_patient_without_email_or_phone_gets_the_sign_in_link_by_qr_hand_over(world, client):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], last_name="Nolog")
    page = html_of(signed_in(client, world.physio).get(f"/patients/{patient.pk}/"))
    assert "Show a QR code to hand over now" in page
    assert "Email the sign-in link" not in page
    response = client.post(f"/patients/{patient.pk}/activation/", {"channel": "handover"})
    assert response.status_code == 200
    assert "<svg" in html_of(response)
    assert "no-store" in response["Cache-Control"]


def test_the_physiotherapist_patient_page_lists_plans_and_assessments(world, client, plan):
    page = html_of(signed_in(client, world.physio).get(f"/patients/{world.patient.pk}/"))
    assert f"/plans/{plan.pk}/" in page
    assert "Osteoporosis" in page
    assert "Buttock (gluteal region), both sides" in page
    assert "week 3 of 12" in page


def test_a_component_without_exercise_is_flagged_on_the_plan(world, client, draft):
    blueprint = dict(draft.blueprint, components_without_exercise=["neuromotor"])
    Plan.objects.filter(pk=draft.pk).update(blueprint=blueprint)
    page = html_of(signed_in(client, world.physio).get(f"/plans/{draft.pk}/"))
    assert "No exercise fits for: Balance and posture" in page


def test_a_clinic_admin_registers_a_patient_for_a_care_team(world, client):
    response = signed_in(client, world.admin).post(
        "/patients/new/",
        {
            "first_name": "Ann",
            "last_name": "Admitted",
            "date_of_birth": "1950-01-02",
            "sex": "female",
            "time_zone": "Europe/London",
            "care_team": [world.physio.pk],
        },
    )
    assert response["Location"] == "/caseload/"
    patient = Patient.objects.get(last_name="Admitted")
    assert list(patient.care_team.all()) == [world.physio]
    assert patient.user is None


def test_the_audit_trail_names_who_joined_the_care_team(world, client):
    world.patient.care_team.remove(world.clinician)
    page = html_of(signed_in(client, world.physio).get(f"/patients/{world.patient.pk}/audit/"))
    assert f"{world.clinician.display_name} left" in page


def test_the_caseload_and_dashboard_cost_the_same_queries_for_a_bigger_caseload(
    world, client, django_assert_max_num_queries
):
    client = signed_in(client, world.clinician)
    for n in range(3):
        _patient_with_plan(world, f"Extra{n}")
    with django_assert_max_num_queries(14) as small:
        client.get("/dashboard/")
    for n in range(3, 9):
        _patient_with_plan(world, f"Extra{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/dashboard/")
    with django_assert_max_num_queries(len(small.captured_queries) + 1):
        client.get("/caseload/")


def test_the_plan_page_shows_where_twelve_weeks_should_get_to(client, world, draft):
    page = html_of(signed_in(client, world.physio).get(f"/plans/{draft.pk}/"))

    assert 'id="targets"' in page
    assert "Aerobic work aims at 150 minutes a week" in page
    assert "Each resistance exercise aims at 2-3 sets" in page

"""Every staff page passes axe (WCAG 2.x A/AA) in real Chromium, with a realistic caseload behind it.

Screenshots land in tests/browser/screenshots/ for a person to look at.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rehab.models import Plan, PlanStatus
from rehab.services.alerts import checkin_follow_up
from rehab.services.checkins import checkin_record, measurement_record
from rehab.services.plans import plan_generate
from rehab.services.progression import plan_progress
from tests import builders
from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log(world, plan, day, pain, *, red_flags=()):
    checkin, _ = checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key=f"a11y-{plan.pk}-{day}",
        date=day,
        pain_during=pain[0],
        pain_after=pain[1],
        pain_next_morning=pain[2],
        session_rpe=11 + pain[0] % 3,
        red_flags=list(red_flags),
    )
    return checkin


def busy_caseload(world) -> Plan:
    """Helen three weeks into her plan with sessions, two decisions, measures and a red flag; others around her."""
    today = timezone.localdate()
    start = today - timedelta(days=17)
    plan = builders.make_active_plan(world.patient, world.physio, start_date=start)
    for offset, pain in (
        (0, (1, 2, 2)),
        (2, (2, 2, 3)),
        (4, (1, 2, 2)),
        (7, (2, 3, 3)),
        (9, (3, 4, 3)),
        (11, (3, 4, 4)),
    ):
        _log(world, plan, start + timedelta(days=offset), pain)
    plan_progress(plan_id=plan.pk, as_of=today)
    for offset, value in ((0, 58), (14, 61)):
        measurement_record(
            actor=world.clinician,
            patient=world.patient,
            kind="mmt8_total",
            value=value,
            measured_on=start + timedelta(offset),
        )
    flagged = _log(world, plan, today - timedelta(days=1), (3, 4, None), red_flags=["mass_inflamed"])
    checkin_follow_up(checkin_id=flagged.pk)
    for name in ("Okafor", "Lindqvist", "Byrne"):
        other = builders.make_patient(
            world.clinic, care_team=[world.physio, world.clinician], first_name="Ann", last_name=name
        )
        builders.make_active_plan(other, world.physio, start_date=today - timedelta(days=10))
    waiting = builders.make_patient(world.clinic, care_team=[world.physio, world.clinician], last_name="Draftwell")
    builders.make_assessment(waiting, by=world.physio)
    plan_generate(actor=world.physio, patient=waiting, start_date=today, weeks=12)
    plan.refresh_from_db()
    return plan


def _check(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name


def test_physiotherapist_pages_have_no_accessibility_violations(world, desktop):
    plan = busy_caseload(world)
    login(desktop, world.physio)
    page = desktop.new_page()

    page.goto("/caseload/")
    assert page.get_by_role("heading", name="Caseload").is_visible()
    _check(page, "physio-caseload")

    page.goto(f"/patients/{world.patient.pk}/")
    _check(page, "physio-patient")

    page.goto(f"/plans/{plan.pk}/")
    assert page.get_by_role("heading", name="Limits and the rules behind them").is_visible()
    _check(page, "physio-plan-review")

    walking = plan.items.get(exercise__slug="flat-walking")
    page.goto(f"/plans/{plan.pk}/items/{walking.pk}/edit/")
    _check(page, "physio-dose-edit")
    page.get_by_label("Intensity up to (% of heart-rate reserve)").fill("60")
    page.get_by_role("button", name="Save the dose").click()
    expect(page.get_by_role("heading", name="This dose is above the plan’s limits")).to_be_visible()
    _check(page, "physio-dose-edit-refused")

    page.goto(f"/plans/{plan.pk}/history/")
    _check(page, "physio-plan-history")

    page.goto(f"/patients/{world.patient.pk}/audit/")
    _check(page, "physio-audit")

    page.goto("/patients/new/")
    _check(page, "physio-new-patient")

    page.goto(f"/patients/{world.patient.pk}/assessments/new/")
    _check(page, "physio-new-assessment")


def test_clinician_pages_have_no_accessibility_violations(world, desktop):
    plan = busy_caseload(world)
    login(desktop, world.clinician)
    page = desktop.new_page()

    page.goto("/dashboard/")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    _check(page, "clinician-dashboard")

    page.goto(f"/patients/{world.patient.pk}/")
    assert page.get_by_role("heading", name="Weekly decisions and why").is_visible()
    _check(page, "clinician-patient")

    page.goto(f"/plans/{plan.pk}/limits/")
    _check(page, "clinician-limits")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PAUSED


def test_the_caseload_works_on_a_phone(world, phone):
    busy_caseload(world)
    login(phone, world.physio)
    page = phone.new_page()
    page.goto("/caseload/")
    _check(page, "physio-caseload-phone")


def test_the_clinic_admins_caseload_has_no_accessibility_violations(world, desktop):
    busy_caseload(world)
    login(desktop, world.admin)
    page = desktop.new_page()
    page.goto("/caseload/")
    expect(page.get_by_role("columnheader", name="Care team")).to_be_visible()
    _check(page, "admin-caseload")

"""The physiotherapist's whole flow in real Chromium, then the red flag on the clinician's dashboard.

Register the motivating patient, assess her, generate a plan, try a dose above a limit (refused,
the limit is named), accept it with a reason (an override), activate. Then she reports a red flag
and it heads the clinician's dashboard.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rehab.models import LimitOverride, Patient, PlanStatus
from rehab.services.alerts import checkin_follow_up
from rehab.services.checkins import checkin_record
from rehab.services.people import patient_activate
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_physiotherapist_builds_overrides_and_activates_a_plan_and_a_red_flag_reaches_the_clinician(world, desktop):
    login(desktop, world.physio)
    page = desktop.new_page()

    # Register the patient, with the clinician on the care team and a sign-in link.
    page.goto("/caseload/")
    page.get_by_role("link", name="New patient").click()
    page.get_by_label("First name").fill("Margaret")
    page.get_by_label("Last name").fill("Hale")
    page.get_by_label("Date of birth").fill("1969-03-14")
    page.get_by_label("Female").check()
    page.get_by_label("Diagnoses").fill("Dermatomyositis\nMyositis and panniculitis ossificans, both gluteal regions")
    page.get_by_label("Email").fill("margaret@example.org")
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_label(f"{world.clinician.display_name} (clinician)").check()
    page.get_by_role("button", name="Register the patient").click()
    expect(page.get_by_text("The sign-in link is on its way by email to margaret@example.org")).to_be_visible()
    assert "/activate/" not in page.content()  # only the patient receives it

    # The motivating case: osteoporosis, calcified masses in both buttocks, active myositis.
    page.get_by_role("link", name="Record an assessment").click()
    page.get_by_label("Osteoporosis").check()
    page.get_by_label("Buttock (gluteal region), left").first.check()
    page.get_by_label("Buttock (gluteal region), right").first.check()
    page.get_by_label("Moderate").check()
    page.get_by_label("Pain at rest (0-10)").fill("3")
    page.get_by_label("Monitor").check()
    page.get_by_label("Resting heart rate (beats per minute)").fill("72")
    page.get_by_label("Notes").fill("Large painful calcified masses in both gluteal regions; MRI: active myositis.")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Assessment recorded")).to_be_visible()

    # Generate a draft from it and review it.
    page.get_by_label("Length in weeks").fill("12")
    page.get_by_role("button", name="Generate a draft plan").click()
    expect(page.get_by_role("heading", name="Plan for Margaret Hale")).to_be_visible()
    expect(page.locator("#plan-status")).to_have_text("Draft")
    expect(page.get_by_role("heading", name="Limits and the rules behind them")).to_be_visible()

    # A dose above the aerobic ceiling is refused in place (htmx) and the limit is named.
    walking = page.locator("article", has=page.get_by_role("heading", name="Walking on flat ground"))
    walking.get_by_role("link", name="Change the dose").click()
    expect(walking.get_by_label("Sessions a week")).to_be_focused()  # the form opened in place, focus in it
    walking.get_by_label("Intensity up to (% of heart-rate reserve)").fill("45")
    walking.get_by_role("button", name="Save the dose").click()
    expect(walking.get_by_role("heading", name="This dose is above the plan’s limits")).to_be_visible()
    expect(walking.get_by_text("Aerobic intensity up to 45 %HRR is above the limit of 39 %HRR.").first).to_be_visible()
    assert not LimitOverride.objects.exists()
    screenshot(page, "physio-flow-dose-refused")

    # With a reason it is stored as an override, and the plan says so.
    walking.get_by_label("Reason for going above the limit").fill("Supervised in clinic; cardiologist agreed.")
    walking.get_by_role("button", name="Save the dose").click()
    expect(page.get_by_text("Above a limit with an override")).to_be_visible()
    assert LimitOverride.objects.get().reason == "Supervised in clinic; cardiologist agreed."

    # Activate: the status shows it.
    page.get_by_role("button", name="Activate the plan").click()
    expect(page.locator("#plan-status")).to_have_text("Active")
    expect(page.get_by_text("The plan is active.")).to_be_visible()
    screenshot(page, "physio-flow-activated")

    # She signs up and reports a red flag; the follow-up pauses the plan and alerts the team.
    patient = Patient.objects.get(last_name="Hale")
    patient_activate(user=patient.user, password="a long enough password 1")
    plan = patient.plans.get()
    checkin, _ = checkin_record(
        actor=patient.user,
        plan=plan,
        idempotency_key="flow-red-flag",
        date=plan.start_date,  # the form's default: today in the patient's time zone
        pain_during=3,
        pain_after=4,
        red_flags=["chest_pain"],
    )
    checkin_follow_up(checkin_id=checkin.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED

    login(desktop, world.clinician)
    page.goto("/dashboard/")
    first_row = page.locator("table.triage tbody tr").first
    expect(first_row).to_contain_text("Margaret Hale")
    expect(first_row).to_contain_text("Red flag")
    expect(first_row).to_contain_text("Chest pain or pressure")
    screenshot(page, "clinician-flow-dashboard")


def test_without_javascript_a_dose_above_a_limit_is_refused_then_overridden_and_the_plan_activated(
    world, browser, live_server
):
    from rehab.services.plans import plan_generate
    from tests import builders

    builders.make_assessment(world.patient, by=world.physio)
    plan = plan_generate(actor=world.physio, patient=world.patient, start_date=timezone.localdate(), weeks=12)
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        login(context, world.physio)
        page = context.new_page()
        page.goto(f"/plans/{plan.pk}/")
        walking = page.locator("article", has=page.get_by_role("heading", name="Walking on flat ground"))
        walking.get_by_role("link", name="Change the dose").click()
        expect(page.get_by_role("heading", name="Change the dose of Walking on flat ground")).to_be_visible()
        page.get_by_label("Intensity up to (% of heart-rate reserve)").fill("45")
        page.get_by_label("Why change it (optional)").fill("Brisker walks")
        page.get_by_role("button", name="Save the dose").click()
        expect(page.get_by_role("heading", name="This dose is above the plan’s limits")).to_be_visible()
        expect(page.get_by_label("Intensity up to (% of heart-rate reserve)")).to_have_value("45")
        expect(page.get_by_label("Why change it (optional)")).to_have_value("Brisker walks")
        page.get_by_label("Reason for going above the limit").fill("Supervised in clinic.")
        page.get_by_role("button", name="Save the dose").click()
        expect(page.get_by_text("Above a limit with an override")).to_be_visible()
        page.get_by_role("button", name="Activate the plan").click()
        expect(page.locator("#plan-status")).to_have_text("Active")
    finally:
        context.close()

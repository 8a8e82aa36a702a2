"""The template pages pass axe (WCAG 2.x A/AA) in real Chromium, on a desk and on a phone, and the
whole use works with a mouse: save a plan as a template, preview it for a patient, make the draft."""

from datetime import date

import pytest
from playwright.sync_api import expect

from rehab.services.plans import plan_generate
from tests import builders
from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name


def test_save_preview_and_use_a_template(world, desktop):
    builders.make_assessment(world.patient, by=world.physio)
    plan = plan_generate(actor=world.physio, patient=world.patient, start_date=date(2026, 11, 2))
    stricter = builders.make_patient(world.clinic, care_team=[world.physio], first_name="Stella", last_name="Strict")
    builders.make_assessment(stricter, by=world.physio, inflammation_activity="high", beta_blocker=True)
    login(desktop, world.physio)
    page = desktop.new_page()

    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Save as a template").click()
    _check(page, "physio-template-save")
    page.get_by_label("Template name").fill("Myositis start")
    page.get_by_role("button", name="Save the template").click()
    expect(page.get_by_role("heading", name="Myositis start")).to_be_visible()
    _check(page, "physio-template-detail")

    page.get_by_label("Patient", exact=True).select_option(label="Stella Strict")
    page.get_by_role("button", name="Preview for this patient").click()
    expect(page.get_by_role("heading", name="For Stella Strict: what changes")).to_be_visible()
    _check(page, "physio-template-preview")

    page.get_by_role("button", name="Make a draft plan").click()
    expect(page.get_by_role("heading", name="Made from the template “Myositis start” (version 1)")).to_be_visible()
    _check(page, "physio-plan-from-template")

    page.goto("/templates/")
    _check(page, "physio-template-list")


def test_the_template_list_works_on_a_phone(world, phone):
    builders.make_assessment(world.patient, by=world.physio)
    plan = plan_generate(actor=world.physio, patient=world.patient, start_date=date(2026, 11, 2))
    from rehab.services.templates import template_create_from_plan

    template_create_from_plan(actor=world.physio, plan=plan, name="Myositis start", conditions=["beta_blocker"])
    login(phone, world.physio)
    page = phone.new_page()
    page.goto("/templates/")
    expect(page.get_by_role("link", name="Myositis start")).to_be_visible()
    _check(page, "physio-template-list-phone")

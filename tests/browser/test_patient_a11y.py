"""The patient pages in a real phone-sized Chromium: no axe (WCAG 2.2 A/AA) violations, big targets,
and screenshots in tests/browser/screenshots/ for a person to look at."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rehab.services.checkins import checkin_record
from tests.browser.conftest import axe_violations, login, screenshot
from tests.builders import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGETS = "#patient-app a, #patient-app button, #patient-app summary, label.pick, label.toggle, label.check, .sos"
PAGES = (
    ("patient-today", "/today/"),
    ("patient-log", "/today/log/"),
    ("patient-history", "/history/"),
    ("patient-something-wrong", "/something-wrong/"),
)


@pytest.fixture
def plan_with_sessions(world):
    today = timezone.localdate()
    plan = make_active_plan(world.patient, world.physio, start_date=today - timedelta(days=7))
    for days_ago, during, after, morning, rpe in ((6, 2, 3, 2, 11), (4, 3, 4, 3, 12), (1, 2, 2, None, 11)):
        checkin, _ = checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key=f"seed-{days_ago}",
            date=today - timedelta(days=days_ago),
            pain_during=during,
            pain_after=after,
            session_rpe=rpe,
        )
        if morning is not None:
            checkin.pain_next_morning = morning
            checkin.save(update_fields=["pain_next_morning"])
    return plan


@pytest.mark.parametrize(("name", "url"), PAGES)
def test_patient_pages_have_no_accessibility_violations_on_a_phone(phone, world, plan_with_sessions, name, url):
    login(phone, world.patient_user)
    page = phone.new_page()
    page.goto(url)
    screenshot(page, name)
    assert axe_violations(page) == []


def test_the_log_form_with_errors_has_no_violations_and_shows_them_next_to_the_questions(
    phone, world, plan_with_sessions
):
    login(phone, world.patient_user)
    page = phone.new_page()
    page.goto("/today/log/")
    page.locator("label[for='id_pain_during_2']").tap()
    page.get_by_role("button", name="Save my session").tap()
    page.get_by_role("heading", name="Please check 2 things").wait_for()
    screenshot(page, "patient-log-errors")
    assert page.locator("#e-pain_after").is_visible()
    assert page.get_by_role("radio", name="2 mild").first.is_checked()
    assert axe_violations(page) == []


def test_the_red_flag_advice_page_has_no_violations(phone, world, plan_with_sessions):
    login(phone, world.patient_user)
    page = phone.new_page()
    page.goto("/something-wrong/")
    page.get_by_text("Dizziness, fainting").tap()
    page.locator("label[for='id_pain_now_3']").tap()
    page.get_by_role("button", name="Tell my care team").tap()
    page.get_by_role("heading", name="What to do now").wait_for()
    screenshot(page, "patient-something-wrong-advice")
    assert axe_violations(page) == []


def test_every_control_is_at_least_48_pixels_high_and_focus_is_never_hidden_by_the_bottom_bar(
    phone, world, plan_with_sessions
):
    login(phone, world.patient_user)
    page = phone.new_page()
    for _name, url in PAGES:
        page.goto(url)
        small = page.evaluate(
            """(targets) => Array.from(document.querySelectorAll(targets))
                .filter((el) => el.offsetParent !== null)
                // Links inside a sentence are exempt from the target size (WCAG 2.5.8 "inline").
                .filter((el) => !(el.matches('a:not(.button):not(.sos)') && el.parentElement.matches('p:not(.links)')))
                .map((el) => [el.textContent.trim().slice(0, 40), Math.round(el.getBoundingClientRect().height)])
                .filter(([, height]) => height < 48)""",
            TARGETS,
        )
        assert small == [], f"{url}: targets under 48 px: {small}"
    # Tabbing to the last control of the log form scrolls it clear of the fixed "Something is wrong" bar.
    page.goto("/today/log/")
    page.get_by_role("button", name="Save my session").focus()
    covered = page.evaluate(
        """() => { const b = document.activeElement.getBoundingClientRect();
                   const bar = document.querySelector('.sos-bar').getBoundingClientRect();
                   return b.bottom > bar.top; }"""
    )
    assert covered is False

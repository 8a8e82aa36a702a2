"""The today page on a phone (390x844) in real Chromium: today's session in order and the change note."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rehab.documents import change_note_for_week
from rehab.services.plans import engine_plan
from rehab.services.progression import plan_progress
from tests.browser.conftest import login as sign_in
from tests.browser.conftest import screenshot
from tests.builders import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone_390(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE_390)
    yield context
    context.close()


def test_today_shows_the_session_in_order_and_what_changed_this_week(phone_390, world):
    today = timezone.localdate()
    # Today is the first day of week 2: always an exercise day; week 1 has been decided.
    plan = make_active_plan(world.patient, world.physio, start_date=today - timedelta(days=7))
    plan_progress(plan_id=plan.pk, as_of=today + timedelta(days=1))
    lines = change_note_for_week(plan, engine_plan(plan), 2)
    assert lines

    sign_in(phone_390, world.patient_user)
    page = phone_390.new_page()
    page.goto("/today/")
    screenshot(page, "patient-today-session")

    session = page.locator("section.session-list")
    assert "about" in session.locator("h2").inner_text()
    text = session.inner_text()
    assert text.index("Warm-up") < text.index("Cool-down")
    steps = session.locator("ol.steps > li.main")
    assert steps.count() >= 1
    changes = page.locator("details.changes")
    assert changes.locator("summary").inner_text() == "What changed this week"
    changes.locator("summary").tap()  # one tap away
    assert changes.locator("li").all_inner_texts() == list(lines)
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

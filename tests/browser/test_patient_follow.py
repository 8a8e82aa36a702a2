"""Following today's session on a phone (390x844) in real Chromium: the Today list fits two screens, a
whole session is followed with its timers (Playwright's clock, so no real minutes pass), ticked, and the
log form it opens is pre-filled from the ticks; what is saved carries the counted sets, repetitions and
minutes. No axe (WCAG 2.2 A/AA) violation on the Today list or the follow-along page."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rehab.models import CheckIn
from rehab.services.progression import plan_progress
from tests.browser.conftest import CHROMIUM_ARGS, _csp_violations, axe_violations, login, screenshot
from tests.builders import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SCREEN = 844
assert CHROMIUM_ARGS  # the shared browser fixture launches Debian's Chromium with these


@pytest.fixture
def phone_390(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE_390)
    blocked = _csp_violations(context)
    yield context
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture
def plan(world):
    # Today is the first day of week 2, always an exercise day; week 1 has been decided, so the
    # Today page also says what changed (the longest the page gets on an ordinary day).
    today = timezone.localdate()
    plan = make_active_plan(world.patient, world.physio, start_date=today - timedelta(days=7))
    plan_progress(plan_id=plan.pk, as_of=today + timedelta(days=1))
    return plan


def test_the_today_list_fits_two_phone_screens_and_has_no_accessibility_violation(phone_390, world, plan):
    login(phone_390, world.patient_user)
    page = phone_390.new_page()
    page.goto("/today/")
    screenshot(page, "patient-today-list")
    page_height = page.evaluate("document.documentElement.scrollHeight")
    list_height = page.evaluate("document.querySelector('section.session-list').getBoundingClientRect().height")
    print(f"Today page: {page_height} px ({page_height / SCREEN:.2f} screens); session list: {list_height:.0f} px")
    # The list itself (heading, buttons, one line per step) fits two screens even on a 17-exercise day.
    assert list_height <= 2 * SCREEN, f"the session list is {list_height:.0f} px high"
    assert page.locator("ol.steps > li").count() >= 3
    assert axe_violations(page) == []
    # Details are one tap away.
    first = page.locator("ol.steps > li.main details").first
    first.locator("summary").tap()
    assert first.locator(".step-more").is_visible()
    assert "How hard" in first.inner_text()


def _step(page, index: int) -> dict:
    return page.evaluate(
        "(i) => ({...document.querySelectorAll('.follow-step')[i].dataset})",
        index,
    )


def test_a_followed_session_is_logged_from_its_ticks(phone_390, world, plan):
    login(phone_390, world.patient_user)
    page = phone_390.new_page()
    # The fake clock starts at 10:00 of today: the walk-through below fast-forwards it by over half an hour,
    # and started from the real time after about 23:00 it crossed midnight, so the log form's day (the
    # phone's) was no longer the followed session's (the server's) and the test failed every late evening.
    page.clock.install(time=datetime.combine(timezone.localdate(), time(10, 0), tzinfo=UTC))
    page.goto("/today/follow/")
    count = page.locator(".follow-step").count()
    assert page.locator("#follow-progress").inner_text() == f"Step 1 of {count}"
    assert axe_violations(page) == []

    expected = {}  # plan item id -> (done, sets, reps, minutes)
    counted_strength = paused_minutes = skipped = False
    for index in range(count):
        data = _step(page, index)
        step = page.locator(".follow-step").nth(index)
        assert step.is_visible()
        item = int(data["item"]) if data["item"] else None
        timing, seconds, sets, reps, rest = (
            data["timing"],
            int(data["seconds"]),
            int(data["sets"]),
            int(data["reps"]),
            int(data["rest"]),
        )
        is_last_main = item is not None and not any(_step(page, later)["item"] for later in range(index + 1, count))
        if is_last_main and not skipped and index > 0:
            skipped = True  # the last exercise is not done: it must be stored as not done
            expected[item] = (False, None, None, None)
        elif timing == "sets_reps":
            for number in range(1, sets + 1):
                if number == 1 and not counted_strength:
                    step.locator("[data-reps-less]").tap()
                    step.locator("[data-reps-less]").tap()
                step.locator("[data-set-done]").tap()
                if number < sets:
                    assert step.locator("[data-rest-box]").is_visible()
                    page.clock.fast_forward(rest * 1000 + 500)
                    assert step.locator("[data-rest-box]").is_hidden()
            fewest = reps - 2 if not counted_strength else reps
            counted_strength = True
            expected[item] = (True, sets, fewest, None)
        elif timing == "hold":
            step.locator("[data-start]").tap()
            for number in range(1, sets + 1):
                page.clock.fast_forward(seconds * 1000 + 500)
                if number < sets:
                    page.clock.fast_forward(rest * 1000 + 500)
            expected[item] = (True, sets, None, None)
        elif item is not None and not paused_minutes:
            # Timed work, paused: only the time it ran counts, not the time it stood still.
            paused_minutes = True
            step.locator("[data-start]").tap()
            page.clock.fast_forward(90_000)
            step.locator("[data-start]").tap()  # pause
            assert step.locator("[data-start]").inner_text() == "Resume"
            page.clock.fast_forward(600_000)
            step.locator(".follow-tick").tap()  # done, but shorter than planned
            expected[item] = (True, None, None, Decimal("1.5"))
        else:
            step.locator("[data-start]").tap()
            page.clock.fast_forward(seconds * 1000 + 500)
            if item is not None:
                expected[item] = (True, None, None, Decimal(seconds) / 60)
        ticked = step.locator("[data-tick]").is_checked()
        assert ticked == (expected.get(item, (True,))[0]), f"step {index + 1} ({data['name']})"
        if index == 1:
            screenshot(page, "patient-follow-step")
        page.locator("[data-next]").tap()

    end = page.locator("#follow-end")
    assert end.is_visible()
    assert page.locator("#follow-progress").inner_text() == f"All {count} steps seen"
    screenshot(page, "patient-follow-end")
    assert axe_violations(page) == []
    assert skipped
    assert counted_strength

    page.get_by_role("link", name="Log this session").tap()
    page.wait_for_url("**/today/log/")
    page.locator(".follow-note").wait_for()
    for item, (done, *_amounts) in expected.items():
        assert page.locator(f"input[name='item_{item}']").is_checked() == done
    # Effort and pain are asked, never filled in.
    assert page.locator("input[name='session_rpe']:checked, input[name='effort_value']:checked").count() == 0
    assert page.locator("input[name='pain_during']:checked").count() == 0
    assert page.locator("input[name='pain_after']:checked").count() == 0
    effort = page.locator("#q-session_rpe label.pick, #q-effort_value label.pick").nth(5)
    effort.tap()
    page.locator("label[for='id_pain_during_1']").tap()
    page.locator("label[for='id_pain_after_2']").tap()
    page.get_by_role("button", name="Save my session").tap()
    page.wait_for_url("**/today/logged/**")

    checkin = CheckIn.objects.get()
    stored = {
        row.plan_item_id: (row.done, row.sets, row.reps, row.minutes)
        for row in checkin.items.all()
        if row.plan_item_id in expected
    }
    assert stored == expected
    assert (checkin.pain_during, checkin.pain_after) == (1, 2)

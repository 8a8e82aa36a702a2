"""A patient on a phone logs a session, loses the network, logs another from the offline copy, and
the kept session reaches the server once the phone is back online: one check-in per session."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from rehab.models import CheckIn
from rehab.services.checkins import checkin_record
from tests.browser.conftest import login, poll, screenshot
from tests.builders import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_rows(count: int, timeout: float = 15) -> list[CheckIn]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = list(CheckIn.objects.order_by("date"))
        if len(rows) >= count:
            return rows
        time.sleep(0.2)
    return list(CheckIn.objects.order_by("date"))


# Whether the service worker's page cache holds a copy of `url`.
KEPT = "(url) => caches.open('rehab-pages').then((c) => c.match(new URL(url, location.href).href, {ignoreVary: true}))"
KEPT += ".then(Boolean)"


def answer(page, effort: int, during: int, after: int) -> None:
    """Tap the big answer buttons, as a patient would (the radios themselves are visually hidden)."""
    page.locator(f"label[for='id_session_rpe_{effort - 6}']").tap()
    page.locator(f"label[for='id_pain_during_{during}']").tap()
    page.locator(f"label[for='id_pain_after_{after}']").tap()


def test_a_session_logged_offline_is_kept_and_sent_once_when_back_online(phone, world):
    today = timezone.localdate()
    make_active_plan(world.patient, world.physio, start_date=today - timedelta(days=7))
    login(phone, world.patient_user)
    page = phone.new_page()

    # Online: today's session in a few taps.
    started = time.monotonic()
    page.goto("/today/")
    page.get_by_role("link", name="Log today's session").first.tap()
    answer(page, effort=11, during=2, after=3)
    page.get_by_role("button", name="Save my session").tap()
    page.get_by_role("heading", name="Thank you, your session is saved").wait_for()
    assert time.monotonic() - started < 30
    assert [c.date for c in wait_for_rows(1)] == [today]

    # Back on Today, the service worker takes over and keeps copies of the patient's pages.
    page.get_by_role("link", name="Back to today").tap()
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000
    )
    yesterday_link = page.get_by_role("link", name="Log yesterday")
    yesterday_url = yesterday_link.get_attribute("href")
    assert poll(lambda: page.evaluate(KEPT, yesterday_url)), "the page was not kept for offline use"

    # Offline: Today opens from the phone's copy, and yesterday's session is kept on the phone.
    phone.set_offline(True)
    response = page.reload()
    assert response is None or response.from_service_worker
    assert page.get_by_role("heading", level=1).inner_text().startswith("Today")
    assert page.locator("#offline-banner").is_visible()
    page.get_by_role("link", name="Log yesterday").tap()
    page.get_by_text("For yesterday").wait_for()
    answer(page, effort=12, during=1, after=2)
    page.get_by_role("button", name="Save my session").tap()
    page.get_by_text("Saved on this phone; it will be sent when you are back online").wait_for()
    screenshot(page, "patient-saved-offline")
    assert CheckIn.objects.count() == 1

    # Online again: the kept session is sent, exactly once.
    phone.set_offline(False)
    rows = wait_for_rows(2)
    assert [(c.date, c.pain_during, c.session_rpe) for c in rows] == [
        (today - timedelta(days=1), 1, 12),
        (today, 2, 11),
    ]
    page.get_by_text("Sent to your care team").wait_for()
    page.goto("/today/")  # a later page load finds nothing left to send
    page.wait_for_timeout(1000)
    assert CheckIn.objects.count() == 2
    assert (
        page.evaluate(
            "() => new Promise((ok) => { const r = indexedDB.open('rehab-offline', 1);"
            " r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox').count();"
            " q.onsuccess = () => ok(q.result); }; })"
        )
        == 0
    )


def test_a_session_posted_when_the_network_fails_unnoticed_is_kept_by_the_service_worker(phone, world):
    """The phone believes it is online (weak signal, a captive Wi-Fi), so the form posts as usual; the
    post fails and the service worker keeps it; the next page load online sends it."""
    today = timezone.localdate()
    make_active_plan(world.patient, world.physio, start_date=today - timedelta(days=7))
    login(phone, world.patient_user)
    phone.add_init_script("Object.defineProperty(Navigator.prototype, 'onLine', {get: () => true})")
    page = phone.new_page()
    page.goto("/today/")
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000
    )
    assert poll(lambda: page.evaluate(KEPT, "/today/log/")), "the log page was not kept for offline use"

    phone.set_offline(True)
    page.goto("/today/log/")
    answer(page, effort=13, during=4, after=4)
    page.get_by_role("button", name="Save my session").tap()
    page.get_by_role("heading", name="Saved on this phone").wait_for()
    assert CheckIn.objects.count() == 0

    phone.set_offline(False)
    page.goto("/today/")
    rows = wait_for_rows(1)
    assert [(c.date, c.session_rpe, c.pain_during) for c in rows] == [(today, 13, 4)]
    page.reload()
    page.wait_for_timeout(1000)
    assert CheckIn.objects.count() == 1


def test_next_morning_pain_tapped_offline_is_sent_when_back_online(phone, world):
    today = timezone.localdate()
    plan = make_active_plan(world.patient, world.physio, start_date=today - timedelta(days=7))
    yesterday, _ = checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key="yesterday",
        date=today - timedelta(days=1),
        pain_during=2,
        pain_after=2,
    )
    login(phone, world.patient_user)
    page = phone.new_page()
    page.goto("/today/")
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000
    )

    phone.set_offline(True)
    page.get_by_role("button", name="3 mild").tap()
    page.get_by_text("Saved on this phone; it will be sent when you are back online").wait_for()
    yesterday.refresh_from_db()
    assert yesterday.pain_next_morning is None

    phone.set_offline(False)

    def stored():
        yesterday.refresh_from_db()
        return yesterday.pain_next_morning == 3

    assert poll(stored)

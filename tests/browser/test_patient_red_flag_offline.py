"""On a phone (390x844, touch): a "something is wrong" report made offline is kept, its advice and the
clinic's phone show at once, every page says "not sent yet - send now" until it is sent, and back online
it reaches the care team exactly once, even when the page sends it again. The ambulance button dials
the clinic country's number; effort answered on 0-10 (offline too) is stored with its 6-20 equivalent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planner.vocabulary import RED_FLAGS
from rehab.models import Alert, AlertKind, CheckIn
from tests.browser.conftest import _csp_violations, axe_violations, login, poll, requests_seen, screenshot
from tests.builders import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADVICE = {code: advice for code, _label, advice in RED_FLAGS}
PHONE_390 = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OUTBOX_COUNT = (
    "() => new Promise((ok) => { const r = indexedDB.open('rehab-offline', 1);"
    " r.onupgradeneeded = () => r.result.createObjectStore('outbox', { keyPath: 'id' });"
    " r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox').count();"
    " q.onsuccess = () => ok(q.result); }; })"
)
# The kept entry's form fields, to send it again by hand as a page retrying would.
OUTBOX_FIELDS = (
    "() => new Promise((ok) => { const r = indexedDB.open('rehab-offline', 1);"
    " r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox').getAll();"
    " q.onsuccess = () => ok(q.result.map((e) => e.fields)); }; })"
)
RESEND = """(fields) => fetch('/something-wrong/', {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/x-www-form-urlencoded',
              'X-CSRFToken': JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRFToken']
                             || document.querySelector('input[name=csrfmiddlewaretoken]').value},
    body: new URLSearchParams(fields).toString()}).then((r) => r.status)"""


@pytest.fixture
def phone390(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE_390)
    context.requests_seen = requests_seen(context)
    blocked = _csp_violations(context)
    yield context
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def controlled(page) -> None:
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000
    )


def test_a_red_flag_reported_offline_shows_its_advice_at_once_and_is_sent_once_back_online(phone390, world):
    today = timezone.localdate()
    make_active_plan(world.patient, world.physio, start_date=today - timedelta(days=7))
    login(phone390, world.patient_user)
    page = phone390.new_page()
    page.goto("/today/")
    controlled(page)
    page.goto("/something-wrong/")  # online once, so this copy is fresh (install kept one too)
    assert page.locator("#call-emergency").get_attribute("href") == "tel:999"  # clinic phone +44

    # Offline: report dizziness. Nothing reaches the server, but the advice and phone show at once.
    phone390.set_offline(True)
    page.reload()
    page.locator("label[for='flag-dizziness']").tap()
    page.locator("label[for='id_pain_now_3']").tap()
    page.get_by_role("button", name="Tell my care team").tap()
    advice = page.locator("#offline-advice")
    advice.wait_for(state="visible")
    assert ADVICE["dizziness"] in advice.inner_text()
    assert advice.locator("a.button.call").get_attribute("href") == "tel:+442000000000"
    assert advice.locator("a.button.emergency").get_attribute("href") == "tel:999"
    banner = page.locator("#red-flag-pending")
    assert banner.is_visible()
    assert "not sent yet" in banner.inner_text()
    screenshot(page, "patient-red-flag-offline")
    assert axe_violations(page) == []
    assert CheckIn.objects.count() == 0
    assert page.evaluate(OUTBOX_COUNT) == 1
    kept_fields = page.evaluate(OUTBOX_FIELDS)[0]

    # Every patient page says it is not sent yet, offline too.
    page.get_by_role("link", name="Today").first.tap()
    page.locator("#red-flag-pending").wait_for(state="visible")
    page.get_by_role("button", name="Send now").tap()  # still offline: told to call, nothing lost
    page.get_by_text("You are still offline").wait_for()
    assert page.evaluate(OUTBOX_COUNT) == 1

    # Online again: sent by itself, once; the banner goes.
    phone390.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.get_by_role("button", name="Send now").tap()  # the patient also taps: still one report
    # A first send the network leaves hanging is given up after 10 s and tried again 2 s later; the page
    # keeps trying (2, 5, 15, 30, 60 s), so up to 100 s covers its first five tries.
    assert poll(lambda: CheckIn.objects.count() == 1, timeout=100), phone390.requests_seen[-30:]
    page.locator("#red-flag-pending").wait_for(state="hidden")
    page.get_by_text("Sent to your care team").wait_for()
    checkin = CheckIn.objects.get()
    assert (checkin.kind, checkin.red_flags, checkin.pain_during, checkin.date) == ("symptoms", ["dizziness"], 3, today)

    # The page (or another tab) sends the same report again: the key makes it the same report.
    assert page.evaluate(RESEND, kept_fields) == 200
    page.goto("/today/")
    page.wait_for_timeout(1000)
    assert CheckIn.objects.count() == 1
    assert poll(lambda: Alert.objects.filter(kind=AlertKind.RED_FLAG).count() == 1)
    assert Alert.objects.filter(kind=AlertKind.RED_FLAG).count() == 1
    assert page.evaluate(OUTBOX_COUNT) == 0
    assert page.locator("#red-flag-pending").is_hidden()


def test_the_red_flag_pages_offer_the_clinics_own_emergency_number(phone390, world):
    world.clinic.emergency_number = "112"
    world.clinic.save()
    make_active_plan(world.patient, world.physio, start_date=timezone.localdate() - timedelta(days=3))
    login(phone390, world.patient_user)
    page = phone390.new_page()
    page.goto("/something-wrong/")
    button = page.get_by_role("link", name="Call an ambulance: 112")
    assert button.get_attribute("href") == "tel:112"
    box = button.bounding_box()
    assert box["height"] >= 48  # a target a shaking hand can hit
    assert page.get_by_role("link", name="Call the clinic: +44 20 0000 0000").is_visible()
    assert axe_violations(page) == []


def test_effort_on_0_to_10_is_logged_offline_and_stored_with_its_6_to_20_equivalent(phone390, world):
    today = timezone.localdate()
    world.patient.effort_scale = "cr10"
    world.patient.save()
    make_active_plan(world.patient, world.physio, start_date=today - timedelta(days=7))
    login(phone390, world.patient_user)
    page = phone390.new_page()
    page.goto("/today/log/")
    controlled(page)
    page.reload()
    assert page.get_by_text("0 is rest, no effort at all").is_visible()
    assert axe_violations(page) == []

    phone390.set_offline(True)
    page.reload()
    page.locator("label[for='id_effort_value_5']").tap()
    page.locator("label[for='id_pain_during_1']").tap()
    page.locator("label[for='id_pain_after_2']").tap()
    page.get_by_role("button", name="Save my session").tap()
    page.get_by_text("Saved on this phone; it will be sent when you are back online").wait_for()
    assert CheckIn.objects.count() == 0

    phone390.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    assert poll(lambda: CheckIn.objects.count() == 1)
    row = CheckIn.objects.get()
    assert (row.effort_scale, row.effort_value, row.session_rpe) == ("cr10", 5, 12)


@pytest.fixture
def phone390_without_worker(browser, live_server):
    """The phone with service workers blocked, so the test's routes see the page's own requests."""
    context = browser.new_context(base_url=live_server.url, service_workers="block", **PHONE_390)
    yield context
    context.close()


def test_a_kept_red_flag_whose_send_fails_online_is_tried_again_by_itself(phone390_without_worker, world):
    # Back online the page sends the kept report at once, but the network is not carrying anything yet
    # (or the server is briefly away): the page must try again by itself, without another "online"
    # event, a tap or a page load, until the care team has it.
    context = phone390_without_worker
    make_active_plan(world.patient, world.physio, start_date=timezone.localdate() - timedelta(days=7))
    login(context, world.patient_user)
    page = context.new_page()
    page.goto("/something-wrong/")

    posts = []

    def first_post_fails(route):
        if route.request.method == "POST":
            posts.append(route.request.url)
            if len(posts) == 1:
                route.fulfill(status=503, body="away")
                return
        route.continue_()

    context.route("**/something-wrong/", first_post_fails)
    context.set_offline(True)
    page.locator("label[for='flag-dizziness']").tap()
    page.locator("label[for='id_pain_now_3']").tap()
    page.get_by_role("button", name="Tell my care team").tap()
    page.locator("#offline-advice").wait_for(state="visible")
    assert page.evaluate(OUTBOX_COUNT) == 1

    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    # Waiting through the page, not time.sleep: the route's handler runs only while Playwright is called.
    assert poll(lambda: CheckIn.objects.count() == 1, page=page)
    assert len(posts) >= 2  # the first answer was the 503: the report came with a try of the page's own
    assert CheckIn.objects.get().red_flags == ["dizziness"]
    assert poll(lambda: page.evaluate(OUTBOX_COUNT) == 0, timeout=10, page=page)

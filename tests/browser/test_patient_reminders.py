"""The Reminders page in a phone-sized Chromium: turn notifications on and off, choose a time.

Headless Chromium has no push service to register with (PushManager.subscribe() rejects with
"Registration failed - permission denied" even with the notifications permission granted, and this
machine is offline anyway), so the page's PushManager is replaced by a stand-in that behaves like a
browser's: it takes the applicationServerKey and hands back a subscription with an FCM endpoint and
real-sized keys. Everything else is real: the permission prompt (granted through Playwright), the
service worker registration, push.js, the CSRF-protected API calls and the rows they leave.
"""

import base64

import pytest

from rehab.models import PushSubscription, ReminderPreferences
from rehab.services.push import vapid_key_pair
from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENDPOINT = "https://fcm.googleapis.com/fcm/send/browser-test"
P256DH = base64.urlsafe_b64encode(b"\x04" + bytes(range(64))).rstrip(b"=").decode()
AUTH = base64.urlsafe_b64encode(b"0123456789abcdef").rstrip(b"=").decode()

STAND_IN_PUSH_MANAGER = f"""
(() => {{
  const KEY = "test-push-subscription";
  const make = (json) => ({{
    endpoint: json.endpoint,
    toJSON: () => json,
    unsubscribe: async () => {{ localStorage.removeItem(KEY); return true; }},
  }});
  PushManager.prototype.subscribe = async function (options) {{
    const key = new Uint8Array(options.applicationServerKey);
    window.__serverKey = btoa(String.fromCharCode(...key)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    const json = {{ endpoint: "{ENDPOINT}", expirationTime: null, keys: {{ p256dh: "{P256DH}", auth: "{AUTH}" }} }};
    localStorage.setItem(KEY, JSON.stringify(json));
    return make(json);
  }};
  PushManager.prototype.getSubscription = async function () {{
    const stored = localStorage.getItem(KEY);
    return stored ? make(JSON.parse(stored)) : null;
  }};
}})();
"""


@pytest.fixture
def vapid(settings):
    public, private = vapid_key_pair()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = public, private
    return public


def test_a_patient_turns_notifications_on_and_off_on_their_phone(phone, live_server, world, vapid):
    phone.grant_permissions(["notifications"], origin=live_server.url)
    phone.add_init_script(STAND_IN_PUSH_MANAGER)
    login(phone, world.patient_user)
    page = phone.new_page()
    page.goto("/reminders/")

    page.locator("#push-on").tap()
    page.get_by_text("Notifications are on for this phone").wait_for()

    subscription = PushSubscription.objects.get()
    assert subscription.patient == world.patient
    assert (subscription.endpoint, subscription.p256dh, subscription.auth) == (ENDPOINT, P256DH, AUTH)
    assert page.evaluate("window.__serverKey") == vapid  # subscribed with our VAPID public key
    assert page.locator("#push-on").is_hidden()
    screenshot(page, "patient-reminders")
    assert axe_violations(page) == []

    page.locator("#push-off").tap()
    page.get_by_text("Notifications are off for this phone").wait_for()
    assert not PushSubscription.objects.exists()
    assert page.locator("#push-on").is_visible()


def test_a_patient_chooses_weekdays_at_half_past_six(phone, world, vapid):
    login(phone, world.patient_user)
    page = phone.new_page()
    page.goto("/reminders/")
    for weekend_day in ("Saturday", "Sunday"):
        page.locator("label.toggle", has_text=weekend_day).tap()
    page.locator("#id_time_of_day").fill("18:30")
    page.get_by_role("button", name="Save my reminders").tap()
    page.get_by_text("Saved.").wait_for()

    prefs = ReminderPreferences.objects.get(patient=world.patient)
    assert prefs.days == [0, 1, 2, 3, 4]
    assert prefs.time_of_day.strftime("%H:%M") == "18:30"


def test_a_time_in_the_quiet_hours_is_shown_next_to_the_time_without_violations(phone, world, vapid):
    login(phone, world.patient_user)
    page = phone.new_page()
    page.goto("/reminders/")
    page.locator("#id_time_of_day").fill("23:00")
    page.get_by_role("button", name="Save my reminders").tap()

    page.locator("#e-time_of_day").wait_for()
    assert "quiet hours" in page.locator("#e-time_of_day").inner_text()
    screenshot(page, "patient-reminders-error")
    assert axe_violations(page) == []
    assert not ReminderPreferences.objects.exists()

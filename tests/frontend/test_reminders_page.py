"""The patient's Reminders page: the choices as a form (400 with a message per field, nothing
half-saved), the notifications card only when push is configured, and the link in the navigation."""

import pytest

from rehab.models import Patient, ReminderPreferences

GOOD = {
    "reminders": "on",
    "days": ["0", "1", "2", "3", "4"],
    "time_of_day": "07:30",
    "quiet_start": "21:00",
    "quiet_end": "07:00",
    "next_morning": "on",
}


@pytest.fixture
def patient_client(client, world):
    client.force_login(world.patient_user)
    return client


def test_the_page_shows_the_defaults_and_the_navigation_links_to_it(patient_client, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    page = patient_client.get("/reminders/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/reminders/" aria-current="page"' in html
    assert 'value="09:00"' in html
    assert "your reminders come by email" in html
    assert "push.js" not in html  # no push, no script for it
    assert "Reminders" in patient_client.get("/history/").content.decode()


def test_with_vapid_keys_the_page_offers_notifications_through_its_own_script(patient_client, settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "BPublicKey", "private"
    html = patient_client.get("/reminders/").content.decode()
    assert 'id="push-on"' in html
    assert '<script src="/static/frontend/push.js" defer></script>' in html
    assert '"publicKey": "BPublicKey"' in html
    assert "private" not in html.split('id="push-config"')[1].split("</script>")[0]


def test_saving_good_choices_stores_them_and_says_so(patient_client, world):
    answer = patient_client.post("/reminders/", GOOD, follow=True)
    assert answer.redirect_chain == [("/reminders/", 302)]
    assert "Saved." in answer.content.decode()
    prefs = ReminderPreferences.objects.get(patient=world.patient)
    assert prefs.days == [0, 1, 2, 3, 4]
    assert prefs.time_of_day.strftime("%H:%M") == "07:30"


def test_turning_reminders_off_on_the_page(patient_client, world):
    patient_client.post("/reminders/", {**GOOD, "reminders": "off"})
    assert Patient.objects.get(pk=world.patient.pk).reminders_opt_out is True


def test_wrong_choices_are_a_400_with_a_message_next_to_each_and_nothing_is_saved(patient_client, world):
    answer = patient_client.post(
        "/reminders/", {**GOOD, "reminders": "off", "days": [], "time_of_day": "22:00", "quiet_end": ""}
    )
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "Give both the start and the end of the quiet hours" in html
    assert 'href="#q-quiet_end"' in html
    assert not ReminderPreferences.objects.exists()
    assert Patient.objects.get(pk=world.patient.pk).reminders_opt_out is False


def test_a_time_in_the_quiet_hours_is_refused_next_to_the_time(patient_client):
    answer = patient_client.post("/reminders/", {**GOOD, "time_of_day": "22:15"})
    assert answer.status_code == 400
    assert "This is in your quiet hours (21:00 to 07:00)" in answer.content.decode()
    assert 'value="22:15"' in answer.content.decode()


def test_staff_are_sent_to_their_own_pages(client, world):
    client.force_login(world.physio)
    assert client.get("/reminders/").status_code == 302

"""/api/v1/me/reminders/ and /api/v1/me/push-subscriptions/: the patient's own, nothing half-saved."""

import base64

from rehab.models import Patient, PushSubscription, ReminderPreferences
from tests.conftest import client_for

FCM = "https://fcm.googleapis.com/fcm/send/abc123"
P256DH = base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).rstrip(b"=").decode()
AUTH = base64.urlsafe_b64encode(b"s" * 16).rstrip(b"=").decode()
GOOD = {
    "reminders_on": True,
    "days": [0, 2, 4],
    "time_of_day": "18:30",
    "quiet_start": "22:00",
    "quiet_end": "07:00",
    "next_morning": False,
}


def test_a_patient_reads_the_defaults_then_saves_their_choices(world):
    client = client_for(world.patient_user)
    first = client.get("/api/v1/me/reminders/").json()
    assert first["reminders_on"] is True
    assert first["days"] == [0, 1, 2, 3, 4, 5, 6]
    assert first["time_of_day"] == "09:00"

    saved = client.put("/api/v1/me/reminders/", GOOD, format="json")

    assert saved.status_code == 200
    assert saved.json()["days"] == [0, 2, 4]
    assert saved.json()["time_of_day"] == "18:30"
    prefs = ReminderPreferences.objects.get(patient=world.patient)
    assert prefs.days == [0, 2, 4]
    assert prefs.next_morning is False


def test_turning_reminders_off_is_what_the_care_team_sees(world):
    client = client_for(world.patient_user)
    assert client.patch("/api/v1/me/reminders/", {"reminders_on": False}, format="json").status_code == 200
    assert Patient.objects.get(pk=world.patient.pk).reminders_opt_out is True


def test_a_time_in_the_quiet_hours_is_a_400_naming_it_and_nothing_is_saved(world):
    client = client_for(world.patient_user)
    answer = client.put("/api/v1/me/reminders/", {**GOOD, "reminders_on": False, "time_of_day": "23:00"}, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["time_of_day"]
    assert not ReminderPreferences.objects.exists()
    assert Patient.objects.get(pk=world.patient.pk).reminders_opt_out is False  # "off" not half-saved


def test_bad_fields_are_named_one_by_one(world):
    answer = client_for(world.patient_user).put(
        "/api/v1/me/reminders/", {**GOOD, "days": [7], "time_of_day": "25:00"}, format="json"
    )
    assert answer.status_code == 400
    assert set(answer.json()) == {"days", "time_of_day"}


def test_staff_have_no_me_here(world):
    for user in (world.physio, world.admin):
        assert client_for(user).get("/api/v1/me/reminders/").status_code == 403
        assert client_for(user).get("/api/v1/me/push-subscriptions/").status_code == 403


def test_a_patient_subscribes_a_phone_once_and_forgets_it(world):
    client = client_for(world.patient_user)
    body = {"endpoint": FCM, "keys": {"p256dh": P256DH, "auth": AUTH}}

    created = client.post("/api/v1/me/push-subscriptions/", body, format="json", HTTP_USER_AGENT="Phone/1")
    again = client.post("/api/v1/me/push-subscriptions/", body, format="json")

    assert created.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    assert "keys" not in created.json()
    assert [row["endpoint"] for row in client.get("/api/v1/me/push-subscriptions/").json()] == [FCM]
    url = f"/api/v1/me/push-subscriptions/{created.json()['id']}/"
    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 404
    assert not PushSubscription.objects.exists()


def test_only_a_push_service_address_with_the_browsers_keys_is_kept(world):
    client = client_for(world.patient_user)
    answer = client.post(
        "/api/v1/me/push-subscriptions/",
        {"endpoint": "https://169.254.169.254/latest", "keys": {"p256dh": "short", "auth": AUTH}},
        format="json",
    )
    assert answer.status_code == 400
    assert set(answer.json()) == {"endpoint", "p256dh"}
    plain = client.post(
        "/api/v1/me/push-subscriptions/",
        {"endpoint": "http://fcm.googleapis.com/x", "keys": {"p256dh": P256DH, "auth": AUTH}},
        format="json",
    )
    assert plain.status_code == 400
    assert not PushSubscription.objects.exists()


def test_another_patients_phone_is_not_found(world):
    theirs = PushSubscription.objects.create(patient=world.other_patient, endpoint=FCM, p256dh=P256DH, auth=AUTH)
    answer = client_for(world.patient_user).delete(f"/api/v1/me/push-subscriptions/{theirs.pk}/")
    assert answer.status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()

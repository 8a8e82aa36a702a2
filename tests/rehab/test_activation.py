"""Sign-in (activation) links: only the patient receives one; signed, expiring, single use; the
patient's date of birth is asked; a new link ends the earlier ones; a clinic admin cannot take over."""

import html
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from rehab import sms
from rehab.activation import DATE_OF_BIRTH_TRIES, activation_token, open_link_for
from rehab.models import ActivationEnd, ActivationLink, Role
from tests import builders
from tests.conftest import client_for

NEW_PASSWORD = "a quiet walk by the river"
BORN = "1969-03-14"  # builders.make_patient's date of birth
LINK = re.compile(r"https?://[^\s]+/activate/[^\s]+/")


@pytest.fixture(autouse=True)
def _texts(settings):
    settings.SMS_BACKEND = "rehab.sms.LocMemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _issue(world, patient=None, actor=None, **body):
    actor = actor or world.physio
    patient = patient or builders.make_patient(world.clinic, care_team=[world.physio], email="ann@example.org")
    response = client_for(actor).post(f"/api/v1/patients/{patient.pk}/activation/", body, format="json")
    patient.refresh_from_db()
    return patient, response


def _delivered(django_capture_on_commit_callbacks, world, patient=None, **body):
    """Issue through the API and run the after-commit work; the link as the patient received it."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        patient, response = _issue(world, patient, **body)
    assert response.status_code == 201, response.content
    texts = [m.body for m in mail.outbox] + [m.body for m in sms.outbox]
    assert len(texts) == 1
    return patient, response, _path(LINK.search(texts[0]).group(0))


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _activate(client, path, born=BORN, password=NEW_PASSWORD):
    return client.post(path, {"date_of_birth": born, "password": password, "password_again": password})


# ---------------------------------------------------------------------------------------------
# Delivery: only to the patient
# ---------------------------------------------------------------------------------------------


def test_issuing_creates_a_login_without_a_password_and_the_answer_holds_no_link(world):
    patient, response = _issue(world)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"username", "channel", "sent_to", "issued_at", "expires_at"}
    assert body == {**body, "username": patient.user.username, "channel": "email", "sent_to": "ann@example.org"}
    assert "/activate/" not in response.content.decode()
    assert patient.user.role == Role.PATIENT
    assert not patient.user.has_usable_password()
    # Nothing that would rebuild the link is stored before it is sent.
    assert ActivationLink.objects.get().secret_hash == ""


def test_the_link_is_emailed_after_commit_to_the_patients_own_address_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _issue(world)
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.org"]
    assert LINK.search(message.body)
    assert "date of birth" in message.body
    link = ActivationLink.objects.get()
    assert link.delivered_at is not None
    assert len(link.secret_hash) == 64


def test_a_redelivered_task_sends_the_link_once(world, django_capture_on_commit_callbacks):
    from rehab.services.notifications import activation_link_send

    _delivered(django_capture_on_commit_callbacks, world)
    link = ActivationLink.objects.get()
    assert activation_link_send(link_id=link.pk) is False
    assert len(mail.outbox) == 1


def test_the_link_goes_by_text_message_to_the_phone_on_file(world, django_capture_on_commit_callbacks):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], phone="+44 7700 900123")
    _patient, response, path = _delivered(django_capture_on_commit_callbacks, world, patient)
    assert response.json()["channel"] == "sms"
    assert sms.outbox[0].to == "+44 7700 900123"
    assert mail.outbox == []
    assert _activate(Client(), path).status_code == 302


def test_without_an_sms_backend_a_text_message_is_refused_by_name(world, settings):
    settings.SMS_BACKEND = ""
    patient = builders.make_patient(world.clinic, care_team=[world.physio], phone="+44 7700 900123")
    _patient, response = _issue(world, patient, channel="sms")
    assert response.status_code == 400
    assert "SMS_BACKEND" in response.json()["channel"][0]
    assert not ActivationLink.objects.exists()


def test_without_email_or_phone_the_api_points_to_the_hand_over(world):
    patient = builders.make_patient(world.clinic, care_team=[world.physio])
    _patient, response = _issue(world, patient)
    assert response.status_code == 400
    assert "QR code" in response.json()["channel"][0]


def test_the_api_never_hands_over_a_qr_link(world):
    _patient, response = _issue(world, channel="handover")
    assert response.status_code == 400
    assert "channel" in response.json()


# ---------------------------------------------------------------------------------------------
# The takeover, played as a clinic admin and as a physiotherapist off the care team
# ---------------------------------------------------------------------------------------------


def test_the_clinic_admin_cannot_obtain_or_use_a_patients_sign_in_link(
    world, client, django_capture_on_commit_callbacks
):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], email="ann@example.org")
    admin = client_for(world.admin)

    # The admin sees the record (identity, contact, sign-in status) ...
    record = admin.get(f"/api/v1/patients/{patient.pk}/").json()
    assert record["activation_status"] == "none"
    # ... but cannot have a link issued, neither to the patient nor to an address of their own.
    with django_capture_on_commit_callbacks(execute=True):
        refused = admin.post(f"/api/v1/patients/{patient.pk}/activation/", {}, format="json")
        changed = admin.patch(
            f"/api/v1/patients/{patient.pk}/", {"email": "admin@evil.example", "reason": "x"}, format="json"
        )
        refused_again = admin.post(f"/api/v1/patients/{patient.pk}/activation/", {}, format="json")
    assert refused.status_code == 403
    assert refused_again.status_code == 403
    assert changed.status_code == 200
    assert "/activate/" not in (refused.content + changed.content + refused_again.content).decode()
    assert mail.outbox == []
    assert sms.outbox == []
    assert not ActivationLink.objects.exists()
    # The staff page that shows a QR code is not theirs either.
    client.force_login(world.admin)
    assert client.post(f"/patients/{patient.pk}/activation/", {"channel": "handover"}).status_code == 403
    assert not ActivationLink.objects.exists()

    # The care team cannot be made to send one to the address the admin typed in ...
    with django_capture_on_commit_callbacks(execute=True):
        diverted = client_for(world.physio).post(f"/api/v1/patients/{patient.pk}/activation/", {}, format="json")
    assert diverted.status_code == 400
    assert "not on the care team" in diverted.json()["channel"][0]
    assert mail.outbox == []
    assert not ActivationLink.objects.exists()

    # ... and a guessed or forged link opens nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.physio).patch(
            f"/api/v1/patients/{patient.pk}/", {"email": "ann@example.org", "reason": "checked"}, format="json"
        )
        sent = client_for(world.physio).post(f"/api/v1/patients/{patient.pk}/activation/", {}, format="json")
    assert sent.status_code == 201
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    link = ActivationLink.objects.get()
    client.logout()
    for token in (activation_token(link.pk, "guessed-secret"), f"{link.pk}.guessed-secret"):
        assert _activate(client, f"/activate/{token}/").status_code == 400
    patient.refresh_from_db()
    assert not patient.user.has_usable_password()
    # The admin still reads the sign-in status, and nothing more.
    assert admin.get(f"/api/v1/patients/{patient.pk}/").json()["activation_status"] == "pending"


def test_a_physiotherapist_off_the_care_team_gets_a_404_and_no_link(world, client):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], email="ann@example.org")
    response = client_for(world.outsider_physio).post(f"/api/v1/patients/{patient.pk}/activation/")
    assert response.status_code == 404
    client.force_login(world.outsider_physio)
    page = client.post(f"/patients/{patient.pk}/activation/", {"channel": "handover"})
    assert page.status_code == 404
    assert "/activate/" not in page.content.decode()
    assert not ActivationLink.objects.exists()
    assert mail.outbox == []


def test_the_patients_own_link_works_only_with_the_right_date_of_birth(
    world, client, django_capture_on_commit_callbacks
):
    patient, _response, path = _delivered(django_capture_on_commit_callbacks, world)

    page = client.get(path)
    assert page.status_code == 200
    assert "Your date of birth" in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    wrong = _activate(client, path, born="1970-03-14")
    assert wrong.status_code == 400
    assert "does not match" in wrong.content.decode()
    patient.user.refresh_from_db()
    assert not patient.user.has_usable_password()

    right = _activate(client, path)
    assert right.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.check_password(NEW_PASSWORD)
    assert ActivationLink.objects.get().end_reason == ActivationEnd.USED

    client.logout()
    again = _activate(client, path, password="another secret phrase")
    assert again.status_code == 400  # single use
    patient.user.refresh_from_db()
    assert patient.user.check_password(NEW_PASSWORD)


def test_five_wrong_dates_of_birth_spend_the_link(world, client, django_capture_on_commit_callbacks):
    patient, _response, path = _delivered(django_capture_on_commit_callbacks, world)
    for _n in range(DATE_OF_BIRTH_TRIES):
        response = _activate(client, path, born="2001-01-01")
        assert response.status_code == 400
    link = ActivationLink.objects.get()
    assert link.failed_checks == DATE_OF_BIRTH_TRIES
    assert link.end_reason == ActivationEnd.TOO_MANY_TRIES
    # Now even the right date of birth does not open it.
    assert _activate(client, path).status_code == 400
    assert "does not work any more" in client.get(path).content.decode()
    patient.user.refresh_from_db()
    assert not patient.user.has_usable_password()


def test_a_new_link_ends_the_earlier_one(world, client, django_capture_on_commit_callbacks):
    patient, _r, first = _delivered(django_capture_on_commit_callbacks, world)
    _patient, _r, second = _delivered(django_capture_on_commit_callbacks, world, patient)
    assert first != second
    assert _activate(client, first).status_code == 400
    assert ActivationLink.objects.filter(end_reason=ActivationEnd.REPLACED).count() == 1
    assert _activate(client, second).status_code == 302


def test_changing_the_email_ends_a_link_on_its_way(world, django_capture_on_commit_callbacks):
    patient, _r, path = _delivered(django_capture_on_commit_callbacks, world)
    response = client_for(world.physio).patch(
        f"/api/v1/patients/{patient.pk}/", {"email": "new@example.org", "reason": "new address"}, format="json"
    )
    assert response.status_code == 200
    assert ActivationLink.objects.get().end_reason == ActivationEnd.CONTACT_CHANGED
    assert response.json()["activation_status"] == "none"
    assert _activate(Client(), path).status_code == 400


def test_a_link_expires(world, client, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-11-01 09:00", tick=False):
        patient, _r, path = _delivered(django_capture_on_commit_callbacks, world)
    with time_machine.travel("2026-11-05 09:00", tick=False):  # four days later; the default lifetime is three
        response = _activate(client, path)
    assert response.status_code == 400
    patient.user.refresh_from_db()
    assert not patient.user.has_usable_password()


def test_a_forged_or_tampered_token_is_refused(world, django_capture_on_commit_callbacks):
    _patient, _r, path = _delivered(django_capture_on_commit_callbacks, world)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert open_link_for(token) is not None
    assert open_link_for(token[:-1] + ("a" if token[-1] != "a" else "b")) is None
    assert open_link_for("garbage") is None
    link_id, rest = token.split(".", 1)
    assert open_link_for(f"{int(link_id) + 1}.{rest}") is None  # the signature covers the link id


def test_a_weak_password_spends_nothing(world, client, django_capture_on_commit_callbacks):
    _patient, _r, path = _delivered(django_capture_on_commit_callbacks, world)
    response = _activate(client, path, password="123")
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert ActivationLink.objects.get().failed_checks == 0
    assert client.get(path).status_code == 200


# ---------------------------------------------------------------------------------------------
# In-person hand-over: a QR code shown once to a physiotherapist on the care team
# ---------------------------------------------------------------------------------------------


def test_a_physiotherapist_on_the_care_team_is_shown_the_qr_code_once_and_it_is_audited(world, client):
    patient = builders.make_patient(world.clinic, care_team=[world.physio, world.clinician])
    client.force_login(world.physio)
    page = client.post(f"/patients/{patient.pk}/activation/", {"channel": "handover"})
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "<svg" in html
    assert "Sign-in QR code" in html
    assert "/activate/" not in html  # only inside the QR code
    link = ActivationLink.objects.get()
    assert link.channel == "handover"
    assert link.issued_by == world.physio
    assert link.delivered_at

    # The trail says who was shown it; the API never shows the link.
    trail = client_for(world.physio).get(f"/api/v1/patients/{patient.pk}/audit/")
    assert any(e["object"] == "sign-in link" and world.physio.display_name in e["reason"] for e in trail.json()), (
        trail.json()
    )
    assert "/activate/" not in trail.content.decode()
    # Nothing shows it again: the patient page only says it was handed over.
    again = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "handed over as a QR code" in again
    assert "<svg" not in again.split('id="record"')[1].split("</section>")[0]


def test_a_clinician_does_not_hand_over_a_qr_code(world, client):
    patient = builders.make_patient(world.clinic, care_team=[world.physio, world.clinician])
    client.force_login(world.clinician)
    response = client.post(f"/patients/{patient.pk}/activation/", {"channel": "handover"})
    assert response.status_code == 302
    assert not ActivationLink.objects.exists()


def test_a_spanish_patients_link_opens_in_spanish_and_refuses_a_wrong_date_in_spanish(
    world, client, django_capture_on_commit_callbacks
):
    from rehab.models import Patient

    spanish = builders.make_patient(world.clinic, care_team=[world.physio], email="ana@example.org")
    Patient.objects.filter(pk=spanish.pk).update(language="es")
    _patient, _response, path = _delivered(django_capture_on_commit_callbacks, world, patient=spanish)

    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    wrong = _activate(client, path, born="1970-03-14")

    assert page["Content-Language"] == "es"
    assert "Your date of birth" not in page.content.decode()
    assert wrong.status_code == 400
    text = html.unescape(wrong.content.decode())
    assert "Esta fecha de nacimiento no coincide con nuestros registros. Le quedan 4 intentos" in text
    assert "does not match" not in text

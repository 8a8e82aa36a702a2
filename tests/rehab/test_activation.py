"""Activation links: single use, expiring, unforgeable; no password ever sent."""

import time_machine
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from rehab.activation import activation_tokens, user_from_activation
from rehab.models import Role
from tests import builders
from tests.conftest import client_for

NEW_PASSWORD = "a quiet walk by the river"


def _issue(world, patient=None, **patient_fields):
    patient = patient or builders.make_patient(world.clinic, care_team=[world.physio], **patient_fields)
    response = client_for(world.physio).post(f"/api/v1/patients/{patient.pk}/activation/")
    assert response.status_code == 201, response.content
    patient.refresh_from_db()
    return patient, response.json()


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_issuing_a_link_creates_a_patient_login_without_a_usable_password(world):
    patient, body = _issue(world)
    assert patient.user.role == Role.PATIENT
    assert patient.user.clinic == world.clinic
    assert not patient.user.has_usable_password()
    assert body["username"] == patient.user.username


def test_the_link_sets_a_password_once_and_signs_the_patient_in(world, client):
    patient, body = _issue(world)
    path = _path(body["activation_url"])

    page = client.get(path)
    assert page.status_code == 200
    assert patient.user.username in page.content.decode()

    response = client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.check_password(NEW_PASSWORD)

    client.logout()
    second = client.post(path, {"password": "another secret phrase", "password_again": "another secret phrase"})
    assert second.status_code == 400
    patient.user.refresh_from_db()
    assert patient.user.check_password(NEW_PASSWORD)


def test_a_link_expires(world, client, settings):
    with time_machine.travel("2026-11-01 09:00", tick=False):
        patient, body = _issue(world)
    with time_machine.travel("2026-11-05 09:00", tick=False):  # four days later; the default lifetime is three
        response = client.post(
            _path(body["activation_url"]), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
        )
    assert response.status_code == 400
    patient.user.refresh_from_db()
    assert not patient.user.has_usable_password()


def test_a_forged_or_tampered_link_is_refused(world):
    patient, _body = _issue(world)
    uid = urlsafe_base64_encode(force_bytes(patient.user.pk))
    token = activation_tokens.make_token(patient.user)
    assert user_from_activation(uid, token) == patient.user
    assert user_from_activation(uid, token[:-1] + ("a" if token[-1] != "a" else "b")) is None
    other_uid = urlsafe_base64_encode(force_bytes(world.physio.pk))
    assert user_from_activation(other_uid, token) is None  # not a patient, and not their token
    assert user_from_activation("garbage", token) is None


def test_a_password_reset_token_is_not_an_activation_token(world):
    from django.contrib.auth.tokens import default_token_generator

    patient, _ = _issue(world)
    uid = urlsafe_base64_encode(force_bytes(patient.user.pk))
    assert user_from_activation(uid, default_token_generator.make_token(patient.user)) is None


def test_a_weak_password_is_refused_with_a_message_and_the_link_stays_valid(world, client):
    _patient, body = _issue(world)
    path = _path(body["activation_url"])
    response = client.post(path, {"password": "123", "password_again": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert client.get(path).status_code == 200


def test_the_link_is_emailed_after_commit_and_the_email_holds_no_password(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _patient, body = _issue(world, email="ann@example.org")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.org"]
    assert "/activate/" in message.body
    assert "password:" not in message.body.lower().replace("choose a password:", "")
    assert body["emailed_to"] == "ann@example.org"

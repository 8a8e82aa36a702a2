"""Every message leaves in its reader's language: an alert's email in each staff member's own (their
choice, else their clinic's), a patient's sign-in link (email or text), plan PDF email and push reminder
in the patient's (theirs, else their clinic's)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from rehab import sms
from rehab.models import ActivationLink, Alert, AlertKind, Clinic, Patient, User
from rehab.services import reminders
from rehab.services.alerts import alert_email
from rehab.services.notifications import activation_link_send, plan_pdf_send
from tests import builders

NOW = "2026-11-04 10:00"  # a Wednesday, outside the default quiet hours


@pytest.fixture
def alert(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=date.today() - timedelta(days=3))
    return Alert.objects.create(
        patient=world.patient, plan=plan, kind=AlertKind.RED_FLAG, urgent=True, message="Chest pain reported"
    )


def _by_address(messages) -> dict:
    return {address: message for message in messages for address in message.to}


def test_an_alert_email_reaches_each_staff_member_in_their_own_language(world, alert):
    User.objects.filter(pk=world.physio.pk).update(language="es", email="physio@example.org")
    User.objects.filter(pk=world.clinician.pk).update(language="", email="clinician@example.org")

    assert alert_email(alert_id=alert.pk) is True

    sent = _by_address(mail.outbox)
    spanish, english = sent["physio@example.org"], sent["clinician@example.org"]
    assert spanish.subject == f"[Plan de rehabilitación] Señal de alarma notificada: {world.patient.full_name}"
    assert spanish.body.startswith("Señal de alarma notificada\n\nChest pain reported\n\n")
    assert "Abra la página del paciente para revisar y confirmar la alerta:" in spanish.body
    assert "Red flag" not in spanish.body
    assert "Open the patient's page" not in spanish.body
    assert english.subject == f"[Rehab planner] Red flag reported: {world.patient.full_name}"
    assert "Open the patient's page to review and acknowledge" in english.body


def test_a_staff_member_without_a_choice_reads_the_alert_in_the_clinics_language(world, alert):
    Clinic.objects.filter(pk=world.clinic.pk).update(language="es")
    User.objects.filter(pk__in=[world.physio.pk, world.clinician.pk]).update(language="")
    User.objects.filter(pk=world.physio.pk).update(email="physio@example.org")
    User.objects.filter(pk=world.clinician.pk).update(email="clinician@example.org")

    alert_email(alert_id=alert.pk)

    (message,) = mail.outbox  # one language: one message to both
    assert sorted(message.to) == ["clinician@example.org", "physio@example.org"]
    assert message.subject.startswith("[Plan de rehabilitación] Señal de alarma notificada")


def _link(world, patient, channel, destination):
    return ActivationLink.objects.create(
        patient=patient,
        user=patient.user,
        channel=channel,
        destination=destination,
        issued_by=world.physio,
        expires_at=timezone.now() + timedelta(days=3),
    )


def test_a_spanish_patients_sign_in_link_comes_in_spanish_by_email_and_by_text(world, settings):
    settings.SMS_BACKEND = "rehab.sms.LocMemBackend"
    sms.outbox.clear()
    login = builders.make_user(world.clinic, "patient")
    login.set_unusable_password()
    login.save()
    patient = builders.make_patient(world.clinic, care_team=[world.physio], login=login, language="es")

    assert activation_link_send(link_id=_link(world, patient, "email", "ana@example.org").pk) is True
    assert activation_link_send(link_id=_link(world, patient, "sms", "+34 600 000 000").pk) is True

    (email,) = mail.outbox
    assert email.subject == "Su plan de ejercicios: elija su contraseña"
    assert email.body.startswith(f"Hola, {patient.first_name}:")
    assert "choose a password" not in email.body
    (text,) = sms.outbox
    assert "para elegir la contraseña de su plan de ejercicios" in text.body
    assert "to choose your exercise-plan password" not in text.body
    sms.outbox.clear()


def test_a_patient_without_a_language_gets_their_plan_pdf_email_in_the_clinics(world):
    Clinic.objects.filter(pk=world.clinic.pk).update(language="es")
    Patient.objects.filter(pk=world.patient.pk).update(language="", email="helen@example.org")
    plan = builders.make_active_plan(world.patient, world.physio, start_date=date(2026, 11, 2))

    assert plan_pdf_send(plan_id=plan.pk) is True

    (message,) = mail.outbox
    assert message.subject == "Su plan de ejercicios"
    assert message.body.startswith(f"Hola, {world.patient.first_name}:")
    assert "is attached" not in message.body


def test_a_push_reminder_is_in_the_patients_language(world, monkeypatch):
    Patient.objects.filter(pk=world.patient.pk).update(language="es")
    pushed = []
    monkeypatch.setattr(reminders, "push_send", lambda *, patient_id, message: pushed.append(message) or 1)
    with time_machine.travel(NOW, tick=False):
        channel = reminders.reminder_send(patient_id=world.patient.pk, kind="session_due")
    assert channel == "push"
    (message,) = pushed
    assert message["title"] == "Su plan de ejercicios"
    assert message["body"] == "Le toca una sesión de su plan de ejercicios. Abra la aplicación cuando esté listo."
    assert mail.outbox == []

"""An alert's email is recorded as sent (emailed_at) only once it went out: a failed or interrupted
send is retried, and a retry after a successful send sends nothing."""

from datetime import date, timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from rehab import queue, tasks
from rehab.models import Alert, AlertKind, DeliveryClaim
from rehab.services.alerts import alert_email
from tests import builders

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise OSError("SMTP refused")


class KilledBackend(BaseEmailBackend):
    """The worker is killed while talking to the SMTP server: nothing after this line runs."""

    def send_messages(self, email_messages):
        raise SystemExit("killed")


class WitnessBackend(LocmemBackend):
    """Delivers like locmem, and notes what the alert row said while its mail was being sent."""

    seen: list = []

    def send_messages(self, email_messages):
        WitnessBackend.seen.append(Alert.objects.values_list("emailed_at", flat=True).get())
        return super().send_messages(email_messages)


@pytest.fixture
def alert(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=date.today() - timedelta(days=3))
    return Alert.objects.create(patient=world.patient, plan=plan, kind=AlertKind.RED_FLAG, urgent=True, message="x")


def _emailed_at(alert):
    return Alert.objects.values_list("emailed_at", flat=True).get(pk=alert.pk)


def test_the_alert_is_marked_emailed_only_after_its_mail_went_out(alert, settings):
    settings.EMAIL_BACKEND = "tests.rehab.test_alert_email.WitnessBackend"
    WitnessBackend.seen = []

    assert alert_email(alert_id=alert.pk) is True

    assert WitnessBackend.seen == [None]
    assert len(mail.outbox) == 1
    assert _emailed_at(alert) is not None


def test_a_refused_send_is_not_recorded_and_the_retry_sends_it_once(alert, settings):
    settings.EMAIL_BACKEND = "tests.rehab.test_alert_email.RefusingBackend"
    with pytest.raises(OSError):
        alert_email(alert_id=alert.pk)
    assert _emailed_at(alert) is None

    settings.EMAIL_BACKEND = LOCMEM
    assert alert_email(alert_id=alert.pk) is True
    assert alert_email(alert_id=alert.pk) is False  # a second retry after the success sends nothing
    assert len(mail.outbox) == 1
    assert _emailed_at(alert) is not None


def test_a_worker_killed_while_sending_leaves_the_alert_for_a_later_delivery(alert, settings):
    settings.DELIVERY_CLAIM_TIMEOUT = 300
    settings.EMAIL_BACKEND = "tests.rehab.test_alert_email.KilledBackend"
    with pytest.raises(SystemExit):
        alert_email(alert_id=alert.pk)
    assert _emailed_at(alert) is None

    settings.EMAIL_BACKEND = LOCMEM
    # While the dead worker's claim is fresh it might still be sending: the next delivery waits.
    with pytest.raises(queue.DeliveryBusy):
        alert_email(alert_id=alert.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert alert_email(alert_id=alert.pk) is True
    assert len(mail.outbox) == 1


def test_an_alert_nobody_can_be_emailed_about_is_not_recorded_as_emailed(alert, world):
    alert.patient.care_team.update(email="")

    assert alert_email(alert_id=alert.pk) is False

    assert mail.outbox == []
    assert _emailed_at(alert) is None


def test_the_task_retried_after_a_refused_send_sends_the_alert_once(alert, settings):
    settings.EMAIL_BACKEND = "tests.rehab.test_alert_email.RefusingBackend"
    with pytest.raises(Exception):  # noqa: B017 - eager retries wrap the OSError
        tasks.email_alert.apply(args=[alert.pk], task_id="outbox-1", throw=True, retries=5)
    assert _emailed_at(alert) is None

    settings.EMAIL_BACKEND = LOCMEM
    tasks.email_alert.apply(args=[alert.pk], task_id="outbox-1")
    tasks.email_alert.apply(args=[alert.pk], task_id="outbox-2")  # the same alert queued again
    assert len(mail.outbox) == 1
    assert _emailed_at(alert) is not None


def test_the_task_retries_while_another_delivery_sends_the_same_alert(alert, settings):
    settings.DELIVERY_CLAIM_TIMEOUT = 300
    # An inline run (the broker was down) is sending this alert right now and holds its claim.
    assert queue.claim_delivery(f"alert-email-{alert.pk}", "rehab.services.alerts.alert_email") is True

    with pytest.raises(Retry):  # retried later, not failed after the first busy answer
        tasks.email_alert.apply(args=[alert.pk], task_id="outbox-1", throw=True)

    assert mail.outbox == []
    assert _emailed_at(alert) is None
    assert not DeliveryClaim.objects.filter(task_id="outbox-1").exists()  # its retry may claim it again

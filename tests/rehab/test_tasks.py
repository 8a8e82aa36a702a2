"""Background work: queued after commit, through a real worker, and never lost when the broker is down."""

import pytest
from django.core import mail

from rehab import queue
from rehab.models import OutboxMessage
from tests import builders
from tests.conftest import client_for
from tests.worker import running_worker, wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_activation_email_travels_through_a_real_broker_and_worker(world, tmp_path):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], email="ann@example.org")
    with running_worker(tmp_path):
        response = client_for(world.physio).post(f"/api/v1/patients/{patient.pk}/activation/")
        assert response.status_code == 201
        wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["ann@example.org"]
    assert OutboxMessage.objects.get().sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_when_the_broker_is_down_the_request_succeeds_and_the_work_waits_in_the_outbox(world, broker_down):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], email="ann@example.org")

    response = client_for(world.physio).post(f"/api/v1/patients/{patient.pk}/activation/")

    assert response.status_code == 201
    pending = OutboxMessage.objects.get()
    assert pending.sent_at is None
    assert pending.attempts == 1
    assert pending.last_error


@pytest.mark.django_db(transaction=True)
def test_the_drain_sends_pending_work_once_the_broker_is_back(world):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], email="ann@example.org")
    user_id = patient.pk  # any id; the task ignores ids that are not pending patient logins
    OutboxMessage.objects.create(task_name="rehab.tasks.email_activation_link", args=[user_id])

    assert queue.drain_outbox() == 1
    assert queue.drain_outbox() == 0  # claimed: a second drain sends nothing again
    assert OutboxMessage.objects.get().sent_at is not None

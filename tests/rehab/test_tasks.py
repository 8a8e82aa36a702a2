"""Background work: queued after commit, through a real worker, and never lost when the broker is down."""

import pytest
from django.core import mail

from rehab import queue
from rehab.celery import app as celery_app
from rehab.models import OutboxMessage
from tests import builders
from tests.conftest import client_for
from tests.worker import reset_broker_connections as _reset_connections
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


@pytest.fixture
def broker_down():
    """Point Celery at a closed port, with eager mode off, as if Redis had gone away."""
    conf = celery_app.conf
    saved = (conf.broker_write_url, conf.task_always_eager)
    # The write URL is what publishing uses; it overrides the broker URL set from the environment.
    conf.broker_write_url, conf.task_always_eager = "redis://127.0.0.1:9/0", False
    _reset_connections()
    yield
    conf.broker_write_url, conf.task_always_eager = saved
    _reset_connections()


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

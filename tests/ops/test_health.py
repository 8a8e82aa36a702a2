"""/health/: a bare answer for anyone, details for staff, 503 when the outbox is stale."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone

from rehab.models import OutboxMessage


def test_anyone_gets_ok_without_details(db, client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_staff_see_each_check_and_the_outbox_age(world, client):
    client.force_login(world.physio)
    body = client.get("/health/").json()
    assert set(body["checks"]) == {"Database", "Cache", "Broker", "Outbox"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["outbox_oldest_unsent_seconds"] is None


def test_a_patient_sees_no_details(world, client):
    client.force_login(world.patient_user)
    assert client.get("/health/").json() == {"status": "ok"}


# The checks run in worker threads with their own connections: they see only committed rows.
@pytest.mark.django_db(transaction=True)
def test_a_stale_outbox_makes_it_unavailable(world, client, settings):
    message = OutboxMessage.objects.create(task_name="rehab.tasks.outbox_drain")
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=1))
    client.force_login(world.physio)
    # From a thread of its own: a browser test may have left an event loop in the main thread,
    # where Django's test client cannot drive an async view.
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(client.get, "/health/").result()
    assert response.status_code == 503
    assert response.json()["checks"]["Outbox"]["ok"] is False
    assert response.json()["outbox_oldest_unsent_seconds"] > 3500

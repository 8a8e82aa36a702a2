"""record_read (the plan GET lane's audit) writes the row record_reads writes for one patient's object,
and nothing for a patient reading their own (rehab/services/access.py)."""

import time_machine
from django.test import RequestFactory

from rehab.models import AccessKind, RecordAccess
from rehab.services.access import record_read, record_reads
from tests import builders

FIELDS = ("actor_id", "patient_id", "kind", "object_id", "address", "surface", "at")


def _request(user, address="203.0.113.9"):
    request = RequestFactory().get("/api/v1/plans/7/", REMOTE_ADDR=address)
    request.user = user
    return request


@time_machine.travel("2026-11-18 09:00", tick=False)
def test_it_writes_the_row_record_reads_writes(world):
    plan = builders.make_active_plan(world.patient, world.physio)

    record_reads(
        request=_request(world.physio), kind=AccessKind.PLAN, patient_ids=[world.patient.pk], object_id=plan.pk
    )
    record_read(request=_request(world.physio), kind=AccessKind.PLAN, patient_id=world.patient.pk, object_id=plan.pk)

    many, one = RecordAccess.objects.order_by("pk").values_list(*FIELDS)
    assert one == many
    assert one[:5] == (world.physio.pk, world.patient.pk, AccessKind.PLAN, plan.pk, "203.0.113.9")


def test_a_patient_reading_their_own_and_an_anonymous_request_leave_no_row(world):
    from django.contrib.auth.models import AnonymousUser

    record_read(request=_request(world.patient_user), kind=AccessKind.PLAN, patient_id=world.patient.pk, object_id=1)
    record_read(request=_request(AnonymousUser()), kind=AccessKind.PLAN, patient_id=world.patient.pk, object_id=1)

    assert not RecordAccess.objects.exists()

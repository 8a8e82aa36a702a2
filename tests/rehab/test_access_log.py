"""The access log of staff reads is append-only: no update path in code, and on PostgreSQL the
database itself refuses UPDATE and DELETE (a django-pgtrigger trigger)."""

import pytest
from django.db import DatabaseError, connection, transaction

from rehab.models import AccessKind, RecordAccess


def _row(world) -> RecordAccess:
    return RecordAccess.objects.create(
        actor=world.physio,
        patient=world.patient,
        kind=AccessKind.PLAN,
        object_id=7,
        address="192.0.2.10",
        surface="api:plan-detail",
    )


def test_a_stored_row_cannot_be_saved_again_or_deleted_through_the_model(world):
    row = _row(world)
    row.surface = "page:elsewhere"
    with pytest.raises(ValueError, match="cannot be changed"):
        row.save()
    with pytest.raises(ValueError, match="cannot be removed"):
        row.delete()
    assert RecordAccess.objects.get().surface == "api:plan-detail"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_refuses_update_and_delete_of_an_access_row(world):
    row = _row(world)
    for statement in (
        lambda: RecordAccess.objects.filter(pk=row.pk).update(surface="rewritten"),
        lambda: RecordAccess.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
            statement()
    assert RecordAccess.objects.get(pk=row.pk).surface == "api:plan-detail"

"""Rows written in one UPDATE ... FROM (VALUES ...) store exactly what save() would store."""

from rehab.bulk_sql import insert_rows, update_rows, update_values
from rehab.models import PlanItem, ProgressionDecision
from tests import builders


def test_update_rows_writes_every_field_of_every_row_and_nothing_else(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    rows = list(PlanItem.objects.filter(plan=plan).order_by("pk"))
    untouched = {row.pk: row.component for row in rows}
    for n, row in enumerate(rows):
        row.sets = n + 1
        row.minutes = None if n % 2 else 2.5 * n
        row.intensity = [["rpe_6_20", 9, 11 + n % 3]]
        row.schedule = [[1, None, None, 0.0]]
        row.in_plan = n % 3 != 0
        row.component = "changed but not written"

    assert update_rows(PlanItem, rows, ["sets", "minutes", "intensity", "schedule", "in_plan"]) == len(rows)

    for n, stored in enumerate(PlanItem.objects.filter(plan=plan).order_by("pk")):
        assert stored.sets == n + 1
        assert stored.minutes == (None if n % 2 else 2.5 * n)
        assert stored.intensity == [["rpe_6_20", 9, 11 + n % 3]]
        assert stored.schedule == [[1, None, None, 0.0]]
        assert stored.in_plan is (n % 3 != 0)
        assert stored.component == untouched[stored.pk]


def test_update_rows_with_nothing_to_write_sends_nothing(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert update_rows(PlanItem, [], ["sets"]) == 0


def test_update_values_takes_json_as_its_text(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    rows = list(PlanItem.objects.filter(plan=plan).order_by("pk"))

    assert update_values(PlanItem, ["schedule", "sets"], [(row.pk, '[[1, null, "reps", 2.5]]', None) for row in rows])

    assert {(item.schedule[0][2], item.sets) for item in PlanItem.objects.filter(plan=plan)} == {("reps", None)}


def test_inserted_rows_get_their_ids_and_read_back_as_saved(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    rows = [
        ProgressionDecision(
            plan=plan, week=week, action="hold", reasons=[{"text": f'week {week}\'s \\ "quoted"'}], doses_before={}
        )
        for week in (1, 2, 3)
    ]
    for row in rows:
        row.doses_after = {"walk": {"minutes": 12.5}}

    insert_rows(ProgressionDecision, rows)

    stored = {row.pk: row for row in ProgressionDecision.objects.filter(plan=plan)}
    assert sorted(stored) == sorted(row.pk for row in rows)
    for row in rows:
        assert stored[row.pk].week == row.week
        assert stored[row.pk].reasons == row.reasons
        assert stored[row.pk].doses_after == {"walk": {"minutes": 12.5}}
        assert stored[row.pk].decided_at is not None

"""Generating a plan costs a fixed number of queries, whatever its number of items and weeks, and the
answer shows the plan just stored."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rehab.models import Plan, PlanItem
from tests import builders
from tests.conftest import client_for

PLANS = "/api/v1/plans/"


def statements(captured) -> list[str]:
    """Each query as "VERB table" (transaction control left out)."""
    out = []
    for query in captured.captured_queries:
        words = query["sql"].replace('"', "").split()
        marker = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(words[0])
        if marker is not None:
            out.append(f"{words[0]} {words[words.index(marker) + 1]}")
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("weeks", [4, 12, 52])
def test_generating_a_plan_takes_ten_queries_whatever_its_length_and_answers_with_the_stored_plan(world, weeks):
    builders.make_assessment(world.patient, by=world.physio)
    client = client_for(world.physio)
    body = {"patient": world.patient.pk, "start_date": date(2026, 11, 2).isoformat(), "weeks": weeks}
    client.post(PLANS, body, format="json")  # the first plan stores the shared parts

    with CaptureQueriesContext(connection) as captured:
        response = client.post(PLANS, body, format="json")

    assert response.status_code == 201, response.content
    # The patient, the assessment, the plan and its history row, which parts are stored already, the
    # exercises' ids, the item rows with their columns; the answer: the plan in the reader's scope, its
    # items' ids and the supervised sessions held. No item row is read back or updated.
    assert statements(captured) == [
        "SELECT rehab_patient",
        "SELECT rehab_assessment",
        "INSERT rehab_plan",
        "INSERT rehab_historicalplan",
        "SELECT rehab_planpart",
        "SELECT rehab_exercise",
        "INSERT rehab_planitem",
        "SELECT rehab_plan",
        "SELECT rehab_planitem",
        "SELECT rehab_checkin",
    ]
    plan = Plan.objects.get(pk=response.json()["id"])
    items = PlanItem.objects.filter(plan=plan, in_plan=True)
    assert items.count() == len(response.json()["items"]) > 0
    assert set(items.values_list("dose_week", flat=True)) == {1}
    assert plan.weeks == weeks

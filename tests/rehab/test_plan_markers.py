"""The plan read's one query (rehab.selectors.plan_markers), compiled once per shape and run with the
reader's ids, answers exactly what the ORM's scope answers: the same plan for a reader who may see it,
a 404 for every other, whoever asked first."""

import importlib
from datetime import date

import pytest
import time_machine
from django.http import Http404

from rehab import selectors
from rehab.models import Plan, Role
from tests import builders
from tests.conftest import client_for

markers_module = importlib.import_module("rehab.selectors.plan_markers")
READERS = ("physio", "clinician", "admin", "outsider_physio", "foreign_physio", "patient_user", "other_patient_user")


@pytest.fixture
def plans(world) -> dict[str, Plan]:
    active = builders.make_active_plan(world.patient, world.physio, start_date=date(2026, 11, 2))
    other = builders.make_active_plan(world.other_patient, world.outsider_physio, start_date=date(2026, 11, 2))
    created = client_for(world.physio).post(
        "/api/v1/plans/", {"patient": world.patient.pk, "start_date": "2026-12-07"}, format="json"
    )
    return {"active": active, "other": other, "draft": Plan.objects.get(pk=created.json()["id"])}


def _by_the_orm(user, plan_id, patient_id):
    plan = selectors.plans_for_api(user, patient_id).filter(pk=plan_id).first()
    return None if plan is None else (plan.pk, plan.patient_id, plan.version, plan.status, plan.start_date)


def _compiled(user, plan_id, patient_id):
    try:
        m = selectors.plan_markers(user, plan_id, patient_id)
    except Http404:
        return None
    return (m.plan_id, m.patient_id, m.version, m.status, m.start_date)


@pytest.mark.parametrize("reader", READERS)
def test_the_compiled_read_sees_what_the_scope_sees_for_every_reader_plan_and_patient_filter(world, plans, reader):
    user = getattr(world, reader)
    for plan in plans.values():
        for patient_id in (None, world.patient.pk, world.other_patient.pk):
            assert _compiled(user, plan.pk, patient_id) == _by_the_orm(user, plan.pk, patient_id), (
                reader,
                plan.status,
                patient_id,
            )
    assert _compiled(user, 10**17, None) is None


def test_the_query_is_compiled_once_per_shape_and_run_with_each_readers_ids(world, plans):
    markers_module._compiled.clear()

    seen = selectors.plan_markers(world.physio, plans["active"].pk)
    refused = [_compiled(user, plans["active"].pk, None) for user in (world.foreign_physio, world.outsider_physio)]

    compiled = markers_module._compiled[(Role.PHYSIOTHERAPIST, False, False)]
    assert compiled is not None
    assert compiled != markers_module._NOTHING
    _sql, params = compiled
    # Compiled with stand-in ids, not the first reader's: the next reader's run replaces them.
    assert markers_module._READER in params
    assert world.physio.pk not in params
    assert seen.plan_id == plans["active"].pk
    assert seen.patient_name == world.patient.full_name
    assert seen.author_name == world.physio.display_name
    assert refused == [None, None]


def test_a_reader_without_a_clinic_sees_no_plan(world, plans):
    loner = builders.make_user(None, Role.PHYSIOTHERAPIST)

    assert _compiled(loner, plans["active"].pk, None) is None
    assert _by_the_orm(loner, plans["active"].pk, None) is None


def test_the_markers_give_the_week_the_answer_shows(world, plans):
    with time_machine.travel("2026-11-18 09:00", tick=False):
        active = selectors.plan_markers(world.physio, plans["active"].pk)
        draft = selectors.plan_markers(world.physio, plans["draft"].pk)

        assert active.shown_week() == plans["active"].edit_week() == 3
        assert draft.shown_week() == 1

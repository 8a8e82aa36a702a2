"""Rules, rationales and doses keep their hash once worked out (planner/types.py). A kept hash must be
the one a fresh, equal object works out: the engine's and the sweep's memos find doses by it, and a dose
changed from another (evolve_dose copies its state) must not carry the other's hash along."""

import copy
import dataclasses
import pickle

from hypothesis import HealthCheck, given, settings

from planner.schedule import build_plan
from planner.types import Dose, ValueRationale, evolve_dose
from tests.planner.conftest import motivating_case_profile
from tests.planner.test_properties import profiles


def _fresh(dose: Dose) -> Dose:
    """An equal dose made anew through __init__ (nothing kept), its rationale and rules anew too."""
    rationale = tuple(
        ValueRationale(entry.field, tuple(dataclasses.replace(rule) for rule in entry.rules))
        for entry in dose.rationale
    )
    return dataclasses.replace(dose, rationale=rationale)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_every_scheduled_dose_hashes_as_an_equal_fresh_one(profile):
    plan = build_plan(profile)
    doses = {id(entry.dose): entry.dose for week in plan.weeks for entry in week.doses}
    for dose in doses.values():
        hash(dose)  # kept from here on (most were made by evolve_dose from an earlier week's)
        fresh = _fresh(dose)
        assert fresh == dose
        assert hash(fresh) == hash(dose)


def test_a_changed_dose_works_out_its_own_hash():
    plan = build_plan(motivating_case_profile())
    dose = plan.weeks[0].doses[0].dose
    hash(dose)
    name = "minutes" if dose.minutes is not None else "sets"
    grown = evolve_dose(dose, **{name: getattr(dose, name) + 1})
    assert hash(grown) == hash(_fresh(grown))
    assert grown != dose


def test_a_copied_or_unpickled_dose_leaves_the_kept_hash_behind():
    dose = build_plan(motivating_case_profile()).weeks[0].doses[0].dose
    kept = hash(dose)
    for other in (pickle.loads(pickle.dumps(dose)), copy.copy(dose), copy.deepcopy(dose)):
        assert other == dose
        assert "_kept_hash" not in other.__dict__  # a string's hash differs in another process
        assert hash(other) == kept

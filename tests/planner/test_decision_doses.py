"""A decision's doses stored with rule ids only come back exactly, and each rule text is kept once."""

import json
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import serialize, storage
from planner.catalogue import load_default_catalogue
from planner.decision_doses import Cited, DoseWriter, dose_from, doses_from
from planner.schedule import build_plan
from planner.types import Dose, Rule, ValueRationale
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.integers(1, 12), st.data())
def test_every_dose_of_a_generated_plan_comes_back_exactly_with_the_shared_index(profile, weeks, data):
    plan = build_plan(profile, LIBRARY, weeks=weeks)
    week = plan.weeks[data.draw(st.integers(0, weeks - 1))]
    rules = DoseWriter()
    stored = {scheduled.exercise_slug: rules.dose(scheduled.dose) for scheduled in week.doses}
    # What the database gives back: JSON, possibly with its keys in another order.
    stored = json.loads(json.dumps(stored))
    cited = json.loads(json.dumps({key: part["body"] for key, part in rules.cited().parts().items()}, sort_keys=True))
    back = Cited(index="", rules=cited[rules.cited().index], rationales=cited)
    assert doses_from(stored, back) == {scheduled.exercise_slug: scheduled.dose for scheduled in week.doses}
    assert all("rule_index" not in dose for dose in stored.values())


def test_each_rule_text_is_stored_once_however_many_doses_cite_it(motivating_case):
    plan = build_plan(motivating_case, LIBRARY, weeks=12)
    doses = [scheduled.dose for week in plan.weeks for scheduled in week.doses]
    rules = DoseWriter()
    stored = [rules.dose(dose) for dose in doses]
    every_text = [entry["text"] for entry in rules.rules.values()]
    parts = rules.cited().parts()
    written = json.dumps(stored) + json.dumps(parts)
    assert all(written.count(json.dumps(text)[1:-1]) == 1 for text in every_text)
    # A stored dose is its numbers and two digests; on its own it carried its rationale and texts.
    assert len(json.dumps(stored)) * 10 < sum(len(json.dumps(serialize.to_dict(dose))) for dose in doses)
    assert len(parts) - 1 <= len(plan.items) * 4  # few distinct rationales, shared by the weeks


def test_a_rule_reworded_since_keeps_its_own_text_beside_its_dose(motivating_case):
    plan = build_plan(motivating_case, LIBRARY, weeks=2)
    first = plan.weeks[0].doses[0].dose
    cited = first.rationale[0].rules[0]
    reworded = replace(
        first,
        rationale=(
            ValueRationale(first.rationale[0].field, (Rule(cited.id, "Reworded.", cited.evidence, cited.source),)),
        ),
    )
    rules = DoseWriter()
    kept = rules.dose(first)
    own = rules.dose(reworded)
    assert "rule_index" not in kept
    assert own["rule_index"][cited.id]["text"] == "Reworded."
    assert dose_from(own, rules.cited()) == reworded
    assert dose_from(kept, rules.cited()) == first
    assert isinstance(dose_from(kept, rules.cited()), Dose)


def test_a_stored_doses_rationale_is_the_part_the_plans_own_schedule_stores(motivating_case):
    plan = build_plan(motivating_case, LIBRARY, weeks=3)
    stored_plan = storage.split(serialize.to_dict(plan))
    rules = DoseWriter()
    for week in plan.weeks:
        for scheduled in week.doses:
            rules.dose(scheduled.dose)
    # Nothing new to store for a decision's rationales: the plan stored each already.
    assert set(rules.cited().rationales) <= set(stored_plan.parts)

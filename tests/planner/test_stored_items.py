"""A plan decoded, rescheduled and stored item by item is exactly the plan the whole-plan path gives."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import storage, stored_items
from planner.catalogue import load_default_catalogue
from planner.editing import reschedule_from
from planner.schedule import build_plan
from planner.serialize import from_dict, to_dict
from planner.types import Plan
from tests.planner.test_properties import profiles

LIBRARY = load_default_catalogue()
ITEM_SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _raw(item: storage.StoredItem) -> stored_items.RawItem:
    text = stored_items.text
    return (
        item.slug,
        item.component,
        item.exercise,
        item.progression,
        item.rationale,
        text(item.targets),
        text(item.notes),
        text(item.dose),
        text(item.schedule),
    )


def _by_items(stored: storage.StoredPlan):
    stored_items.forget()

    def parts(digests):
        return {digest: stored.parts[digest] for digest in digests}

    frame = stored_items.frame(storage.canonical(stored.blueprint), parts)
    typed = [stored_items.typed_item(frame, _raw(item), parts) for item in stored.items]
    return frame, typed


@ITEM_SETTINGS
@given(profiles(), st.integers(1, 16))
def test_a_plan_put_together_from_its_items_is_the_plan_its_rows_hold(profile, weeks):
    plan = build_plan(profile, LIBRARY, weeks=weeks)
    stored = storage.split(to_dict(plan))
    frame, typed = _by_items(stored)

    assert stored_items.assemble(frame, typed) == plan == from_dict(Plan, storage.join(stored))


@ITEM_SETTINGS
@given(profiles(), st.integers(2, 14), st.data())
def test_rescheduling_item_by_item_stores_what_the_whole_plan_path_stores(profile, weeks, data):
    plan = build_plan(profile, LIBRARY, weeks=weeks)
    if not plan.items:
        return
    stored = storage.split(to_dict(plan))
    week = data.draw(st.integers(1, weeks))
    slugs = [item.slug for item in plan.items]
    moved = data.draw(st.lists(st.sampled_from(slugs), unique=True, max_size=3))
    held = frozenset(data.draw(st.lists(st.sampled_from(slugs), unique=True, max_size=2)))
    keep = frozenset(slug for slug in held if data.draw(st.booleans()))
    doses = {}
    for slug in moved:
        dose = plan.weeks[week - 1].dose_for(slug).dose
        doses[slug] = replace(dose, frequency_per_week=max(1, dose.frequency_per_week - 1), rationale=())
    whole = reschedule_from(plan, week, doses, held=held, keep_as_given=keep)
    whole_stored = storage.split(to_dict(whole))

    frame, typed = _by_items(stored)
    done = [
        stored_items.reschedule_item(
            frame, one, week, doses.get(one.item.slug), held=one.item.slug in held, keep_as_given=one.item.slug in keep
        )
        for one in typed
    ]

    assert stored_items.assemble(frame, [one.typed for one in done]) == whole
    assert [one.typed.stored for one in done] == list(whole_stored.items)
    blueprint, rules_part = stored_items.stored_blueprint(frame, done)
    assert blueprint == whole_stored.blueprint
    assert rules_part == {blueprint["rules"]: whole_stored.parts[blueprint["rules"]]}
    every_part = {digest: part for one in done for digest, part in one.parts.items()}
    assert set(storage.digests_referred(blueprint, whole_stored.items, rules_part[blueprint["rules"]]["body"])) <= (
        set(every_part) | set(stored.parts) | set(rules_part)
    )
    assert [change for one in done for change in one.changes] == storage.changes_between(stored, whole_stored)
    for one in done:
        current = storage.dose_in_week(one.typed.stored, week)
        assert one.columns["dose_week"] == (week if current is not None else None)
        assert one.columns["schedule"] == stored_items.text(one.typed.stored.schedule)

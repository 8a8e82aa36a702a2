"""The API's view of a plan, built from the typed engine plan (rehab.services.plans.engine_plan).

A plan answers small by default (about 16 KB for the demo's 17-item plan, was 190 KB): who and when,
the limits in force with the rule ids that set each value, every item with this week's dose and the
ids of the rules behind it, and this week's changes. The rest comes on request, with `?include=`
(comma-separated) or from the plan's own endpoints:

- `rules`: the text, evidence tag and source of every rule id the answer mentions;
- `rationale`: per value, which rules set each dose value, and why each exercise was chosen;
- `schedule`: every week's doses and each item's progression rule (also `plans/{id}/schedule/`);
- `exercises`: each item's whole exercise definition and the muscle groups it serves;
- `targets`: the week-12 targets, the week each is met or why it stays lower.

`plans/{id}/rules/` lists every rule the plan cites, whatever the answer showed. The compact default
is kept as the bytes sent (rehab.api.plan_cache); the schema of every answer is rehab.api.plan_schema.
"""

from datetime import date, timedelta

from rest_framework import serializers

from planner import serialize
from planner.types import Dose, LoadLimits, PrescriptionItem, Rule
from planner.types import Plan as EnginePlan
from rehab import selectors
from rehab.api.clearance import plan_clearance_fields
from rehab.models import Plan
from rehab.services import plan_store
from rehab.services.plans import engine_plan

INCLUDES = ("rules", "rationale", "schedule", "exercises", "targets")
# A dose's time fields: only those of its dose_kind are given (the others would always be null).
_TIME_FIELDS = ("minutes", "sets", "reps", "hold_seconds")


def parse_include(values: list[str]) -> frozenset[str]:
    """The parts asked for with `?include=` (comma-separated, or the parameter repeated).

    An unknown part is a 400 naming the parameter, so a typo is not silently answered without it.
    """
    asked = {part.strip() for value in values for part in value.split(",")} - {""}
    unknown = sorted(asked - set(INCLUDES))
    if unknown:
        raise serializers.ValidationError(
            {"include": [f"Unknown: {', '.join(unknown)[:200]}. Choose from {', '.join(INCLUDES)}."]}
        )
    return frozenset(asked)


class _Cited:
    """The rules an answer mentions, collected while it is built, for `?include=rules`."""

    def __init__(self):
        self.rules: dict[str, Rule] = {}

    def ids(self, rules) -> list[str]:
        for rule in rules:
            self.rules.setdefault(rule.id, rule)
        return [rule.id for rule in rules]

    def texts(self) -> dict:
        return {
            rule_id: {"text": rule.text, "evidence": rule.evidence, "source": rule.source}
            for rule_id, rule in sorted(self.rules.items())
        }


def plan_week(plan: Plan) -> int:
    """The week whose doses the plan shows as current: the week edits apply from.

    The plan week today falls in by the patient's clock (week 1 before the start, the last week
    after the end); a draft has not started, so it shows and is edited from its first week.
    """
    return plan.edit_week()


def _brief(plan: Plan, engine: EnginePlan) -> dict:
    return {
        "id": plan.pk,
        "patient": plan.patient_id,
        "patient_name": plan.patient.full_name,
        "status": plan.status,
        "version": plan.version,
        "start_date": plan.start_date,
        "length_weeks": plan.weeks,
        "end_date": plan.end_date,
        "current_week": plan_week(plan),
        "author": plan.author.display_name if plan.author else None,
        "assessment": plan.assessment_id,
        "created_at": plan.created_at,
        "activated_at": plan.activated_at,
        "pause_reason": plan.pause_reason,
        "safety_notice": engine.safety_notice,
    }


def _limits(limits: LoadLimits, cited: _Cited) -> dict:
    body = serialize.to_dict(limits)
    del body["rule_index"]
    # Ids only: the texts come once, with ?include=rules or from plans/{id}/rules/.
    body["rules"] = cited.ids(limits.rules)
    return body


def _dose(dose: Dose, cited: _Cited, *, rationale: bool) -> dict:
    body = serialize.to_dict(dose)
    del body["rule_index"], body["component"]  # the item carries the component
    for name in _TIME_FIELDS:
        if body[name] is None:
            del body[name]
    if rationale:
        body["rationale"] = {entry.field: cited.ids(entry.rules) for entry in dose.rationale}
    else:
        del body["rationale"]
    return body


def _dose_rule_ids(dose: Dose, cited: _Cited) -> list[str]:
    """Every rule behind a dose, each once, in the order the values cite them (per value with
    ?include=rationale): a plan's doses cite the same few rules under every value."""
    ids: dict[str, None] = {}
    for entry in dose.rationale:
        ids.update(dict.fromkeys(cited.ids(entry.rules)))
    return list(ids)


def _progression(item: PrescriptionItem, cited: _Cited) -> dict:
    rule = item.progression
    return {
        "steps": [
            {
                "variable": step.variable,
                "increment": step.increment,
                "every_weeks": step.every_weeks,
                "ceiling": step.ceiling,
                "refit": step.refit,
                "floor": step.floor,
                "rules": cited.ids(step.rules),
            }
            for step in rule.steps
        ],
        "max_weekly_growth_pct": rule.max_weekly_growth_pct,
        "growth_measure": rule.growth_measure,
    }


def _item(position, item, dose, item_id, cited: _Cited, include: frozenset[str]) -> dict:
    exercise = item.exercise
    body = {
        "id": item_id,
        "position": position,
        "exercise": {"slug": exercise.slug, "name": exercise.name},
        "component": item.component,
        "dose": _dose(dose, cited, rationale="rationale" in include),
        "rules": _dose_rule_ids(dose, cited),
        "notes": list(item.notes),
    }
    if "rationale" in include:
        body["rationale"] = {entry.field: cited.ids(entry.rules) for entry in item.rationale}
    if "exercises" in include:
        body["exercise"] = serialize.to_dict(exercise)
        body["muscle_targets"] = list(item.targets)
    if "schedule" in include:
        body["progression"] = _progression(item, cited)
    return body


def _week_change(scheduled, item_ids: dict) -> dict:
    return {
        "item": item_ids.get(scheduled.exercise_slug),
        "exercise_slug": scheduled.exercise_slug,
        "changed": scheduled.changed,
        "growth_pct": scheduled.growth_pct,
    }


def _weeks(engine: EnginePlan, item_ids: dict, cited: _Cited) -> list[dict]:
    """Every week's doses. A dose's rationale is spelled out only where it differs from the same
    item's the week before (the item's starting dose before week 1): it rarely changes, and twelve
    copies of it made most of the old 190 KB."""
    previous = {item.slug: item.dose.rationale for item in engine.items}
    weeks = []
    for week in engine.weeks:
        doses = []
        for scheduled in week.doses:
            rationale = scheduled.dose.rationale
            new = previous.get(scheduled.exercise_slug) != rationale
            previous[scheduled.exercise_slug] = rationale
            doses.append({**_week_change(scheduled, item_ids), "dose": _dose(scheduled.dose, cited, rationale=new)})
        weeks.append({"number": week.number, "doses": doses})
    return weeks


def _week_bounds(plan: Plan, number: int) -> tuple[date, date]:
    first = plan.start_date + timedelta(weeks=number - 1)
    return first, first + timedelta(days=6)


def _target(target, cited: _Cited) -> dict:
    return {
        "target_id": target.target_id,
        "component": target.component,
        "measure": target.measure,
        "value": target.value,
        "text": target.text,
        "expected_week": target.expected_week,
        "reached": target.reached,
        "reason": target.reason,
        "rules": cited.ids(target.rules),
    }


def engine_plans(plans: list[Plan]) -> dict[int, EnginePlan]:
    """The engine plans of a page of plans in a constant number of queries (not two per plan)."""
    stored = plan_store.stored_plans(plans)
    return {plan.pk: plan_store.engine_of(plan, stored[plan.pk]) for plan in plans}


def plan_representation(
    plan: Plan, *, brief: bool = False, include: frozenset[str] = frozenset(), engine: EnginePlan | None = None
) -> dict:
    """A plan as the API answers it: the brief form (lists), the compact default, plus `include`.

    `engine`: the plan's engine plan when the caller loaded it already (a list loads a page at once).
    """
    engine = engine or engine_plan(plan)
    body = _brief(plan, engine)
    if brief:
        return body
    cited = _Cited()
    item_ids = selectors.plan_item_ids(plan)
    number = min(max(body["current_week"], 1), len(engine.weeks))
    week = engine.weeks[number - 1]
    doses = {scheduled.exercise_slug: scheduled.dose for scheduled in week.doses}
    first_day, last_day = _week_bounds(plan, number)
    body.update(
        {
            "limits": _limits(engine.limits, cited),
            "items": [
                _item(position, item, doses.get(item.slug, item.dose), item_ids.get(item.slug), cited, include)
                for position, item in enumerate(engine.items, start=1)
            ],
            # This week's doses are each item's `dose`; here, what changed since last week.
            "this_week": {
                "number": number,
                "first_day": first_day,
                "last_day": last_day,
                "doses": [_week_change(d, item_ids) for d in week.doses],
            },
            "components_without_exercise": list(engine.components_without_exercise),
            # Medical clearance before the start, and how many supervised sessions are done.
            **plan_clearance_fields(plan, engine.limits),
        }
    )
    if "schedule" in include:
        body["weeks"] = _weeks(engine, item_ids, cited)
    if "targets" in include:
        # Where twelve green weeks take each component (clinical-reference 8d).
        body["targets"] = [_target(t, cited) for t in engine.targets]
    if "rules" in include:
        body["rules"] = cited.texts()
    return body


def plan_rules(plan: Plan) -> dict:
    """Every rule the plan cites (limits, doses, choices, progressions, weeks, targets), by id."""
    engine = engine_plan(plan)
    cited = _Cited()
    cited.ids(engine.limits.rules)
    for item in engine.items:
        for entry in (*item.rationale, *item.dose.rationale):
            cited.ids(entry.rules)
        for step in item.progression.steps:
            cited.ids(step.rules)
    for week in engine.weeks:
        for scheduled in week.doses:
            for entry in scheduled.dose.rationale:
                cited.ids(entry.rules)
    for target in engine.targets:
        cited.ids(target.rules)
    return {"plan": plan.pk, "version": plan.version, "rules": cited.texts()}


def plan_schedule(plan: Plan) -> dict:
    """Every week's doses; a dose's rationale (rule ids) where it differs from the week before."""
    engine = engine_plan(plan)
    item_ids = selectors.plan_item_ids(plan)
    return {
        "plan": plan.pk,
        "version": plan.version,
        "current_week": plan_week(plan),
        "weeks": _weeks(engine, item_ids, _Cited()),
    }

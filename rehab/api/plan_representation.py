"""The API's view of a plan: the engine snapshot with item ids; rationale as rule ids + rule_index."""

from django.utils import timezone
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from rehab.api import clearance as clearance_api
from rehab.api.clearance import plan_clearance_fields
from rehab.clearance import plan_limits
from rehab.models import Plan, PlanStatus
from rehab.services.plans import current_week


def _rules(ids, index) -> list[dict]:
    return [{"id": rule_id, **index.get(rule_id, {})} for rule_id in ids]


def _explained(rationale: dict, index: dict) -> dict:
    """Rationale stays as rule ids per value; their texts, evidence tags and sources are in the
    plan's rule_index once, rather than repeated under every value (a 12-week plan stays small)."""
    return {field: list(ids) for field, ids in rationale.items()}


def _week_dose(scheduled: dict, item_ids: dict, index: dict) -> dict:
    """A week's dose; the rationale is spelled out only where the dose changed that week (the
    items carry the starting rationale), which keeps a 12-week plan small."""
    dose = {k: v for k, v in scheduled["dose"].items() if k != "rationale"}
    if scheduled.get("changed"):
        dose["rationale"] = _explained(scheduled["dose"].get("rationale", {}), index)
    return {
        "item": item_ids.get(scheduled["exercise_slug"]),
        "exercise_slug": scheduled["exercise_slug"],
        "dose": dose,
        "changed": scheduled["changed"],
        "growth_pct": scheduled["growth_pct"],
    }


def plan_representation(plan: Plan, *, brief: bool = False) -> dict:
    engine = plan.engine
    index = engine.get("rule_index", {})
    body = {
        "id": plan.pk,
        "patient": plan.patient_id,
        "patient_name": plan.patient.full_name,
        "status": plan.status,
        "version": plan.version,
        "start_date": plan.start_date,
        "length_weeks": plan.weeks,
        "end_date": plan.start_date + timezone.timedelta(weeks=plan.weeks, days=-1),
        # The week edits apply from: a draft has not started, so it is edited from its first week.
        "current_week": 1 if plan.status == PlanStatus.DRAFT else current_week(plan),
        "author": plan.author.display_name if plan.author else None,
        "assessment": plan.assessment_id,
        "created_at": plan.created_at,
        "activated_at": plan.activated_at,
        "pause_reason": plan.pause_reason,
        "safety_notice": engine["safety_notice"],
    }
    if brief:
        return body
    item_ids = {item.exercise.slug: item.pk for item in plan.items.all()}
    limits = dict(engine["limits"])
    limits["rules"] = _rules(limits["rules"], index)
    items = []
    for position, item in enumerate(engine["items"], start=1):
        slug = item["exercise"]["slug"]
        dose = dict(item["dose"])
        dose["rationale"] = _explained(dose.get("rationale", {}), index)
        items.append(
            {
                "id": item_ids.get(slug),
                "position": position,
                "exercise": item["exercise"],
                "component": item["component"],
                "dose": dose,
                "progression": item["progression"],
                "rationale": _explained(item.get("rationale", {}), index),
            }
        )
    body.update(
        {
            "limits": limits,
            "items": items,
            "weeks": [
                {
                    "number": week["number"],
                    "doses": [_week_dose(d, item_ids, index) for d in week["doses"]],
                }
                for week in engine["weeks"]
            ],
            "components_without_exercise": engine["components_without_exercise"],
            # Where twelve green weeks take each component (clinical-reference 8d): the week each
            # target is met, or why it stays lower (a limit, the growth cap).
            "targets": [{**target, "rules": _rules(target["rules"], index)} for target in engine.get("targets", [])],
            "rule_index": index,
            # Medical clearance before the start, and how many supervised sessions are done.
            **plan_clearance_fields(plan, plan_limits(plan)),
        }
    )
    return body


def _brief_fields() -> dict:
    """The members every plan answer has (the list's brief form); fresh fields for each schema."""
    return {
        "id": serializers.IntegerField(),
        "patient": serializers.IntegerField(),
        "patient_name": serializers.CharField(),
        "status": serializers.ChoiceField(choices=PlanStatus.choices),
        "version": serializers.IntegerField(help_text="Send it back with an edit; a stale one gets 409."),
        "start_date": serializers.DateField(),
        "length_weeks": serializers.IntegerField(),
        "end_date": serializers.DateField(),
        "current_week": serializers.IntegerField(help_text="The week edits apply from (1 for a draft)."),
        "author": serializers.CharField(allow_null=True, help_text="Who made the plan; null if since removed."),
        "assessment": serializers.IntegerField(help_text="The assessment the limits came from."),
        "created_at": serializers.DateTimeField(),
        "activated_at": serializers.DateTimeField(allow_null=True),
        "pause_reason": serializers.CharField(allow_blank=True),
        "safety_notice": serializers.CharField(),
    }


# The list answers the brief form (plan_representation(brief=True)); one plan answers all of it.
PLAN_BRIEF_SCHEMA = inline_serializer("PlanBrief", _brief_fields(), many=True)
PLAN_SCHEMA = inline_serializer(
    "Plan",
    {
        **_brief_fields(),
        "limits": serializers.DictField(help_text="The load limits in force, with the rules that set them."),
        "items": serializers.ListField(child=serializers.DictField()),
        "weeks": serializers.ListField(child=serializers.DictField()),
        "components_without_exercise": serializers.ListField(
            child=serializers.CharField(), help_text="FITT components no allowed exercise covers."
        ),
        "targets": inline_serializer(
            "PlanTarget",
            {
                "target_id": serializers.CharField(),
                "component": serializers.CharField(),
                "measure": serializers.ChoiceField(
                    choices=["minutes_per_week", "sets", "days_per_week", "seconds_per_session"]
                ),
                "value": serializers.IntegerField(),
                "text": serializers.CharField(),
                "expected_week": serializers.IntegerField(
                    allow_null=True, help_text="The first week an all-green plan meets it; null: not within the plan."
                ),
                "reached": serializers.FloatField(help_text="The value in the plan's last week."),
                "reason": serializers.CharField(help_text="Why it stays lower (empty when met)."),
                "rules": serializers.ListField(child=serializers.DictField()),
            },
            many=True,
        ),
        "rule_index": serializers.DictField(help_text="Each rule id cited above: its text, evidence tag and source."),
        "clearance": clearance_api.ClearanceStateSerializer(),
        "supervision": clearance_api.SupervisionStateSerializer(),
    },
)

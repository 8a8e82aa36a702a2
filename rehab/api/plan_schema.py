"""The schema (drf-spectacular) of a plan's answers: what each member plan_representation builds holds.

Shapes only, for the OpenAPI document and its docs page; the answers themselves are built by
rehab.api.plan_representation (and served, for the compact default, by rehab.api.plan_cache).
"""

from rest_framework import serializers

from rehab.api import clearance as clearance_api
from rehab.models import PlanStatus

WITH = "Only with ?include={}."


def _strings(**kwargs):
    return serializers.ListField(child=serializers.CharField(), **kwargs)


def _rule_ids(help_text: str = "Rule ids; their texts with ?include=rules or from plans/{id}/rules/.", **kwargs):
    return _strings(help_text=help_text, **kwargs)


def _rationale(help_text: str, **kwargs):
    return serializers.DictField(child=_strings(), help_text=help_text, **kwargs)


class RuleTextSerializer(serializers.Serializer):
    text = serializers.CharField()
    evidence = serializers.CharField(help_text="G guideline/trial, C consensus, R recalled, D design default.")
    source = serializers.CharField()


class IntensitySerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="rpe_6_20, pct_hrr, hr_bpm, pct_1rm, ...; the first target governs.")
    low = serializers.IntegerField()
    high = serializers.IntegerField()


class PlanDoseSerializer(serializers.Serializer):
    dose_kind = serializers.ChoiceField(choices=["minutes", "sets_reps", "hold"])
    frequency_per_week = serializers.IntegerField()
    intensity = IntensitySerializer(many=True)
    minutes = serializers.FloatField(required=False, help_text='Per session; a "minutes" dose only.')
    sets = serializers.IntegerField(required=False, help_text='"sets_reps" and "hold" (number of holds).')
    reps = serializers.IntegerField(required=False, help_text='"sets_reps" only.')
    hold_seconds = serializers.IntegerField(required=False, help_text='"hold" only.')
    volume_per_week = serializers.FloatField()
    volume_unit = serializers.CharField()
    rationale = _rationale(
        "Per value (frequency_per_week, intensity, time, volume), the ids of the rules that set it. "
        "On an item with ?include=rationale; in a schedule week where it differs from the week before.",
        required=False,
    )


class _AerobicLimitsSerializer(serializers.Serializer):
    max_rpe = serializers.IntegerField()
    max_hrr_pct = serializers.IntegerField()
    hr_max_bpm = serializers.FloatField(allow_null=True, help_text="Null under beta blockade.")
    resting_hr_bpm = serializers.IntegerField()
    zone_floor_hrr_pct = serializers.IntegerField()
    hr_zone_bpm = serializers.ListField(child=serializers.IntegerField(), allow_null=True)


class _ResistanceLimitsSerializer(serializers.Serializer):
    max_pct_1rm = serializers.IntegerField()
    max_rpe = serializers.IntegerField()
    min_reps = serializers.IntegerField()


class _FlexibilityLimitsSerializer(serializers.Serializer):
    max_hold_seconds = serializers.IntegerField()


class PlanLimitsSerializer(serializers.Serializer):
    max_impact = serializers.CharField()
    aerobic = _AerobicLimitsSerializer()
    resistance = _ResistanceLimitsSerializer()
    flexibility = _FlexibilityLimitsSerializer()
    excluded_tags = _strings()
    avoid_regions = _strings()
    no_loading_regions = _strings()
    weekly_progression_max_pct = serializers.FloatField()
    supervision_required = serializers.BooleanField()
    clearance_required = serializers.BooleanField()
    supervised_sessions = serializers.IntegerField()
    rules = _rule_ids("Every rule that fired for these limits (ids).")
    provenance = _rationale('Per limit ("aerobic.max_rpe", "excluded_tags" ...), the ids of the rules that set it.')


class _InstructionsSerializer(serializers.Serializer):
    setup = serializers.CharField()
    movement = serializers.CharField()
    feel = serializers.CharField()
    mistakes = serializers.CharField()


class PlanExerciseSerializer(serializers.Serializer):
    """slug and name always; the rest of the definition with ?include=exercises."""

    slug = serializers.CharField()
    name = serializers.CharField()
    component = serializers.CharField(required=False)
    impact = serializers.CharField(required=False)
    regions_loaded = _strings(required=False)
    pressure_regions = _strings(required=False)
    stretched_regions = _strings(required=False)
    equipment = _strings(required=False)
    position = serializers.CharField(required=False)
    tags = _strings(required=False)
    dose_kind = serializers.CharField(required=False)
    easier = serializers.CharField(required=False, allow_null=True)
    harder = serializers.CharField(required=False, allow_null=True)
    instructions = _InstructionsSerializer(required=False)
    muscle_groups = _strings(required=False)
    session_roles = _strings(required=False)
    intensity_reach = serializers.CharField(required=False, allow_null=True)


class _ProgressionStepSerializer(serializers.Serializer):
    variable = serializers.CharField()
    increment = serializers.FloatField()
    every_weeks = serializers.IntegerField()
    ceiling = serializers.FloatField()
    refit = serializers.CharField(allow_null=True)
    floor = serializers.FloatField(allow_null=True)
    rules = _rule_ids()


class PlanProgressionSerializer(serializers.Serializer):
    steps = _ProgressionStepSerializer(many=True, help_text="One variable at a time, in this order.")
    max_weekly_growth_pct = serializers.FloatField()
    growth_measure = serializers.CharField()


class PlanItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="The item id check-ins and dose edits name.")
    position = serializers.IntegerField()
    exercise = PlanExerciseSerializer()
    component = serializers.CharField()
    dose = PlanDoseSerializer(help_text="This week's dose (the plan's `this_week`).")
    rules = _rule_ids("Every rule behind this dose, each once (per value with ?include=rationale).")
    notes = serializers.ListField(child=serializers.CharField(), help_text="Words for the patient.")
    rationale = _rationale(
        'Why this exercise ("exercise") and how it progresses ("progression"): rule ids. ' + WITH.format("rationale"),
        required=False,
    )
    muscle_targets = _strings(required=False, help_text="Target muscle groups it serves. " + WITH.format("exercises"))
    progression = PlanProgressionSerializer(required=False, help_text=WITH.format("schedule"))


class WeekChangeSerializer(serializers.Serializer):
    item = serializers.IntegerField(allow_null=True)
    exercise_slug = serializers.CharField()
    changed = serializers.CharField(allow_null=True, help_text="The variable that grew since last week; null: held.")
    growth_pct = serializers.FloatField(help_text="Growth of the weekly volume measure since last week (0 in week 1).")


class WeekDoseSerializer(WeekChangeSerializer):
    dose = PlanDoseSerializer()


class PlanWeekSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    doses = WeekDoseSerializer(many=True)


class ThisWeekSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The plan week shown as current (1 for a draft).")
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    doses = WeekChangeSerializer(many=True, help_text="What changed this week; the doses are the items' `dose`.")


class PlanTargetSerializer(serializers.Serializer):
    target_id = serializers.CharField()
    component = serializers.CharField()
    measure = serializers.ChoiceField(choices=["minutes_per_week", "sets", "days_per_week", "seconds_per_session"])
    value = serializers.IntegerField()
    text = serializers.CharField()
    expected_week = serializers.IntegerField(
        allow_null=True, help_text="The first week an all-green plan meets it; null: not within the plan."
    )
    reached = serializers.FloatField(help_text="The value in the plan's last week.")
    reason = serializers.CharField(allow_blank=True, help_text="Why it stays lower (empty when met).")
    rules = _rule_ids()


class PlanBriefSerializer(serializers.Serializer):
    """The members every plan answer has (the list's brief form)."""

    id = serializers.IntegerField()
    patient = serializers.IntegerField()
    patient_name = serializers.CharField()
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    version = serializers.IntegerField(help_text="Send it back with an edit; a stale one gets 409.")
    start_date = serializers.DateField()
    length_weeks = serializers.IntegerField()
    end_date = serializers.DateField()
    current_week = serializers.IntegerField(help_text="The week edits apply from and the doses shown (1 for a draft).")
    author = serializers.CharField(allow_null=True, help_text="Who made the plan; null if since removed.")
    assessment = serializers.IntegerField(help_text="The assessment the limits came from.")
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    pause_reason = serializers.CharField(allow_blank=True)
    safety_notice = serializers.CharField()


class PlanSerializer(PlanBriefSerializer):
    """One plan: compact by default; `?include=` adds the members marked so."""

    limits = PlanLimitsSerializer(help_text="The load limits in force, with the rules that set each.")
    items = PlanItemSerializer(many=True)
    this_week = ThisWeekSerializer()
    components_without_exercise = serializers.ListField(
        child=serializers.CharField(), help_text="FITT components no allowed exercise covers."
    )
    clearance = clearance_api.ClearanceStateSerializer()
    supervision = clearance_api.SupervisionStateSerializer()
    weeks = PlanWeekSerializer(many=True, required=False, help_text="Every week. " + WITH.format("schedule"))
    targets = PlanTargetSerializer(many=True, required=False, help_text=WITH.format("targets"))
    rules = serializers.DictField(
        child=RuleTextSerializer(),
        required=False,
        help_text="Each rule id the answer mentions: its text, evidence and source. " + WITH.format("rules"),
    )


class PlanRulesSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    version = serializers.IntegerField()
    rules = serializers.DictField(child=RuleTextSerializer(), help_text="Every rule the plan cites, by id.")


class PlanScheduleSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    version = serializers.IntegerField()
    current_week = serializers.IntegerField()
    weeks = PlanWeekSerializer(many=True)

"""JSON-safe dicts for the engine's values, and back: for Django JSONFields and the API.

`to_dict(obj)` accepts a Profile, LoadLimits, ExerciseSpec, Dose, PrescriptionItem, ScheduledDose,
PlanWeek, Prescription or Plan; `from_dict(cls, data)` rebuilds it, and
`from_dict(cls, to_dict(obj)) == obj` for all of them. `item_from_dict` rebuilds one item of a Plan's
document and its weeks' doses without the rest of the plan, and `item_to_dict` writes them.

Keys are fixed (the field names) and values are str, int, float, bool, None, lists and dicts only.
Rationales refer to rules by id; every top-level dict that mentions a rule carries a "rule_index"
({id: {"text", "evidence", "source"}}) so a snapshot stays readable after the rule data changes.
Derived values (volume_per_week, volume_unit) are written for readers and ignored when read back.
Inside a Plan, a week's dose omits "rationale" when it equals the same item's previous one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

from planner.catalogue import exercise_from_dict, exercise_to_dict
from planner.types import (
    AerobicLimits,
    Dose,
    ExerciseSpec,
    FlexibilityLimits,
    Intensity,
    LoadLimits,
    Plan,
    PlanWeek,
    Prescription,
    PrescriptionItem,
    Profile,
    ProgressionRule,
    ProgressionStep,
    ResistanceLimits,
    Rule,
    ScheduledDose,
    TargetOutlook,
    ValueRationale,
)

PROFILE_TUPLE_FIELDS = (
    "heterotopic_ossification_regions",
    "avoid_regions",
    "unavailable_positions",
    "padded_pressure_regions",
)
# Fields added after plans were first stored: left out of a stored profile when false.
PROFILE_FIELDS_WHEN_SET = ("arrhythmia",)
PROFILE_FIELDS = (
    "age",
    "sex",
    "bone_fragility",
    "vertebral_fracture",
    "heterotopic_ossification_regions",
    "inflammation_activity",
    "pain_at_rest",
    "resting_hr",
    "measured_hr_max",
    "beta_blocker",
    "arrhythmia",
    "cardiopulmonary_status",
    "avoid_regions",
    "available_equipment",
    "unavailable_positions",
    "sedentary",
    "padded_pressure_regions",
)


class _Encoder:
    """Collects the rules referred to while encoding, for the top-level rule_index."""

    def __init__(self) -> None:
        self.rules: dict[str, Rule] = {}

    def ids(self, rules: tuple[Rule, ...]) -> list[str]:
        for rule in rules:
            self.rules.setdefault(rule.id, rule)
        return [rule.id for rule in rules]

    def index(self) -> dict[str, Any]:
        return {
            rule_id: {"text": rule.text, "evidence": rule.evidence, "source": rule.source}
            for rule_id, rule in self.rules.items()
        }


# Rules decoded before, by their four values: a stored plan item is decoded with the rule index of its
# whole plan, so the same rules are decoded again for every item (a fifth of decoding an item whose
# memo misses, in the weekly sweep). A Rule is an immutable value: sharing one changes no result.
_DECODED_RULES: dict[tuple[str, str, str, str], Rule] = {}
_DECODED_RULES_MAX = 50_000


class _Decoder:
    def __init__(self, data: Mapping[str, Any]):
        known = _DECODED_RULES
        if len(known) >= _DECODED_RULES_MAX:
            known.clear()
        index = {}
        for rule_id, entry in data.get("rule_index", {}).items():
            values = (rule_id, entry["text"], entry["evidence"], entry["source"])
            rule = known.get(values)
            if rule is None:
                rule = known[values] = Rule(*values)
            index[rule_id] = rule
        self.index = index

    @classmethod
    def of_index(cls, rule_index: Mapping[str, Any]) -> _Decoder:
        return cls({"rule_index": rule_index})

    def rules(self, ids: Iterable[str]) -> tuple[Rule, ...]:
        try:
            return tuple(self.index[rule_id] for rule_id in ids)
        except KeyError as missing:
            raise ValueError(f"rule {missing} is not in the rule_index") from None


# --- Profile -------------------------------------------------------------------------------------


def _profile(profile: Profile) -> dict[str, Any]:
    data = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    # Written only when set: every plan stored before the field existed reads and writes as it did.
    for name in PROFILE_FIELDS_WHEN_SET:
        if not data[name]:
            del data[name]
    for name in PROFILE_TUPLE_FIELDS:
        data[name] = list(data[name])
    if profile.available_equipment is not None:
        data["available_equipment"] = list(profile.available_equipment)
    return data


def _profile_back(data: Mapping[str, Any]) -> Profile:
    values = {name: data[name] for name in PROFILE_FIELDS if name in data}
    for name in PROFILE_TUPLE_FIELDS:
        if name in values:
            values[name] = tuple(values[name])
    if values.get("available_equipment") is not None:
        values["available_equipment"] = tuple(values["available_equipment"])
    return Profile(**values)


# --- Limits --------------------------------------------------------------------------------------


def _limits(limits: LoadLimits, enc: _Encoder) -> dict[str, Any]:
    aerobic = limits.aerobic
    return {
        "max_impact": limits.max_impact,
        "aerobic": {
            "max_rpe": aerobic.max_rpe,
            "max_hrr_pct": aerobic.max_hrr_pct,
            "hr_max_bpm": aerobic.hr_max_bpm,
            "resting_hr_bpm": aerobic.resting_hr_bpm,
            "zone_floor_hrr_pct": aerobic.zone_floor_hrr_pct,
            "hr_zone_bpm": list(aerobic.hr_zone_bpm) if aerobic.hr_zone_bpm else None,
        },
        "resistance": {
            "max_pct_1rm": limits.resistance.max_pct_1rm,
            "max_rpe": limits.resistance.max_rpe,
            "min_reps": limits.resistance.min_reps,
        },
        "flexibility": {"max_hold_seconds": limits.flexibility.max_hold_seconds},
        "excluded_tags": list(limits.excluded_tags),
        "avoid_regions": list(limits.avoid_regions),
        "no_loading_regions": list(limits.no_loading_regions),
        "weekly_progression_max_pct": limits.weekly_progression_max_pct,
        "supervision_required": limits.supervision_required,
        "clearance_required": limits.clearance_required,
        "supervised_sessions": limits.supervised_sessions,
        "rules": enc.ids(limits.rules),
        "provenance": {path: list(ids) for path, ids in limits.provenance},
    }


def _limits_back(data: Mapping[str, Any], dec: _Decoder) -> LoadLimits:
    aerobic = dict(data["aerobic"])
    aerobic["hr_zone_bpm"] = tuple(aerobic["hr_zone_bpm"]) if aerobic["hr_zone_bpm"] is not None else None
    return LoadLimits(
        max_impact=data["max_impact"],
        aerobic=AerobicLimits(**aerobic),
        resistance=ResistanceLimits(**data["resistance"]),
        flexibility=FlexibilityLimits(**data["flexibility"]),
        excluded_tags=tuple(data["excluded_tags"]),
        avoid_regions=tuple(data["avoid_regions"]),
        no_loading_regions=tuple(data["no_loading_regions"]),
        weekly_progression_max_pct=data["weekly_progression_max_pct"],
        supervision_required=data["supervision_required"],
        # Plans stored before clearances existed carry neither field.
        clearance_required=data.get("clearance_required", False),
        supervised_sessions=data.get("supervised_sessions", 0),
        rules=dec.rules(data["rules"]),
        provenance=tuple((path, tuple(ids)) for path, ids in data["provenance"].items()),
    )


# --- Doses and items -----------------------------------------------------------------------------


def _rationale(entries: tuple[ValueRationale, ...], enc: _Encoder) -> dict[str, Any]:
    return {entry.field: enc.ids(entry.rules) for entry in entries}


def _rationale_back(data: Mapping[str, Any], dec: _Decoder) -> tuple[ValueRationale, ...]:
    return tuple(ValueRationale(name, dec.rules(ids)) for name, ids in data.items())


def _dose(dose: Dose, enc: _Encoder) -> dict[str, Any]:
    return {
        "component": dose.component,
        "dose_kind": dose.dose_kind,
        "frequency_per_week": dose.frequency_per_week,
        "intensity": [{"unit": t.unit, "low": t.low, "high": t.high} for t in dose.intensity],
        "minutes": dose.minutes,
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_seconds": dose.hold_seconds,
        "volume_per_week": dose.volume_per_week,
        "volume_unit": dose.volume_unit,
        "rationale": _rationale(dose.rationale, enc),
    }


def _dose_back(data: Mapping[str, Any], dec: _Decoder, rationale: tuple[ValueRationale, ...] | None = None) -> Dose:
    """The dose `data` writes; `rationale`, when given, is the one its week inherits (not written again)."""
    return Dose(
        component=data["component"],
        dose_kind=data["dose_kind"],
        frequency_per_week=data["frequency_per_week"],
        intensity=tuple(Intensity(t["unit"], t["low"], t["high"]) for t in data["intensity"]),
        minutes=data.get("minutes"),
        sets=data.get("sets"),
        reps=data.get("reps"),
        hold_seconds=data.get("hold_seconds"),
        rationale=_rationale_back(data.get("rationale", {}), dec) if rationale is None else rationale,
    )


def _progression(rule: ProgressionRule, enc: _Encoder) -> dict[str, Any]:
    return {
        "steps": [
            {
                "variable": s.variable,
                "increment": s.increment,
                "every_weeks": s.every_weeks,
                "ceiling": s.ceiling,
                "refit": s.refit,
                "floor": s.floor,
                "rules": enc.ids(s.rules),
            }
            for s in rule.steps
        ],
        "max_weekly_growth_pct": rule.max_weekly_growth_pct,
        "growth_measure": rule.growth_measure,
    }


def _progression_back(data: Mapping[str, Any], dec: _Decoder) -> ProgressionRule:
    steps = tuple(
        ProgressionStep(
            s["variable"], s["increment"], s["every_weeks"], s["ceiling"], s["refit"], s["floor"], dec.rules(s["rules"])
        )
        for s in data["steps"]
    )
    return ProgressionRule(steps, data["max_weekly_growth_pct"], data["growth_measure"])


def _item(item: PrescriptionItem, enc: _Encoder) -> dict[str, Any]:
    return {
        "exercise": exercise_to_dict(item.exercise),
        "component": item.component,
        "dose": _dose(item.dose, enc),
        "progression": _progression(item.progression, enc),
        "rationale": _rationale(item.rationale, enc),
        "targets": list(item.targets),
        "notes": list(item.notes),
    }


def _item_back(data: Mapping[str, Any], dec: _Decoder) -> PrescriptionItem:
    return PrescriptionItem(
        exercise=exercise_from_dict(data["exercise"]),
        component=data["component"],
        dose=_dose_back(data["dose"], dec),
        progression=_progression_back(data["progression"], dec),
        rationale=_rationale_back(data["rationale"], dec),
        # Plans stored before targets and notes existed load with none.
        targets=tuple(data.get("targets", ())),
        notes=tuple(data.get("notes", ())),
    )


# Within a plan: each item's last written rationale, by exercise slug.
_Previous = dict[str, tuple[ValueRationale, ...]]


def _scheduled(entry: ScheduledDose, enc: _Encoder, previous: _Previous | None = None) -> dict[str, Any]:
    dose = _dose(entry.dose, enc)
    if previous is not None:
        # Within a plan a dose's rationale rarely changes from one week to the next: it is written
        # only when it differs from the previous week's (or the item's), to keep snapshots small.
        if previous.get(entry.exercise_slug) == entry.dose.rationale:
            del dose["rationale"]
        previous[entry.exercise_slug] = entry.dose.rationale
    return {
        "exercise_slug": entry.exercise_slug,
        "dose": dose,
        "changed": entry.changed,
        "growth_pct": entry.growth_pct,
    }


def _scheduled_back(data: Mapping[str, Any], dec: _Decoder, previous: _Previous | None = None) -> ScheduledDose:
    if previous is None:
        dose = _dose_back(data["dose"], dec)
    else:
        inherited = None if "rationale" in data["dose"] else previous[data["exercise_slug"]]
        dose = _dose_back(data["dose"], dec, inherited)
        previous[data["exercise_slug"]] = dose.rationale
    return ScheduledDose(data["exercise_slug"], dose, data["changed"], data["growth_pct"])


def _week(week: PlanWeek, enc: _Encoder, previous: _Previous | None = None) -> dict[str, Any]:
    return {"number": week.number, "doses": [_scheduled(entry, enc, previous) for entry in week.doses]}


def _week_back(data: Mapping[str, Any], dec: _Decoder, previous: _Previous | None = None) -> PlanWeek:
    return PlanWeek(data["number"], tuple(_scheduled_back(entry, dec, previous) for entry in data["doses"]))


def _prescription(prescription: Prescription, enc: _Encoder) -> dict[str, Any]:
    return {
        "items": [_item(item, enc) for item in prescription.items],
        "components_without_exercise": list(prescription.components_without_exercise),
    }


def _prescription_back(data: Mapping[str, Any], dec: _Decoder) -> Prescription:
    return Prescription(
        tuple(_item_back(item, dec) for item in data["items"]), tuple(data["components_without_exercise"])
    )


def _plan(plan: Plan, enc: _Encoder) -> dict[str, Any]:
    previous = {item.slug: item.dose.rationale for item in plan.items}
    return {
        "profile": _profile(plan.profile),
        "limits": _limits(plan.limits, enc),
        "items": [_item(item, enc) for item in plan.items],
        "weeks": [_week(week, enc, previous) for week in plan.weeks],
        "components_without_exercise": list(plan.components_without_exercise),
        "safety_notice": plan.safety_notice,
        "targets": [
            {
                "target_id": t.target_id,
                "component": t.component,
                "measure": t.measure,
                "value": t.value,
                "text": t.text,
                "expected_week": t.expected_week,
                "reached": t.reached,
                "reason": t.reason,
                "rules": enc.ids(t.rules),
            }
            for t in plan.targets
        ],
    }


def _plan_back(data: Mapping[str, Any], dec: _Decoder) -> Plan:
    items = tuple(_item_back(item, dec) for item in data["items"])
    previous = {item.slug: item.dose.rationale for item in items}
    return Plan(
        profile=_profile_back(data["profile"]),
        limits=_limits_back(data["limits"], dec),
        items=items,
        weeks=tuple(_week_back(week, dec, previous) for week in data["weeks"]),
        components_without_exercise=tuple(data["components_without_exercise"]),
        safety_notice=data["safety_notice"],
        # Plans stored before targets existed carry none.
        targets=tuple(
            TargetOutlook(**{**entry, "rules": dec.rules(entry["rules"])}) for entry in data.get("targets", ())
        ),
    )


# --- Public entry points -------------------------------------------------------------------------

# Everything `to_dict` accepts and `from_dict` rebuilds.
EngineValue = (
    Profile | LoadLimits | ExerciseSpec | Dose | PrescriptionItem | ScheduledDose | PlanWeek | Prescription | Plan
)
_Value = TypeVar("_Value", bound=EngineValue)

# The values whose dicts name rules (and so carry a rule_index), with their decoders.
_DECODERS: dict[type, Callable[[Mapping[str, Any], _Decoder], EngineValue]] = {
    LoadLimits: _limits_back,
    Dose: _dose_back,
    PrescriptionItem: _item_back,
    ScheduledDose: _scheduled_back,
    PlanWeek: _week_back,
    Prescription: _prescription_back,
    Plan: _plan_back,
}


def _with_rules(obj: EngineValue, enc: _Encoder) -> dict[str, Any]:
    # Exact types, as `from_dict` looks them up: a subclass is not an engine value.
    if type(obj) is LoadLimits:
        return _limits(obj, enc)
    if type(obj) is Dose:
        return _dose(obj, enc)
    if type(obj) is PrescriptionItem:
        return _item(obj, enc)
    if type(obj) is ScheduledDose:
        return _scheduled(obj, enc)
    if type(obj) is PlanWeek:
        return _week(obj, enc)
    if type(obj) is Prescription:
        return _prescription(obj, enc)
    if type(obj) is Plan:
        return _plan(obj, enc)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def to_dict(obj: EngineValue) -> dict[str, Any]:
    """A JSON-safe dict for any engine value listed in the module docstring."""
    if isinstance(obj, Profile):
        return _profile(obj)
    if isinstance(obj, ExerciseSpec):
        return exercise_to_dict(obj)
    enc = _Encoder()
    data = _with_rules(obj, enc)
    data["rule_index"] = enc.index()
    return data


# The rules of one rule_index, made into Rule values once (rule_decoder).
RuleDecoder = _Decoder


def rule_decoder(rule_index: Mapping[str, Any]) -> RuleDecoder:
    """The rules of a rule_index, made once for every value that cites them (`dose_from_dict`)."""
    return _Decoder.of_index(rule_index)


def dose_from_dict(data: Mapping[str, Any], rules: RuleDecoder) -> Dose:
    """`from_dict(Dose, data)` for a dose without a rule_index of its own, its rules read from `rules`
    (rule_decoder): a decision's doses cite one index, which from_dict would decode once per dose."""
    return _dose_back(data, rules)


def item_to_dict(
    item: PrescriptionItem, weeks: Iterable[tuple[int, ScheduledDose]]
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """One item of a Plan as `to_dict` writes it, without the rest of the plan: its entry in "items", its
    entries in the weeks' "doses" as {"number": week, "scheduled": entry} (`weeks`: (week number, its
    dose), in week order), and the rule_index of the rules these cite, in the order to_dict meets them."""
    enc = _Encoder()
    document = _item(item, enc)
    previous = {item.slug: item.dose.rationale}
    scheduled = [{"number": number, "scheduled": _scheduled(dose, enc, previous)} for number, dose in weeks]
    return document, scheduled, enc.index()


def item_from_dict(
    item: Mapping[str, Any], weeks: Iterable[Mapping[str, Any]], rules: RuleDecoder
) -> tuple[PrescriptionItem, dict[int, ScheduledDose]]:
    """One item of a plan document and its scheduled dose by week number, as `from_dict(Plan, ...)` makes
    them: `item` is its entry in "items", `weeks` its entries in the weeks' "doses" in week order, as
    {"number": week, "scheduled": entry} (planner.storage.join_item), and `rules` the plan's rule_index
    (rule_decoder). The plan's profile, limits and other items are not decoded."""
    typed = _item_back(item, rules)
    previous = {typed.slug: typed.dose.rationale}
    return typed, {week["number"]: _scheduled_back(week["scheduled"], rules, previous) for week in weeks}


def from_dict(cls: type[_Value], data: Mapping[str, Any]) -> _Value:
    """Rebuild a value of type `cls` from `to_dict`'s output (raises ValueError if malformed)."""
    if cls is Profile:
        return cast(_Value, _profile_back(data))
    if cls is ExerciseSpec:
        return cast(_Value, exercise_from_dict(data))
    try:
        decode = _DECODERS[cls]
    except KeyError:
        raise TypeError(f"cannot deserialise {cls.__name__}") from None
    # _DECODERS pairs each class with its own decoder, which mypy cannot see through a dict.
    return cast(_Value, decode(data, _Decoder(data)))

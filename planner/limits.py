# Kept whole: the limits from computing to enforcing them; computing and adjusting both end in coherent_intensity.
"""Load limits: from a profile to the ceilings every dose must respect, and the checks that enforce them.

- `compute_limits(profile)` evaluates the limit rules; when rules overlap the strictest value wins.
- `apply_adjustments(limits, adjustments)` applies a clinician's changes; loosening needs a reason.
- `loosened_fields(before, after)` lists what a change would loosen (the API then asks for a reason).
- `check_dose` / `clamp_dose` enforce the limits on any dose, item or scheduled dose (manual edits too).
- `coherent_intensity(limits, anchors)` makes every intensity ceiling agree with its equivalents
  (RPE <-> %HRR <-> heart rate, RPE <-> %1RM): the strictest governs, nothing is ever loosened.
- `growth_measure` defines how fast a dose grows, for the weekly progression cap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from fractions import Fraction
from typing import Any, overload

from planner.catalogue import exercise_violations
from planner.intensity import (
    heart_rate_zone,
    hrr_for_bpm,
    hrr_for_rpe,
    karvonen_bpm,  # noqa: F401 - Karvonen lives with the other conversions; still importable from here
    load_for_rpe,
    rpe_for_hrr,
    rpe_for_load,
)
from planner.memo import Memo, memo_for
from planner.rules import LIMIT_COMBINE, Anchors, FromProfile, Rulebook, default_rulebook
from planner.translation import gettext_noop
from planner.types import (
    AdjustmentError,
    AerobicLimits,
    Dose,
    FlexibilityLimits,
    Intensity,
    LimitAdjustment,
    LimitChange,
    LoadLimits,
    PrescriptionItem,
    Profile,
    ResistanceLimits,
    Rule,
    ScheduledDose,
    ValueRationale,
    Violation,
    evolve_dose,
    ordered_subset,
)
from planner.violations import fixed, violation, word
from planner.vocabulary import BODY_REGIONS, IMPACT_LEVELS, MOVEMENT_TAGS

# The scale each component's intensity is measured on inside the engine (the growth measure uses it).
CANONICAL_INTENSITY = {"aerobic": "pct_hrr", "resistance": "pct_1rm"}
# A limit's value: an impact level, a number, a flag, a set of names or a (low, high) zone, by field
# (LoadLimits types each field; read by dotted path, the type depends on the path).
LimitValue = Any
SET_VOCABULARY = {"excluded_tags": MOVEMENT_TAGS, "avoid_regions": BODY_REGIONS, "no_loading_regions": BODY_REGIONS}


# ---------------------------------------------------------------------------------------------
# Computing limits
# ---------------------------------------------------------------------------------------------


def _combine(key: str, contributions: list[tuple[LimitValue, Rule]]) -> tuple[LimitValue, tuple[str, ...]]:
    """The strictest value among the rules' contributions, and the ids of the rules that gave it."""
    how = LIMIT_COMBINE[key]
    values = [value for value, _ in contributions]
    if how == "union":
        merged = ordered_subset((v for value in values for v in value), SET_VOCABULARY[key])
        givers = [rule.id for value, rule in contributions if value] or [rule.id for _, rule in contributions]
        return merged, tuple(givers)
    if how == "lowest_impact":
        winner = min(values, key=IMPACT_LEVELS.index)
    elif how == "min":
        winner = min(values)
    elif how == "max":
        winner = max(values)
    elif how == "any":
        winner = any(values)
    else:  # "all"
        winner = all(values)
    return winner, tuple(rule.id for value, rule in contributions if value == winner)


def compute_limits(profile: Profile, rulebook: Rulebook | None = None) -> LoadLimits:
    """Evaluate every limit rule against the profile; the strictest value of each field wins."""
    book = rulebook or default_rulebook()
    fired = [rule for rule in book.limit_rules if rule.when(profile)]
    contributions: dict[str, list[tuple[LimitValue, Rule]]] = {}
    for limit_rule in fired:
        for key, value in limit_rule.effects:
            if isinstance(value, FromProfile):
                value = value.read(profile)
            contributions.setdefault(key, []).append((value, limit_rule.rule))
    resolved = {key: _combine(key, entries) for key, entries in contributions.items()}
    provenance = {key: ids for key, (_, ids) in resolved.items() if key != "aerobic.use_heart_rate"}
    value = {key: v for key, (v, _) in resolved.items()}
    used_rules = [rule.rule for rule in fired]

    aerobic, aerobic_provenance, anchor_rules = _aerobic_limits(profile, book, value, resolved)
    provenance.update(aerobic_provenance)
    used_rules.extend(anchor_rules)

    limits = LoadLimits(
        max_impact=value["max_impact"],
        aerobic=aerobic,
        resistance=ResistanceLimits(
            max_pct_1rm=value["resistance.max_pct_1rm"],
            max_rpe=value["resistance.max_rpe"],
            min_reps=value["resistance.min_reps"],
        ),
        flexibility=FlexibilityLimits(max_hold_seconds=value["flexibility.max_hold_seconds"]),
        excluded_tags=value["excluded_tags"],
        avoid_regions=value["avoid_regions"],
        no_loading_regions=value["no_loading_regions"],
        weekly_progression_max_pct=value["weekly_progression_max_pct"],
        supervision_required=value["supervision_required"],
        clearance_required=value["clearance_required"],
        supervised_sessions=value["supervised_sessions"],
        rules=tuple(used_rules),
        provenance=tuple(sorted(provenance.items())),
    )
    return _shared_rule_data(coherent_intensity(limits, book.anchors), book)


def _shared_rule_data(limits: LoadLimits, book: Rulebook) -> LoadLimits:
    """`limits` (a fresh object, seen by no one yet) holding the one rules tuple and the one provenance
    tuple of all the limits computed with equal ones: LoadLimits.rules_for then shares its answers
    between them (patients whose limits differ in heart rates alone cite the same rules).

    Every rule here is the book's own object, so the rules tuple is named by its rules' ids (the book
    is held by its memo, so they stay theirs)."""
    store = memo_for(book).store("limit rule data")
    key = (tuple([id(rule) for rule in limits.rules]), limits.provenance)
    found = store.get(key)
    if found is None:
        if len(store) >= Memo.MAX_ENTRIES:
            store.clear()
        found = store[key] = (limits.rules, limits.provenance)
    object.__setattr__(limits, "rules", found[0])
    object.__setattr__(limits, "provenance", found[1])
    return limits


def _aerobic_limits(
    profile: Profile, book: Rulebook, value: dict[str, Any], resolved: dict[str, Any]
) -> tuple[AerobicLimits, dict[str, tuple[str, ...]], list[Rule]]:
    """Heart-rate part of the aerobic limits: HRmax (measured or Tanaka) and the Karvonen zone."""
    anchors = book.anchors
    max_hrr = value["aerobic.max_hrr_pct"]
    floor_pct = min(anchors.zone_floor_hrr_pct, max_hrr)
    if profile.measured_hr_max is not None:
        hr_max, hr_max_rule = float(profile.measured_hr_max), anchors.measured_hr_max_rule
    else:
        hr_max = round(anchors.tanaka_intercept - anchors.tanaka_age_coefficient * profile.age, 1)
        hr_max_rule = anchors.tanaka_rule
    provenance: dict[str, tuple[str, ...]] = {"aerobic.zone_floor_hrr_pct": (anchors.karvonen_rule.id,)}
    anchor_rules: list[Rule] = []
    if not value.get("aerobic.use_heart_rate", True):
        # Beta blockade blunts heart rate, so any zone would mislead: effort (RPE) governs.
        hr_max_used, zone = None, None
        blockers = resolved["aerobic.use_heart_rate"][1]
        provenance["aerobic.hr_max_bpm"] = blockers
        provenance["aerobic.hr_zone_bpm"] = blockers
        anchor_rules.append(anchors.karvonen_rule)
    elif hr_max - profile.resting_hr < anchors.min_reserve_bpm:
        hr_max_used, zone = hr_max, None
        provenance["aerobic.hr_max_bpm"] = (hr_max_rule.id,)
        provenance["aerobic.hr_zone_bpm"] = (anchors.reserve_unusable_rule.id,)
        anchor_rules += [hr_max_rule, anchors.karvonen_rule, anchors.reserve_unusable_rule]
    else:
        hr_max_used = hr_max
        zone = heart_rate_zone(profile.resting_hr, hr_max, floor_pct, max_hrr)
        provenance["aerobic.hr_max_bpm"] = (hr_max_rule.id,)
        provenance["aerobic.hr_zone_bpm"] = (
            hr_max_rule.id,
            anchors.karvonen_rule.id,
            *resolved["aerobic.max_hrr_pct"][1],
        )
        anchor_rules += [hr_max_rule, anchors.karvonen_rule]
    limits = AerobicLimits(
        max_rpe=value["aerobic.max_rpe"],
        max_hrr_pct=max_hrr,
        hr_max_bpm=hr_max_used,
        resting_hr_bpm=profile.resting_hr,
        zone_floor_hrr_pct=floor_pct,
        hr_zone_bpm=zone,
    )
    return limits, provenance, anchor_rules


# ---------------------------------------------------------------------------------------------
# Coherent intensity: a ceiling in one unit bounds its equivalents in the others
# ---------------------------------------------------------------------------------------------


def coherent_intensity(limits: LoadLimits, anchors: Anchors) -> LoadLimits:
    """The limits with every intensity ceiling within what its equivalents allow; never looser.

    Aerobic: the RPE ceiling implies a %HRR ceiling (hrr_for_rpe) and the %HRR ceiling an RPE ceiling
    (rpe_for_hrr, the ACSM classes); a heart-rate ceiling implies a %HRR ceiling (Karvonen), and the
    zone is trimmed to the %HRR ceiling. Resistance: the RPE ceiling implies a %1RM ceiling and the
    %1RM ceiling an RPE ceiling (the resistance RPE bands). Each conversion is monotonic and paired
    with its inverse, so one pass reaches a fixed point: applying this twice changes nothing.

    A field this tightens cites the rules of the field that implied it plus the coherence rule, so
    its rationale says why (e.g. "resistance.max_rpe" <- resistance.older_or_sedentary_beginner).
    """
    provenance = dict(limits.provenance)
    used: list[Rule] = []
    aerobic, resistance = limits.aerobic, limits.resistance

    def tighten(path: str, current: int, implied: int, by: tuple[str, ...], rule: Rule) -> int:
        if implied >= current:
            return current
        provenance[path] = (*by, rule.id)
        used.append(rule)
        return implied

    aerobic_rule = anchors.aerobic_coherence_rule
    hrr = tighten(
        "aerobic.max_hrr_pct",
        aerobic.max_hrr_pct,
        hrr_for_rpe(aerobic.max_rpe, anchors),
        provenance.get("aerobic.max_rpe", ()),
        aerobic_rule,
    )
    if aerobic.hr_zone_bpm is not None and aerobic.hr_max_bpm is not None:
        by_zone = hrr_for_bpm(aerobic.hr_zone_bpm[1], aerobic.resting_hr_bpm, aerobic.hr_max_bpm)
        hrr = tighten("aerobic.max_hrr_pct", hrr, by_zone, provenance.get("aerobic.hr_zone_bpm", ()), aerobic_rule)
    rpe = tighten(
        "aerobic.max_rpe",
        aerobic.max_rpe,
        rpe_for_hrr(hrr, anchors),
        provenance.get("aerobic.max_hrr_pct", ()),
        aerobic_rule,
    )
    floor_pct, zone = min(aerobic.zone_floor_hrr_pct, hrr), aerobic.hr_zone_bpm
    if zone is not None and aerobic.hr_max_bpm is not None:
        low, high = heart_rate_zone(aerobic.resting_hr_bpm, aerobic.hr_max_bpm, floor_pct, hrr)
        if high < zone[1]:
            zone = (min(zone[0], low), high)
            provenance["aerobic.hr_zone_bpm"] = (
                *provenance.get("aerobic.hr_max_bpm", ()),
                *provenance.get("aerobic.max_hrr_pct", ()),
            )
    resistance_rule = anchors.resistance_coherence_rule
    load = tighten(
        "resistance.max_pct_1rm",
        resistance.max_pct_1rm,
        load_for_rpe(resistance.max_rpe, anchors),
        provenance.get("resistance.max_rpe", ()),
        resistance_rule,
    )
    effort = tighten(
        "resistance.max_rpe",
        resistance.max_rpe,
        rpe_for_load(load, anchors),
        provenance.get("resistance.max_pct_1rm", ()),
        resistance_rule,
    )
    if not used:
        return limits
    known = {rule.id for rule in limits.rules}
    extra = {rule.id: rule for rule in used if rule.id not in known}
    return replace(
        limits,
        aerobic=replace(aerobic, max_rpe=rpe, max_hrr_pct=hrr, zone_floor_hrr_pct=floor_pct, hr_zone_bpm=zone),
        resistance=replace(resistance, max_pct_1rm=load, max_rpe=effort),
        rules=(*limits.rules, *extra.values()),
        provenance=tuple(sorted(provenance.items())),
    )


def heart_rate_ceiling_only(limits: LoadLimits, anchors: Anchors | None = None) -> bool:
    """Whether the heart-rate zone rests on an estimated HRmax, so it is shown as a ceiling only.

    An estimate errs by 7-11 bpm (clinical-reference 5), more than a light zone is wide: the patient is
    told "keep your heart rate below N" and effort (RPE or the talk test) governs. The engine keeps the
    Karvonen range (low, high) for its checks; only the wording changes. False without a zone.
    """
    if limits.aerobic.hr_zone_bpm is None:
        return False
    tanaka = (anchors or default_rulebook().anchors).tanaka_rule.id
    return tanaka in limits.rule_ids_for("aerobic.hr_max_bpm")


# ---------------------------------------------------------------------------------------------
# Clinician adjustments
# ---------------------------------------------------------------------------------------------

# Adjustable field -> (kind, lower bound, upper bound) for validation.
ADJUSTABLE_FIELDS: dict[str, tuple[str, Any, Any]] = {
    "max_impact": ("impact", None, None),
    "aerobic.max_rpe": ("int", 6, 20),
    "aerobic.max_hrr_pct": ("int", 0, 100),
    "aerobic.hr_zone_bpm": ("zone", 30, 230),
    "resistance.max_pct_1rm": ("int", 0, 100),
    "resistance.max_rpe": ("int", 6, 20),
    "resistance.min_reps": ("int", 1, 100),
    "flexibility.max_hold_seconds": ("int", 1, 600),
    "excluded_tags": ("set", None, None),
    "avoid_regions": ("set", None, None),
    "no_loading_regions": ("set", None, None),
    "weekly_progression_max_pct": ("number", 0, 100),
    "supervision_required": ("bool", None, None),
    "clearance_required": ("bool", None, None),
    "supervised_sessions": ("int", 0, 50),
}


def get_field(limits: LoadLimits, path: str) -> LimitValue:
    """Read a limit by its dotted path, e.g. get_field(limits, "aerobic.max_rpe")."""
    target: Any = limits
    for part in path.split("."):
        target = getattr(target, part)
    return target


def _set_field(limits: LoadLimits, path: str, new_value: LimitValue) -> LoadLimits:
    if "." not in path:
        return replace(limits, **{path: new_value})
    group, name = path.split(".")
    return replace(limits, **{group: replace(getattr(limits, group), **{name: new_value})})


def _normalise(path: str, raw: Any) -> LimitValue:
    """Validate a proposed value and return it in the LoadLimits representation, or raise ValueError."""
    kind, low, high = ADJUSTABLE_FIELDS[path]
    if kind == "impact":
        if raw not in IMPACT_LEVELS:
            raise ValueError(f"must be one of {', '.join(IMPACT_LEVELS)}")
        return raw
    if kind == "bool":
        if not isinstance(raw, bool):
            raise ValueError("must be true or false")
        return raw
    if kind == "set":
        if isinstance(raw, str) or not all(isinstance(v, str) for v in raw):
            raise ValueError("must be a list of names")
        unknown = [v for v in raw if v not in SET_VOCABULARY[path]]
        if unknown:
            raise ValueError(f"unknown values: {', '.join(unknown)}")
        return ordered_subset(raw, SET_VOCABULARY[path])
    if kind == "zone":
        if raw is None:
            return None
        if len(raw) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
            raise ValueError("must be two whole numbers [low, high] or null")
        if not low <= raw[0] <= raw[1] <= high:
            raise ValueError(f"must satisfy {low} <= low <= high <= {high}")
        return (raw[0], raw[1])
    if isinstance(raw, bool) or not isinstance(raw, int | float) or (kind == "int" and not float(raw).is_integer()):
        raise ValueError("must be a whole number" if kind == "int" else "must be a number")
    if not low <= raw <= high:
        raise ValueError(f"must be between {low} and {high}")
    return int(raw) if kind == "int" else raw


def _ceiling_loosened(before: float, after: float) -> bool:
    return after > before


LOOSENING_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "max_impact": lambda b, a: IMPACT_LEVELS.index(a) > IMPACT_LEVELS.index(b),
    "aerobic.max_rpe": _ceiling_loosened,
    "aerobic.max_hrr_pct": _ceiling_loosened,
    # No zone means effort (RPE) governs and no heart-rate target may be set at all (check_dose): the
    # strictest value. So dropping a zone never loosens; giving one where there was none, or raising
    # its ceiling, does.
    "aerobic.hr_zone_bpm": lambda b, a: a is not None and (b is None or a[1] > b[1]),
    "resistance.max_pct_1rm": _ceiling_loosened,
    "resistance.max_rpe": _ceiling_loosened,
    "resistance.min_reps": lambda b, a: a < b,
    "flexibility.max_hold_seconds": _ceiling_loosened,
    "excluded_tags": lambda b, a: not set(b) <= set(a),
    "avoid_regions": lambda b, a: not set(b) <= set(a),
    "no_loading_regions": lambda b, a: not set(b) <= set(a),
    "weekly_progression_max_pct": _ceiling_loosened,
    "supervision_required": lambda b, a: b and not a,
    "clearance_required": lambda b, a: b and not a,
    "supervised_sessions": lambda b, a: a < b,
}


def loosened_fields(before: LoadLimits, after: LoadLimits) -> tuple[LimitChange, ...]:
    """The limits that `after` loosens compared with `before` (each needs a recorded reason)."""
    changes = []
    for path, loosens in LOOSENING_TESTS.items():
        old, new = get_field(before, path), get_field(after, path)
        if old != new and loosens(old, new):
            changes.append(LimitChange(path, old, new))
    return tuple(changes)


def apply_adjustments(
    limits: LoadLimits, adjustments: Iterable[LimitAdjustment], rulebook: Rulebook | None = None
) -> LoadLimits:
    """Apply clinician adjustments (LimitAdjustment, in order) and record each as a rule.

    Raises AdjustmentError (field -> message) for an unknown field, an invalid value, or a loosening
    without a reason. Changing aerobic.max_hrr_pct recomputes the heart-rate zone unless the same
    adjustments set aerobic.hr_zone_bpm explicitly.

    The result is made coherent last (coherent_intensity): a ceiling the clinician tightened in one
    unit tightens its equivalents. A loosening that another unit's ceiling would hold back is refused,
    naming the ceiling to raise with it, rather than accepted and silently undone.
    """
    errors: dict[str, str] = {}
    adjusted = limits
    provenance = dict(limits.provenance)
    rules = {rule.id: rule for rule in limits.rules}
    explicit_zone = any(adj.field == "aerobic.hr_zone_bpm" for adj in adjustments)
    for adjustment in adjustments:
        path = adjustment.field
        if path not in ADJUSTABLE_FIELDS:
            errors[path] = "not an adjustable limit"
            continue
        try:
            new_value = _normalise(path, adjustment.value)
        except (ValueError, TypeError) as problem:
            errors[path] = str(problem)
            continue
        if path == "aerobic.hr_zone_bpm" and new_value is not None and adjusted.aerobic.hr_max_bpm is None:
            errors[path] = "heart rate is no guide here (beta blockade): effort governs, so no zone can be set"
            continue
        candidate = _set_field(adjusted, path, new_value)
        if loosened_fields(adjusted, candidate) and not adjustment.reason.strip():
            errors[path] = "loosening this limit needs a recorded reason"
            continue
        rule = _adjustment_rule(adjustment, new_value)
        rules[rule.id] = rule
        kept: tuple[str, ...] = ()
        if path in SET_VOCABULARY and set(get_field(adjusted, path)) <= set(new_value):
            # Adding to a set keeps the reasons for what was already in it.
            kept = tuple(rule_id for rule_id in provenance.get(path, ()) if rule_id != rule.id)
        provenance[path] = (*kept, rule.id)
        if path == "aerobic.max_hrr_pct":
            candidate = _after_hrr_change(candidate, explicit_zone, provenance, rule, adjusted.aerobic)
        adjusted = candidate
    if errors:
        raise AdjustmentError(errors)
    adjusted = replace(adjusted, rules=tuple(rules.values()), provenance=tuple(sorted(provenance.items())))
    coherent = coherent_intensity(adjusted, (rulebook or default_rulebook()).anchors)
    for change in loosened_fields(limits, adjusted):
        kept = get_field(coherent, change.field)
        if kept != change.after and change.field in HELD_BACK_WORDS:
            errors[change.field] = HELD_BACK_WORDS[change.field].format(value=_ceiling_of(kept))
    if errors:
        raise HeldBack(errors)
    return coherent


class HeldBack(AdjustmentError):
    """A loosening refused because the paired unit's ceiling would hold it back (coherent_intensity).
    Only a loosening raises it, so a caller may read it as "this asks to loosen a limit"."""


# A loosening the paired ceiling holds back (coherent_intensity): what the clinician must raise too.
HELD_BACK_WORDS = {
    "aerobic.max_rpe": "the %HRR ceiling (or the heart-rate zone) holds aerobic effort at RPE {value}: "
    "raise aerobic.max_hrr_pct with it",
    "aerobic.max_hrr_pct": "the aerobic RPE ceiling (or the heart-rate zone) holds intensity at {value} %HRR: "
    "raise aerobic.max_rpe with it",
    "aerobic.hr_zone_bpm": "the %HRR ceiling holds the heart rate at {value} bpm: raise aerobic.max_hrr_pct with it",
    "resistance.max_pct_1rm": "the resistance RPE ceiling holds the load at {value} %1RM: "
    "raise resistance.max_rpe with it",
    "resistance.max_rpe": "the resistance load ceiling holds effort at RPE {value}: "
    "raise resistance.max_pct_1rm with it",
}


def _ceiling_of(value: LimitValue) -> LimitValue:
    return value[1] if isinstance(value, tuple) else value


def _after_hrr_change(
    limits: LoadLimits, explicit_zone: bool, provenance: dict[str, Any], rule: Rule, previous: AerobicLimits
) -> LoadLimits:
    aerobic = limits.aerobic
    floor_pct = min(aerobic.zone_floor_hrr_pct, aerobic.max_hrr_pct)
    if explicit_zone or aerobic.hr_zone_bpm is None or aerobic.hr_max_bpm is None:
        return replace(limits, aerobic=replace(aerobic, zone_floor_hrr_pct=floor_pct))
    zone = heart_rate_zone(aerobic.resting_hr_bpm, aerobic.hr_max_bpm, floor_pct, aerobic.max_hrr_pct)
    tightened = aerobic.max_hrr_pct <= previous.max_hrr_pct
    if tightened and previous.hr_zone_bpm is not None and zone[1] > previous.hr_zone_bpm[1]:
        # Tightening %HRR must never raise a heart-rate ceiling a clinician had set lower by hand.
        zone = (min(zone[0], previous.hr_zone_bpm[1]), previous.hr_zone_bpm[1])
    provenance["aerobic.hr_zone_bpm"] = (*provenance.get("aerobic.hr_max_bpm", ()), rule.id)
    return replace(limits, aerobic=replace(aerobic, zone_floor_hrr_pct=floor_pct, hr_zone_bpm=zone))


def _adjustment_rule(adjustment: LimitAdjustment, value: LimitValue) -> Rule:
    shown = list(value) if isinstance(value, tuple) else value
    text = f"A clinician set {adjustment.field} to {shown}"
    text += f": {adjustment.reason.strip()}" if adjustment.reason.strip() else "."
    source = "Clinician adjustment" + (f" by {adjustment.author}" if adjustment.author else "")
    return Rule(id=f"clinician.{adjustment.field}", text=text, evidence="C", source=source)


# ---------------------------------------------------------------------------------------------
# Dose checks
# ---------------------------------------------------------------------------------------------


# Intensity unit -> (limit path, attribute on the limits) by component, for ceilings on targets.
def _intensity_ceilings(component: str, limits: LoadLimits) -> dict[str, tuple[str, int | None]]:
    # Kept per limits object (held, so its id stays its own): the schedule clamps every week of every item.
    found = _CEILINGS.get(id(limits))
    if found is None or found[0] is not limits:
        if len(_CEILINGS) >= 4096:
            _CEILINGS.clear()
        found = _CEILINGS[id(limits)] = (
            limits,
            _ceilings_of("resistance", limits),
            _ceilings_of("aerobic", limits),
        )
    return found[1] if component == "resistance" else found[2]


# The answers are shared: callers only read them.
_CEILINGS: dict[int, tuple[LoadLimits, dict[str, tuple[str, int | None]], dict[str, tuple[str, int | None]]]] = {}


def _ceilings_of(component: str, limits: LoadLimits) -> dict[str, tuple[str, int | None]]:
    aerobic, resistance = limits.aerobic, limits.resistance
    zone_high = aerobic.hr_zone_bpm[1] if aerobic.hr_zone_bpm else None
    if component == "resistance":
        return {
            "pct_1rm": ("resistance.max_pct_1rm", resistance.max_pct_1rm),
            "rpe_6_20": ("resistance.max_rpe", resistance.max_rpe),
        }
    # Aerobic ceilings also bound effort targets on flexibility and neuromotor work.
    return {
        "pct_hrr": ("aerobic.max_hrr_pct", aerobic.max_hrr_pct),
        "rpe_6_20": ("aerobic.max_rpe", aerobic.max_rpe),
        "hr_bpm": ("aerobic.hr_zone_bpm", zone_high),
    }


UNIT_WORDS = {"pct_hrr": "%HRR", "pct_1rm": "%1RM", "rpe_6_20": "RPE", "hr_bpm": "bpm"}


def _dose_violations(dose: Dose, limits: LoadLimits) -> list[Violation]:
    found = []
    ceilings = _intensity_ceilings(dose.component, limits)
    for target in dose.intensity:
        if target.unit not in ceilings:
            continue
        path, ceiling = ceilings[target.unit]
        words = UNIT_WORDS[target.unit]
        if ceiling is None:
            found.append(
                violation(
                    path,
                    gettext_noop(
                        "No heart-rate target may be set: heart rate is unreliable here, so effort (RPE) governs."
                    ),
                )
            )
        elif target.high > ceiling:
            found.append(
                violation(
                    path,
                    gettext_noop(
                        "%(component)s intensity up to %(high)s %(unit)s is above the limit of %(ceiling)s %(unit)s."
                    ),
                    component=word(dose.component.capitalize()),
                    high=str(target.high),
                    unit=words,
                    ceiling=str(ceiling),
                )
            )
    if _too_few_reps(dose, limits):
        found.append(
            violation(
                "resistance.min_reps",
                gettext_noop(
                    "%(reps)s repetitions a set is below the minimum of %(minimum)s (lighter loads, more repetitions)."
                ),
                reps=str(dose.reps),
                minimum=str(limits.resistance.min_reps),
            )
        )
    if _hold_too_long(dose, limits):
        found.append(
            violation(
                "flexibility.max_hold_seconds",
                gettext_noop("A %(hold)s s hold is longer than the limit of %(limit)s s."),
                hold=str(dose.hold_seconds),
                limit=str(limits.flexibility.max_hold_seconds),
            )
        )
    return found


def _too_few_reps(dose: Dose, limits: LoadLimits) -> bool:
    if dose.component != "resistance" or dose.dose_kind != "sets_reps":
        return False
    assert dose.reps is not None  # a sets_reps dose has its repetitions (Dose.__post_init__)
    return dose.reps < limits.resistance.min_reps


def _hold_too_long(dose: Dose, limits: LoadLimits) -> bool:
    # Only stretches: the ossification rule limits how long a region is held at stretch.
    if dose.component != "flexibility" or dose.dose_kind != "hold":
        return False
    assert dose.hold_seconds is not None  # a hold dose has its seconds (Dose.__post_init__)
    return dose.hold_seconds > limits.flexibility.max_hold_seconds


def check_dose(
    subject: Dose | ScheduledDose | PrescriptionItem, limits: LoadLimits, profile: Profile | None = None
) -> list[Violation]:
    """Every limit that `subject` breaks: a Dose, a ScheduledDose or a PrescriptionItem.

    For an item the exercise itself is checked too (impact, tags, regions; with a profile also
    equipment and positions). An empty list means the dose may be stored without an override.
    """
    if isinstance(subject, PrescriptionItem):
        return exercise_violations(subject.exercise, limits, profile) + _dose_violations(subject.dose, limits)
    if isinstance(subject, ScheduledDose):
        return _dose_violations(subject.dose, limits)
    return _dose_violations(subject, limits)


def add_rationale(dose: Dose, field_name: str, rules: tuple[Rule, ...]) -> Dose:
    """`dose` with `rules` added (once each) to the rationale of `field_name`."""
    present = next((entry for entry in dose.rationale if entry.field == field_name), None)
    if present is not None:
        known = {rule.id for rule in present.rules}
        extra = tuple(rule for rule in rules if rule.id not in known)
        if not extra:
            return dose  # nothing new: keep the same object (the schedule calls this every week)
        entries = tuple(
            ValueRationale(field_name, entry.rules + extra) if entry is present else entry for entry in dose.rationale
        )
    else:
        entries = (*dose.rationale, ValueRationale(field_name, tuple(rules)))
    return evolve_dose(dose, rationale=entries)  # only the rationale changes: the dose stays valid


def _clamp(dose: Dose, limits: LoadLimits) -> Dose:
    # Every change here sets a value to a limit, which is positive (ADJUSTABLE_FIELDS bounds it from 1),
    # so the dose is copied without re-validation (evolve_dose): this runs on every week of every item.
    ceilings = _intensity_ceilings(dose.component, limits)
    targets, clamped_paths = [], []
    for target in dose.intensity:
        path, ceiling = ceilings.get(target.unit, (None, None))
        if path is None:
            targets.append(target)
        elif ceiling is None:
            clamped_paths.append(path)  # a heart-rate target where RPE must govern: drop it
        elif target.high > ceiling:
            targets.append(Intensity(target.unit, min(target.low, ceiling), ceiling))
            clamped_paths.append(path)
        else:
            targets.append(target)
    result = evolve_dose(dose, intensity=tuple(targets)) if clamped_paths else dose
    for path in clamped_paths:
        result = add_rationale(result, "intensity", limits.rules_for(path))
    if _too_few_reps(dose, limits):
        result = add_rationale(
            evolve_dose(result, reps=limits.resistance.min_reps), "time", limits.rules_for("resistance.min_reps")
        )
    if _hold_too_long(dose, limits):
        result = add_rationale(
            evolve_dose(result, hold_seconds=limits.flexibility.max_hold_seconds),
            "time",
            limits.rules_for("flexibility.max_hold_seconds"),
        )
    return result


@overload
def clamp_dose(subject: Dose, limits: LoadLimits) -> Dose: ...
@overload
def clamp_dose(subject: ScheduledDose, limits: LoadLimits) -> ScheduledDose: ...
@overload
def clamp_dose(subject: PrescriptionItem, limits: LoadLimits) -> PrescriptionItem: ...


def clamp_dose(
    subject: Dose | ScheduledDose | PrescriptionItem, limits: LoadLimits
) -> Dose | ScheduledDose | PrescriptionItem:
    """Bring a Dose, ScheduledDose or PrescriptionItem within the limits; returns the same type.

    Only dose values are clamped (intensity ceilings, min_reps, hold length); the rules that forced
    a change are added to that value's rationale. An exercise that breaks a limit cannot be clamped:
    check it with check_dose and replace it.
    """
    if isinstance(subject, PrescriptionItem):
        return replace(subject, dose=_clamp(subject.dose, limits))
    if isinstance(subject, ScheduledDose):
        return replace(subject, dose=_clamp(subject.dose, limits))
    return _clamp(subject, limits)


# ---------------------------------------------------------------------------------------------
# Growth between weeks
# ---------------------------------------------------------------------------------------------


def growth_measure(dose: Dose) -> Fraction:
    """The weekly volume the progression cap applies to (FITT-VP volume = F x I x T).

    aerobic (minutes): sessions x minutes x upper %HRR / 100
    resistance (sets_reps): sessions x sets x reps x upper %1RM / 100
    other minutes doses: sessions x minutes; other sets_reps: sessions x sets x reps;
    holds: sessions x holds x seconds.
    Exact fractions, so a growth of exactly the cap is never rejected by rounding.
    """
    # Dose.__post_init__ has checked that the dose kind's own values are set.
    if dose.dose_kind == "minutes":
        assert dose.minutes is not None
        volume = Fraction(dose.frequency_per_week) * Fraction(dose.minutes)
    elif dose.dose_kind == "sets_reps":
        assert dose.sets is not None
        assert dose.reps is not None
        volume = Fraction(dose.frequency_per_week * dose.sets * dose.reps)
    else:
        assert dose.sets is not None
        assert dose.hold_seconds is not None
        volume = Fraction(dose.frequency_per_week * dose.sets * dose.hold_seconds)
    canonical = CANONICAL_INTENSITY.get(dose.component)
    target = dose.intensity_in(canonical) if canonical else None
    if target is not None:
        volume *= Fraction(target.high, 100)
    return volume


def growth_pct(previous: Dose, current: Dose) -> float:
    """Relative growth of the growth measure from `previous` to `current`, in percent (for display;
    use growth_within_cap to decide)."""
    if current is previous:
        return 0.0
    before = _approximate_measure(previous)
    return (_approximate_measure(current) / before - 1) * 100 if before else 0.0


def _approximate_measure(dose: Dose) -> float:
    # growth_measure in floats: fast enough to report every week, never used to decide anything.
    volume: float
    if dose.dose_kind == "minutes":
        assert dose.minutes is not None  # as in growth_measure
        volume = dose.frequency_per_week * dose.minutes
    else:
        per_set = dose.reps if dose.dose_kind == "sets_reps" else dose.hold_seconds
        assert dose.sets is not None
        assert per_set is not None
        volume = dose.frequency_per_week * dose.sets * per_set
    canonical = CANONICAL_INTENSITY.get(dose.component)
    target = dose.intensity_in(canonical) if canonical else None
    return volume * target.high / 100 if target is not None else float(volume)


def growth_within_cap(previous: Dose, current: Dose, cap_pct: float) -> bool:
    return growth_measure(current) * 100 <= growth_measure(previous) * (100 + Fraction(str(cap_pct)))


def check_growth(previous: Dose, current: Dose, limits: LoadLimits) -> list[Violation]:
    """A violation when `current` grows faster than the weekly cap over `previous`."""
    cap = limits.weekly_progression_max_pct
    if growth_within_cap(previous, current, cap):
        return []
    return [
        violation(
            "weekly_progression_max_pct",
            gettext_noop("The weekly volume grows by %(growth)s %%, above the limit of %(cap)s %%."),
            growth=fixed(growth_pct(previous, current), 1),
            cap=str(cap),
        )
    ]

# Kept whole: the engine's value objects, one vocabulary; most are a few lines and they refer to one another.
"""The engine's value objects: frozen dataclasses, tuples instead of lists.

Every object here is immutable and hashable-by-value, so the same input always yields an equal
plan and a plan can be compared, cached and snapshotted safely. Collections are tuples; set-like
collections (regions, tags, equipment) are de-duplicated and kept in vocabulary order so that two
assessments listing the same regions in a different order give the same plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    COMPONENTS,
    DOSE_KINDS,
    EQUIPMENT,
    IMPACT_LEVELS,
    INFLAMMATION_ACTIVITY,
    INTENSITY_UNITS,
    MOVEMENT_TAGS,
    POSITIONS,
    SESSION_ROLES,
    SEXES,
)

EVIDENCE_TAGS = ("G", "C", "R", "D")

# Plausibility bounds for input validation only (they reject typing errors, they are not clinical
# rules; the clinical ceilings live in planner/data). Resting HR bounds match the assessment model.
AGE_RANGE = (18, 110)
RESTING_HR_RANGE = (30, 150)
MEASURED_HR_MAX_RANGE = (80, 230)
PAIN_RANGE = (0, 10)


def ordered_subset(values: Iterable[str], vocabulary: tuple[str, ...]) -> tuple[str, ...]:
    """De-duplicate `values` and order them as in `vocabulary` (unknown values go last, sorted)."""
    unique = set(values)
    known = tuple(v for v in vocabulary if v in unique)
    unknown = tuple(sorted(v for v in unique if v not in vocabulary))
    return known + unknown


# Doses key the engine's and the weekly sweep's memos, and hashing a dose hashes every rule its rationale
# cites (a plan's decision hashed about 2,400 rules: bench/bench_sweep.py, 2026-12-01). Rule, ValueRationale
# and Dose are frozen, so each works its hash out once and keeps it on itself, outside its fields (equality
# still compares the fields), and leaves it out of a pickle: a string's hash differs between processes.
_HASH = "_kept_hash"


def _keep_hash(value: object, fields: tuple[Any, ...]) -> int:
    kept = hash(fields)
    object.__setattr__(value, _HASH, kept)
    return kept


def _without_kept_hash(value: object) -> dict[str, Any]:
    return {name: field for name, field in value.__dict__.items() if name != _HASH}


@dataclass(frozen=True)
class Rule:
    """One clinical or design rule, as cited in every rationale.

    id: stable dotted identifier, e.g. "impact.fragility_fracture"; never reused for another meaning.
    text: what the rule says, in plain language a clinician can check.
    evidence: "G" guideline/RCT read in the source, "C" consensus or expert opinion, "R" recalled and
        not re-read, "D" a design default of ours that a clinician must sign off.
    source: the citation (see shared/clinical-reference.md), or "Clinician adjustment" for overrides.
    """

    id: str
    text: str
    evidence: str
    source: str

    def __post_init__(self) -> None:
        if self.evidence not in EVIDENCE_TAGS:
            raise ValueError(f"rule {self.id}: evidence must be one of {EVIDENCE_TAGS}, not {self.evidence!r}")

    def __hash__(self) -> int:
        kept: int | None = self.__dict__.get(_HASH)
        return _keep_hash(self, (self.id, self.text, self.evidence, self.source)) if kept is None else kept

    def __getstate__(self) -> dict[str, Any]:
        return _without_kept_hash(self)


class ProfileError(ValueError):
    """Raised when a Profile is built from invalid values; `errors` maps field name -> message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


@dataclass(frozen=True)
class Profile:
    """What the engine knows about a patient: one assessment plus age and circumstances.

    age: whole years (18-110); drives the Tanaka HRmax estimate and the older-adult rules.
    sex: one of SEXES; recorded, not used by any rule yet.
    bone_fragility: one of BONE_FRAGILITY, ordered by severity ("none" ... "fragility_fracture").
    vertebral_fracture: a known vertebral fracture (tightens impact and aerobic intensity).
    heterotopic_ossification_regions: BODY_REGIONS with calcified masses; protected from direct
        pressure and end-range stretch.
    inflammation_activity: one of INFLAMMATION_ACTIVITY (myositis/fasciitis/panniculitis activity).
    pain_at_rest: 0-10 numeric rating scale.
    resting_hr: beats per minute at rest (Karvonen's HRrest).
    measured_hr_max: HRmax from an exercise test, in bpm; None -> the Tanaka estimate is used.
    beta_blocker: heart rate is unreliable, so no heart-rate zone is given and RPE governs.
    arrhythmia: an irregular heart rhythm (e.g. atrial fibrillation): heart rate is unreliable as on a beta
        blocker (clinical-reference 8a, "beta-blocker or arrhythmia").
    cardiopulmonary_status: one of CARDIOPULMONARY_STATUS ("cleared", "monitor", "restricted").
    avoid_regions: BODY_REGIONS the assessing clinician wants left alone: never loaded, pressed or
        stretched.
    available_equipment: EQUIPMENT the patient can use; None means any. "none" (no equipment) is
        always available, so () means "only exercises that need nothing".
    unavailable_positions: POSITIONS the patient cannot take (e.g. "prone", "in_water").
    sedentary: a sedentary beginner (ACSM's 40-50 %1RM start applies as it does for older adults).
    padded_pressure_regions: protected regions (ossified or avoid regions) the clinician marks as
        tolerating padded, short pressure, so seated work on a cushion may return; a region that is not
        protected has no effect. End-range stretches across them stay out (clinical-reference 8a).
    """

    age: int
    sex: str = "unknown"
    bone_fragility: str = "none"
    vertebral_fracture: bool = False
    heterotopic_ossification_regions: tuple[str, ...] = ()
    inflammation_activity: str = "inactive"
    pain_at_rest: int = 0
    resting_hr: int = 70
    measured_hr_max: int | None = None
    beta_blocker: bool = False
    arrhythmia: bool = False
    cardiopulmonary_status: str = "cleared"
    avoid_regions: tuple[str, ...] = ()
    available_equipment: tuple[str, ...] | None = None
    unavailable_positions: tuple[str, ...] = ()
    sedentary: bool = False
    padded_pressure_regions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Normalise collections so that order and duplicates in the input never change the plan.
        set_ = object.__setattr__
        for name in ("heterotopic_ossification_regions", "avoid_regions", "padded_pressure_regions"):
            set_(self, name, ordered_subset(getattr(self, name), BODY_REGIONS))
        set_(self, "unavailable_positions", ordered_subset(self.unavailable_positions, POSITIONS))
        if self.available_equipment is not None:
            set_(self, "available_equipment", ordered_subset(self.available_equipment, EQUIPMENT))
        errors = _profile_errors(self)
        if errors:
            raise ProfileError(errors)


def _profile_errors(profile: Profile) -> dict[str, str]:
    errors: dict[str, str] = {}

    def check_int(name: str, bounds: tuple[int, int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = "must be a whole number"
        elif not bounds[0] <= value <= bounds[1]:
            errors[name] = f"must be between {bounds[0]} and {bounds[1]}"

    def check_choice(name: str, value: object, vocabulary: tuple[str, ...]) -> None:
        if value not in vocabulary:
            errors[name] = f"{value!r} is not one of {', '.join(vocabulary)}"

    def check_subset(name: str, values: Iterable[object], vocabulary: tuple[str, ...]) -> None:
        unknown = [v for v in values if v not in vocabulary]
        if unknown:
            errors[name] = f"unknown values: {', '.join(map(str, unknown))}"

    check_int("age", AGE_RANGE, profile.age)
    check_choice("sex", profile.sex, SEXES)
    check_choice("bone_fragility", profile.bone_fragility, BONE_FRAGILITY)
    check_choice("inflammation_activity", profile.inflammation_activity, INFLAMMATION_ACTIVITY)
    check_choice("cardiopulmonary_status", profile.cardiopulmonary_status, CARDIOPULMONARY_STATUS)
    check_int("pain_at_rest", PAIN_RANGE, profile.pain_at_rest)
    check_int("resting_hr", RESTING_HR_RANGE, profile.resting_hr)
    if profile.measured_hr_max is not None:
        check_int("measured_hr_max", MEASURED_HR_MAX_RANGE, profile.measured_hr_max)
        valid_so_far = "measured_hr_max" not in errors and "resting_hr" not in errors
        if valid_so_far and profile.measured_hr_max <= profile.resting_hr:
            errors["measured_hr_max"] = "must be above the resting heart rate"
    for name in ("vertebral_fracture", "beta_blocker", "arrhythmia", "sedentary"):
        if not isinstance(getattr(profile, name), bool):
            errors[name] = "must be true or false"
    check_subset("heterotopic_ossification_regions", profile.heterotopic_ossification_regions, BODY_REGIONS)
    check_subset("avoid_regions", profile.avoid_regions, BODY_REGIONS)
    check_subset("padded_pressure_regions", profile.padded_pressure_regions, BODY_REGIONS)
    check_subset("unavailable_positions", profile.unavailable_positions, POSITIONS)
    if profile.available_equipment is not None:
        check_subset("available_equipment", profile.available_equipment, EQUIPMENT)
    return errors


@dataclass(frozen=True)
class Instructions:
    """Plain-language instructions shown to the patient, one short paragraph each."""

    setup: str
    movement: str
    feel: str
    mistakes: str


@dataclass(frozen=True)
class ExerciseSpec:
    """One library exercise (planner/data/exercises.json).

    slug: unique id; name: what the patient reads; component: one of COMPONENTS.
    impact: one of IMPACT_LEVELS (ground-reaction impact; "low" is brisk-walking level).
    regions_loaded: BODY_REGIONS the exercise loads (muscles working, joints under load).
    pressure_regions: BODY_REGIONS bearing sustained body weight (seated -> both gluteal regions).
    stretched_regions: BODY_REGIONS taken towards end range.
    equipment: EQUIPMENT needed, ("none",) when nothing; position: one of POSITIONS.
    tags: MOVEMENT_TAGS; "direct_pressure" iff pressure_regions is non-empty.
    dose_kind: "minutes", "sets_reps" or "hold" - how the dose is expressed.
    easier / harder: slugs of the neighbouring variants in the exercise's progression chain, or None.
    instructions: what to do, what to feel, what to avoid.
    muscle_groups: groups worked; the shipped library uses MUSCLE_GROUPS only (a clinic's own
        entries may still hold free text, which simply serves no target).
    session_roles: SESSION_ROLES the exercise suits; () means the main block only.
    intensity_reach: for aerobic work, the highest ACSM intensity class (an anchor class name such
        as "light", "moderate", "vigorous") the activity usually reaches done as instructed; None when
        not stated. Chooses an activity that can reach the plan's aerobic ceiling.
    """

    slug: str
    name: str
    component: str
    impact: str
    regions_loaded: tuple[str, ...]
    pressure_regions: tuple[str, ...]
    stretched_regions: tuple[str, ...]
    equipment: tuple[str, ...]
    position: str
    tags: tuple[str, ...]
    dose_kind: str
    easier: str | None
    harder: str | None
    instructions: Instructions
    muscle_groups: tuple[str, ...]
    session_roles: tuple[str, ...] = ()
    intensity_reach: str | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.component not in COMPONENTS:
            problems.append(f"component {self.component!r}")
        if self.impact not in IMPACT_LEVELS:
            problems.append(f"impact {self.impact!r}")
        if self.position not in POSITIONS:
            problems.append(f"position {self.position!r}")
        if self.dose_kind not in DOSE_KINDS:
            problems.append(f"dose_kind {self.dose_kind!r}")
        for name, vocabulary in (
            ("regions_loaded", BODY_REGIONS),
            ("pressure_regions", BODY_REGIONS),
            ("stretched_regions", BODY_REGIONS),
            ("equipment", EQUIPMENT),
            ("tags", MOVEMENT_TAGS),
            ("session_roles", SESSION_ROLES),
        ):
            unknown = [v for v in getattr(self, name) if v not in vocabulary]
            if unknown:
                problems.append(f"{name} {unknown}")
        if problems:
            raise ValueError(f"exercise {self.slug!r}: unknown {', '.join(problems)}")


@dataclass(frozen=True)
class AerobicLimits:
    """Ceilings for aerobic work.

    max_rpe: Borg 6-20 ceiling. max_hrr_pct: ceiling in % of heart-rate reserve.
    hr_max_bpm: HRmax used (measured, else Tanaka 208 - 0.7 x age); None under beta blockade.
    resting_hr_bpm: HRrest used by Karvonen (kept so a clinician's change can recompute the zone).
    zone_floor_hrr_pct: bottom of the training zone in %HRR (bottom of the "light" class).
    hr_zone_bpm: (low, high) Karvonen heart rates for zone_floor_hrr_pct .. max_hrr_pct; the high end
        is rounded down so it never exceeds the ceiling. None when beta_blocker (RPE governs) or when
        the heart-rate reserve is unusable.
    """

    max_rpe: int
    max_hrr_pct: int
    hr_max_bpm: float | None
    resting_hr_bpm: int
    zone_floor_hrr_pct: int
    hr_zone_bpm: tuple[int, int] | None


@dataclass(frozen=True)
class ResistanceLimits:
    """Ceilings for resistance work.

    max_pct_1rm: load ceiling in % of one-repetition maximum.
    max_rpe: Borg 6-20 ceiling for a set.
    min_reps: fewest repetitions a set may have (a floor: more reps means a lighter load).
    """

    max_pct_1rm: int
    max_rpe: int
    min_reps: int


@dataclass(frozen=True)
class FlexibilityLimits:
    """Ceilings for flexibility work. max_hold_seconds: longest static hold."""

    max_hold_seconds: int


@dataclass(frozen=True)
class LoadLimits:
    """The patient-specific ceilings every dose must respect (the strictest rule wins).

    max_impact: highest IMPACT_LEVELS value allowed.
    aerobic / resistance / flexibility: the nested ceilings above.
    excluded_tags: MOVEMENT_TAGS no exercise may carry.
    avoid_regions: regions protected from direct pressure and end-range stretch (the assessment's
        avoid_regions plus the heterotopic ossification regions).
    no_loading_regions: regions no exercise may load at all (the assessment's avoid_regions).
    weekly_progression_max_pct: cap on the week-to-week growth of any item's weekly volume
        (see planner.limits.growth_measure for the definition).
    supervision_required: a physiotherapist supervises the start.
    clearance_required: a clinician's medical clearance is recorded before the plan may start.
    supervised_sessions: how many sessions are supervised at the clinic before home sessions.
    rules: every rule that fired, with its text, evidence and source.
    provenance: (field path, ids of the rules that set its value) for every field above, e.g.
        ("aerobic.max_rpe", ("inflammation.active_light_aerobic",)).
    """

    max_impact: str
    aerobic: AerobicLimits
    resistance: ResistanceLimits
    flexibility: FlexibilityLimits
    excluded_tags: tuple[str, ...]
    avoid_regions: tuple[str, ...]
    no_loading_regions: tuple[str, ...]
    weekly_progression_max_pct: float
    supervision_required: bool
    rules: tuple[Rule, ...]
    provenance: tuple[tuple[str, tuple[str, ...]], ...]
    clearance_required: bool = False
    supervised_sessions: int = 0

    def rule_ids_for(self, field_path: str) -> tuple[str, ...]:
        """Ids of the rules that set `field_path` (e.g. "aerobic.max_rpe")."""
        for path, ids in self.provenance:
            if path == field_path:
                return ids
        return ()

    @property
    def protected_regions(self) -> tuple[str, ...]:
        """The regions a figure marks and never draws loaded: no pressure or stretch, or no loading at all."""
        return tuple(sorted({*self.avoid_regions, *self.no_loading_regions}))

    def rules_for(self, field_path: str) -> tuple[Rule, ...]:
        """The Rule objects that set `field_path`, in rule-data order."""
        found = self._rules_by_path.get(field_path)
        if found is None:
            wanted = set(self.rule_ids_for(field_path))
            found = self._rules_by_path[field_path] = tuple(rule for rule in self.rules if rule.id in wanted)
        return found

    @cached_property
    def _rules_by_path(self) -> dict[str, tuple[Rule, ...]]:
        # The schedule asks for the same few paths every week of every item; the limits are frozen, so
        # the answer is kept on the instance (cached_property writes to __dict__, not through the frozen
        # __setattr__; it is not a field, so equality, repr and serialisation ignore it). The answers
        # read only `rules` and `provenance`: limits holding the same two tuples (compute_limits hands
        # equal ones out as one object) share one table, so each path is resolved once for all of them.
        return _rule_paths(self.rules, self.provenance)


# (id(rules), id(provenance)) -> (rules, provenance, path -> rules): the tuples are held, so their ids
# stay theirs while an entry lives.
_RULE_PATHS: dict[
    tuple[int, int], tuple[tuple[Rule, ...], tuple[tuple[str, tuple[str, ...]], ...], dict[str, tuple[Rule, ...]]]
] = {}


def _rule_paths(
    rules: tuple[Rule, ...], provenance: tuple[tuple[str, tuple[str, ...]], ...]
) -> dict[str, tuple[Rule, ...]]:
    key = (id(rules), id(provenance))
    found = _RULE_PATHS.get(key)
    if found is None or found[0] is not rules or found[1] is not provenance:
        if len(_RULE_PATHS) >= 4096:
            _RULE_PATHS.clear()
        found = _RULE_PATHS[key] = (rules, provenance, {})
    return found[2]


@dataclass(frozen=True)
class LimitAdjustment:
    """A clinician's change to one limit.

    field: a LoadLimits field path ("aerobic.max_rpe", "excluded_tags", ...).
    value: the new value (a list/tuple for set-like fields, which it replaces).
    reason: required when the change loosens the limit; recorded in the rule text.
    author: who made it (free text, e.g. a user id), recorded in the rule source.
    """

    field: str
    value: object
    reason: str = ""
    author: str = ""


@dataclass(frozen=True)
class LimitChange:
    """A limit field whose value differs between two LoadLimits. field: its path."""

    field: str
    before: object
    after: object


class AdjustmentError(ValueError):
    """A clinician adjustment is invalid or loosens a limit without a reason.

    errors maps the field path -> message, ready for a 400 response.
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


@dataclass(frozen=True)
class Violation:
    """A dose or exercise that breaks a limit. limit: the field path; message: plain words (English);
    said: the same sentence as a catalogue template with its values (a planner.progression.said.Said,
    planner.violations), which a page says in the reader's language; None where none was kept."""

    limit: str
    message: str
    said: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Intensity:
    """An intensity target: a value (low == high) or a range, in one of INTENSITY_UNITS.

    Units: rpe_6_20 (Borg), pct_hrr (% heart-rate reserve), hr_bpm (beats per minute, Karvonen),
    pct_1rm (% one-repetition maximum), reps_in_reserve, none (dosed by feel, see the rationale).
    """

    unit: str
    low: int
    high: int

    def __post_init__(self) -> None:
        if self.unit not in INTENSITY_UNITS:
            raise ValueError(f"unknown intensity unit {self.unit!r}")
        if self.low > self.high:
            raise ValueError(f"intensity low {self.low} is above high {self.high}")


@dataclass(frozen=True)
class ValueRationale:
    """Why a value is what it is. field: the value's name; rules: the rules that set or bounded it."""

    field: str
    rules: tuple[Rule, ...]

    def __hash__(self) -> int:
        kept: int | None = self.__dict__.get(_HASH)
        return _keep_hash(self, (self.field, self.rules)) if kept is None else kept

    def __getstate__(self) -> dict[str, Any]:
        return _without_kept_hash(self)


# The fields of a Dose that carry a rationale.
DOSE_RATIONALE_FIELDS = ("frequency_per_week", "intensity", "time", "volume")


@dataclass(frozen=True)
class Dose:
    """One exercise's dose for one week: FITT-VP frequency, intensity and time, and so volume.

    component: one of COMPONENTS; dose_kind: "minutes", "sets_reps" or "hold".
    frequency_per_week: sessions per week (1-7).
    intensity: equivalent expressions of the target; the first one governs. Aerobic: pct_hrr,
        hr_bpm, rpe_6_20 (under beta blockade rpe_6_20 first, then pct_hrr kept only as the engine's
        reference scale, and no hr_bpm). Resistance: pct_1rm then rpe_6_20. Others: a single "none"
        target (dosed by feel; the rationale says how).
    minutes: minutes per session (dose_kind "minutes"), in steps of half a minute.
    sets, reps: per session (dose_kind "sets_reps"); for "hold", sets is the number of holds.
    hold_seconds: seconds per hold (dose_kind "hold").
    rationale: one ValueRationale per DOSE_RATIONALE_FIELDS entry ("time" covers minutes, sets, reps
        and hold_seconds).
    """

    component: str
    dose_kind: str
    frequency_per_week: int
    intensity: tuple[Intensity, ...]
    minutes: float | None = None
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    rationale: tuple[ValueRationale, ...] = ()

    def __post_init__(self) -> None:
        if self.component not in COMPONENTS or self.dose_kind not in DOSE_KINDS:
            raise ValueError(f"unknown component/dose_kind {self.component}/{self.dose_kind}")
        if not 1 <= self.frequency_per_week <= 7:
            raise ValueError("frequency_per_week must be 1-7")
        needed = {"minutes": ("minutes",), "sets_reps": ("sets", "reps"), "hold": ("sets", "hold_seconds")}
        for name in needed[self.dose_kind]:
            value = getattr(self, name)
            if value is None or value <= 0:
                raise ValueError(f"a {self.dose_kind} dose needs a positive {name}")

    def __hash__(self) -> int:
        kept: int | None = self.__dict__.get(_HASH)
        if kept is not None:
            return kept
        return _keep_hash(
            self,
            (
                self.component,
                self.dose_kind,
                self.frequency_per_week,
                self.intensity,
                self.minutes,
                self.sets,
                self.reps,
                self.hold_seconds,
                self.rationale,
            ),
        )

    def __getstate__(self) -> dict[str, Any]:
        return _without_kept_hash(self)

    def intensity_in(self, unit: str) -> Intensity | None:
        """The target expressed in `unit`, or None."""
        for target in self.intensity:  # a plain loop: the engine asks this tens of times per dose
            if target.unit == unit:
                return target
        return None

    @property
    def volume_per_week(self) -> float:
        """Plain weekly volume: minutes/week, repetitions/week or seconds held/week."""
        # __post_init__ has checked that the dose kind's own values are set.
        if self.dose_kind == "minutes":
            assert self.minutes is not None
            return self.frequency_per_week * self.minutes
        assert self.sets is not None
        if self.dose_kind == "sets_reps":
            assert self.reps is not None
            return float(self.frequency_per_week * self.sets * self.reps)
        assert self.hold_seconds is not None
        return float(self.frequency_per_week * self.sets * self.hold_seconds)

    @property
    def volume_unit(self) -> str:
        return {"minutes": "min/week", "sets_reps": "reps/week", "hold": "s held/week"}[self.dose_kind]

    def rules_for(self, field_name: str) -> tuple[Rule, ...]:
        for entry in self.rationale:
            if entry.field == field_name:
                return entry.rules
        return ()


@dataclass(frozen=True)
class ProgressionStep:
    """One variable the schedule may grow, in priority order within a ProgressionRule.

    variable: "minutes", "reps", "hold_seconds", "sets", "frequency_per_week" or "intensity"
        (intensity moves the governing %HRR or %1RM range up).
    increment: the largest increase per step, in the variable's unit (%-points for intensity).
    every_weeks: a step may happen only in weeks 1 + k*every_weeks after the first.
    ceiling: the value the variable never exceeds (already clamped to the limits).
    refit: for a step that adds a session or a set, the time variable that is shortened so that
        the weekly volume still grows by no more than the cap; None otherwise.
    floor: the shortest the refit variable may become (minimum bout, min_reps, shortest hold).
    rules: the rules behind the increment, frequency, ceiling and floor.
    """

    variable: str
    increment: float
    every_weeks: int
    ceiling: float
    refit: str | None
    floor: float | None
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class ProgressionRule:
    """How an item grows over the weeks: one variable at a time, in `steps` order.

    steps: time first, then frequency (or sets), then intensity.
    max_weekly_growth_pct: cap on the weekly growth of `growth_measure` (the limits' value).
    growth_measure: what the cap applies to, in words, e.g. "sessions x minutes x %HRR".
    """

    steps: tuple[ProgressionStep, ...]
    max_weekly_growth_pct: float
    growth_measure: str


@dataclass(frozen=True)
class PrescriptionItem:
    """One prescribed exercise with its starting (week 1) dose and how it progresses.

    exercise: the library entry; component: its FITT-VP component.
    dose: the week-1 dose (already within the limits).
    progression: the rule the schedule follows.
    rationale: entries for "exercise" (why it was chosen, which target rules it serves and what
        filtered the alternatives) and "progression" (steps, ceilings and the growth cap).
    targets: the profile's target MUSCLE_GROUPS this exercise serves (planner/muscles.py), () when
        it was chosen for coverage alone.
    notes: plain words for the patient that come with the choice, e.g. "Sit on a cushion and keep
        sitting short." when the exercise presses a region marked as tolerating padded, short pressure.
    """

    exercise: ExerciseSpec
    component: str
    dose: Dose
    progression: ProgressionRule
    rationale: tuple[ValueRationale, ...]
    targets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return self.exercise.slug

    def rules_for(self, field_name: str) -> tuple[Rule, ...]:
        for entry in self.rationale:
            if entry.field == field_name:
                return entry.rules
        return self.dose.rules_for(field_name)


@dataclass(frozen=True)
class Prescription:
    """prescribe()'s result. items: in COMPONENTS order; components_without_exercise: components for
    which no library exercise passed the limits, equipment and positions (the clinician must act)."""

    items: tuple[PrescriptionItem, ...]
    components_without_exercise: tuple[str, ...]


@dataclass(frozen=True)
class ScheduledDose:
    """One item's dose in one week.

    exercise_slug: which PrescriptionItem; dose: that week's dose (limits applied last).
    changed: the variable that grew since the previous week, or None when the dose was held.
    growth_pct: relative growth of the weekly growth measure since the previous week (0 in week 1).
    """

    exercise_slug: str
    dose: Dose
    changed: str | None
    growth_pct: float


@dataclass(frozen=True)
class PlanWeek:
    """One week of the plan. number: 1-based; doses: one per item, in item order."""

    number: int
    doses: tuple[ScheduledDose, ...]

    def dose_for(self, slug: str) -> ScheduledDose | None:
        return next((d for d in self.doses if d.exercise_slug == slug), None)


@dataclass(frozen=True)
class TargetOutlook:
    """One week-12 target of the plan (clinical-reference 8d) and where the all-green schedule takes it.

    value: the target in `measure` (minutes_per_week, sets, days_per_week, seconds_per_session);
    reached: the value in the last week; expected_week: the first week it is met (None: not within
    the plan); reason: why it stays lower, in words; rules: the target's rule and those that bound it.
    """

    target_id: str
    component: str
    measure: str
    value: int
    text: str
    expected_week: int | None
    reached: float
    reason: str
    rules: tuple[Rule, ...]

    @property
    def met(self) -> bool:
        return self.expected_week is not None


@dataclass(frozen=True)
class Plan:
    """Everything build_plan produces: the inputs' limits, the items, the weeks, the targets and the notice."""

    profile: Profile
    limits: LoadLimits
    items: tuple[PrescriptionItem, ...]
    weeks: tuple[PlanWeek, ...]
    components_without_exercise: tuple[str, ...]
    safety_notice: str = field(default="")
    targets: tuple[TargetOutlook, ...] = ()


def field_names(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def evolve_dose(dose: Dose, **changes: Any) -> Dose:
    """`dataclasses.replace(dose, **changes)` without running __init__ and __post_init__ again.

    For the engine's inner loops (the schedule builds thousands of doses a plan, and replace() spends
    most of its time re-validating): only for changes the caller knows keep the object valid, such as a
    longer rationale or a value that only grows from a valid one.
    """
    new = object.__new__(Dose)
    state = new.__dict__
    state.update(dose.__dict__)  # a Dose keeps nothing but its fields in __dict__, and its hash:
    state.pop(_HASH, None)  # the changed dose works its own out
    state.update(changes)
    return new

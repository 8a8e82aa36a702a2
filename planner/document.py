"""What a PDF says, as data: the patient's plan and the clinician's progress report.

The Django layer fills the input dataclasses (PatientInfo, ContactInfo, PainEntry, ...) from its rows;
`plan_document` and `progress_report` turn them, with the engine's Plan, into frozen documents made of
plain text and numbers, which rehab/pdf.py draws. Every decision about content is taken here (which
limits to explain and in which words, which days, what to do on a bad day, which reference lines a
chart shows) so that it is tested without reportlab or a database; the drawing decides only the looks.

All text here is plain text, never markup: the drawing escapes every string it prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.catalogue import exercise_violations, load_default_catalogue
from planner.growth import ladder_words
from planner.limits import heart_rate_ceiling_only
from planner.progress_charts import (  # built there; the chart types are re-exported for the drawings
    BarChart,
    BarSeries,  # noqa: F401
    ReferenceLine,  # noqa: F401
    Series,  # noqa: F401
    TimeChart,
    adherence_chart,
    effort_chart,
    measure_charts,
    pain_chart,
)
from planner.progression_rules import ProgressionConfig, default_progression_config
from planner.rules import SAFETY_NOTICE, Rulebook, default_rulebook
from planner.session_words import SessionLine, growth_outline, session_line
from planner.sessions import WeekSessions, session_offsets, week_sessions
from planner.targets import MEASURE_WORDS as TARGET_MEASURE_WORDS
from planner.types import Dose, ExerciseSpec, LoadLimits, Plan, PrescriptionItem, Profile, Rule
from planner.vocabulary import MEASURE_CODES, RED_FLAGS

# ---------------------------------------------------------------------------------------------
# Inputs: what the Django layer fills from its rows
# ---------------------------------------------------------------------------------------------


def _check_range(value, low: int, high: int, name: str) -> None:
    if value is not None and not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, not {value!r}")


@dataclass(frozen=True)
class PatientInfo:
    """name: as the patient wants it printed (any script). date_of_birth: None when not to be shown."""

    name: str
    date_of_birth: date | None = None


@dataclass(frozen=True)
class ContactInfo:
    """Who the patient calls. emergency_number: e.g. "999" or "112"; empty -> "call an ambulance"."""

    clinic_name: str
    clinic_phone: str
    clinic_email: str = ""
    physio_name: str = ""
    clinic_address: str = ""
    emergency_number: str = ""


@dataclass(frozen=True)
class PainEntry:
    """One check-in's scores: pain 0-10 during, after and the next morning (None: not given), RPE 6-20."""

    date: date
    during: int | None
    after: int | None
    next_morning: int | None = None
    rpe: int | None = None

    def __post_init__(self):
        for name in ("during", "after", "next_morning"):
            _check_range(getattr(self, name), 0, 10, name)
        _check_range(self.rpe, 6, 20, "rpe")


@dataclass(frozen=True)
class WeekAdherence:
    """Sessions planned and done in one plan week (1-based)."""

    week: int
    planned: int
    done: int

    def __post_init__(self):
        if self.week < 1 or self.planned < 0 or self.done < 0:
            raise ValueError("week must be 1 or more; planned and done 0 or more")


@dataclass(frozen=True)
class MeasureEntry:
    """A strength or function test: kind is a vocabulary.MEASURE_CODES code, value in its unit."""

    kind: str
    date: date
    value: float

    def __post_init__(self):
        if self.kind not in MEASURE_CODES:
            raise ValueError(f"unknown measure {self.kind!r}")


@dataclass(frozen=True)
class ReasonEntry:
    """One reason of a decision: the rule's id and what it found (ProgressionDecision.reasons JSON)."""

    rule_id: str
    text: str


@dataclass(frozen=True)
class DecisionEntry:
    """A stored weekly decision. action: planner.progression.ACTIONS; light: green/amber/red or None.

    week: the plan week that ended. changes: per exercise, the change in words ("Walking: 10 -> 10.5 min").
    """

    week: int
    action: str
    light: str | None
    reasons: tuple[ReasonEntry, ...]
    decided_on: date
    changes: tuple[str, ...] = ()
    review_required: bool = False


@dataclass(frozen=True)
class AlertEntry:
    """An alert for the care team. kind: rehab AlertKind value; acknowledged_on None while open."""

    created_on: date
    kind: str
    message: str
    urgent: bool = False
    acknowledged_on: date | None = None
    acknowledged_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class OverrideEntry:
    """A dose accepted above a limit. limits_exceeded: the violation messages, in words."""

    created_on: date
    author: str
    exercise: str
    limits_exceeded: tuple[str, ...]
    reason: str
    acknowledged_on: date | None = None


@dataclass(frozen=True)
class AssessmentEntry:
    """A dated assessment, as the engine's Profile, with who made it and free-text notes."""

    assessed_on: date
    assessed_by: str
    profile: Profile
    notes: str = ""


# ---------------------------------------------------------------------------------------------
# Output: the building blocks both documents share
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Output: the patient's plan
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AvoidLine:
    """Something to avoid, and why, in plain words."""

    what: str
    why: str


@dataclass(frozen=True)
class BorgRow:
    """One step of the Borg 6-20 scale. words: the anchor's words at its first number, else "".
    allowed: for each of SafetySection.borg_columns, whether this effort is within that ceiling."""

    value: int
    words: str
    allowed: tuple[bool, ...]


@dataclass(frozen=True)
class SafetySection:
    """effort: one ceiling per kind of exercise ("... somewhat hard, 13"). heart_rate: the zone in beats
    per minute, or why to go by effort instead. avoid: what to avoid and why. other: holds, repetitions,
    growth, supervision. borg_scale: the whole scale, to print beside the ceilings, with one "allowed"
    column per kind of exercise (borg_columns)."""

    effort: tuple[str, ...]
    heart_rate: str
    avoid: tuple[AvoidLine, ...]
    other: tuple[str, ...]
    borg_columns: tuple[str, ...]
    borg_scale: tuple[BorgRow, ...]


@dataclass(frozen=True)
class RedFlagLine:
    label: str
    advice: str


@dataclass(frozen=True)
class ScheduleRow:
    """One exercise in one week: the suggested days (as weekday names and as dates), the amount each time
    and what changed since last week."""

    exercise: str
    days: str
    dose: str
    change: str
    dates: tuple[date, ...]


@dataclass(frozen=True)
class WeekSchedule:
    """One plan week: number, first and last day, one row per exercise, and its sessions day by day.

    label: what this week is to the patient ("This week: decided", "Next week: proposed", ...).
    sessions: each exercise day in order, warm-up to cool-down, with its estimated time.
    """

    number: int
    first_day: date
    last_day: date
    rows: tuple[ScheduleRow, ...]
    session_days: tuple[date, ...]
    label: str = ""
    sessions: tuple[SessionLine, ...] = ()


@dataclass(frozen=True)
class OutlineLine:
    """How one exercise may grow over the rest of the plan, in words, not in numbers per week."""

    exercise: str
    outline: str


@dataclass(frozen=True)
class ExercisePage:
    """One page per exercise. dose/effort/days: the current week's; growth: how it may change over the
    rest of the plan (an outline: the weekly decisions set the numbers).
    bad_day_name: the easier variant to use on a bad day (None: there is none the limits allow);
    bad_day_text: its setup and movement, or what to do instead."""

    slug: str
    name: str
    kind: str
    days: str
    dose: str
    effort: str
    growth: str
    setup: str
    movement: str
    feel: str
    mistakes: str
    bad_day_name: str | None
    bad_day_text: str


@dataclass(frozen=True)
class DiaryRow:
    day: date
    exercise_day: bool


@dataclass(frozen=True)
class DiaryWeek:
    number: int
    rows: tuple[DiaryRow, ...]


@dataclass(frozen=True)
class PlanDocument:
    """Everything the patient's plan PDF prints, section by section.

    weeks: only this week (its decided doses) and next week (the schedule's proposal); the rest of the
    plan is `outline`, how each exercise may grow, because each weekly decision changes those weeks.
    plan_weeks: how many weeks the plan has; current_week: the week the document was made in.
    changes: what last week's decision changed and why, in plain words (empty in the first week).
    protected_regions: the body regions the limits protect (avoid and no-loading regions); the
    exercise figures mark them and show no load on them.
    """

    title: str
    author: str
    patient: PatientInfo
    contact: ContactInfo
    start_date: date
    end_date: date
    generated_on: date
    safety: SafetySection
    red_flags: tuple[RedFlagLine, ...]
    call_lines: tuple[str, ...]
    weeks: tuple[WeekSchedule, ...]
    exercises: tuple[ExercisePage, ...]
    pain_guide: tuple[str, ...]
    pain_chart: TimeChart
    diary_columns: tuple[str, ...]
    diary_weeks: tuple[DiaryWeek, ...]
    notice: str
    plan_weeks: int = 0
    current_week: int = 1
    outline: tuple[OutlineLine, ...] = ()
    changes: tuple[str, ...] = ()
    protected_regions: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Output: the clinician's progress report
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentSummary:
    assessed_on: date
    assessed_by: str
    lines: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class LimitRow:
    """One limit: its name, its value in words and the ids of the rules that set it."""

    name: str
    value: str
    rule_ids: tuple[str, ...]


@dataclass(frozen=True)
class RuleRow:
    id: str
    text: str
    evidence: str
    source: str


@dataclass(frozen=True)
class ItemRow:
    """A plan item: its first and last scheduled dose, in the clinician's units."""

    exercise: str
    kind: str
    first_week: str
    last_week: str


@dataclass(frozen=True)
class DecisionRow:
    week: int
    decided_on: date
    action: str
    light: str
    reasons: tuple[ReasonEntry, ...]
    changes: tuple[str, ...]
    review_required: bool


@dataclass(frozen=True)
class AlertRow:
    created_on: date
    kind: str
    message: str
    urgent: bool
    status: str


@dataclass(frozen=True)
class OverrideRow:
    created_on: date
    author: str
    exercise: str
    limits_exceeded: tuple[str, ...]
    reason: str
    status: str


@dataclass(frozen=True)
class ReportDocument:
    """Everything the clinician's progress report PDF prints."""

    title: str
    author: str
    patient: PatientInfo
    contact: ContactInfo
    start_date: date
    end_date: date
    generated_on: date
    summary: tuple[str, ...]
    assessments: tuple[AssessmentSummary, ...]
    items: tuple[ItemRow, ...]
    limits: tuple[LimitRow, ...]
    rules: tuple[RuleRow, ...]
    pain_chart: TimeChart
    rpe_chart: TimeChart
    adherence_chart: BarChart
    measure_charts: tuple[TimeChart, ...]
    decisions: tuple[DecisionRow, ...]
    alerts: tuple[AlertRow, ...]
    overrides: tuple[OverrideRow, ...]
    notice: str
    # (target, week met or "not within the plan", reached by the last week, why lower)
    targets: tuple[tuple[str, str, str, str], ...] = ()
    # (date, where it hurt, exercise that hurt, heart rate avg / peak, lowest SpO2, supervised by)
    symptoms: tuple[tuple[str, ...], ...] = ()


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

# Borg 6-20 anchors: (lowest, highest, words).
BORG_WORDS = (
    (6, 6, "no exertion"),
    (7, 8, "extremely light"),
    (9, 10, "very light"),
    (11, 12, "light"),
    (13, 14, "somewhat hard"),
    (15, 16, "hard"),
    (17, 18, "very hard"),
    (19, 19, "extremely hard"),
    (20, 20, "maximal exertion"),
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
KIND_WORDS = {
    "aerobic": "Aerobic exercise (heart and lungs)",
    "resistance": "Strength",
    "flexibility": "Stretching",
    "neuromotor": "Balance and posture",
}
# What each excluded movement tag means to a patient ("running" and "jumping" go with the impact line).
TAG_WORDS = {
    "loaded_spinal_flexion": "No bending forward with weights: no sit-ups, no lifting with a rounded back.",
    "loaded_spinal_twist": "No twisting your back while holding a weight, and no fast twisting.",
    "ballistic": "No fast, jerky or swinging movements.",
    "heavy_eccentric": "No heavy lowering (letting a heavy weight down slowly).",
    "end_range_stretch": "No forced stretching to the end of your movement.",
    "direct_pressure": "No exercises that press your body weight on one spot, such as sitting on a bike seat.",
    "prone_loading": "No exercises lying face down.",
    "floor_transfer": "No exercises that need you to get down to the floor and up again.",
    "overhead_load": "No lifting weights above your head.",
    "rapid": "No fast movements: move slowly and under control.",
    "swinging": "No swinging of weights or legs (such as kettlebell swings or leg swings).",
    "spinal_flexion": "No bending your back forward, such as curling up or touching your toes.",
    "end_range_spinal_flexion": "No bending your back forward as far as it goes, such as touching your toes.",
    "spinal_twist": "No twisting your back.",
    "end_range_spinal_twist": "No twisting your back as far as it goes.",
    "spinal_extension": "No arching your back.",
    "end_range_spinal_extension": "No arching your back as far as it goes.",
    "floor_lift": "No lifting anything to or from the floor: put weights on a table or chair.",
    "floor_to_stand": "No getting down to the floor and back up as an exercise.",
    "heavy_isometric": "No straining or holding your breath while you push or pull hard.",
    "massage_or_heat": "No heat packs, hot baths or firm massage on the hard, sore areas.",
    "hand_support": "No exercises that need you to hold on with your hands.",
}
IMPACT_WORDS = {
    "none": "No jumping, running or brisk walking: only exercise without impact, such as seated or water work.",
    "low": "No jumping or running: brisk walking is the most impact allowed.",
    "moderate": "No high-impact jumping, such as jumping jacks or skipping.",
}
# Why a limit applies, from the id of a rule behind it (first match wins; baseline rules give no reason):
# ("protect", what it protects) or ("say", a sentence).
WHY_BY_RULE_ID = (
    ("clinician.", "say", "Your physiotherapist set this limit."),
    ("regions.", "say", "Your physiotherapist asked for this."),
    ("ossification", "protect", "the hard, calcified areas"),
    ("inflammation", "protect", "your inflamed muscles"),
    ("fracture", "protect", "your fragile bones"),
    ("bone", "protect", "your fragile bones"),
    ("spine", "protect", "your fragile bones"),
    ("cardiopulmonary", "protect", "your heart and lungs"),
    ("pain.", "say", "You have pain at rest."),
)
# Patient words for the guidance rules that set how hard "dosed by feel" exercises are.
GUIDANCE_WORDS = {
    "guidance.flexibility.to_tightness": "Stretch only until you feel a gentle pull, never into pain.",
    "guidance.flexibility.near_ossification": (
        "Near the hard, calcified areas move gently and without pain: no forced stretching, no heat and no "
        "firm massage there."
    ),
    "guidance.neuromotor.challenge": (
        "Hard enough to challenge your balance, always next to something steady you can hold."
    ),
}
REGION_WORDS = {
    "wrist_hand": "wrist and hand",
    "upper_back": "upper back",
    "lower_back": "lower back",
    "abdomen": "belly",
    "gluteal": "buttock",
    "ankle_foot": "ankle and foot",
}
# What to do on a bad day when no easier variant is allowed: less of the same, never more.
BAD_DAY_WORDS = {
    "minutes": "On a bad day go for a shorter time at an easier pace, or leave it out and write why in your diary.",
    "sets_reps": "On a bad day do fewer repetitions with a lighter band or weight, or leave it out and write why "
    "in your diary.",
    "hold": "On a bad day do fewer and shorter holds, or leave it out and write why in your diary.",
}
BOTH_SIDES = {"wrist and hand": "wrists and hands", "ankle and foot": "ankles and feet"}
ACTION_WORDS = {"advance": "Advance", "hold": "Hold", "regress": "Regress", "pause_for_review": "Pause for review"}
ALERT_WORDS = {
    "red_flag": "Red flag reported",
    "pain_red": "Pain above the red threshold",
    "review": "Progression paused for review",
    "strength_drop": "Strength or function dropped",
    "override": "Dose above a limit accepted",
    "no_checkins": "No check-ins this week",
}
DIARY_COLUMNS = (
    "Date",
    "Done? (yes / no)",
    "Effort (6-20)",
    "Pain during (0-10)",
    "Pain after (0-10)",
    "Pain next morning (0-10)",
    "Notes",
)


def borg_words(rpe: int) -> str:
    """The Borg 6-20 words for a rating, e.g. 13 -> "somewhat hard"."""
    for low, high, words in BORG_WORDS:
        if low <= rpe <= high:
            return words
    raise ValueError(f"Borg RPE runs from 6 to 20, not {rpe!r}")


def date_words(day: date, year: bool = False) -> str:
    """ "Mon 2 Nov" (or "Mon 2 Nov 2026"), independent of the server's locale."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def _amount(value: float) -> str:
    """10 -> "10", 10.5 -> "10½" (doses move in half minutes)."""
    whole, half = int(value), value - int(value) >= 0.5
    return f"{whole}½" if half else str(whole)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _join(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def region_words(regions: Iterable[str]) -> str:
    """ "gluteal_left", "gluteal_right" -> "both buttocks"; "knee_left" -> "your left knee"."""
    sides: dict[str, list[str]] = {}
    for region in regions:
        base, _, side = region.rpartition("_")
        if side not in ("left", "right"):
            base, side = region, ""
        sides.setdefault(base, []).append(side)
    parts = []
    for base, found in sides.items():
        noun = REGION_WORDS.get(base, base.replace("_", " "))
        if "left" in found and "right" in found:
            parts.append("both " + BOTH_SIDES.get(noun, noun + "s"))
        elif found[0]:
            parts.append(f"your {found[0]} {noun}")
        else:
            parts.append(f"your {noun}")
    return _join(parts)


def days_a_week(count: int) -> str:
    return "every day" if count == 7 else f"{_plural(count, 'day')} a week"


def suggested_days(frequency: int, first_day: date) -> tuple[date, ...]:
    """The dates of `frequency` sessions in the plan week starting on `first_day`, spread evenly
    (planner.sessions.session_offsets). A plan's own days come from planner.sessions.week_sessions,
    which also keeps strength days apart and fits every exercise into the same exercise days."""
    return tuple(first_day + timedelta(days=offset) for offset in session_offsets(frequency))


def _weekday_list(days: Iterable[date]) -> str:
    return ", ".join(WEEKDAYS[day.weekday()] for day in days)


# ---------------------------------------------------------------------------------------------
# Doses in words
# ---------------------------------------------------------------------------------------------


def dose_words(dose: Dose) -> str:
    """The amount of one session: "10 minutes", "1 set of 12 repetitions", "2 holds of 20 seconds"."""
    if dose.dose_kind == "minutes":
        return f"{_amount(dose.minutes)} minutes"
    if dose.dose_kind == "sets_reps":
        return f"{_plural(dose.sets, 'set')} of {dose.reps} repetitions"
    noun = "stretch" if dose.component == "flexibility" else "hold"
    return f"{_plural(dose.sets, noun, noun + 'es' if noun == 'stretch' else None)} of {dose.hold_seconds} seconds"


def effort_words(dose: Dose, *, heart_rate_ceiling_only: bool = False) -> str:
    """How hard, for the patient: Borg range with its words, heart rate when given, or the guidance.

    heart_rate_ceiling_only: the zone rests on an estimated HRmax (planner.limits.heart_rate_ceiling_only),
    so only its top is given, as a ceiling, and effort governs: never a band narrower than the error.
    """
    rpe, heart = dose.intensity_in("rpe_6_20"), dose.intensity_in("hr_bpm")
    if rpe is None and ladder_words(dose) is not None:
        return f"{ladder_words(dose)}. Go by feel: steady and safe, never into pain."
    if rpe is None:
        rules = dose.rules_for("intensity")
        words = [GUIDANCE_WORDS.get(rule.id, rule.text) for rule in rules if rule.id.startswith("guidance.")]
        return " ".join(words) or "Go by feel: comfortable, never into pain."
    span = str(rpe.low) if rpe.low == rpe.high else f"{rpe.low} to {rpe.high}"
    words = (
        borg_words(rpe.low)
        if borg_words(rpe.low) == borg_words(rpe.high)
        else (f"{borg_words(rpe.low)} to {borg_words(rpe.high)}")
    )
    text = f"Effort {span} on the 6-20 scale ({words})"
    if heart is not None and heart_rate_ceiling_only:
        text += f"; keep your heart rate below {heart.high} beats per minute, but go by how it feels"
    elif heart is not None:
        text += f"; heart rate {heart.low} to {heart.high} beats per minute"
    level = ladder_words(dose)
    if level is not None:
        text += f"; {level[0].lower()}{level[1:]}"
    elif dose.component == "resistance":
        text += "; choose a band or weight that feels like this by the last repetition"
    return text + "."


def _clinical_dose(dose: Dose) -> str:
    """The dose in the clinician's units: "3x/wk, 10 min, 30-39 %HRR, 99-108 bpm, RPE 9-11"."""
    amount = {
        "minutes": lambda: f"{dose.minutes:g} min",
        "sets_reps": lambda: f"{dose.sets}x{dose.reps}",
        "hold": lambda: f"{dose.sets}x{dose.hold_seconds} s",
    }[dose.dose_kind]()
    units = {"pct_hrr": "%HRR", "hr_bpm": "bpm", "rpe_6_20": "RPE", "pct_1rm": "%1RM", "reps_in_reserve": "RIR"}
    targets = []
    for target in dose.intensity:
        if target.unit in units:
            span = str(target.low) if target.low == target.high else f"{target.low}-{target.high}"
            targets.append(f"RPE {span}" if target.unit == "rpe_6_20" else f"{span} {units[target.unit]}")
    level = ladder_words(dose)
    return ", ".join([f"{dose.frequency_per_week}x/wk", amount, *targets, *([level] if level else [])])


def change_words(
    previous: Dose | None, current: Dose, changed: str | None, *, heart_rate_ceiling_only: bool = False
) -> str:
    """What changed since last week, in words ("First week", "Same as last week", "Longer: 10½ minutes ...")."""
    if previous is None:
        return "First week"
    if changed is None or previous == current:
        return "Same as last week"
    if changed == "minutes":
        return f"Longer: {_amount(current.minutes)} minutes (was {_amount(previous.minutes)})"
    if changed == "hold_seconds":
        return f"Longer holds: {current.hold_seconds} seconds (was {previous.hold_seconds})"
    if changed == "reps":
        return f"More repetitions: {current.reps} (was {previous.reps})"
    if changed == "frequency_per_week":
        text = f"{days_a_week(current.frequency_per_week).capitalize()} (was {previous.frequency_per_week})"
        if dose_words(previous) != dose_words(current):
            text += f", now {dose_words(current)}"
        return text
    if changed == "intensity":
        heart, rpe = current.intensity_in("hr_bpm"), current.intensity_in("rpe_6_20")
        level = ladder_words(current)
        if level is not None and level != ladder_words(previous):
            return f"One level harder: {level[0].lower()}{level[1:]}"
        if current.component == "resistance":
            text = "A slightly heavier band or weight"
            if rpe is not None and rpe != previous.intensity_in("rpe_6_20"):
                text += f", effort now {rpe.low} to {rpe.high}"
            return text
        if heart is not None and heart_rate_ceiling_only:
            return f"A little brisker: keep your heart rate below {heart.high}, and go by how it feels"
        if heart is not None:
            return f"A little brisker: heart rate {heart.low} to {heart.high}"
        return "A little brisker"
    return f"Now {dose_words(current)} (was {dose_words(previous)})"


# ---------------------------------------------------------------------------------------------
# Limits in plain words
# ---------------------------------------------------------------------------------------------


def _why(rule_ids: Iterable[str]) -> str:
    """ "To protect your fragile bones and the hard, calcified areas." from the ids of the rules behind a limit."""
    protected: list[str] = []
    sayings: list[str] = []
    for rule_id in rule_ids:
        found = next(((kind, words) for key, kind, words in WHY_BY_RULE_ID if key in rule_id), None)
        if found is None:
            continue
        kind, words = found
        target = protected if kind == "protect" else sayings
        if words not in target:
            target.append(words)
    parts = ([f"To protect {_join(protected)}."] if protected else []) + sayings
    return " ".join(parts) or "One of your care team's safety rules."


def _tag_rules(limits: LoadLimits, book: Rulebook) -> dict[str, tuple[str, ...]]:
    """For each excluded tag, the ids of the rules (among those that set excluded_tags) that excluded it.

    A tag no rulebook rule explains was added by a clinician's adjustment.
    """
    behind = limits.rule_ids_for("excluded_tags")
    effects = {rule.rule.id: rule.effects for rule in book.limit_rules}
    result = {}
    for tag in limits.excluded_tags:
        ids = tuple(
            rule_id
            for rule_id in behind
            if any(key == "excluded_tags" and tag in value for key, value in effects.get(rule_id, ()))
        )
        result[tag] = ids or tuple(rule_id for rule_id in behind if rule_id.startswith("clinician."))
    return result


def avoid_lines(plan: Plan, rulebook: Rulebook | None = None) -> tuple[AvoidLine, ...]:
    """What the limits tell the patient to avoid, and why: impact, excluded movements, protected regions."""
    limits, profile = plan.limits, plan.profile
    tag_rules = _tag_rules(limits, rulebook or default_rulebook())
    lines = []
    impact_tags = [tag for tag in ("running", "jumping") if tag in limits.excluded_tags]
    if limits.max_impact in IMPACT_WORDS or impact_tags:
        what = IMPACT_WORDS.get(limits.max_impact, "No jumping or running.")
        ids = [*limits.rule_ids_for("max_impact"), *(i for tag in impact_tags for i in tag_rules[tag])]
        lines.append(AvoidLine(what, _why(ids)))
    for tag in limits.excluded_tags:
        if tag in TAG_WORDS:
            lines.append(AvoidLine(TAG_WORDS[tag], _why(tag_rules[tag])))
    calcified = [r for r in limits.avoid_regions if r in profile.heterotopic_ossification_regions]
    other = [r for r in limits.avoid_regions if r not in calcified]
    region_rules = limits.rule_ids_for("avoid_regions")
    if calcified:
        lines.append(
            AvoidLine(
                f"No pressure and no forced stretching on the hard, sore areas of {region_words(calcified)}: "
                "do not lie on them or sit for long on a hard seat (use a cushion).",
                _why([i for i in region_rules if "ossification" in i] or region_rules),
            )
        )
    if other:
        lines.append(
            AvoidLine(
                f"No pressure and no forced stretching on {region_words(other)}.",
                _why([i for i in region_rules if "ossification" not in i] or region_rules),
            )
        )
    if limits.no_loading_regions:
        lines.append(
            AvoidLine(
                f"Do not exercise or put weight through {region_words(limits.no_loading_regions)}.",
                _why(limits.rule_ids_for("no_loading_regions")),
            )
        )
    return tuple(lines)


def safety_section(plan: Plan, rulebook: Rulebook | None = None) -> SafetySection:
    """The "Your safety limits" page, from the plan's limits."""
    limits = plan.limits
    aerobic, resistance = limits.aerobic, limits.resistance
    components = {item.component for item in plan.items}
    effort = [
        f"Walking and other aerobic exercise, stretching and balance work: no harder than "
        f"{borg_words(aerobic.max_rpe)}, {aerobic.max_rpe} on the 6-20 effort scale."
    ]
    columns, ceilings = ["Walking, stretching, balance"], [aerobic.max_rpe]
    if "resistance" in components or not components:
        effort.append(
            f"Strength exercises: no harder than {borg_words(resistance.max_rpe)}, "
            f"{resistance.max_rpe} on the 6-20 effort scale."
        )
        columns.append("Strength")
        ceilings.append(resistance.max_rpe)
    if aerobic.hr_zone_bpm is not None and heart_rate_ceiling_only(limits, rulebook and rulebook.anchors):
        heart = (
            f"During walking and other aerobic exercise keep your heart rate below {aerobic.hr_zone_bpm[1]} "
            "beats per minute. That number comes from your age, not from a test, so it can be out by about "
            "10 beats: go by how it feels (the effort scale, or being able to talk in full sentences)."
        )
    elif aerobic.hr_zone_bpm is not None:
        low, high = aerobic.hr_zone_bpm
        heart = (
            f"During walking and other aerobic exercise keep your heart rate between {low} and {high} "
            f"beats per minute, and never above {high}."
        )
    elif plan.profile.beta_blocker:
        heart = (
            "Your heart medicine (a beta blocker) slows your heart rate, so heart rate is not a good guide "
            "for you: go by effort only."
        )
    else:
        heart = "Go by effort, not by heart rate: your heart rate is not a reliable guide for you."
    other = (
        [
            f"Choose a band or weight you can lift at least {resistance.min_reps} times in a row. "
            "If you cannot, it is too heavy."
        ]
        if "resistance" in components
        else []
    )
    if "flexibility" in components:
        other.append(f"Hold each stretch for {limits.flexibility.max_hold_seconds} seconds at most, never into pain.")
    other.append(
        "Your plan grows slowly, one small step at a time (a minute, a repetition, a set or a day), "
        f"on average by no more than {limits.weekly_progression_max_pct:g}% a week. "
        "Do not add more on your own."
    )
    if limits.supervision_required:
        other.append("Start the exercises with your physiotherapist watching, until they say you can go on alone.")
    scale = tuple(
        BorgRow(value, _borg_scale_words(value), tuple(value <= ceiling for ceiling in ceilings))
        for value in range(6, 21)
    )
    return SafetySection(tuple(effort), heart, avoid_lines(plan, rulebook), tuple(other), tuple(columns), scale)


def _borg_scale_words(value: int) -> str:
    # The scale prints each anchor's words once, at its first number (as Borg's chart does).
    return next((words for low, _, words in BORG_WORDS if low == value), "")


def limit_rows(limits: LoadLimits) -> tuple[LimitRow, ...]:
    """The limits in the clinician's words, each with the rules that set it."""
    aerobic, resistance = limits.aerobic, limits.resistance
    zone = (
        f"{aerobic.hr_zone_bpm[0]}-{aerobic.hr_zone_bpm[1]} bpm ({aerobic.zone_floor_hrr_pct}-"
        f"{aerobic.max_hrr_pct} %HRR, HRrest {aerobic.resting_hr_bpm}, HRmax {aerobic.hr_max_bpm:g})"
        + (
            "; HRmax estimated (Tanaka, error 7-11 bpm): the patient sees only the ceiling, effort governs"
            if heart_rate_ceiling_only(limits)
            else ""
        )
        if aerobic.hr_zone_bpm
        else "None: effort (RPE) governs"
    )

    def words(values):
        return ", ".join(v.replace("_", " ") for v in values) or "none"

    rows = (
        ("Impact ceiling", limits.max_impact, "max_impact"),
        ("Aerobic effort ceiling", f"RPE {aerobic.max_rpe} ({borg_words(aerobic.max_rpe)})", "aerobic.max_rpe"),
        ("Aerobic intensity ceiling", f"{aerobic.max_hrr_pct} %HRR", "aerobic.max_hrr_pct"),
        ("Heart-rate zone", zone, "aerobic.hr_zone_bpm"),
        ("Resistance load ceiling", f"{resistance.max_pct_1rm} %1RM", "resistance.max_pct_1rm"),
        (
            "Resistance effort ceiling",
            f"RPE {resistance.max_rpe} ({borg_words(resistance.max_rpe)})",
            "resistance.max_rpe",
        ),
        ("Fewest repetitions a set", str(resistance.min_reps), "resistance.min_reps"),
        ("Longest stretch hold", f"{limits.flexibility.max_hold_seconds} s", "flexibility.max_hold_seconds"),
        ("Excluded movements", words(limits.excluded_tags), "excluded_tags"),
        ("No pressure or end-range stretch", words(limits.avoid_regions), "avoid_regions"),
        ("No loading at all", words(limits.no_loading_regions), "no_loading_regions"),
        ("Weekly growth cap", f"{limits.weekly_progression_max_pct:g} %", "weekly_progression_max_pct"),
        ("Supervised start", "yes" if limits.supervision_required else "no", "supervision_required"),
    )
    return tuple(LimitRow(name, value, limits.rule_ids_for(path)) for name, value, path in rows)


# ---------------------------------------------------------------------------------------------
# The patient's plan
# ---------------------------------------------------------------------------------------------


def _week_first_day(start_date: date, number: int) -> date:
    return start_date + timedelta(days=7 * (number - 1))


def current_week(plan: Plan, start_date: date, on: date) -> int:
    """The plan week `on` falls in, within the plan (week 1 before the start, the last after the end)."""
    return min(max((on - start_date).days // 7 + 1, 1), max(len(plan.weeks), 1))


def plan_week_sessions(
    plan: Plan, start_date: date, number: int, catalogue: Iterable[ExerciseSpec] = ()
) -> WeekSessions:
    """Plan week `number` as sessions (planner.sessions), the week starting on its first day."""
    return week_sessions(plan, number, _week_first_day(start_date, number), catalogue)


def _week_schedule(plan: Plan, sessions: WeekSessions, names: Mapping[str, str], label: str) -> WeekSchedule:
    week = plan.weeks[sessions.number - 1]
    before = plan.weeks[sessions.number - 2] if sessions.number > 1 else None
    rows = []
    for scheduled in week.doses:
        dates = sessions.days_for(scheduled.exercise_slug)
        previous = before.dose_for(scheduled.exercise_slug) if before else None
        rows.append(
            ScheduleRow(
                exercise=names[scheduled.exercise_slug],
                days=_weekday_list(dates),
                dose=dose_words(scheduled.dose),
                change=change_words(
                    previous.dose if previous else None,
                    scheduled.dose,
                    scheduled.changed,
                    heart_rate_ceiling_only=heart_rate_ceiling_only(plan.limits),
                ),
                dates=dates,
            )
        )
    first = sessions.first_day
    return WeekSchedule(
        number=sessions.number,
        first_day=first,
        last_day=first + timedelta(days=6),
        rows=tuple(rows),
        session_days=tuple(session.day for session in sessions.sessions),
        label=label,
        sessions=tuple(session_line(session) for session in sessions.sessions),
    )


def _week_schedules(
    plan: Plan, start_date: date, names: Mapping[str, str], now: int, catalogue: Iterable[ExerciseSpec]
) -> tuple[WeekSchedule, ...]:
    """This week (its decided doses) and next week (the schedule's proposal), as sessions."""
    if not plan.weeks:
        return ()
    this_label = "This week" if now > 1 else "Your first week"
    result = [_week_schedule(plan, plan_week_sessions(plan, start_date, now, catalogue), names, this_label)]
    if now < len(plan.weeks):
        label = "Next week, if this week goes well"
        result.append(_week_schedule(plan, plan_week_sessions(plan, start_date, now + 1, catalogue), names, label))
    return tuple(result)


def _outline(plan: Plan, now: int) -> tuple[OutlineLine, ...]:
    after = min(now + 1, len(plan.weeks))
    return tuple(
        OutlineLine(item.exercise.name, growth_outline(item, plan, after))
        for item in plan.items
        if any(week.dose_for(item.slug) for week in plan.weeks)
    )


def bad_day_variant(
    item: PrescriptionItem, plan: Plan, exercises_by_slug: Mapping[str, ExerciseSpec]
) -> ExerciseSpec | None:
    """The item's easier variant, when there is one and it breaks none of the patient's limits."""
    easier = exercises_by_slug.get(item.exercise.easier) if item.exercise.easier else None
    if easier is None or exercise_violations(easier, plan.limits, plan.profile):
        return None
    return easier


def _exercise_page(
    item: PrescriptionItem, plan: Plan, sessions: WeekSessions | None, exercises_by_slug: Mapping[str, ExerciseSpec]
) -> ExercisePage:
    """The exercise as it is this week: its dose and days, then how it may grow after next week."""
    scheduled = plan.weeks[sessions.number - 1].dose_for(item.slug) if sessions else None
    dose = scheduled.dose if scheduled else item.dose
    spec = item.exercise
    easier = bad_day_variant(item, plan, exercises_by_slug)
    if easier is not None:
        bad_day_text = f"{easier.instructions.setup} {easier.instructions.movement}"
    else:
        bad_day_text = "There is no easier version of this exercise in your plan. " + BAD_DAY_WORDS[dose.dose_kind]
    return ExercisePage(
        slug=item.slug,
        name=spec.name,
        kind=KIND_WORDS.get(item.component, item.component),
        days=_weekday_list(sessions.days_for(item.slug)) if sessions else "",
        dose=f"{dose_words(dose)}, {days_a_week(dose.frequency_per_week)}",
        effort=effort_words(dose, heart_rate_ceiling_only=heart_rate_ceiling_only(plan.limits)),
        growth=growth_outline(item, plan, min(sessions.number + 1, len(plan.weeks))) if sessions else "",
        setup=spec.instructions.setup,
        movement=spec.instructions.movement,
        feel=spec.instructions.feel,
        mistakes=spec.instructions.mistakes,
        bad_day_name=easier.name if easier else None,
        bad_day_text=bad_day_text,
    )


def pain_guide(config: ProgressionConfig | None = None) -> tuple[str, ...]:
    """How to read the pain scores, from the progression cut-points (pain-monitoring model)."""
    config = config or default_progression_config()
    green, amber = config.pain_green_max, config.pain_amber_max
    middle = (
        [f"Pain of {green + 1} to {amber} is acceptable: keep to the same dose and tell us at your next check-in."]
        if amber > green
        else []
    )
    return (
        "Pain: 0 is no pain at all, 10 is the worst pain you can imagine.",
        f"Pain up to {green} during or after exercise is fine.",
        *middle,
        f"Pain above {amber}: stop that exercise and tell us.",
        "By the next morning, pain and stiffness should be back to how they usually are.",
        "Effort: use the 6-20 scale on your safety page.",
    )


def _diary_weeks(plan: Plan, start_date: date, generated_on: date, printed: Sequence[int]) -> tuple[DiaryWeek, ...]:
    """Blank log pages for the weeks the booklet prints (this week and next), not every later week: the
    booklet is sent again after each weekly decision, and a year-long plan would otherwise print 52."""
    result = []
    for week in plan.weeks:
        if week.number not in printed:
            continue
        first = _week_first_day(start_date, week.number)
        if first + timedelta(days=6) < generated_on:
            continue  # a week that is already over
        exercise_days = {session.day for session in plan_week_sessions(plan, start_date, week.number).sessions}
        rows = tuple(DiaryRow(first + timedelta(days=i), first + timedelta(days=i) in exercise_days) for i in range(7))
        result.append(DiaryWeek(week.number, rows))
    return tuple(result)


def _call_lines(contact: ContactInfo) -> tuple[str, ...]:
    lines = [f"Call {contact.clinic_name} on {contact.clinic_phone}."]
    if contact.physio_name:
        lines.append(f"Your physiotherapist: {contact.physio_name}.")
    if contact.clinic_email:
        lines.append(f"Email (not for urgent problems): {contact.clinic_email}.")
    emergency = f"call {contact.emergency_number}" if contact.emergency_number else "call an ambulance"
    lines.append(f"In an emergency, or if you cannot reach us and feel very unwell, {emergency}.")
    return tuple(lines)


def _plan_end(start_date: date, plan: Plan) -> date:
    return start_date + timedelta(days=7 * max(len(plan.weeks), 1) - 1)


def plan_document(
    plan: Plan,
    *,
    patient: PatientInfo,
    contact: ContactInfo,
    start_date: date,
    generated_on: date,
    pain_entries: Sequence[PainEntry] = (),
    exercises_by_slug: Mapping[str, ExerciseSpec] | None = None,
    rulebook: Rulebook | None = None,
    progression_config: ProgressionConfig | None = None,
    changes: Sequence[str] = (),
) -> PlanDocument:
    """Everything the patient's plan PDF says.

    exercises_by_slug: the library the easier (bad-day) variants and the warm-up and cool-down
    movements are looked up in; None -> the shipped library. rulebook / progression_config: the
    clinic's rule data, when it is not the default. changes: what last week's decision changed and
    why, in plain words (planner.session_words.change_note).
    """
    if exercises_by_slug is None:
        exercises_by_slug = {spec.slug: spec for spec in load_default_catalogue()}
    names = {item.slug: item.exercise.name for item in plan.items}
    now = current_week(plan, start_date, generated_on)
    catalogue = tuple(exercises_by_slug.values())
    this_week = plan_week_sessions(plan, start_date, now, catalogue) if plan.weeks else None
    weeks = _week_schedules(plan, start_date, names, now, catalogue)
    return PlanDocument(
        title=f"Exercise plan for {patient.name}",
        author=contact.physio_name or contact.clinic_name,
        patient=patient,
        contact=contact,
        start_date=start_date,
        end_date=_plan_end(start_date, plan),
        generated_on=generated_on,
        safety=safety_section(plan, rulebook),
        red_flags=tuple(RedFlagLine(label, advice) for _, label, advice in RED_FLAGS),
        call_lines=_call_lines(contact),
        weeks=weeks,
        exercises=tuple(_exercise_page(item, plan, this_week, exercises_by_slug) for item in plan.items),
        pain_guide=pain_guide(progression_config),
        pain_chart=pain_chart(pain_entries, progression_config),
        diary_columns=DIARY_COLUMNS,
        diary_weeks=_diary_weeks(plan, start_date, generated_on, [week.number for week in weeks]),
        notice=plan.safety_notice or SAFETY_NOTICE,
        plan_weeks=len(plan.weeks),
        current_week=now,
        outline=_outline(plan, now) if plan.weeks else (),
        changes=tuple(changes),
        protected_regions=tuple(sorted({*plan.limits.avoid_regions, *plan.limits.no_loading_regions})),
    )


# ---------------------------------------------------------------------------------------------
# The clinician's progress report
# ---------------------------------------------------------------------------------------------


def assessment_lines(profile: Profile) -> tuple[str, ...]:
    """An assessment's findings in a clinician's words, one per line."""

    def words(values):
        return ", ".join(v.replace("_", " ") for v in values) or "none"

    lines = [
        f"Age {profile.age}, sex {profile.sex}",
        f"Bone fragility: {profile.bone_fragility.replace('_', ' ')}"
        + ("; vertebral fracture" if profile.vertebral_fracture else ""),
        f"Inflammation activity: {profile.inflammation_activity}",
        f"Heterotopic ossification: {words(profile.heterotopic_ossification_regions)}",
        f"Pain at rest: {profile.pain_at_rest}/10",
        f"Resting HR {profile.resting_hr} bpm; HRmax "
        + (f"{profile.measured_hr_max} bpm measured" if profile.measured_hr_max else "estimated (Tanaka)")
        + ("; beta blocker" if profile.beta_blocker else ""),
        f"Cardiopulmonary status: {profile.cardiopulmonary_status}",
        f"Regions to avoid: {words(profile.avoid_regions)}",
    ]
    if profile.available_equipment is not None:
        lines.append(f"Equipment available: {words(profile.available_equipment)}")
    if profile.unavailable_positions:
        lines.append(f"Positions not possible: {words(profile.unavailable_positions)}")
    if profile.sedentary:
        lines.append("Sedentary beginner")
    return tuple(lines)


def _summary(plan: Plan, start_date: date, generated_on: date, pain_entries, adherence, alerts, overrides):
    # Every week that has ended counts, decided or not; the week under way is said on its own (its
    # sessions are not all due yet, so counting its whole plan would understate adherence).
    adherence = sorted(adherence, key=lambda a: a.week)
    ended = [a for a in adherence if start_date + timedelta(days=7 * a.week) <= generated_on]
    under_way = [
        a for a in adherence if a not in ended and start_date + timedelta(days=7 * (a.week - 1)) <= generated_on
    ]
    planned = sum(a.planned for a in ended)
    done = sum(a.done for a in ended)
    lines = [
        f"Plan of {len(plan.weeks)} weeks from {date_words(start_date, year=True)}; "
        f"week {min(max((generated_on - start_date).days // 7 + 1, 1), len(plan.weeks) or 1)} "
        f"on {date_words(generated_on, year=True)}."
    ]
    if planned:
        weeks = f"week {ended[0].week}" if len(ended) == 1 else f"weeks {ended[0].week}-{ended[-1].week}"
        lines.append(f"Sessions done: {done} of {planned} planned ({round(100 * done / planned)}%) in {weeks}.")
    for week in under_way:
        lines.append(f"Week {week.week}, under way: {week.done} of {week.planned} planned sessions done so far.")
    if pain_entries:
        last = max(pain_entries, key=lambda e: e.date)
        scores = ", ".join(
            f"{name} {value}"
            for name, value in (("during", last.during), ("after", last.after), ("next morning", last.next_morning))
            if value is not None
        )
        lines.append(f"Last check-in {date_words(last.date)}: pain {scores or 'not given'}.")
    open_alerts = [a for a in alerts if a.acknowledged_on is None]
    lines.append(
        f"Open alerts: {len(open_alerts)} ({sum(a.urgent for a in open_alerts)} urgent). "
        f"Dose overrides: {len(overrides)}."
    )
    if plan.components_without_exercise:
        lines.append(
            "No exercise passed the limits for: "
            f"{', '.join(plan.components_without_exercise)} (a clinician must choose one)."
        )
    return tuple(lines)


def progress_report(
    plan: Plan,
    *,
    patient: PatientInfo,
    contact: ContactInfo,
    start_date: date,
    generated_on: date,
    assessments: Sequence[AssessmentEntry] = (),
    pain_entries: Sequence[PainEntry] = (),
    adherence: Sequence[WeekAdherence] = (),
    measures: Sequence[MeasureEntry] = (),
    decisions: Sequence[DecisionEntry] = (),
    alerts: Sequence[AlertEntry] = (),
    overrides: Sequence[OverrideEntry] = (),
    progression_config: ProgressionConfig | None = None,
    symptoms: Sequence[tuple[str, ...]] = (),
) -> ReportDocument:
    """Everything the clinician's progress report says: history, limits with their rules, trends,
    every decision with its reasons, alerts and overrides."""
    first_week, last_week = (plan.weeks[0], plan.weeks[-1]) if plan.weeks else (None, None)
    items = tuple(
        ItemRow(
            item.exercise.name,
            item.component.capitalize(),
            _clinical_dose((first_week.dose_for(item.slug) or item).dose if first_week else item.dose),
            _clinical_dose(last_week.dose_for(item.slug).dose if last_week else item.dose),
        )
        for item in plan.items
    )
    rules: dict[str, Rule] = {rule.id: rule for rule in plan.limits.rules}
    return ReportDocument(
        title=f"Progress report for {patient.name}",
        author=contact.physio_name or contact.clinic_name,
        patient=patient,
        contact=contact,
        start_date=start_date,
        end_date=_plan_end(start_date, plan),
        generated_on=generated_on,
        summary=_summary(plan, start_date, generated_on, pain_entries, adherence, alerts, overrides),
        assessments=tuple(
            AssessmentSummary(a.assessed_on, a.assessed_by, assessment_lines(a.profile), a.notes)
            for a in sorted(assessments, key=lambda a: a.assessed_on)
        ),
        items=items,
        limits=limit_rows(plan.limits),
        rules=tuple(RuleRow(r.id, r.text, r.evidence, r.source) for r in rules.values()),
        pain_chart=pain_chart(pain_entries, progression_config, title="Pain during, after and next morning"),
        rpe_chart=effort_chart(pain_entries, plan.limits),
        adherence_chart=adherence_chart(adherence),
        measure_charts=measure_charts(measures),
        decisions=tuple(
            DecisionRow(
                d.week,
                d.decided_on,
                ACTION_WORDS.get(d.action, d.action),
                (d.light or "no data"),
                tuple(d.reasons),
                tuple(d.changes),
                d.review_required,
            )
            for d in sorted(decisions, key=lambda d: (d.week, d.decided_on))
        ),
        alerts=tuple(
            AlertRow(
                a.created_on,
                ALERT_WORDS.get(a.kind, a.kind.replace("_", " ")),
                a.message,
                a.urgent,
                _status(a.acknowledged_on, a.acknowledged_by, a.note),
            )
            for a in sorted(alerts, key=lambda a: a.created_on)
        ),
        overrides=tuple(
            OverrideRow(
                o.created_on, o.author, o.exercise, tuple(o.limits_exceeded), o.reason, _status(o.acknowledged_on)
            )
            for o in sorted(overrides, key=lambda o: o.created_on)
        ),
        notice=plan.safety_notice or SAFETY_NOTICE,
        targets=tuple(
            (
                t.text,
                str(t.expected_week) if t.expected_week is not None else "not within the plan",
                f"{t.reached:g} {TARGET_MEASURE_WORDS.get(t.measure, t.measure)}",
                t.reason or "-",
            )
            for t in plan.targets
        ),
        symptoms=tuple(symptoms),
    )


def _status(acknowledged_on: date | None, by: str = "", note: str = "") -> str:
    if acknowledged_on is None:
        return "Open"
    text = f"Acknowledged {date_words(acknowledged_on)}" + (f" by {by}" if by else "")
    return f"{text}: {note}" if note else text

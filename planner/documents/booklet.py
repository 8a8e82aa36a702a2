"""The patient's plan booklet, as data: `plan_document` turns the engine's Plan, with the patient,
the clinic and the check-ins, into a PlanDocument that rehab.pdf draws.

Every decision about content is taken here (which weeks to print, which days, what to do on a bad
day, which blank diary pages) so that it is tested without reportlab or a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.catalogue import exercise_violations, load_default_catalogue
from planner.documents.charts import TimeChart, pain_chart
from planner.documents.inputs import ContactInfo, PainEntry, PatientInfo
from planner.documents.safety import SafetySection, safety_section
from planner.documents.wording import (
    change_words,
    days_a_week,
    dose_words,
    effort_words,
    kind_words,
    plan_end,
    week_first_day,
    weekday_list,
)
from planner.limits import heart_rate_ceiling_only
from planner.progression_rules import ProgressionConfig, default_progression_config
from planner.rules import SAFETY_NOTICE, Rulebook
from planner.session_words import SessionLine, growth_outline, session_line
from planner.sessions import WeekSessions, week_sessions
from planner.translation import gettext, gettext_noop, number
from planner.types import Dose, ExerciseSpec, Plan, PrescriptionItem
from planner.vocabulary import RED_FLAGS

BAD_DAY_WORDS = {
    "minutes": gettext_noop(
        "On a bad day go for a shorter time at an easier pace, or leave it out and write why in your diary."
    ),
    "sets_reps": gettext_noop(
        "On a bad day do fewer repetitions with a lighter band or weight, or leave it out and write why in your diary."
    ),
    "hold": gettext_noop("On a bad day do fewer and shorter holds, or leave it out and write why in your diary."),
}
# The outline of the later weeks: one column per kind of exercise, with what it adds up to in a week.
OUTLINE_COLUMNS = (
    gettext_noop("Week"),
    gettext_noop("Dates"),
    gettext_noop("Aerobic, minutes a week"),
    gettext_noop("Strength, each exercise"),
    gettext_noop("Balance and posture, minutes a week"),
    gettext_noop("Each stretch"),
)
OUTLINE_COMPONENTS = ("aerobic", "resistance", "neuromotor", "flexibility")
DIARY_COLUMNS = (
    gettext_noop("Date"),
    gettext_noop("Done? (yes / no)"),
    gettext_noop("Effort (6-20)"),
    gettext_noop("Pain during (0-10)"),
    gettext_noop("Pain after (0-10)"),
    gettext_noop("Pain next morning (0-10)"),
    gettext_noop("Notes"),
)


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
class WeekOutline:
    """One week after next week, in a line: what the schedule proposes if every week goes well, by
    kind of exercise (OUTLINE_COLUMNS), in the amounts a patient counts. The weekly decisions set
    the real doses, so the booklet prints these weeks as an outline, not as sessions."""

    number: int
    first_day: date
    last_day: date
    amounts: tuple[str, ...]


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

    weeks: only this week (its decided doses) and next week (the schedule's proposal), in full; every
    later week is a line of `later_weeks`, because each weekly decision changes those weeks.
    exercises: a page for each exercise of the weeks printed in full.
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
    later_weeks: tuple[WeekOutline, ...] = ()
    changes: tuple[str, ...] = ()
    protected_regions: tuple[str, ...] = ()


def current_week(plan: Plan, start_date: date, on: date) -> int:
    """The plan week `on` falls in, within the plan (week 1 before the start, the last after the end)."""
    return min(max((on - start_date).days // 7 + 1, 1), max(len(plan.weeks), 1))


def plan_week_sessions(
    plan: Plan, start_date: date, number: int, catalogue: Iterable[ExerciseSpec] = ()
) -> WeekSessions:
    """Plan week `number` as sessions (planner.sessions), the week starting on its first day."""
    return week_sessions(plan, number, week_first_day(start_date, number), catalogue)


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
                days=weekday_list(dates),
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
    plan: Plan, names: Mapping[str, str], now: int, sessions: Mapping[int, WeekSessions]
) -> tuple[WeekSchedule, ...]:
    """This week (its decided doses) and next week (the schedule's proposal), as sessions."""
    if not plan.weeks:
        return ()
    this_label = gettext("This week") if now > 1 else gettext("Your first week")
    result = [_week_schedule(plan, sessions[now], names, this_label)]
    if now < len(plan.weeks):
        label = gettext("Next week, if this week goes well")
        result.append(_week_schedule(plan, sessions[now + 1], names, label))
    return tuple(result)


def _range(values: Sequence[float]) -> str:
    low, high = min(values), max(values)
    return _amount(low) if low == high else f"{_amount(low)}-{_amount(high)}"


def _amount(value: float) -> str:
    return str(int(value)) if value == int(value) else number(value, 1)


def _minutes_a_week(dose: Dose) -> float:
    """A dose's minutes in a week: its minutes, its seconds held, or its repetitions at about 4 s each
    (as planner.targets counts them)."""
    if dose.dose_kind == "minutes":
        return dose.frequency_per_week * float(dose.minutes or 0)
    if dose.dose_kind == "hold":
        return dose.frequency_per_week * (dose.sets or 0) * (dose.hold_seconds or 0) / 60
    return dose.frequency_per_week * (dose.sets or 0) * (dose.reps or 0) * 4 / 60


def _outline_amount(component: str, doses: Sequence[Dose]) -> str:
    """What one kind of exercise adds up to in a week ("-" when the week has none of it)."""
    if not doses:
        return "-"
    if component in ("aerobic", "neuromotor"):
        # Minutes a week; a held position counts its seconds held.
        return str(round(sum(_minutes_a_week(dose) for dose in doses)))
    if component == "resistance":
        counted = [dose for dose in doses if dose.dose_kind == "sets_reps"]
        if not counted:
            return "-"
        sets = _range([dose.sets or 0 for dose in counted])
        reps = _range([dose.reps or 0 for dose in counted])
        days = _range([dose.frequency_per_week for dose in counted])
        words = (
            gettext("%(sets)s set of %(reps)s, %(days)s days")
            if sets == "1"
            else gettext("%(sets)s sets of %(reps)s, %(days)s days")
        )
        return words % {"sets": sets, "reps": reps, "days": days}
    held = [dose for dose in doses if dose.dose_kind == "hold"]
    if not held:
        return gettext("%(minutes)s min a week") % {"minutes": round(sum(_minutes_a_week(dose) for dose in doses))}
    return f"{_range([dose.sets or 0 for dose in held])} × {_range([dose.hold_seconds or 0 for dose in held])} s"


def _later_weeks(plan: Plan, start_date: date, printed: Sequence[int]) -> tuple[WeekOutline, ...]:
    """Every week after the ones printed in full, as one line each (WeekOutline)."""
    last = max(printed, default=0)
    result = []
    for week in plan.weeks[last:]:
        first = week_first_day(start_date, week.number)
        amounts = tuple(
            _outline_amount(component, [d.dose for d in week.doses if d.dose.component == component])
            for component in OUTLINE_COMPONENTS
        )
        result.append(WeekOutline(week.number, first, first + timedelta(days=6), amounts))
    return tuple(result)


def _printed_items(plan: Plan, printed: Sequence[int]) -> list[PrescriptionItem]:
    """The items dosed in a week printed in full, in plan order (every item when no week is printed)."""
    weeks = [plan.weeks[number - 1] for number in printed]
    if not weeks:
        return list(plan.items)
    return [item for item in plan.items if any(week.dose_for(item.slug) for week in weeks)]


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
        bad_day_text = (
            gettext("There is no easier version of this exercise in your plan.")
            + " "
            + gettext(BAD_DAY_WORDS[dose.dose_kind])
        )
    return ExercisePage(
        slug=item.slug,
        name=spec.name,
        kind=kind_words(item.component),
        days=weekday_list(sessions.days_for(item.slug)) if sessions else "",
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
        [
            gettext(
                "Pain of %(low)s to %(high)s is acceptable: keep to the same dose and tell us at your next check-in."
            )
            % {"low": green + 1, "high": amber}
        ]
        if amber > green
        else []
    )
    return (
        gettext("Pain: 0 is no pain at all, 10 is the worst pain you can imagine."),
        gettext("Pain up to %(green)s during or after exercise is fine.") % {"green": green},
        *middle,
        gettext("Pain above %(amber)s: stop that exercise and tell us.") % {"amber": amber},
        gettext("By the next morning, pain and stiffness should be back to how they usually are."),
        gettext("Effort: use the 6-20 scale on your safety page."),
    )


def _diary_weeks(weeks: Sequence[WeekSchedule], generated_on: date) -> tuple[DiaryWeek, ...]:
    """Blank log pages for the weeks the booklet prints (this week and next), not every later week: the
    booklet is sent again after each weekly decision, and a year-long plan would otherwise print 52."""
    result = []
    for week in weeks:
        if week.last_day < generated_on:
            continue  # a week that is already over
        exercise_days = set(week.session_days)
        days = [week.first_day + timedelta(days=i) for i in range(7)]
        result.append(DiaryWeek(week.number, tuple(DiaryRow(day, day in exercise_days) for day in days)))
    return tuple(result)


def _call_lines(contact: ContactInfo) -> tuple[str, ...]:
    lines = [gettext("Call %(clinic)s on %(phone)s.") % {"clinic": contact.clinic_name, "phone": contact.clinic_phone}]
    if contact.physio_name:
        lines.append(gettext("Your physiotherapist: %(name)s.") % {"name": contact.physio_name})
    if contact.clinic_email:
        lines.append(gettext("Email (not for urgent problems): %(email)s.") % {"email": contact.clinic_email})
    if contact.emergency_number:
        lines.append(
            gettext("In an emergency, or if you cannot reach us and feel very unwell, call %(number)s.")
            % {"number": contact.emergency_number}
        )
    else:
        lines.append(gettext("In an emergency, or if you cannot reach us and feel very unwell, call an ambulance."))
    return tuple(lines)


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
    # This week's and next week's sessions, worked out once (the schedule, the pages and the diary).
    sessions = {
        number: plan_week_sessions(plan, start_date, number, catalogue)
        for number in (now, now + 1)
        if number <= len(plan.weeks)
    }
    this_week = sessions.get(now)
    weeks = _week_schedules(plan, names, now, sessions)
    printed = [week.number for week in weeks]
    return PlanDocument(
        title=gettext("Exercise plan for %(name)s") % {"name": patient.name},
        author=contact.physio_name or contact.clinic_name,
        patient=patient,
        contact=contact,
        start_date=start_date,
        end_date=plan_end(start_date, plan),
        generated_on=generated_on,
        safety=safety_section(plan, rulebook),
        # The labels and advice are marked for translation in rehab/patient_words.py (planner/ has no Django).
        red_flags=tuple(RedFlagLine(gettext(label), gettext(advice)) for _, label, advice in RED_FLAGS),
        call_lines=_call_lines(contact),
        weeks=weeks,
        exercises=tuple(
            _exercise_page(item, plan, this_week, exercises_by_slug) for item in _printed_items(plan, printed)
        ),
        pain_guide=pain_guide(progression_config),
        pain_chart=pain_chart(pain_entries, progression_config),
        diary_columns=tuple(gettext(column) for column in DIARY_COLUMNS),
        diary_weeks=_diary_weeks(weeks, generated_on),
        notice=gettext(plan.safety_notice or SAFETY_NOTICE),
        plan_weeks=len(plan.weeks),
        current_week=now,
        later_weeks=_later_weeks(plan, start_date, printed),
        changes=tuple(changes),
        protected_regions=plan.limits.protected_regions,
    )

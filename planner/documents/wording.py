"""The wording the documents and the pages share: dates, days, body regions, doses and effort in a
patient's words (Borg 6-20 anchors, heart rate, the guidance rules), what changed since last week, and
the names of actions and exercise kinds.

All text here is plain text, never markup: whatever prints it escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from planner.growth import ladder_words
from planner.sessions import session_offsets
from planner.types import Dose, Plan

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
BOTH_SIDES = {"wrist and hand": "wrists and hands", "ankle and foot": "ankles and feet"}
ACTION_WORDS = {"advance": "Advance", "hold": "Hold", "regress": "Regress", "pause_for_review": "Pause for review"}


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


def join_words(words: Sequence[str]) -> str:
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
    return join_words(parts)


def days_a_week(count: int) -> str:
    return "every day" if count == 7 else f"{_plural(count, 'day')} a week"


def suggested_days(frequency: int, first_day: date) -> tuple[date, ...]:
    """The dates of `frequency` sessions in the plan week starting on `first_day`, spread evenly
    (planner.sessions.session_offsets). A plan's own days come from planner.sessions.week_sessions,
    which also keeps strength days apart and fits every exercise into the same exercise days."""
    return tuple(first_day + timedelta(days=offset) for offset in session_offsets(frequency))


def weekday_list(days: Iterable[date]) -> str:
    return ", ".join(WEEKDAYS[day.weekday()] for day in days)


# ---------------------------------------------------------------------------------------------
# Doses in words
# ---------------------------------------------------------------------------------------------


def dose_words(dose: Dose) -> str:
    """The amount of one session: "10 minutes", "1 set of 12 repetitions", "2 holds of 20 seconds"."""
    # Each dose kind has its amounts (Dose.__post_init__).
    if dose.dose_kind == "minutes":
        assert dose.minutes is not None
        return f"{_amount(dose.minutes)} minutes"
    assert dose.sets is not None
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
        guidance = [GUIDANCE_WORDS.get(rule.id, rule.text) for rule in rules if rule.id.startswith("guidance.")]
        return " ".join(guidance) or "Go by feel: comfortable, never into pain."
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


def change_words(
    previous: Dose | None, current: Dose, changed: str | None, *, heart_rate_ceiling_only: bool = False
) -> str:
    """What changed since last week, in words ("First week", "Same as last week", "Longer: 10½ minutes ...")."""
    if previous is None:
        return "First week"
    if changed is None or previous == current:
        return "Same as last week"
    if changed == "minutes":
        assert current.minutes is not None  # a minutes dose changed its minutes
        assert previous.minutes is not None
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


def week_first_day(start_date: date, number: int) -> date:
    """The first day of plan week `number` (1-based) of a plan that starts on `start_date`."""
    return start_date + timedelta(days=7 * (number - 1))


def plan_end(start_date: date, plan: Plan) -> date:
    """The last day of the plan's last week (of week 1 when it has no weeks yet)."""
    return start_date + timedelta(days=7 * max(len(plan.weeks), 1) - 1)

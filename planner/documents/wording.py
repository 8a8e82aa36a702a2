"""The wording the documents and the pages share: dates, days, body regions, doses and effort in a
patient's words (Borg 6-20 anchors, heart rate, the guidance rules), what changed since last week, and
the names of actions and exercise kinds.

All text here is plain text, never markup: whatever prints it escapes it. Every sentence goes through
planner.translation, so it reads in the active language once the Django layer has installed it; the
tables keep English literals (gettext_noop) and are translated where a function hands them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from planner.growth import ladder_words
from planner.sessions import session_offsets
from planner.translation import gettext, gettext_noop, ngettext, pgettext
from planner.types import Dose, Plan

# Borg 6-20 anchors: (lowest, highest, words).
BORG_WORDS = (
    (6, 6, gettext_noop("no exertion")),
    (7, 8, gettext_noop("extremely light")),
    (9, 10, gettext_noop("very light")),
    (11, 12, gettext_noop("light")),
    (13, 14, gettext_noop("somewhat hard")),
    (15, 16, gettext_noop("hard")),
    (17, 18, gettext_noop("very hard")),
    (19, 19, gettext_noop("extremely hard")),
    (20, 20, gettext_noop("maximal exertion")),
)
WEEKDAYS = (
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
KIND_WORDS = {
    "aerobic": gettext_noop("Aerobic exercise (heart and lungs)"),
    "resistance": gettext_noop("Strength"),
    "flexibility": gettext_noop("Stretching"),
    "neuromotor": gettext_noop("Balance and posture"),
}
GUIDANCE_WORDS = {
    "guidance.flexibility.to_tightness": gettext_noop("Stretch only until you feel a gentle pull, never into pain."),
    "guidance.flexibility.near_ossification": gettext_noop(
        "Near the hard, calcified areas move gently and without pain: no forced stretching, no heat and no "
        "firm massage there."
    ),
    "guidance.neuromotor.challenge": gettext_noop(
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
# The body regions as a patient reads them, whole phrases so that each language can agree them
# (Spanish "su rodilla izquierda", "su codo izquierdo"): (left, right, both) for a paired region, one
# phrase for the others. A region not listed is worded from its name, in English.
SIDED_REGION_WORDS = {
    "shoulder": (
        gettext_noop("your left shoulder"),
        gettext_noop("your right shoulder"),
        gettext_noop("both shoulders"),
    ),
    "elbow": (gettext_noop("your left elbow"), gettext_noop("your right elbow"), gettext_noop("both elbows")),
    "wrist_hand": (
        gettext_noop("your left wrist and hand"),
        gettext_noop("your right wrist and hand"),
        gettext_noop("both wrists and hands"),
    ),
    "hip": (gettext_noop("your left hip"), gettext_noop("your right hip"), gettext_noop("both hips")),
    "gluteal": (gettext_noop("your left buttock"), gettext_noop("your right buttock"), gettext_noop("both buttocks")),
    "thigh": (gettext_noop("your left thigh"), gettext_noop("your right thigh"), gettext_noop("both thighs")),
    "knee": (gettext_noop("your left knee"), gettext_noop("your right knee"), gettext_noop("both knees")),
    "calf": (gettext_noop("your left calf"), gettext_noop("your right calf"), gettext_noop("both calves")),
    "ankle_foot": (
        gettext_noop("your left ankle and foot"),
        gettext_noop("your right ankle and foot"),
        gettext_noop("both ankles and feet"),
    ),
    # Landmarks a clinician can mark inside the regions above.
    "iliac_crest": (
        gettext_noop("your left iliac crest"),
        gettext_noop("your right iliac crest"),
        gettext_noop("both iliac crests"),
    ),
    "greater_trochanter": (
        gettext_noop("your left greater trochanter"),
        gettext_noop("your right greater trochanter"),
        gettext_noop("both greater trochanters"),
    ),
    "ischial_tuberosity": (
        gettext_noop("your left ischial tuberosity"),
        gettext_noop("your right ischial tuberosity"),
        gettext_noop("both ischial tuberosities"),
    ),
}
UNSIDED_REGION_WORDS = {
    "sacrum": gettext_noop("your sacrum"),
    "neck": gettext_noop("your neck"),
    "chest": gettext_noop("your chest"),
    "upper_back": gettext_noop("your upper back"),
    "lower_back": gettext_noop("your lower back"),
    "abdomen": gettext_noop("your belly"),
}
# What to do on a bad day when no easier variant is allowed: less of the same, never more.
BOTH_SIDES = {"wrist and hand": "wrists and hands", "ankle and foot": "ankles and feet"}
ACTION_WORDS = {"advance": "Advance", "hold": "Hold", "regress": "Regress", "pause_for_review": "Pause for review"}


def borg_words(rpe: int) -> str:
    """The Borg 6-20 words for a rating, e.g. 13 -> "somewhat hard"."""
    for low, high, words in BORG_WORDS:
        if low <= rpe <= high:
            return gettext(words)
    raise ValueError(f"Borg RPE runs from 6 to 20, not {rpe!r}")


def kind_words(component: str) -> str:
    """The name of an exercise kind as patients read it ("Strength")."""
    return gettext(KIND_WORDS[component]) if component in KIND_WORDS else component


def weekday_words(day: date) -> str:
    """ "Mon", in the active language."""
    return gettext(WEEKDAYS[day.weekday()])


def month_words(month: int) -> str:
    """ "Nov" for 11, in the active language. The context keeps "May" apart from Django's full month
    name (the same English, but "mayo" where an abbreviation says "may")."""
    return _MONTHS[month - 1]()


# Literal calls, so that makemessages finds them; only the month asked for is looked up.
_MONTHS = (
    lambda: pgettext("abbreviated month", "Jan"),
    lambda: pgettext("abbreviated month", "Feb"),
    lambda: pgettext("abbreviated month", "Mar"),
    lambda: pgettext("abbreviated month", "Apr"),
    lambda: pgettext("abbreviated month", "May"),
    lambda: pgettext("abbreviated month", "Jun"),
    lambda: pgettext("abbreviated month", "Jul"),
    lambda: pgettext("abbreviated month", "Aug"),
    lambda: pgettext("abbreviated month", "Sep"),
    lambda: pgettext("abbreviated month", "Oct"),
    lambda: pgettext("abbreviated month", "Nov"),
    lambda: pgettext("abbreviated month", "Dec"),
)


def date_words(day: date, year: bool = False) -> str:
    """ "Mon 2 Nov" (or "Mon 2 Nov 2026"), independent of the server's locale."""
    parts = {"weekday": weekday_words(day), "day": day.day, "month": month_words(day.month)}
    if year:
        return gettext("%(weekday)s %(day)s %(month)s %(year)s") % {**parts, "year": day.year}
    return gettext("%(weekday)s %(day)s %(month)s") % parts


def _amount(value: float) -> str:
    """10 -> "10", 10.5 -> "10½" (doses move in half minutes)."""
    whole, half = int(value), value - int(value) >= 0.5
    return f"{whole}½" if half else str(whole)


def join_words(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) == 1:
        return words[0]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


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
        if base in SIDED_REGION_WORDS and found[0]:
            left, right, both = SIDED_REGION_WORDS[base]
            phrase = both if "left" in found and "right" in found else left if found[0] == "left" else right
            parts.append(gettext(phrase))
            continue
        if base in UNSIDED_REGION_WORDS and not found[0]:
            parts.append(gettext(UNSIDED_REGION_WORDS[base]))
            continue
        noun = REGION_WORDS.get(base, base.replace("_", " "))
        if "left" in found and "right" in found:
            parts.append("both " + BOTH_SIDES.get(noun, noun + "s"))
        elif found[0]:
            parts.append(f"your {found[0]} {noun}")
        else:
            parts.append(f"your {noun}")
    return join_words(parts)


def days_a_week(count: int) -> str:
    if count == 7:
        return gettext("every day")
    return ngettext("%(count)s day a week", "%(count)s days a week", count) % {"count": count}


def suggested_days(frequency: int, first_day: date) -> tuple[date, ...]:
    """The dates of `frequency` sessions in the plan week starting on `first_day`, spread evenly
    (planner.sessions.session_offsets). A plan's own days come from planner.sessions.week_sessions,
    which also keeps strength days apart and fits every exercise into the same exercise days."""
    return tuple(first_day + timedelta(days=offset) for offset in session_offsets(frequency))


def weekday_list(days: Iterable[date]) -> str:
    return ", ".join(weekday_words(day) for day in days)


# ---------------------------------------------------------------------------------------------
# Doses in words
# ---------------------------------------------------------------------------------------------


def dose_words(dose: Dose) -> str:
    """The amount of one session: "10 minutes", "1 set of 12 repetitions", "2 holds of 20 seconds"."""
    # Each dose kind has its amounts (Dose.__post_init__).
    if dose.dose_kind == "minutes":
        assert dose.minutes is not None
        return gettext("%(amount)s minutes") % {"amount": _amount(dose.minutes)}
    assert dose.sets is not None
    if dose.dose_kind == "sets_reps":
        return ngettext("%(sets)s set of %(reps)s repetitions", "%(sets)s sets of %(reps)s repetitions", dose.sets) % {
            "sets": dose.sets,
            "reps": dose.reps,
        }
    amounts = {"sets": dose.sets, "seconds": dose.hold_seconds}
    if dose.component == "flexibility":
        return (
            ngettext("%(sets)s stretch of %(seconds)s seconds", "%(sets)s stretches of %(seconds)s seconds", dose.sets)
            % amounts
        )
    return (
        ngettext("%(sets)s hold of %(seconds)s seconds", "%(sets)s holds of %(seconds)s seconds", dose.sets) % amounts
    )


def effort_words(dose: Dose, *, heart_rate_ceiling_only: bool = False) -> str:
    """How hard, for the patient: Borg range with its words, heart rate when given, or the guidance.

    heart_rate_ceiling_only: the zone rests on an estimated HRmax (planner.limits.heart_rate_ceiling_only),
    so only its top is given, as a ceiling, and effort governs: never a band narrower than the error.
    """
    rpe, heart = dose.intensity_in("rpe_6_20"), dose.intensity_in("hr_bpm")
    if rpe is None and ladder_words(dose) is not None:
        return gettext("%(level)s. Go by feel: steady and safe, never into pain.") % {"level": ladder_words(dose)}
    if rpe is None:
        rules = dose.rules_for("intensity")
        guidance = [
            gettext(GUIDANCE_WORDS[rule.id]) if rule.id in GUIDANCE_WORDS else rule.text
            for rule in rules
            if rule.id.startswith("guidance.")
        ]
        return " ".join(guidance) or gettext("Go by feel: comfortable, never into pain.")
    span = str(rpe.low) if rpe.low == rpe.high else _span(rpe.low, rpe.high)
    words = (
        borg_words(rpe.low)
        if borg_words(rpe.low) == borg_words(rpe.high)
        else _span(borg_words(rpe.low), borg_words(rpe.high))
    )
    text = gettext("Effort %(span)s on the 6-20 scale (%(words)s)") % {"span": span, "words": words}
    if heart is not None and heart_rate_ceiling_only:
        text += gettext("; keep your heart rate below %(bpm)s beats per minute, but go by how it feels") % {
            "bpm": heart.high
        }
    elif heart is not None:
        text += gettext("; heart rate %(low)s to %(high)s beats per minute") % {"low": heart.low, "high": heart.high}
    level = ladder_words(dose)
    if level is not None:
        text += f"; {level[0].lower()}{level[1:]}"
    elif dose.component == "resistance":
        text += gettext("; choose a band or weight that feels like this by the last repetition")
    return text + "."


def _span(low: object, high: object) -> str:
    """ "9 to 11", "very light to light"."""
    return gettext("%(low)s to %(high)s") % {"low": low, "high": high}


def change_words(
    previous: Dose | None, current: Dose, changed: str | None, *, heart_rate_ceiling_only: bool = False
) -> str:
    """What changed since last week, in words ("First week", "Same as last week", "Longer: 10½ minutes ...")."""
    if previous is None:
        return gettext("First week")
    if changed is None or previous == current:
        return gettext("Same as last week")
    if changed == "minutes":
        assert current.minutes is not None  # a minutes dose changed its minutes
        assert previous.minutes is not None
        return gettext("Longer: %(now)s minutes (was %(was)s)") % {
            "now": _amount(current.minutes),
            "was": _amount(previous.minutes),
        }
    if changed == "hold_seconds":
        return gettext("Longer holds: %(now)s seconds (was %(was)s)") % {
            "now": current.hold_seconds,
            "was": previous.hold_seconds,
        }
    if changed == "reps":
        return gettext("More repetitions: %(now)s (was %(was)s)") % {"now": current.reps, "was": previous.reps}
    if changed == "frequency_per_week":
        days = days_a_week(current.frequency_per_week)
        text = gettext("%(days)s (was %(was)s)") % {
            "days": days[:1].upper() + days[1:],
            "was": previous.frequency_per_week,
        }
        if dose_words(previous) != dose_words(current):
            text += gettext(", now %(dose)s") % {"dose": dose_words(current)}
        return text
    if changed == "intensity":
        heart, rpe = current.intensity_in("hr_bpm"), current.intensity_in("rpe_6_20")
        level = ladder_words(current)
        if level is not None and level != ladder_words(previous):
            return gettext("One level harder: %(level)s") % {"level": f"{level[0].lower()}{level[1:]}"}
        if current.component == "resistance":
            text = gettext("A slightly heavier band or weight")
            if rpe is not None and rpe != previous.intensity_in("rpe_6_20"):
                text += gettext(", effort now %(low)s to %(high)s") % {"low": rpe.low, "high": rpe.high}
            return text
        if heart is not None and heart_rate_ceiling_only:
            return gettext("A little brisker: keep your heart rate below %(bpm)s, and go by how it feels") % {
                "bpm": heart.high
            }
        if heart is not None:
            return gettext("A little brisker: heart rate %(low)s to %(high)s") % {"low": heart.low, "high": heart.high}
        return gettext("A little brisker")
    return gettext("Now %(now)s (was %(was)s)") % {"now": dose_words(current), "was": dose_words(previous)}


def week_first_day(start_date: date, number: int) -> date:
    """The first day of plan week `number` (1-based) of a plan that starts on `start_date`."""
    return start_date + timedelta(days=7 * (number - 1))


def plan_end(start_date: date, plan: Plan) -> date:
    """The last day of the plan's last week (of week 1 when it has no weeks yet)."""
    return start_date + timedelta(days=7 * max(len(plan.weeks), 1) - 1)

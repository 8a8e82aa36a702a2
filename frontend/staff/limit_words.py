"""A plan's limits in the staff reader's words: the rows of the plan page's limits table.

The same rows as planner.documents.safety.limit_rows (the clinician's report and the FHIR export), which
leave the movements and regions as their codes; here those are said in words too (CODE_WORDS, regions).
"""

from django.utils.translation import gettext

from frontend.staff.code_words import CODE_WORDS
from frontend.staff.forms import region_label
from planner.documents.wording import borg_words
from planner.limits import heart_rate_ceiling_only


def words(code: str) -> str:
    return str(CODE_WORDS.get(code, code.replace("_", " "))).lower()


def limit_words(limits) -> list[tuple[str, str, str]]:
    """(name, value, limit path) for each limit, in the reader's words."""
    aerobic, resistance = limits.aerobic, limits.resistance
    if aerobic.hr_zone_bpm:
        zone = gettext("%(low)s-%(high)s bpm (%(floor)s-%(ceiling)s %%HRR, HRrest %(rest)s, HRmax %(max)s)") % {
            "low": aerobic.hr_zone_bpm[0],
            "high": aerobic.hr_zone_bpm[1],
            "floor": aerobic.zone_floor_hrr_pct,
            "ceiling": aerobic.max_hrr_pct,
            "rest": aerobic.resting_hr_bpm,
            "max": f"{aerobic.hr_max_bpm:g}",
        }
        if heart_rate_ceiling_only(limits):
            zone += gettext(
                "; HRmax estimated (Tanaka, error 7-11 bpm): the patient sees only the ceiling, effort governs"
            )
    else:
        zone = gettext("None: effort (RPE) governs")

    def codes(values) -> str:
        return ", ".join(words(value) for value in values) or gettext("none")

    def places(values) -> str:
        return ", ".join(region_label(value) for value in values) or gettext("none")

    def effort(rpe: int) -> str:
        return f"RPE {rpe} ({borg_words(rpe)})"

    return [
        (gettext("Impact ceiling"), words(limits.max_impact), "max_impact"),
        (gettext("Aerobic effort ceiling"), effort(aerobic.max_rpe), "aerobic.max_rpe"),
        (gettext("Aerobic intensity ceiling"), f"{aerobic.max_hrr_pct} %HRR", "aerobic.max_hrr_pct"),
        (gettext("Heart-rate zone"), zone, "aerobic.hr_zone_bpm"),
        (gettext("Resistance load ceiling"), f"{resistance.max_pct_1rm} %1RM", "resistance.max_pct_1rm"),
        (gettext("Resistance effort ceiling"), effort(resistance.max_rpe), "resistance.max_rpe"),
        (gettext("Fewest repetitions a set"), str(resistance.min_reps), "resistance.min_reps"),
        (gettext("Longest stretch hold"), f"{limits.flexibility.max_hold_seconds} s", "flexibility.max_hold_seconds"),
        (gettext("Excluded movements"), codes(limits.excluded_tags), "excluded_tags"),
        (gettext("No pressure or end-range stretch"), places(limits.avoid_regions), "avoid_regions"),
        (gettext("No loading at all"), places(limits.no_loading_regions), "no_loading_regions"),
        (gettext("Weekly growth cap"), f"{limits.weekly_progression_max_pct:g} %", "weekly_progression_max_pct"),
        (
            gettext("Supervised start"),
            gettext("yes") if limits.supervision_required else gettext("no"),
            "supervision_required",
        ),
    ]

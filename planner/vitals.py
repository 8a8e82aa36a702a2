"""Vital signs logged with a session: oxygen saturation and heart rate against the patient's limits.

Judged the moment a check-in arrives, not at the end of the week: a desaturation is a stop rule
(clinical-reference 5 and 8b), so it becomes the red flag "low_oxygen" and follows the red-flag path
(pause, urgent alert); a heart rate above the zone's ceiling is told to the patient at once and holds
the aerobic items at the weekly decision (planner.progression). Thresholds are rule data in
planner.progression_rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.progression_rules import ProgressionConfig
from planner.types import LoadLimits, Rule

LOW_OXYGEN = "low_oxygen"


@dataclass(frozen=True)
class VitalSignFinding:
    """One vital sign outside its limit: the rule, what was found, and what the patient is told."""

    rule: Rule
    text: str
    advice: str


def oxygen_findings(
    spo2_min: int | None, resting_spo2: int | None, config: ProgressionConfig
) -> list[VitalSignFinding]:
    """Desaturation during exercise: below the floor, or a fall from rest of the rule's points or more."""
    if spo2_min is None:
        return []
    advice = (
        "Stop and rest sitting upright. If your oxygen does not come back up within a few minutes, call an ambulance."
    )
    found = []
    if spo2_min < config.spo2_floor_pct:
        found.append(
            VitalSignFinding(
                config.rule("spo2_floor_pct"),
                f"Oxygen saturation fell to {spo2_min} % during exercise (below {config.spo2_floor_pct} %).",
                advice,
            )
        )
    if resting_spo2 is not None and resting_spo2 - spo2_min >= config.spo2_drop_points:
        found.append(
            VitalSignFinding(
                config.rule("spo2_drop_points"),
                f"Oxygen saturation fell by {resting_spo2 - spo2_min} points from {resting_spo2} % at rest to "
                f"{spo2_min} % (a fall of {config.spo2_drop_points} or more).",
                advice,
            )
        )
    return found


def heart_rate_findings(
    heart_rate_avg: int | None, heart_rate_max: int | None, limits: LoadLimits, config: ProgressionConfig
) -> list[VitalSignFinding]:
    """A session's heart rate above the zone's ceiling (average), or its peak beyond the tolerance."""
    zone = limits.aerobic.hr_zone_bpm
    if zone is None:
        return []  # effort governs: beta blocker or an unusable heart-rate reserve
    ceiling = zone[1]
    over = []
    if heart_rate_avg is not None and heart_rate_avg > ceiling:
        over.append(f"an average of {heart_rate_avg} bpm")
    if heart_rate_max is not None and heart_rate_max > ceiling + config.hr_max_tolerance_bpm:
        over.append(f"a peak of {heart_rate_max} bpm")
    if not over:
        return []
    return [
        VitalSignFinding(
            config.rule("hr_above_zone"),
            f"Heart rate above the zone's ceiling of {ceiling} bpm: {' and '.join(over)}.",
            f"Your heart rate went above your limit of {ceiling} beats a minute. Next time go a little slower, "
            "so that you can still talk while you exercise. Your walking and cycling stay the same next week.",
        )
    ]

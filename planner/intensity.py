"""Intensity targets: a %HRR range or a %1RM load with its equivalents (heart rate, RPE), within the limits."""

from __future__ import annotations

from planner.limits import heart_rate_zone
from planner.rules import Anchors
from planner.types import Intensity, LoadLimits


def rpe_for_hrr(pct_hrr: int, anchors: Anchors) -> int:
    """Borg RPE equivalent of a %HRR, interpolated within its ACSM intensity class (rounded down)."""
    classes = anchors.intensity_classes
    for level in classes:
        low, high = level.hrr_pct
        if low <= pct_hrr <= high:
            if high == low:
                return level.rpe[0]
            return level.rpe[0] + (pct_hrr - low) * (level.rpe[1] - level.rpe[0]) // (high - low)
    return classes[0].rpe[0] if pct_hrr < classes[0].hrr_pct[0] else classes[-1].rpe[1]


def aerobic_targets(low_pct: int, high_pct: int, limits: LoadLimits, anchors: Anchors) -> tuple[Intensity, ...]:
    """A %HRR range with its heart-rate (Karvonen) and RPE equivalents, all within the limits.

    With a heart-rate zone: (pct_hrr, hr_bpm, rpe_6_20). Without one (beta blocker): RPE governs and
    comes first, followed by pct_hrr as the engine's reference scale.
    """
    aerobic = limits.aerobic
    max_rpe = aerobic.max_rpe
    rpe_high = min(rpe_for_hrr(high_pct, anchors), max_rpe)
    rpe = Intensity("rpe_6_20", min(rpe_for_hrr(low_pct, anchors), rpe_high), rpe_high)
    hrr = Intensity("pct_hrr", low_pct, high_pct)
    if aerobic.hr_zone_bpm is None:
        return (rpe, hrr)
    low_bpm, high_bpm = heart_rate_zone(aerobic.resting_hr_bpm, aerobic.hr_max_bpm, low_pct, high_pct)
    high_bpm = min(high_bpm, aerobic.hr_zone_bpm[1])
    return (hrr, Intensity("hr_bpm", min(low_bpm, high_bpm), high_bpm), rpe)


def resistance_targets(load_pct: int, limits: LoadLimits, anchors: Anchors) -> tuple[Intensity, ...]:
    """A %1RM load with the effort (RPE) expected at it, capped by the resistance RPE ceiling."""
    low, high = anchors.resistance_rpe_bands[-1][1]
    for (band_low, band_high), rpe in anchors.resistance_rpe_bands:
        if band_low <= load_pct <= band_high:
            low, high = rpe
            break
    high = min(high, limits.resistance.max_rpe)
    return (Intensity("pct_1rm", load_pct, load_pct), Intensity("rpe_6_20", min(low, high), high))

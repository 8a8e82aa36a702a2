"""Intensity targets and the equivalences between intensity scales.

A %HRR range or a %1RM load is shown with its equivalents (heart rate, RPE), all within the limits.
The equivalences come from the anchors in rule data: the ACSM aerobic intensity classes (%HRR <->
Borg RPE, clinical-reference 1a), Karvonen (%HRR <-> heart rate, clinical-reference 5) and the
resistance RPE bands (%1RM <-> RPE). Each conversion has its inverse ("the highest value whose
equivalent stays within"), so that a ceiling in one unit implies a ceiling in every other one.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from planner.rules import Anchors
from planner.types import Intensity, LoadLimits

# The ends of the percentage scales the inverse conversions search (what the unit can mean).
PERCENT_SCALE = range(0, 101)


def karvonen_bpm(resting_hr: float, hr_max: float, pct_hrr: float) -> float:
    """Karvonen: target HR = HRrest + %HRR x (HRmax - HRrest)."""
    return resting_hr + pct_hrr / 100 * (hr_max - resting_hr)


def heart_rate_zone(resting_hr: float, hr_max: float, floor_pct: int, ceiling_pct: int) -> tuple[int, int]:
    """Karvonen zone in whole bpm; the top is rounded down so it never exceeds the %HRR ceiling."""
    high = math.floor(round(karvonen_bpm(resting_hr, hr_max, ceiling_pct), 6))
    low = min(round(karvonen_bpm(resting_hr, hr_max, floor_pct)), high)
    return low, high


def hrr_for_bpm(bpm: int, resting_hr: float, hr_max: float) -> int:
    """The highest whole %HRR whose Karvonen heart rate (rounded down) is at most `bpm` (0 if none)."""
    if hr_max < resting_hr:
        return max((p for p in PERCENT_SCALE if heart_rate_zone(resting_hr, hr_max, p, p)[1] <= bpm), default=0)
    # With HRmax at or above HRrest the rounded-down rate never falls as %HRR rises (every step of
    # Karvonen's formula, rounding included, keeps order): the percentages within `bpm` are the ones up
    # to the last, found by halving instead of trying all 101.
    low, high = PERCENT_SCALE[0], PERCENT_SCALE[-1]
    if heart_rate_zone(resting_hr, hr_max, low, low)[1] > bpm:
        return 0
    while low < high:
        middle = (low + high + 1) // 2
        if heart_rate_zone(resting_hr, hr_max, middle, middle)[1] <= bpm:
            low = middle
        else:
            high = middle - 1
    return low


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


def hrr_for_rpe(rpe: int, anchors: Anchors) -> int:
    """The highest %HRR whose RPE equivalent is at most `rpe` (RPE 11 -> 39, 13 -> 59); 0 if none."""
    return _per_anchors(anchors, "hrr_for_rpe", rpe, _hrr_for_rpe)


def _hrr_for_rpe(rpe: int, anchors: Anchors) -> int:
    return max((p for p in PERCENT_SCALE if rpe_for_hrr(p, anchors) <= rpe), default=0)


# The inverse conversions read only the anchors and one number, and every patient's limits ask for a few
# of the same ones: kept per anchors object (held, so its id stays its own).
_INVERSES: dict[tuple[int, str, int], tuple[Anchors, int]] = {}


def _per_anchors(anchors: Anchors, name: str, value: int, compute: Callable[[int, Anchors], int]) -> int:
    key = (id(anchors), name, value)
    found = _INVERSES.get(key)
    if found is not None and found[0] is anchors:
        return found[1]
    if len(_INVERSES) >= 4096:
        _INVERSES.clear()
    result = compute(value, anchors)
    _INVERSES[key] = (anchors, result)
    return result


def rpe_band_for_load(pct_1rm: int, anchors: Anchors) -> tuple[int, int]:
    """The RPE band expected for a set at `pct_1rm` (the last band above the table)."""
    for (band_low, band_high), rpe in anchors.resistance_rpe_bands:
        if band_low <= pct_1rm <= band_high:
            return rpe
    return anchors.resistance_rpe_bands[-1][1]


def rpe_for_load(pct_1rm: int, anchors: Anchors) -> int:
    """The highest effort a set at `pct_1rm` may take: the top of its RPE band (60 %1RM -> 13)."""
    return rpe_band_for_load(pct_1rm, anchors)[1]


def load_for_rpe(rpe: int, anchors: Anchors) -> int:
    """The highest %1RM whose RPE band stays within `rpe` (RPE 13 -> 69, 11 -> 49); 0 if none."""
    return _per_anchors(anchors, "load_for_rpe", rpe, _load_for_rpe)


def _load_for_rpe(rpe: int, anchors: Anchors) -> int:
    return max((p for p in PERCENT_SCALE if rpe_for_load(p, anchors) <= rpe), default=0)


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
    assert aerobic.hr_max_bpm is not None  # a zone is only ever set with the HRmax it came from
    low_bpm, high_bpm = heart_rate_zone(aerobic.resting_hr_bpm, aerobic.hr_max_bpm, low_pct, high_pct)
    high_bpm = min(high_bpm, aerobic.hr_zone_bpm[1])
    return (hrr, Intensity("hr_bpm", min(low_bpm, high_bpm), high_bpm), rpe)


def resistance_targets(load_pct: int, limits: LoadLimits, anchors: Anchors) -> tuple[Intensity, ...]:
    """A %1RM load with the effort (RPE) expected at it, capped by the resistance RPE ceiling."""
    low, high = rpe_band_for_load(load_pct, anchors)
    high = min(high, limits.resistance.max_rpe)
    return (Intensity("pct_1rm", load_pct, load_pct), Intensity("rpe_6_20", min(low, high), high))

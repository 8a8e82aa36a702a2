"""Aerobic doses worked out in %HRR once, then read in each patient's own heart rate.

An aerobic dose with a heart-rate zone carries three targets: %HRR (which governs its growth), RPE and
beats per minute. The beats are a passenger: nothing the engine decides reads them. The start dose and
every intensity step set them from the %HRR range with Karvonen (planner.intensity.aerobic_targets), and
the zone's top bounds them there already, so the limits never clamp them afterwards. Yet the patient's
resting and maximal heart rate are part of the aerobic limits an item's dose and weeks are kept by
(planner.memo), so without this module hardly two patients share an aerobic item.

Here the dose and its weeks are worked out once under stand-in limits in which a heart rate reads as
its own %HRR (resting 0, maximum 100: Karvonen gives back the percentage), and the beats are put back
in the patient's units at the end, with the same formula aerobic_targets uses. This holds when:

- the limits have a zone (else RPE governs and no beats are shown) and the HRmax it came from;
- the dose's beats are the ones Karvonen gives for its %HRR range (a clinician's edit may set others:
  such a dose is worked out as it stands);
- no %HRR the item reaches is above the limits' ceiling (start and step ceilings within it), so the
  stand-in zone, whose top is that ceiling, never trims a stand-in beat, and the %HRR is never clamped.

tests/planner/test_engine_memo.py compares the result with the dose and weeks worked out directly.
"""

from __future__ import annotations

from dataclasses import replace

from planner.intensity import heart_rate_zone
from planner.types import Dose, Intensity, LoadLimits, ProgressionRule, evolve_dose

# Karvonen with these gives the percentage back as the heart rate (0 + p / 100 x 100).
STAND_IN_RESTING_HR = 0
STAND_IN_HR_MAX = 100.0

_STAND_INS: dict[int, tuple[LoadLimits, LoadLimits | None]] = {}
# Relative doses made from a patient's dose, by the patient dose's identity (held, so the id stays its own).
_RELATIVE: dict[int, tuple[Dose, Dose]] = {}
MAX_ENTRIES = 4096


def stand_in_limits(limits: LoadLimits) -> LoadLimits | None:
    """`limits` with the heart rate read as %HRR, or None when the limits have no heart-rate zone."""
    found = _STAND_INS.get(id(limits))
    if found is not None and found[0] is limits:
        return found[1]
    aerobic = limits.aerobic
    stand_in = None
    if aerobic.hr_zone_bpm is not None and aerobic.hr_max_bpm is not None:
        ceiling = aerobic.max_hrr_pct
        zone = (min(aerobic.zone_floor_hrr_pct, ceiling), ceiling)
        stand_in = replace(
            limits,
            aerobic=replace(aerobic, resting_hr_bpm=STAND_IN_RESTING_HR, hr_max_bpm=STAND_IN_HR_MAX, hr_zone_bpm=zone),
        )
    if len(_STAND_INS) >= MAX_ENTRIES:
        _STAND_INS.clear()
    _STAND_INS[id(limits)] = (limits, stand_in)
    return stand_in


def patient_beats(low_pct: int, high_pct: int, limits: LoadLimits) -> Intensity:
    """The heart-rate target aerobic_targets gives for a %HRR range under `limits` (which have a zone)."""
    aerobic = limits.aerobic
    assert aerobic.hr_zone_bpm is not None  # stand_in_limits checked
    assert aerobic.hr_max_bpm is not None
    low, high = heart_rate_zone(aerobic.resting_hr_bpm, aerobic.hr_max_bpm, low_pct, high_pct)
    high = min(high, aerobic.hr_zone_bpm[1])
    return Intensity("hr_bpm", min(low, high), high)


def patient_dose(relative: Dose, limits: LoadLimits, beats_of: dict[tuple[int, int], Intensity] | None = None) -> Dose:
    """A dose worked out under stand_in_limits(limits), with its beats in the patient's units.

    beats_of: the patient's beats already worked out for a %HRR range under the same `limits` (a track's
    weeks share a few ranges); filled in as ranges are met.
    """
    targets = relative.intensity
    position = next((n for n, target in enumerate(targets) if target.unit == "hr_bpm"), None)
    if position is None:
        return relative
    beats = targets[position]
    if beats_of is None:
        patient = patient_beats(beats.low, beats.high, limits)
    else:
        patient_or_none = beats_of.get((beats.low, beats.high))
        if patient_or_none is None:
            patient_or_none = beats_of[beats.low, beats.high] = patient_beats(beats.low, beats.high, limits)
        patient = patient_or_none
    dose = evolve_dose(relative, intensity=(*targets[:position], patient, *targets[position + 1 :]))
    remember_relative(dose, relative)
    return dose


def remember_relative(dose: Dose, relative: Dose) -> None:
    if len(_RELATIVE) >= MAX_ENTRIES:
        _RELATIVE.clear()
    _RELATIVE[id(dose)] = (dose, relative)


def relative_within(relative: Dose, progression: ProgressionRule, limits: LoadLimits) -> bool:
    """Whether a dose worked out under stand_in_limits(limits) reads in the patient's units: its beats
    are its %HRR range, and neither it nor its intensity steps go above the %HRR ceiling."""
    hrr = relative.intensity_in("pct_hrr")
    beats = relative.intensity_in("hr_bpm")
    if hrr is None or beats is None or beats != Intensity("hr_bpm", hrr.low, hrr.high):
        return False
    return _within_ceiling(hrr, progression, limits.aerobic.max_hrr_pct)


def _within_ceiling(hrr: Intensity, progression: ProgressionRule, ceiling: int) -> bool:
    if hrr.high > ceiling:
        return False
    return all(step.ceiling <= ceiling for step in progression.steps if step.variable == "intensity")


def relative_dose(dose: Dose, progression: ProgressionRule, limits: LoadLimits) -> Dose | None:
    """The dose as worked out under stand_in_limits(limits), or None when its weeks must be worked out
    in the patient's own units (see the module's conditions)."""
    hrr = dose.intensity_in("pct_hrr")
    beats = dose.intensity_in("hr_bpm")
    if hrr is None or beats is None or not _within_ceiling(hrr, progression, limits.aerobic.max_hrr_pct):
        return None
    if type(beats.low) is not int or type(beats.high) is not int or beats != patient_beats(hrr.low, hrr.high, limits):
        return None
    stand_in = Intensity("hr_bpm", hrr.low, hrr.high)
    found = _RELATIVE.get(id(dose))
    if found is not None and found[0] is dose and found[1].intensity_in("hr_bpm") == stand_in:
        return found[1]
    relative = evolve_dose(dose, intensity=tuple(stand_in if t.unit == "hr_bpm" else t for t in dose.intensity))
    remember_relative(dose, relative)
    return relative

"""The strength and function measures' names and word units, marked for translation.

planner.vocabulary.MEASURES names each measure in English and planner/ cannot call Django's gettext:
the texts are listed here as literals (gettext_noop: makemessages extracts them, nothing is translated
at import), and whoever shows a measure reads it in the active language through measure_label() and
unit_words() (the planner's charts call planner.translation.gettext on the same English).
tests/rehab/test_measure_words.py fails when the planner's labels and this list drift apart.
"""

from django.utils.translation import gettext, gettext_noop

from planner.vocabulary import MEASURES_BY_CODE

# Strength and function measures (planner.vocabulary.MEASURES), by code.
MEASURE_LABELS = {
    "mmt8_total": gettext_noop("MMT-8 total (unilateral)"),
    "grip_left_kg": gettext_noop("Grip strength, left hand"),
    "grip_right_kg": gettext_noop("Grip strength, right hand"),
    "chair_stand_30s": gettext_noop("30-second chair stand"),
    "tug_seconds": gettext_noop("Timed Up and Go"),
    "six_minute_walk_m": gettext_noop("6-minute walk distance"),
    "fi3_shoulder_flexion": gettext_noop("FI-3 shoulder flexion"),
    "fi3_hip_flexion": gettext_noop("FI-3 hip flexion"),
    "fi3_neck_flexion": gettext_noop("FI-3 neck flexion"),
    "ck_u_l": gettext_noop("Creatine kinase (CK)"),
    "haq_di": gettext_noop("HAQ-DI"),
    "patient_global": gettext_noop("Patient global activity"),
    "physician_global": gettext_noop("Physician global activity"),
    "fatigue": gettext_noop("Fatigue"),
}
# Units said in words are translated; symbols (kg, s, m, U/L) read the same in every shipped language.
MEASURE_UNIT_WORDS = {
    "points": gettext_noop("points"),
    "stands": gettext_noop("stands"),
    "reps": gettext_noop("reps"),
    "score 0-3": gettext_noop("score 0-3"),
}


def measure_label(code: str) -> str:
    """A measure's name in the active language; a code no longer in the vocabulary reads as itself."""
    measure = MEASURES_BY_CODE.get(code)
    return gettext(measure.label) if measure else code


def unit_words(unit: str) -> str:
    """A measure's unit in the active language (a symbol such as kg stays as it is)."""
    return gettext(unit) if unit in MEASURE_UNIT_WORDS else unit

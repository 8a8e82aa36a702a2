"""Code systems, codes and profiles of the FHIR export (clinical-reference section 6).

Only codes the reference lists are used; where it found no verified code (Borg RPE, MMT-8, FI-3,
CK and the other disease-activity measures, the check-in questions) the concept lives in a local
CodeSystem whose canonical URL is `<FHIR_CANONICAL_BASE>CodeSystem/<name>` (settings), so a
receiving system can tell our codes apart and they never change meaning.
"""

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
UCUM = "http://unitsofmeasure.org"
# HL7 terminology the FHIR base resources bind to (categories, interpretation, US Core plan category).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
US_CORE_CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
# HL7 US Physical Activity IG STU1 (1.0.0): its category code and profiles.
PA_IG = "http://hl7.org/fhir/us/physical-activity"
PA_TEMPORARY_CODES = f"{PA_IG}/CodeSystem/pa-temporary-codes"
PA_PROFILES = {
    "CarePlan": f"{PA_IG}/StructureDefinition/pa-careplan",
    "Goal": f"{PA_IG}/StructureDefinition/pa-goal",
    "ServiceRequest": f"{PA_IG}/StructureDefinition/pa-servicerequest",
}
PERTAINS_TO_GOAL = "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal"

# Local CodeSystems: name -> what they hold. Their URLs come from settings (see canonical.py).
LOCAL_CODE_SYSTEMS = {
    "checkin": "Questions of a session check-in (pain during, after and next morning; session effort).",
    "measure": "Strength, function and disease-activity measures without a verified LOINC or SNOMED CT code.",
    "red-flag": "Red flags a patient reports (planner.vocabulary.RED_FLAGS).",
    "pain-site": "Where it hurt (planner.vocabulary.PAIN_SITES).",
    "exercise": "Exercises of the library, by slug.",
    "care-role": "Roles on a care team.",
    "progression-rule": "Rules of the weekly progression decision, by rule id.",
    "progression-action": "Weekly decisions: advance, hold, regress, pause for review.",
    "goal-measure": "Week-12 target measures without a LOINC code (sets, seconds a session, days a week of "
    "balance or flexibility work).",
}


def coding(system: str, code: str, display: str | None = None) -> dict:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


PA_CATEGORY = coding(PA_TEMPORARY_CODES, "PhysicalActivity", "Physical Activity")
EXERCISE_THERAPY = coding(SNOMED, "229065009", "Exercise therapy (regime/therapy)")
# The PA IG's ServiceRequest category value set (US Core subset): physical therapy procedure.
PHYSICAL_THERAPY_PROCEDURE = coding(SNOMED, "91251008", "Physical therapy procedure (regime/therapy)")
ASSESS_PLAN = coding(US_CORE_CAREPLAN_CATEGORY, "assess-plan", "Assessment and Plan of Treatment")
BORG_RPE = coding(DICOM, "122734", "Borg RPE Scale")

# LOINC codings carry no display: the reference confirms the codes, not LOINC's exact display strings,
# so the words go in CodeableConcept.text instead.
PAIN_NRS = coding(LOINC, "72514-3")
HEART_RATE = coding(LOINC, "8867-4", "Heart rate")
MAX_HEART_RATE = coding(LOINC, "55422-0")
SPO2 = coding(LOINC, "59408-5")
AEROBIC_MINUTES_A_WEEK = coding(LOINC, "82290-8")
STRENGTHENING_DAYS_A_WEEK = coding(LOINC, "82291-6")

# Measurement kinds (planner.vocabulary.MEASURES) with a code from the reference: kind -> (coding, UCUM unit).
MEASURE_CODES = {
    "six_minute_walk_m": (coding(LOINC, "64098-7"), "m"),
    "grip_right_kg": (coding(LOINC, "83174-3"), "kg"),
    "grip_left_kg": (coding(LOINC, "83176-8"), "kg"),
    "chair_stand_30s": (
        coding(SNOMED, "450738001", "Thirty second chair stand test score (observable entity)"),
        "{stands}",
    ),
    "tug_seconds": (coding(SNOMED, "444680009", "Timed up and go mobility test score (observable entity)"), "s"),
}
# The other kinds take the local "measure" CodeSystem, with these UCUM units.
LOCAL_MEASURE_UNITS = {
    "mmt8_total": "{score}",
    "fi3_shoulder_flexion": "{repetitions}",
    "fi3_hip_flexion": "{repetitions}",
    "fi3_neck_flexion": "{repetitions}",
    "ck_u_l": "U/L",
    "haq_di": "{score}",
    "patient_global": "{score}",
    "physician_global": "{score}",
    "fatigue": "{score}",
}
FI3_KINDS = ("fi3_shoulder_flexion", "fi3_hip_flexion", "fi3_neck_flexion")
LABORATORY_KINDS = ("ck_u_l",)

# Traffic light -> v3 ObservationInterpretation (the light itself goes in the text).
LIGHT_INTERPRETATION = {
    "green": coding(INTERPRETATION, "N", "Normal"),
    "amber": coding(INTERPRETATION, "A", "Abnormal"),
    "red": coding(INTERPRETATION, "AA", "Critical abnormal"),
}
HIGH = coding(INTERPRETATION, "H", "High")
NORMAL = coding(INTERPRETATION, "N", "Normal")

# Plan status -> CarePlan.status and ServiceRequest.status (both use request-status). An archived
# plan was set aside (replaced or withdrawn), not recorded in error: "revoked".
PLAN_STATUS = {
    "draft": "draft",
    "active": "active",
    "paused": "on-hold",
    "completed": "completed",
    "archived": "revoked",
}

GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}

# Every code system the export may use: the reference's (LOINC, SNOMED CT, DICOM, UCUM, local) and
# the HL7 ones FHIR and the PA IG profiles require for categories and interpretation.
STANDARD_SYSTEMS = frozenset(
    {LOINC, SNOMED, DICOM, UCUM, OBSERVATION_CATEGORY, INTERPRETATION, US_CORE_CAREPLAN_CATEGORY, PA_TEMPORARY_CODES}
)

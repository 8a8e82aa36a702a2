"""Check-ins and measures: the check-in Questionnaire, a QuestionnaireResponse per check-in, an
Observation per value reported with it, and an Observation per strength, function or lab measure.

Each check-in Observation is `derivedFrom` its QuestionnaireResponse and carries the traffic light
where one is defined for a single value: pain during or after exercise and next-morning pain as the
weekly decision judges them (planner.progression.pain_light, morning_pain_light), heart rate and
oxygen against the plan's limits (planner.vitals: above the zone is amber, a desaturation is red).
"""

from planner.progression import morning_pain_light, pain_light
from planner.progression_rules import ProgressionConfig
from planner.types import LoadLimits
from planner.vitals import heart_rate_findings, oxygen_findings
from planner.vocabulary import MEASURES_BY_CODE, PAIN_SITES, PAIN_SITES_BY_CODE, RED_FLAGS, RED_FLAGS_BY_CODE
from rehab.fhir import codes
from rehab.fhir.base import Canon, concept, day, fhir_id, instant, quantity
from rehab.fhir.careplan import careplan_id
from rehab.fhir.people import patient_id, practitioner_id

QUESTIONNAIRE_ID = "check-in"
QUESTIONNAIRE_VERSION = "1"
PAIN_QUESTIONS = (
    ("pain-during", "pain_during", "Pain during exercise (0-10)"),
    ("pain-after", "pain_after", "Pain after exercise (0-10)"),
    ("pain-next-morning", "pain_next_morning", "Pain the next morning (0-10)"),
)


def _category(code: str, display: str) -> dict:
    return concept(codes.coding(codes.OBSERVATION_CATEGORY, code, display))


VITAL_SIGNS = _category("vital-signs", "Vital Signs")
SURVEY = _category("survey", "Survey")
EXAM = _category("exam", "Exam")
LABORATORY = _category("laboratory", "Laboratory")
ACTIVITY = _category("activity", "Activity")


def questionnaire_resource(canon: Canon) -> dict:
    """The check-in form every QuestionnaireResponse answers."""

    def question(link_id, text, kind, **extra):
        return {"linkId": link_id, "text": text, "type": kind, **extra}

    pain = [question(link, text, "integer", code=[codes.PAIN_NRS]) for link, _, text in PAIN_QUESTIONS]
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": canon.checkin_questionnaire,
        "version": QUESTIONNAIRE_VERSION,
        "name": "RehabCheckIn",
        "title": "Session check-in",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [
            question(
                "kind",
                "What is reported",
                "choice",
                required=True,
                answerOption=[
                    {"valueCoding": canon.local("checkin", "session", "Exercise session")},
                    {"valueCoding": canon.local("checkin", "symptoms", "Symptom report (no session)")},
                ],
            ),
            question("date", "Day of the session", "date", required=True),
            *pain,
            question("session-rpe", "Effort of the session (Borg 6-20)", "integer"),
            question("heart-rate-avg", "Average heart rate (beats a minute)", "integer", code=[codes.HEART_RATE]),
            question("heart-rate-max", "Highest heart rate (beats a minute)", "integer", code=[codes.MAX_HEART_RATE]),
            question("spo2-min", "Lowest oxygen saturation (%)", "integer", code=[codes.SPO2]),
            question(
                "pain-regions",
                "Where it hurt",
                "choice",
                repeats=True,
                answerOption=[{"valueCoding": canon.local("pain-site", c, w)} for c, w in PAIN_SITES],
            ),
            question("pain-exercise", "The exercise that hurt", "string"),
            question(
                "red-flags",
                "Red flags",
                "choice",
                repeats=True,
                answerOption=[{"valueCoding": canon.local("red-flag", c, w)} for c, w, _ in RED_FLAGS],
            ),
            question(
                "exercises",
                "What was done of each exercise",
                "group",
                repeats=True,
                item=[
                    question("exercise", "Exercise", "string"),
                    question("done", "Done", "boolean"),
                    question("sets", "Sets", "integer"),
                    question("reps", "Repetitions", "integer"),
                    question("load-kg", "Load (kg)", "decimal"),
                    question("minutes", "Minutes", "decimal"),
                    question("average-hr", "Average heart rate (beats a minute)", "integer"),
                ],
            ),
            question("notes", "Notes", "text"),
        ],
    }


def response_id(checkin) -> str:
    return fhir_id("checkin", checkin.pk)


def _reporter(canon: Canon, patient, user) -> dict:
    """Who typed it: the patient, or a member of staff on the patient's behalf."""
    if patient.user_id is not None and user.pk == patient.user_id:
        return canon.ref("Patient", patient_id(patient), patient.full_name)
    return canon.ref("Practitioner", practitioner_id(user), user.display_name)


def _answer(link_id: str, *values: dict) -> dict:
    return {"linkId": link_id, "answer": list(values)}


def _number(value):
    number = float(value)
    return int(number) if number.is_integer() else number


def questionnaire_response(canon: Canon, patient, plan, checkin) -> dict:
    items = [
        _answer("kind", {"valueCoding": canon.local("checkin", checkin.kind, checkin.get_kind_display())}),
        _answer("date", {"valueDate": day(checkin.date)}),
    ]
    for link, field, _ in PAIN_QUESTIONS:
        if getattr(checkin, field) is not None:
            items.append(_answer(link, {"valueInteger": getattr(checkin, field)}))
    for link, field in (
        ("session-rpe", "session_rpe"),
        ("heart-rate-avg", "heart_rate_avg"),
        ("heart-rate-max", "heart_rate_max"),
        ("spo2-min", "spo2_min"),
    ):
        if getattr(checkin, field) is not None:
            items.append(_answer(link, {"valueInteger": getattr(checkin, field)}))
    if checkin.pain_regions:
        sites = [{"valueCoding": canon.local("pain-site", c, _pain_site_words(c))} for c in checkin.pain_regions]
        items.append(_answer("pain-regions", *sites))
    if checkin.pain_item is not None:
        items.append(_answer("pain-exercise", {"valueString": checkin.pain_item.exercise.name}))
    if checkin.red_flags:
        flags = [{"valueCoding": canon.local("red-flag", c, red_flag_words(c))} for c in checkin.red_flags]
        items.append(_answer("red-flags", *flags))
    groups = []
    for done in checkin.items.all():
        parts = [
            _answer("exercise", {"valueString": done.plan_item.exercise.name}),
            _answer("done", {"valueBoolean": done.done}),
        ]
        for link, value, kind in (
            ("sets", done.sets, "valueInteger"),
            ("reps", done.reps, "valueInteger"),
            ("load-kg", done.load_kg, "valueDecimal"),
            ("minutes", done.minutes, "valueDecimal"),
            ("average-hr", done.average_hr, "valueInteger"),
        ):
            if value is not None:
                parts.append(_answer(link, {kind: float(value) if kind == "valueDecimal" else value}))
        groups.append({"linkId": "exercises", "item": parts})
    items += groups
    if checkin.notes:
        items.append(_answer("notes", {"valueString": checkin.notes}))
    return {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(checkin),
        "identifier": canon.identifier("checkin", checkin.pk),
        "questionnaire": f"{canon.checkin_questionnaire}|{QUESTIONNAIRE_VERSION}",
        "basedOn": [canon.ref("CarePlan", careplan_id(plan))],
        "status": "completed",
        "subject": canon.ref("Patient", patient_id(patient), patient.full_name),
        "authored": instant(checkin.created_at),
        "author": _reporter(canon, patient, checkin.logged_by),
        "source": canon.ref("Patient", patient_id(patient), patient.full_name),
        "item": items,
    }


def _light(light: str | None, words: str) -> list[dict] | None:
    if light is None:
        return None
    return [concept(codes.LIGHT_INTERPRETATION[light], text=f"{light} ({words})")]


def checkin_observations(
    canon: Canon,
    patient,
    plan,
    checkin,
    *,
    baseline_pain: int,
    resting_spo2: int | None,
    limits: LoadLimits,
    config: ProgressionConfig,
) -> list[dict]:
    """An Observation per value of the check-in, each derived from its QuestionnaireResponse."""
    subject = canon.ref("Patient", patient_id(patient), patient.full_name)
    reporter = _reporter(canon, patient, checkin.logged_by)
    response = canon.ref("QuestionnaireResponse", response_id(checkin))
    found = []

    def observation(suffix, category, code, value: dict, effective=None, **extra):
        resource = {
            "resourceType": "Observation",
            "id": fhir_id("checkin", checkin.pk, suffix),
            "basedOn": [canon.ref("CarePlan", careplan_id(plan))],
            "status": "final",
            "category": [category],
            "code": code,
            "subject": subject,
            "effectiveDateTime": effective or day(checkin.date),
            "issued": instant(checkin.created_at),
            "performer": [reporter],
            **value,
            "derivedFrom": [response],
        }
        resource.update({key: value for key, value in extra.items() if value is not None})
        found.append(resource)

    for link, field, text in PAIN_QUESTIONS:
        score = getattr(checkin, field)
        if score is None:
            continue
        if field == "pain_next_morning":
            light = morning_pain_light(score, baseline_pain, config)
            effective = instant(checkin.pain_next_morning_at) or None
            words = f"against the pain at rest of {baseline_pain}/10"
        else:
            light = pain_light(score, baseline_pain, config)
            effective = None
            words = f"usual pain {baseline_pain}/10"
        found_code = concept(codes.PAIN_NRS, canon.local("checkin", link, text), text=text)
        observation(
            link,
            SURVEY,
            found_code,
            {"valueInteger": score},
            effective,
            interpretation=_light(light, words),
        )
    if checkin.session_rpe is not None:
        observation(
            "rpe",
            SURVEY,
            concept(canon.local("checkin", "session-rpe", "Session effort (Borg RPE 6-20)"), text="Session effort"),
            {"valueInteger": checkin.session_rpe},
            method=concept(codes.BORG_RPE, text="Borg RPE 6-20"),
        )
    heart = heart_rate_findings(checkin.heart_rate_avg, checkin.heart_rate_max, limits, config)
    heart_light = "amber" if heart else ("green" if limits.aerobic.hr_zone_bpm else None)
    heart_words = heart[0].text if heart else "within the zone"
    if checkin.heart_rate_avg is not None:
        observation(
            "heart-rate",
            VITAL_SIGNS,
            concept(codes.HEART_RATE, text="Average heart rate during the session"),
            {"valueQuantity": quantity(checkin.heart_rate_avg, "beats/minute", "/min")},
            interpretation=_light(heart_light, heart_words),
        )
    if checkin.heart_rate_max is not None:
        observation(
            "heart-rate-max",
            ACTIVITY,
            concept(codes.MAX_HEART_RATE, text="Highest heart rate during the session"),
            {"valueQuantity": quantity(checkin.heart_rate_max, "beats/minute", "/min")},
            interpretation=_light(heart_light, heart_words),
        )
    if checkin.spo2_min is not None:
        low = oxygen_findings(checkin.spo2_min, resting_spo2, config)
        observation(
            "spo2",
            VITAL_SIGNS,
            concept(codes.SPO2, text="Lowest oxygen saturation during the session"),
            {"valueQuantity": quantity(checkin.spo2_min, "%")},
            interpretation=_light("red" if low else "green", low[0].text if low else "no desaturation"),
        )
    return found


def _pain_site_words(code: str) -> str | None:
    return PAIN_SITES_BY_CODE[code].label if code in PAIN_SITES_BY_CODE else None


def red_flag_words(code: str) -> str | None:
    """The red flag's words for its coding (none for a code no longer in the vocabulary)."""
    return RED_FLAGS_BY_CODE[code].label if code in RED_FLAGS_BY_CODE else None


def _measure_code(canon: Canon, kind: str) -> tuple[dict, str]:
    measure = MEASURES_BY_CODE.get(kind)
    label = measure.label if measure else kind.replace("_", " ")
    if kind in codes.MEASURE_CODES:
        found, unit = codes.MEASURE_CODES[kind]
        return concept(found, text=label), unit
    return concept(canon.local("measure", kind, label), text=label), codes.LOCAL_MEASURE_UNITS.get(kind, "1")


def _measure_category(kind: str) -> dict:
    if kind in codes.LABORATORY_KINDS:
        return LABORATORY
    if kind in ("haq_di", "patient_global", "physician_global", "fatigue"):
        return SURVEY
    return EXAM


def measurement_observations(canon: Canon, patient, measurements) -> list[dict]:
    """One Observation per measure; the FI-3 tasks of one day are one Observation with a component each."""
    subject = canon.ref("Patient", patient_id(patient), patient.full_name)
    found, fi3_days = [], {}
    for row in measurements:
        if row.kind in codes.FI3_KINDS:
            fi3_days.setdefault(row.measured_on, {})
            # The latest entry of a task on a day wins (rows come newest first).
            fi3_days[row.measured_on].setdefault(row.kind, row)
            continue
        code, unit = _measure_code(canon, row.kind)
        resource = {
            "resourceType": "Observation",
            "id": fhir_id("measurement", row.pk),
            "status": "final",
            "category": [_measure_category(row.kind)],
            "code": code,
            "subject": subject,
            "effectiveDateTime": day(row.measured_on),
            "issued": instant(row.created_at),
            "performer": [canon.ref("Practitioner", practitioner_id(row.recorded_by), row.recorded_by.display_name)],
            "valueQuantity": quantity(row.value, unit),
        }
        if row.upper_limit_normal is not None:
            resource["referenceRange"] = [{"high": quantity(row.upper_limit_normal, unit)}]
            above = row.value > row.upper_limit_normal
            resource["interpretation"] = [
                concept(codes.HIGH if above else codes.NORMAL, text="above" if above else "within the upper limit")
            ]
        if row.notes:
            resource["note"] = [{"text": row.notes}]
        found.append(resource)
    for measured_on, tasks in sorted(fi3_days.items()):
        rows = [tasks[kind] for kind in codes.FI3_KINDS if kind in tasks]
        first = rows[0]
        components = []
        for row in rows:
            code, unit = _measure_code(canon, row.kind)
            components.append({"code": code, "valueQuantity": quantity(row.value, unit)})
        resource = {
            "resourceType": "Observation",
            "id": fhir_id("fi3", patient.pk, measured_on.isoformat()),
            "status": "final",
            "category": [EXAM],
            "code": concept(canon.local("measure", "fi3", "Functional Index 3 (FI-3)"), text="FI-3"),
            "subject": subject,
            "effectiveDateTime": day(measured_on),
            "issued": instant(max(row.created_at for row in rows)),
            "performer": [
                canon.ref("Practitioner", practitioner_id(first.recorded_by), first.recorded_by.display_name)
            ],
            "component": components,
        }
        notes = [row.notes for row in rows if row.notes]
        if notes:
            resource["note"] = [{"text": text} for text in notes]
        found.append(resource)
    return found

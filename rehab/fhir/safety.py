"""Open red-flag alerts as Flags; each weekly progression decision as a Provenance of the CarePlan."""

from rehab.fhir.base import Canon, concept, fhir_id, instant
from rehab.fhir.careplan import PlanRows, careplan_id, service_request_id
from rehab.fhir.observations import red_flag_words
from rehab.fhir.people import PLANNER_DEVICE_ID, clinic_id, patient_id

ACTION_WORDS = {
    "advance": "Advance",
    "hold": "Hold",
    "regress": "Regress",
    "pause_for_review": "Pause for review",
}


def flag_resources(canon: Canon, patient, alerts) -> list[dict]:
    """A Flag per red-flag alert the care team has not acknowledged yet."""
    flags = []
    for alert in alerts:
        reported = list(alert.checkin.red_flags) if alert.checkin is not None else []
        codings = [canon.local("red-flag", code, red_flag_words(code)) for code in reported]
        flag = {
            "resourceType": "Flag",
            "id": fhir_id("alert", alert.pk),
            "status": "active",
            "code": concept(*codings, text=alert.message),
            "subject": canon.ref("Patient", patient_id(patient), patient.full_name),
            "period": {"start": instant(alert.created_at)},
            "author": canon.ref("Device", PLANNER_DEVICE_ID),
        }
        flags.append(flag)
    return flags


def provenance_resources(canon: Canon, patient, rows: PlanRows) -> list[dict]:
    """A Provenance per weekly decision: what it did to the plan, when, and every reason with its rule."""
    plan = rows.plan
    items_by_slug = {item.exercise.slug: item for item in rows.items}
    found = []
    for decision in rows.decisions:
        targets = [canon.ref("CarePlan", careplan_id(plan))]
        for slug in sorted(decision.changes or {}):
            if slug in items_by_slug:
                targets.append(canon.ref("ServiceRequest", service_request_id(plan, items_by_slug[slug])))
        reasons = []
        for reason in decision.reasons or []:
            rule_id = reason.get("rule_id")
            codings = [canon.local("progression-rule", rule_id, reason.get("rule_text"))] if rule_id else []
            reasons.append(concept(*codings, text=reason.get("text") or reason.get("rule_text") or rule_id))
        light = f", {decision.light} week" if decision.light else ""
        action = ACTION_WORDS.get(decision.action, decision.action)
        provenance = {
            "resourceType": "Provenance",
            "id": fhir_id("decision", decision.pk),
            "target": targets,
            "occurredPeriod": rows.week_period(decision.week),
            "recorded": instant(decision.decided_at),
            "activity": concept(
                canon.local("progression-action", decision.action, action),
                text=f"Week {decision.week}: {action.lower()}{light} "
                f"({decision.sessions_done} of {decision.sessions_planned} sessions done)",
            ),
            "agent": [
                {
                    "who": canon.ref("Device", PLANNER_DEVICE_ID),
                    "onBehalfOf": canon.ref("Organization", clinic_id(patient.clinic), patient.clinic.name),
                }
            ],
        }
        if reasons:
            provenance["reason"] = reasons
        checkin_ids = sorted({pk for reason in decision.reasons or [] for pk in reason.get("checkin_ids") or []})
        known = {checkin.pk for checkin in rows.checkins}
        entities = [
            {"role": "source", "what": canon.ref("QuestionnaireResponse", fhir_id("checkin", pk))}
            for pk in checkin_ids
            if pk in known
        ]
        if entities:
            provenance["entity"] = entities
        found.append(provenance)
    return found

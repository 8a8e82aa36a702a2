"""The export as one FHIR R4 Bundle of type "collection": everything of one patient's plans."""

from dataclasses import dataclass, field
from datetime import datetime

from planner.progression_rules import ProgressionConfig, default_progression_config
from rehab.fhir.base import Canon, instant
from rehab.fhir.careplan import PlanRows, careplan_resource, goal_resources, service_request_resources
from rehab.fhir.observations import (
    checkin_observations,
    measurement_observations,
    questionnaire_resource,
    questionnaire_response,
)
from rehab.fhir.people import (
    condition_resources,
    organization_resource,
    patient_resource,
    planner_device,
    practitioner_resource,
    practitioner_role_resource,
)
from rehab.fhir.safety import flag_resources, provenance_resources

CONTENT_TYPE = "application/fhir+json"


@dataclass(frozen=True)
class PatientRows:
    """What one export holds: the patient (with clinic), the care team, the plans, the measures of the
    plans' periods (or all of them) and the open red-flag alerts."""

    patient: object
    care_team: list
    plans: list[PlanRows]
    measurements: list
    alerts: list
    config: ProgressionConfig = field(default_factory=default_progression_config)


def _staff(rows: PatientRows) -> list:
    """Everyone the export names as a practitioner: the care team, plan authors, staff who logged a
    check-in for the patient and staff who recorded a measure, each once, in that order."""
    patient = rows.patient
    users = list(rows.care_team)
    for plan_rows in rows.plans:
        users.append(plan_rows.plan.author)
        users += [c.logged_by for c in plan_rows.checkins if c.logged_by_id != patient.user_id]
    users += [m.recorded_by for m in rows.measurements]
    seen, found = set(), []
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            found.append(user)
    return found


def build_bundle(canon: Canon, rows: PatientRows, *, timestamp: datetime) -> dict:
    patient = rows.patient
    resources = [
        patient_resource(canon, patient),
        organization_resource(canon, patient.clinic),
        planner_device(canon, patient.clinic),
    ]
    for user in _staff(rows):
        resources.append(practitioner_resource(canon, user))
        resources.append(practitioner_role_resource(canon, user, patient.clinic))
    resources += condition_resources(canon, patient)
    if any(plan_rows.checkins for plan_rows in rows.plans):
        resources.append(questionnaire_resource(canon))
    for plan_rows in rows.plans:
        plan = plan_rows.plan
        goals = goal_resources(canon, patient, plan_rows)
        requests = service_request_resources(canon, patient, plan_rows, goals)
        resources.append(careplan_resource(canon, patient, plan_rows, goals, requests, rows.care_team))
        resources += goals
        resources += requests
        resources += provenance_resources(canon, patient, plan_rows)
        assessment = plan.assessment
        for checkin in plan_rows.checkins:
            resources.append(questionnaire_response(canon, patient, plan, checkin))
            resources += checkin_observations(
                canon,
                patient,
                plan,
                checkin,
                baseline_pain=assessment.pain_at_rest,
                resting_spo2=assessment.resting_spo2,
                limits=plan_rows.engine.limits,
                config=rows.config,
            )
    resources += measurement_observations(canon, patient, rows.measurements)
    resources += flag_resources(canon, patient, rows.alerts)
    entries, seen = [], set()
    for resource in resources:
        key = (resource["resourceType"], resource["id"])
        if key not in seen:
            seen.add(key)
            entries.append({"fullUrl": canon.full_url(*key), "resource": resource})
    return {"resourceType": "Bundle", "type": "collection", "timestamp": instant(timestamp), "entry": entries}

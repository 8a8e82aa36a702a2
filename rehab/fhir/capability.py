"""The CapabilityStatement: what the FHIR export offers (two read-only operations returning Bundles)."""

from datetime import datetime

from rehab.fhir import codes
from rehab.fhir.base import instant

# Resource types a Bundle may hold, with the PA IG profile each follows where it follows one.
EXPORTED_TYPES = (
    "Patient",
    "Organization",
    "Practitioner",
    "PractitionerRole",
    "Device",
    "Condition",
    "CarePlan",
    "Goal",
    "ServiceRequest",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
    "Flag",
    "Provenance",
)


def capability_statement(*, api_base: str, software_version: str, published: datetime) -> dict:
    """api_base: the absolute address of /api/v1 (no trailing slash)."""
    resources = []
    for resource_type in EXPORTED_TYPES:
        entry = {"type": resource_type, "interaction": []}
        if resource_type in codes.PA_PROFILES:
            entry["supportedProfile"] = [codes.PA_PROFILES[resource_type]]
        entry["documentation"] = "Not served on its own: carried in the Bundles of the operations below."
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "id": "rehab-planner",
        "url": f"{api_base}/fhir/metadata",
        "name": "RehabPlannerFhirExport",
        "title": "Rehab planner FHIR R4 export",
        "status": "active",
        "date": instant(published),
        "publisher": "Rehab planner",
        "description": "Read-only export of exercise plans, check-ins and measures as FHIR R4 Bundles "
        "(type collection), following the HL7 US Physical Activity IG STU1 where a profile applies (best effort).",
        "kind": "instance",
        "software": {"name": "Rehab planner", "version": software_version},
        "implementation": {"description": "Rehab planner API", "url": api_base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json"],
        "implementationGuide": [f"{codes.PA_IG}/ImplementationGuide/physical-activity"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Token authentication (Authorization: Token <token>). GET "
                f"{api_base}/plans/{{id}}/fhir/ exports one plan; GET {api_base}/patients/{{id}}/fhir/ "
                "exports every plan of one patient. Both answer a Bundle of type collection; an object the "
                "user may not see is a 404.",
                "security": {"description": "Token or session authentication; care team and the patient only."},
                "resource": resources,
            }
        ],
    }

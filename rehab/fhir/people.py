"""Patient, Organization (the clinic), Practitioner and PractitionerRole, Condition, and the Device
that stands for the planner itself (the author of weekly decisions and alerts)."""

import hashlib

from rehab.fhir import codes
from rehab.fhir.base import Canon, concept, day, fhir_id, narrative

PLANNER_DEVICE_ID = "rehab-planner"
ROLE_WORDS = {"physiotherapist": "Physiotherapist", "clinician": "Clinician", "patient": "Patient"}


def patient_id(patient) -> str:
    return fhir_id("patient", patient.pk)


def clinic_id(clinic) -> str:
    return fhir_id("clinic", clinic.pk)


def practitioner_id(user) -> str:
    return fhir_id("practitioner", user.pk)


def role_id(user) -> str:
    return fhir_id("practitioner-role", user.pk)


def condition_id(patient, diagnosis: str) -> str:
    # Keyed by the words, so the id survives a reordering of the patient's diagnoses.
    digest = hashlib.sha256(diagnosis.strip().lower().encode()).hexdigest()[:12]
    return fhir_id("condition", patient.pk, digest)


def diagnoses(patient) -> list[str]:
    """The patient's diagnoses, each once, blanks left out."""
    seen, found = set(), []
    for text in patient.diagnoses or []:
        words = str(text).strip()
        if words and words.lower() not in seen:
            seen.add(words.lower())
            found.append(words)
    return found


def patient_resource(canon: Canon, patient) -> dict:
    telecom = []
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone})
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    resource = {
        "resourceType": "Patient",
        "id": patient_id(patient),
        "identifier": [canon.identifier("patient", patient.pk)],
        "name": [{"family": patient.last_name, "given": [patient.first_name], "text": patient.full_name}],
        "gender": codes.GENDER.get(patient.sex, "unknown"),
        "birthDate": day(patient.date_of_birth),
        "managingOrganization": canon.ref("Organization", clinic_id(patient.clinic), patient.clinic.name),
    }
    if telecom:
        resource["telecom"] = telecom
    return resource


def organization_resource(canon: Canon, clinic) -> dict:
    resource = {
        "resourceType": "Organization",
        "id": clinic_id(clinic),
        "identifier": [canon.identifier("clinic", clinic.pk)],
        "name": clinic.name,
    }
    telecom = [{"system": "phone", "value": clinic.phone}] if clinic.phone else []
    if clinic.email:
        telecom.append({"system": "email", "value": clinic.email})
    if telecom:
        resource["telecom"] = telecom
    if clinic.address:
        resource["address"] = [{"text": clinic.address}]
    return resource


def practitioner_resource(canon: Canon, user) -> dict:
    name = {"text": user.display_name}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    return {
        "resourceType": "Practitioner",
        "id": practitioner_id(user),
        "identifier": [canon.identifier("user", user.pk)],
        "name": [name],
    }


def practitioner_role_resource(canon: Canon, user, clinic) -> dict:
    words = ROLE_WORDS.get(user.role, user.role.replace("_", " ").capitalize())
    return {
        "resourceType": "PractitionerRole",
        "id": role_id(user),
        "active": bool(user.is_active),
        "practitioner": canon.ref("Practitioner", practitioner_id(user), user.display_name),
        "organization": canon.ref("Organization", clinic_id(clinic), clinic.name),
        "code": [concept(canon.local("care-role", user.role, words), text=words)],
    }


def condition_resources(canon: Canon, patient) -> list[dict]:
    """One Condition per diagnosis, in the clinician's words only: no code is guessed from the text."""
    return [
        {
            "resourceType": "Condition",
            "id": condition_id(patient, text),
            "code": {"text": text},
            "subject": canon.ref("Patient", patient_id(patient), patient.full_name),
        }
        for text in diagnoses(patient)
    ]


def planner_device(canon: Canon, clinic) -> dict:
    return {
        "resourceType": "Device",
        "id": PLANNER_DEVICE_ID,
        "text": narrative("The rehab planner's rule engine, which takes the weekly progression decisions."),
        "deviceName": [{"name": "Rehab planner progression engine", "type": "user-friendly-name"}],
        "owner": canon.ref("Organization", clinic_id(clinic), clinic.name),
    }

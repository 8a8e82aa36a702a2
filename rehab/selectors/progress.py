"""The patient's assessments and measurements, read through the clinical scope."""

from django.db.models import QuerySet

from rehab.models import Assessment, Measurement, Patient, User
from rehab.selectors.patients import patient_get


def assessments_of(user: User, patient_id) -> QuerySet[Assessment]:
    patient = patient_get(user, patient_id, clinical=True)
    return patient.assessments.select_related("assessed_by").order_by("-assessed_on", "-id")


def latest_assessment(patient: Patient) -> Assessment | None:
    return patient.assessments.order_by("-assessed_on", "-id").first()


def measurements_of(user: User, patient_id) -> QuerySet[Measurement]:
    patient = patient_get(user, patient_id, clinical=True)
    return patient.measurements.select_related("recorded_by")

"""What a patient set up to be reminded: the devices that receive notifications."""

from django.db.models import QuerySet

from rehab.models import Patient, PushSubscription


def push_subscriptions_of(patient: Patient) -> QuerySet[PushSubscription]:
    """The patient's Web Push subscriptions. The patient was scoped when it was fetched
    (patients.patient_of_login: only the patient's own login reaches this)."""
    return patient.push_subscriptions.all()

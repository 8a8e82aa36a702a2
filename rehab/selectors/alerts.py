"""Alerts for the care team: patients do not receive alerts, they get advice."""

from django.db.models import QuerySet

from rehab.models import Alert, Patient, User
from rehab.selectors.patients import patients_with_clinical_access


def alerts_visible_to(user: User, *, include_acknowledged: bool = False) -> QuerySet[Alert]:
    """Alerts for the staff member's patients (patients do not receive alerts, they get advice)."""
    if not getattr(user, "is_care_staff", False):
        return Alert.objects.none()
    alerts = Alert.objects.filter(patient__in=patients_with_clinical_access(user))
    if not include_acknowledged:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return alerts.select_related("patient", "acknowledged_by").order_by("-urgent", "-created_at")


def alerts_of(user: User, patient: Patient) -> QuerySet[Alert]:
    """One patient's open alerts, urgent first, for the care team."""
    return alerts_visible_to(user).filter(patient=patient)


def alert_to_acknowledge(user: User, alert_id: int) -> Alert | None:
    """An alert of the user's patients, open or already acknowledged; None if they may not see it."""
    return alerts_visible_to(user, include_acknowledged=True).filter(pk=alert_id).first()

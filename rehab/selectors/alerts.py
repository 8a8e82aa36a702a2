"""Alerts for the care team: patients do not receive alerts, they get advice."""

from django.db.models import QuerySet

from rehab.models import Alert, User
from rehab.selectors.patients import patients_with_clinical_access


def alerts_visible_to(user: User, *, include_acknowledged: bool = False) -> QuerySet[Alert]:
    """Alerts for the staff member's patients (patients do not receive alerts, they get advice)."""
    if not getattr(user, "is_care_staff", False):
        return Alert.objects.none()
    alerts = Alert.objects.filter(patient__in=patients_with_clinical_access(user))
    if not include_acknowledged:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return alerts.select_related("patient", "acknowledged_by").order_by("-urgent", "-created_at")

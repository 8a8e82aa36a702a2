"""Alerts for the care team: patients do not receive alerts, they get advice."""

from django.db.models import QuerySet

from rehab.models import Alert, AlertKind, Patient, Plan, User
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


def alerts_that_paused(plan: Plan, *, newest: int = 6) -> list[Alert]:
    """The plan's newest red-flag and red-pain alerts raised by a check-in, check-in joined: what the
    patient's page quotes to say why the plan is paused. The plan was scoped when it was fetched (the
    login's own running plan); the patient reads these through their plan, never as alerts of their own.
    """
    alerts = Alert.objects.filter(plan=plan, kind__in=(AlertKind.RED_FLAG, AlertKind.PAIN_RED), checkin__isnull=False)
    return list(alerts.select_related("checkin").order_by("-created_at")[:newest])


def plan_alerts(plan: Plan) -> QuerySet[Alert]:
    """Every alert of the plan, acknowledged or not, newest first, with who acknowledged it: the plan's
    record for its care team. The plan was scoped when it was fetched (selectors.plan_get)."""
    return Alert.objects.filter(plan=plan).select_related("acknowledged_by").order_by("-created_at")

"""Audit rows contributed by plans and alerts, merged into a patient's trail."""


def extra_audit_entries(patient) -> list[dict]:
    """Every plan change (with overrides) and every alert (red flags included) for the patient."""
    from rehab.models import Alert
    from rehab.selectors import plan_history

    entries = []
    for plan in patient.plans.all():
        for entry in plan_history(plan):
            entries.append({**entry, "object": f"plan {plan.pk}: {entry['object']}", "changes": []})
    for alert in Alert.objects.filter(patient=patient).select_related("acknowledged_by"):
        entries.append(
            {
                "at": alert.created_at,
                "object": "alert",
                "object_id": alert.pk,
                "action": alert.kind,
                "by": "patient report" if alert.checkin_id else "system",
                "reason": alert.message,
                "changes": [],
            }
        )
        if alert.acknowledged_at:
            entries.append(
                {
                    "at": alert.acknowledged_at,
                    "object": "alert",
                    "object_id": alert.pk,
                    "action": "acknowledged",
                    "by": alert.acknowledged_by.display_name if alert.acknowledged_by else None,
                    "reason": alert.acknowledgement_note,
                    "changes": [],
                }
            )
    return entries

"""Audit rows contributed by plans and alerts, merged into a patient's trail."""


def extra_audit_entries(patient) -> list[dict]:
    """Every plan change (with overrides) and every alert (red flags included) for the patient."""
    from rehab.models import Alert
    from rehab.selectors import plan_history

    entries = []
    for plan in patient.plans.all():
        for entry in plan_history(plan):
            changed = (
                [{"field": entry["field"], "before": entry["before"], "after": entry["after"]}]
                if entry["object"] == "change"
                else []
            )
            entries.append({**entry, "object": f"plan {plan.pk}: {entry['object']}", "changes": changed})
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
    entries.extend(_activation_entries(patient))
    return entries


def _activation_entries(patient) -> list[dict]:
    """Each sign-in link: who issued it and where it went (never the link), and how it ended."""
    from rehab.models import ActivationChannel, ActivationLink

    entries = []
    for link in ActivationLink.objects.filter(patient=patient).select_related("issued_by"):
        by = link.issued_by.display_name if link.issued_by else None
        if link.channel == ActivationChannel.HANDOVER:
            what = f"QR code shown once to {by or 'a physiotherapist'} for hand-over in person"
        else:
            how = "email" if link.channel == ActivationChannel.EMAIL else "text message"
            what = f"Sent by {how} to {link.destination}"
        entry = {"object": "sign-in link", "object_id": link.pk, "changes": []}
        entries.append({**entry, "at": link.issued_at, "action": "issued", "by": by, "reason": what})
        if link.ended_at:
            entries.append(
                {
                    **entry,
                    "at": link.ended_at,
                    "action": link.end_reason,
                    "by": None,
                    "reason": link.get_end_reason_display(),
                }
            )
    return entries

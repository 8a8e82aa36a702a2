"""A patient's audit trail: who changed what on the record, its assessments, plans, alerts and
sign-in links, when and why, newest first.

Objects, actions and fields are codes (the API gives them as they are; the staff page says them in the
reader's words, frontend/staff/audit_words.py); the texts built here are in the active language. A stored
reason is given as stored (English for product texts) with, under "said", its catalogue template when it
kept one (an alert's, a reassessment's), from which the page says it in the reader's language."""

from typing import Any

from django.utils.translation import gettext

from rehab.models import ActivationChannel, ActivationLink, Alert, Assessment, ProgressionDecision, User
from rehab.selectors.patients import patient_get
from rehab.selectors.plans import plan_history, plan_reason_templates


def patient_audit_trail(user: User, patient_id) -> list[dict]:
    """Who changed what on the patient's record and assessments, when and why, newest first."""
    patient = patient_get(user, patient_id, clinical=True)
    entries = _history_entries("patient", patient.history.select_related("history_user"))
    assessment_rows = Assessment.history.model.objects.filter(patient_id=patient.pk).select_related("history_user")
    entries += _history_entries("assessment", assessment_rows)
    entries.extend(extra_audit_entries(patient))
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries


def decisions_by_plan(patient) -> dict[int, dict[int, ProgressionDecision]]:
    """The patient's weekly decisions, {plan id: {week: decision}}, in one query: a page says the plan
    changes they wrote in the reader's language from them (frontend.staff.decision_words)."""
    found: dict[int, dict[int, ProgressionDecision]] = {}
    for row in ProgressionDecision.objects.filter(plan__patient=patient):
        found.setdefault(row.plan_id, {})[row.week] = row
    return found


def _history_entries(kind: str, rows) -> list[dict]:
    """One entry per history row, diffed against the previous row of the same object.

    Diffs are computed in memory over one ordered fetch, so the trail costs one query per
    kind of object rather than one per row.
    """
    entries = []
    previous_by_object: dict[int, Any] = {}  # history rows: simple_history's models have no types
    for row in rows.order_by("history_date", "history_id"):
        previous = previous_by_object.get(row.id)
        changes = []
        if previous is not None:
            delta = row.diff_against(previous, foreign_keys_are_objs=False)
            changes = [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]
        previous_by_object[row.id] = row
        entries.append(
            {
                "at": row.history_date,
                "object": kind,
                "object_id": row.id,
                "action": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                "by": row.history_user.display_name if row.history_user else None,
                "reason": row.history_change_reason or "",
                "said": getattr(row, "history_change_said", None),  # a patient record's reason's template
                "changes": changes,
            }
        )
    return entries


def extra_audit_entries(patient) -> list[dict]:
    """Every plan change (with overrides) and every alert (red flags included) for the patient."""
    entries = []
    for plan in patient.plans.all():
        templates = plan_reason_templates(plan)
        for entry in plan_history(plan):
            changed = (
                [{"field": entry["field"], "before": entry["before"], "after": entry["after"]}]
                if entry["object"] == "change"
                else []
            )
            # "object" keeps the API's "plan 7: change"; plan and part let a page say it in words.
            part = entry["object"]
            entries.append(
                {
                    **entry,
                    "object": f"plan {plan.pk}: {part}",
                    "plan": plan.pk,
                    "part": part,
                    "changes": changed,
                    "said": templates.get(entry["reason"]),
                }
            )
    for alert in Alert.objects.filter(patient=patient).select_related("acknowledged_by"):
        entries.append(
            {
                "at": alert.created_at,
                "object": "alert",
                "object_id": alert.pk,
                "action": alert.kind,
                "by": "patient report" if alert.checkin_id else "system",
                "reason": alert.message,
                "said": alert.said,
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
    entries = []
    for link in ActivationLink.objects.filter(patient=patient).select_related("issued_by"):
        by = link.issued_by.display_name if link.issued_by else None
        if link.channel == ActivationChannel.HANDOVER:
            what = gettext("QR code shown once to %(who)s for hand-over in person") % {
                "who": by or gettext("a physiotherapist")
            }
        elif link.channel == ActivationChannel.EMAIL:
            what = gettext("Sent by email to %(address)s") % {"address": link.destination}
        else:
            what = gettext("Sent by text message to %(number)s") % {"number": link.destination}
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

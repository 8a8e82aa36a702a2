"""Audit rows contributed by later features (plans, alerts), merged into a patient's trail."""


def extra_audit_entries(patient) -> list[dict]:
    return []

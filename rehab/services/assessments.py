"""Recording clinical assessments."""

from django.db import transaction

from rehab.models import Assessment, Patient, Role, User
from rehab.services.errors import NotAllowed


@transaction.atomic
def assessment_create(*, actor: User, patient: Patient, **fields) -> Assessment:
    """Physiotherapists and clinicians on the care team record assessments."""
    if actor.role not in (Role.PHYSIOTHERAPIST, Role.CLINICIAN):
        raise NotAllowed("Only physiotherapists and clinicians record assessments.")
    assessment = Assessment(patient=patient, assessed_by=actor, **fields)
    assessment.full_clean()
    assessment._change_reason = "Assessment recorded"
    assessment.save()
    return assessment

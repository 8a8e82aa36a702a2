"""Recording clinical assessments; a new one is put in force on the running plan at once."""

from django.db import transaction
from django.utils.translation import gettext

from rehab.clinical import assessment_date_problem
from rehab.models import Assessment, Patient, User
from rehab.services.errors import InvalidInput, NotAllowed
from rehab.services.reassessment import plan_reassess
from rehab.stored_words import ASSESSMENT_RECORDED


@transaction.atomic
def assessment_create(*, actor: User, patient: Patient, **fields) -> Assessment:
    """Physiotherapists and clinicians on the care team record assessments.

    In the same transaction the patient's running plan is reassessed (rehab.services.reassessment):
    stricter limits apply at once, a flare pauses the plan and alerts the care team, looser limits
    are proposed. What happened is on the returned row as `running_plan` (a RunningPlanOutcome, or
    None when the patient has no running plan); it is not stored on the assessment.
    """
    if not actor.is_care_staff:
        raise NotAllowed(gettext("Only physiotherapists and clinicians record assessments."))
    assessed_on = fields.get("assessed_on")
    problem = assessment_date_problem(patient.date_of_birth, assessed_on) if assessed_on is not None else None
    if problem:
        raise InvalidInput({"assessed_on": [problem]})
    assessment = Assessment(patient=patient, assessed_by=actor, **fields)
    assessment.full_clean()
    assessment._change_reason = ASSESSMENT_RECORDED  # type: ignore[attr-defined]  # django-simple-history's reason for the next save()
    assessment.save()
    # Not a field: what recording it did to the running plan, for the answer to show.
    assessment.running_plan = plan_reassess(actor=actor, assessment=assessment)  # type: ignore[attr-defined]
    return assessment

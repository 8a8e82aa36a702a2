"""Check-ins (sessions, pain reports) the user may see."""

from django.db.models import QuerySet
from django.http import Http404

from rehab.models import CheckIn, User
from rehab.selectors.patients import patients_with_clinical_access


def checkins_visible_to(user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(patient__in=patients_with_clinical_access(user))


def checkins_listed(user: User, *, patient_id: int | None = None, plan_id: int | None = None) -> QuerySet[CheckIn]:
    """The check-ins the API lists for the user, items prefetched, narrowed to one patient or plan."""
    checkins = checkins_visible_to(user).prefetch_related("items")
    if patient_id is not None:
        checkins = checkins.filter(patient_id=patient_id)
    if plan_id is not None:
        checkins = checkins.filter(plan_id=plan_id)
    return checkins


def checkin_get(user: User, checkin_id) -> CheckIn:
    try:
        return checkins_visible_to(user).select_related("plan", "patient").get(pk=checkin_id)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404("No such check-in.") from None

"""Check-ins (sessions, pain reports) the user may see."""

from django.db.models import QuerySet
from django.http import Http404

from rehab.models import CheckIn, User
from rehab.selectors.patients import patients_with_clinical_access


def checkins_visible_to(user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(patient__in=patients_with_clinical_access(user))


def checkin_get(user: User, checkin_id) -> CheckIn:
    try:
        return checkins_visible_to(user).select_related("plan", "patient").get(pk=checkin_id)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404("No such check-in.") from None

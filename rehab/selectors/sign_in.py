"""Reads behind signing in: a patient's sign-in link by id and the last refused password at an address (the
API tokens a presented token may be: rehab.selectors.api_tokens).

No patient data leaves here: rehab.activation checks a link's secret before it hands the row on, and
rehab.signin only turns the time into a lock-out's end.
"""

from datetime import datetime

from axes.models import AccessAttempt
from django.utils import timezone

from rehab.models import ActivationLink


def open_activation_link(link_id: int, *, for_update: bool = False) -> ActivationLink | None:
    """The sign-in link with this id if it is open (not used, replaced, spent or expired), its login
    and patient joined; with `for_update` its row is locked inside the caller's transaction."""
    rows = ActivationLink.objects.select_related("user", "patient")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(pk=link_id, ended_at__isnull=True, expires_at__gt=timezone.now()).first()


def last_failed_sign_in(username: str | None, address: str | None) -> datetime | None:
    """When the last refused sign-in for this username from this address happened, if any (django-axes)."""
    return (
        AccessAttempt.objects.filter(username=username, ip_address=address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )

"""Recording staff reads of patient data in the append-only access log (rehab.models.access).

What is recorded, and why so:

- Reads by staff only (physiotherapists, clinicians, clinic admins). A patient reading their own
  record is not an access by someone else, and the log is there to show the patient who looked.
- One row per patient whose data the answer carried. A detail read names the object it read
  (plan, check-in ...); a list read (check-ins, plans) writes one row per patient on the page
  shown, with no object id, so each patient sees that their data appeared in someone's list.
  Directory reads (the patient list, the caseload and the dashboard) are not recorded: they
  would bury the reads that matter under a row per patient per page load.
- Recorded only after the selector let the read through: an unseen object is a 404 and leaves
  no row. It costs one INSERT per request, whatever the number of patients: one statement sent
  alone (rehab.bulk_sql.insert_rows; bulk_create wrapped it in a BEGIN and a COMMIT of its own, two
  more round trips on every audited read) and bound on the server, so it is prepared once.
- The address is the client's as the sign-in throttle sees it (django-axes' resolver, which
  honours TRUSTED_PROXY_COUNT and X-Forwarded-For), so the two logs agree.
"""

from collections.abc import Iterable
from functools import cache

from axes.helpers import get_client_ip_address
from django.db import connection
from django.utils import timezone

from rehab.bulk_sql import insert_rows, server_bound_cursor
from rehab.models import AccessKind, RecordAccess, Role


def request_surface(request) -> str:
    """Where the read came from: "api:<route name>" or "page:<page name>"."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unknown"
    prefix = "page" if "frontend" in match.namespaces else "api"
    return f"{prefix}:{match.url_name}"


def request_address(request) -> str | None:
    django_request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    return get_client_ip_address(django_request) or None


def record_reads(
    *,
    request,
    kind: AccessKind,
    patient_ids: Iterable[int],
    object_id: int | None = None,
    surface: str | None = None,
) -> list[RecordAccess]:
    """Record that request.user read `kind` of each patient in `patient_ids` (one INSERT).

    Returns the stored rows; nothing is stored for a patient reading their own data, for an
    anonymous request or for an empty list.
    """
    user = request.user
    if not getattr(user, "is_authenticated", False) or user.role == Role.PATIENT:
        return []
    ids = list(dict.fromkeys(patient_ids))  # each patient once, in the order shown
    if not ids:
        return []
    address = request_address(request)
    where = surface or request_surface(request)
    rows = [
        RecordAccess(actor=user, patient_id=pk, kind=kind, object_id=object_id, address=address, surface=where)
        for pk in ids
    ]
    insert_rows(RecordAccess, rows)
    return rows


def record_read(*, request, kind: AccessKind, patient_id: int, object_id: int | None) -> None:
    """record_reads for one patient's object, the same row written without building it as a model
    first: the plan GET lane's audit (rehab.api.plan_get_fast), on every staff read of a cached plan,
    where building the row and its statement cost more than the rest of the lane's Python."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or user.role == Role.PATIENT:
        return
    sql, fields = _insert_one(connection.vendor)
    given = {
        "at": timezone.now(),  # auto_now_add, as a save sets it
        "actor": user.pk,
        "patient": patient_id,
        "kind": kind,
        "object_id": object_id,
        "address": request_address(request),
        "surface": request_surface(request),
    }
    params = [field.get_db_prep_save(given[field.name], connection) for field in fields]
    with server_bound_cursor() as cursor:
        cursor.execute(sql, params)


@cache
def _insert_one(vendor: str) -> tuple[str, tuple]:
    """One access row's INSERT, in the form insert_rows writes it, without RETURNING (nobody needs the id)."""
    pk = RecordAccess._meta.pk
    fields = tuple(field for field in RecordAccess._meta.concrete_fields if field is not pk)
    quote = connection.ops.quote_name
    cast = "CAST(%s AS {})" if vendor == "postgresql" else "%s"
    values = ", ".join(cast.format(field.db_type(connection)) for field in fields)
    names = ", ".join(quote(str(field.column)) for field in fields)
    # Only quoted model names and placeholders are formatted in; every value is a parameter.
    return f"INSERT INTO {quote(RecordAccess._meta.db_table)} ({names}) VALUES ({values})", fields  # noqa: S608

"""Sign-in throttling on every login surface (/login/, /admin/login/, /api/v1/auth/token/).

Two limits, both telling the person until when they must wait:

- Lock-out (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username from one address
  lock that username at that address for AXES_COOLOFF_MINUTES. Keyed on both, so a stranger
  elsewhere cannot lock a clinician out.
- Per address: SIGNIN_ADDRESS_FAILURE_LIMIT failed sign-ins from one address, whatever the
  usernames, within SIGNIN_ADDRESS_WINDOW_MINUTES stop every sign-in from that address until the
  window ends (guessing across many usernames). Counted in the cache (CACHE_URL shares it).
"""

from datetime import datetime, timedelta

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from rehab import selectors

_COUNT = "signin:address:{}:count"
_UNTIL = "signin:address:{}:until"


def signin_paths() -> tuple[str, ...]:
    return (reverse("frontend:login"), reverse("admin:login"), reverse("api-token"))


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def refusal_response(request, *, until: datetime, reason: str) -> JsonResponse:
    """429 saying why and until when: JSON for the API, the locked-out page for people."""
    local = timezone.localtime(until)
    when = local.strftime("%H:%M") + (f" {local.tzname()}" if local.tzname() else "")
    if _is_api(request):
        detail = f"{reason} Try again after {when}."
        response = JsonResponse({"detail": detail, "locked_until": until.isoformat()}, status=429)
        response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
        return response
    response = render(
        request, "frontend/locked_out.html", {"reason": reason, "until": local, "until_text": when}, status=429
    )
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the username is locked at this address until the last failure + cool-off."""
    username = get_client_username(request, credentials)
    address = get_client_ip_address(request)
    last = selectors.last_failed_sign_in(username, address)
    until = (last or timezone.now()) + (get_cool_off(request) or timedelta(0))
    reason = "This account is locked for a short time: the password was wrong too many times."
    return refusal_response(request, until=until, reason=reason)


def address_failure_record(sender, credentials=None, request=None, **kwargs):
    """user_login_failed receiver: count the failure against the client's address."""
    if request is None:
        return
    address = get_client_ip_address(request)
    if not address:
        return
    window = settings.SIGNIN_ADDRESS_WINDOW_MINUTES * 60
    until = timezone.now() + timedelta(seconds=window)
    cache.add(_UNTIL.format(address), until.isoformat(), timeout=window)
    cache.add(_COUNT.format(address), 0, timeout=window)
    try:
        cache.incr(_COUNT.format(address))
    except ValueError:  # expired between add and incr
        cache.set(_COUNT.format(address), 1, timeout=window)


def address_refused_until(request) -> datetime | None:
    address = get_client_ip_address(request)
    if not address or cache.get(_COUNT.format(address), 0) < settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
        return None
    until = cache.get(_UNTIL.format(address))
    return datetime.fromisoformat(until) if until else timezone.now()


class SignInAddressThrottleMiddleware:
    """Refuses sign-in attempts (POSTs to a login surface) from an address over its failure limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in signin_paths():
            until = address_refused_until(request)
            if until is not None:
                reason = "Too many failed sign-ins from this network."
                return refusal_response(request, until=until, reason=reason)
        return self.get_response(request)

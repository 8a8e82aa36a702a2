"""The headers a lane's answer gets from the middleware it answers in front of.

The two API lanes (the check-in POST, rehab/api/checkin_fast.py, and the plan GET,
rehab/api/plan_get_fast.py) sit first after the request log, in front of the middleware that only put
headers on an answer or turn a request away: security headers, Content-Security-Policy,
Permissions-Policy, no-store, the language, Content-Length, X-Frame-Options (every MIDDLEWARE entry
between the lanes and the browser middleware, from SessionMiddleware on, which the lanes never need).
What those put on a lane's answer depends on nothing but whether the request came over HTTPS (HSTS),
the answer's status and its own headers (its Content-Type, Vary, Allow, and the language it is worded
in: LocaleMiddleware keeps a Content-Language set, a 304 has no Content-Type), the time (Expires), the
body's length and the answer's own ETag, which they pass through. So the lane runs the real middleware
once for each such (HTTPS, status, headers) shape around an empty answer of that shape, keeps the
headers they made, and puts those on each answer with that moment's Expires, that body's length and
that answer's ETag: what every answer carries, without building a policy header string and parsing
Cache-Control again on every request. The lanes' paths are ones those middleware treat like any other
API path (no static prefix, no exemption). tests/rehab/test_checkin_lane_headers.py and
tests/rehab/test_plan_get_lane_headers.py compare every header with the DRF view's answer to the same
request, 304s included.

Before answering, a lane checks what those middleware would turn away (a host not allowed, an HTTP
request when HTTPS is required, a user agent refused, a www redirect) and then leaves the request to
them; and it activates the request's language as LocaleMiddleware does (the reader's own, activated
next as token auth does, is what the answer is worded in).
"""

from functools import cache, reduce

from django.conf import settings
from django.core.exceptions import DisallowedHost, ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils.http import http_date
from django.utils.module_loading import import_string

LANES = ("rehab.api.checkin_fast.CheckInFastPath", "rehab.api.plan_get_fast.PlanGetFastLane")
BROWSER_MIDDLEWARE_FROM = "django.contrib.sessions.middleware.SessionMiddleware"
# Set on each answer, not kept: the moment (no-store's Expires is now), the body's length and the
# answer's own ETag (the middleware leave it as it is).
PER_ANSWER = ("Expires", "Content-Length", "ETag")

_templates: dict = {}


def answer_in_front(request) -> bool:
    """Whether the middleware the lane answers in front of would let this request through untouched,
    with the language it asks for activated as LocaleMiddleware does (else the lane leaves it to them)."""
    if settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW:
        return False  # CommonMiddleware's refusals and redirects: not worth repeating here
    try:
        request.get_host()  # CommonMiddleware's check of ALLOWED_HOSTS (DisallowedHost: a 400)
    except DisallowedHost:
        return False
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False  # SecurityMiddleware redirects it (the lane's path is not one it exempts)
    _locale().process_request(request)
    return True


def dress(request, response: HttpResponse) -> HttpResponse:
    """`response` with the headers those middleware put on it, as they would."""
    key = (
        request.is_secure(),
        response.status_code,
        tuple(item for item in response.headers.items() if item[0] not in PER_ANSWER),
    )
    headers = _templates.get(key)
    if headers is None:
        headers = _templates[key] = _headers_of_middleware(request, response)
    # In the order the middleware put them on (a client sees the same header list); None marks one whose
    # value is this answer's own.
    for name, value in headers:
        if value is None:
            if name == "ETag":
                continue  # the answer's own, where the answer put it
            value = http_date() if name == "Expires" else str(len(response.content))
        response.headers[name] = value
    return response


def through_middleware(request, response):
    """`response` as the middleware the lane answers in front of make it (the lane's rare error answers)."""
    return _chain(lambda _request: response)(request)


def _headers_of_middleware(request, response: HttpResponse) -> tuple:
    """What the real middleware chain makes of an answer shaped like `response` for this request."""
    probe = HttpResponse(b"", status=response.status_code)
    del probe.headers["Content-Type"]  # only the answer's own: a 304 has none
    for name, value in response.headers.items():
        probe.headers[name] = value
    dressed = _chain(lambda _request: probe)(request)
    assert dressed is probe, "a middleware in front of the lane answered instead"
    return tuple((name, None if name in PER_ANSWER else value) for name, value in dressed.headers.items())


def _chain(innermost):
    classes = [import_string(path) for path in _answered_in_front_of()]
    return reduce(lambda inner, middleware: middleware(inner), reversed(classes), innermost)


def _answered_in_front_of() -> list[str]:
    """The middleware from the first lane to the browser middleware, the lanes left out. A lane placed
    after one of them would get that one's headers twice: refused."""
    names = list(settings.MIDDLEWARE)
    lanes = [n for n, name in enumerate(names) if name in LANES]
    in_front = [name for name in names[lanes[0] + 1 : names.index(BROWSER_MIDDLEWARE_FROM)] if name not in LANES]
    if lanes != list(range(lanes[0], lanes[0] + len(lanes))):
        raise ImproperlyConfigured(f"the lanes {LANES} must stand together in MIDDLEWARE, in front of {in_front}")
    return in_front


@cache
def _locale() -> LocaleMiddleware:
    return LocaleMiddleware(lambda request: None)


@receiver(setting_changed)
def _forget_templates(**kwargs):
    _templates.clear()
    _locale.cache_clear()

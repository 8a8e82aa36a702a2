"""The headers the check-in lane's answer gets from the middleware it answers in front of.

The lane (rehab/api/checkin_fast.py) sits first after the request log, in front of the middleware that
only put headers on an answer or turn a request away: security headers, Content-Security-Policy,
Permissions-Policy, no-store, the language, Content-Length, X-Frame-Options (every MIDDLEWARE entry
between the lane and the browser middleware, from SessionMiddleware on, which the lane never needed).
Their headers on the lane's one kind of answer (a 201 JSON check-in on one path) depend on nothing but
whether the request came over HTTPS (HSTS), the language it is worded in (Content-Language, named by
the lane as UserLanguageMiddleware names it: LocaleMiddleware keeps a Content-Language set), the time
(Expires) and the body's length. So the lane runs the real middleware once for each (HTTPS, language)
around an answer of its own shape, keeps the headers they added, and puts those on each answer with
that moment's Expires and that body's length: what every answer carries, without building a policy
header string and parsing Cache-Control again on every check-in. tests/rehab/test_checkin_lane_headers.py
compares every header with the DRF view's answer to the same request.

Before answering, the lane checks what those middleware would turn away (a host not allowed, an HTTP
request when HTTPS is required, a user agent refused, a www redirect) and then leaves the request to
them; and it activates the request's language as LocaleMiddleware does (the patient's own, activated
next as token auth does, is what the answer's advice is worded in).
"""

from functools import cache, reduce

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils.http import http_date
from django.utils.module_loading import import_string

LANE = "rehab.api.checkin_fast.CheckInFastPath"
BROWSER_MIDDLEWARE_FROM = "django.contrib.sessions.middleware.SessionMiddleware"
# Set on each answer, not kept: the moment (no-store's Expires is now) and the body's length.
PER_ANSWER = ("Expires", "Content-Length")

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
    key = (request.is_secure(), response.headers.get("Content-Language"))
    headers = _templates.get(key)
    if headers is None:
        headers = _templates[key] = _headers_of_middleware(request, response)
    for name, value in headers.items():
        response.headers[name] = value
    response.headers["Expires"] = http_date()
    response.headers["Content-Length"] = str(len(response.content))
    return response


def through_middleware(request, response):
    """`response` as the middleware the lane answers in front of make it (the lane's rare error answers)."""
    return _chain(lambda _request: response)(request)


def _headers_of_middleware(request, response: HttpResponse) -> dict:
    """What the real middleware chain makes of an answer shaped like `response` for this request."""
    probe = HttpResponse(b"", status=response.status_code, content_type=response["Content-Type"])
    for name, value in response.headers.items():
        probe.headers[name] = value
    dressed = _chain(lambda _request: probe)(request)
    assert dressed is probe, "a middleware in front of the lane answered instead"
    return {name: value for name, value in dressed.headers.items() if name not in PER_ANSWER}


def _chain(innermost):
    classes = [import_string(path) for path in _answered_in_front_of()]
    return reduce(lambda inner, middleware: middleware(inner), reversed(classes), innermost)


def _answered_in_front_of() -> list[str]:
    names = list(settings.MIDDLEWARE)
    return names[names.index(LANE) + 1 : names.index(BROWSER_MIDDLEWARE_FROM)]


@cache
def _locale() -> LocaleMiddleware:
    return LocaleMiddleware(lambda request: None)


@receiver(setting_changed)
def _forget_templates(**kwargs):
    _templates.clear()
    _locale.cache_clear()

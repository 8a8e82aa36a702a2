"""GET plans/{id}/'s fast lane: the compact answer the cache holds, read with an API token.

The compact answer is kept as the bytes sent (rehab.api.plan_cache), so a warm read's own work is a
token check, the reader's scope with the plan's markers, a cache look-up and (for staff) the read
audit's row. The full stack spent more than that on machinery such a read does not use: the header
middleware, sessions, CSRF, messages, MFA, the sign-in throttle and lock-out middleware, URL
resolving, DRF's request wrapping, negotiation, versioning and exception handling. `PlanGetFastLane`
sits in MIDDLEWARE first after the request log, next to the check-in lane, and answers
`GET /api/v1/plans/{id}/` itself when all of this holds:

- the middleware in front of which it answers would let the request through (an allowed host, HTTPS
  when required); its answer then gets every header they would put on it (rehab/api/lane_headers.py);
- no query string (so no `?include=`, `?patient=` or `?format=`), an Accept that gets JSON anyway,
  no session cookie (a signed-in browser takes the full stack, whose language it may choose), and
  `Authorization: Token <token>` of an active login whose token has not expired (knox's check, the
  digest compared in constant time);
- the plan is within the reader's scope (the very query the DRF view runs, rehab.selectors.plan_markers,
  sent with the token's own read once this process knows the token's login: token_reader) and its
  compact answer is in this process's or the shared cache, under the key the view would use;
- DRF's throttles for the view allow it (the same classes, cache keys and rates).

Then it answers as the view does, with the same bytes, ETag (a 304 for a matching If-None-Match) and
headers (DRF's, the session's Vary: Cookie, the language's and those of the middleware it answers in
front of), after recording the read in the row the view's record_reads writes (record_read, in
rehab.services.access). An error in the lane is Django's 500, dressed by those middleware as the full
stack's would be. Otherwise
(no or a bad token, an expired one, an inactive login, a plan the reader may not see, a cache miss, a
refused throttle, HEAD and every other method) the request goes on down the full stack untouched:
each hand-over comes before anything is written or counted, so every other answer, the 401, 404 and
429 included, is the DRF view's own.
"""

import re
from collections.abc import Sequence
from functools import cache
from hmac import compare_digest
from typing import Any

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.urls import ResolverMatch, get_script_prefix, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings

from rehab import selectors
from rehab.api import lane_headers
from rehab.api.checkin_fast import JSON_ACCEPTS, presented_token
from rehab.api.ids import ID_PATTERN, MAX_ID
from rehab.api.plan_cache import answer_response, kept_answer
from rehab.i18n import activate_chosen_language
from rehab.models import AccessKind, User
from rehab.services.access import record_read


class PlanGetFastLane:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and not request.META.get("QUERY_STRING"):
            found = _route().pattern.fullmatch(request.path_info)
            if found is not None:
                try:
                    response = fast_plan_get(request, found.group("pk"))
                except Exception as error:
                    return error_answer(request, error)
                if response is not None:
                    return response
        return self.get_response(request)


class _Route:
    """The plan detail's path as a pattern, its resolver match and a DRF view instance as the router
    makes it (for its permissions, throttles and response headers)."""

    def __init__(self):
        sample = str(MAX_ID)
        path = reverse("plan-detail", kwargs={"pk": sample})
        path = "/" + path.removeprefix(get_script_prefix())  # reverse() puts the script prefix in front
        head, tail = path.split(sample)
        self.pattern = re.compile(re.escape(head) + f"(?P<pk>{ID_PATTERN})" + re.escape(tail))
        self.match = resolve(path)
        if self.match.url_name != "plan-detail" or self.match.kwargs != {"pk": sample}:
            raise RuntimeError(f"{path} does not resolve to plan-detail")  # the pattern would be wrong
        view = self.match.func.cls(**self.match.func.initkwargs)
        for method, action in self.match.func.actions.items():
            setattr(view, method, getattr(view, action))
        view.head = view.get  # as DRF's as_view does for a view that answers GET
        view.action_map, view.action, view.detail = self.match.func.actions, "retrieve", True
        self.view = view
        headers = dict(view.default_response_headers)
        self.vary = [value.strip() for value in headers.pop("Vary", "").split(",") if value.strip()]
        self.headers = headers

    def match_for(self, pk: str):
        """The resolver match Django would set for this plan's path (the request log and the audit read it)."""
        sample = self.match
        return ResolverMatch(
            sample.func,
            (),
            {"pk": pk},
            url_name=sample.url_name,
            app_names=sample.app_names,
            namespaces=sample.namespaces,
            route=sample.route,
            tried=sample.tried,
            captured_kwargs={"pk": pk},
            extra_kwargs=sample.extra_kwargs,
        )


@cache
def _route() -> _Route:
    return _Route()


def fast_plan_get(request, pk: str):
    """The cached compact answer (200 or 304); None hands the request on to the full stack as it came."""
    meta = request.META
    if meta.get("HTTP_ACCEPT", "") not in JSON_ACCEPTS or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if knox_settings.AUTO_REFRESH:
        return None  # renewing the token on use is knox's job
    header = meta.get("HTTP_AUTHORIZATION", "")
    if presented_token(header) is None:
        return None  # the DRF view's 401 or its other authentication: no query here
    if not lane_headers.answer_in_front(request):
        return None
    reader = token_reader(header, int(pk))
    if reader is None:
        return None
    user, markers = reader
    # The language LocaleMiddleware activated for the request: the thread goes back to it afterwards, as
    # UserLanguageMiddleware does it on the full stack (which sets the request's LANGUAGE_CODE again).
    requested = translation.get_language()
    request.user = user  # the permissions', throttles', audit's and request log's reader
    try:
        response = _answer(request, user, pk, markers)
    except Exception as error:
        activate_chosen_language(request, user)  # the 500 in the reader's language, as the view's would be
        return error_answer(request, error)
    finally:
        if requested:
            translation.activate(requested)
    if response is None:  # the full stack sees the request as it came
        del request.user
    return response


def error_answer(request, error: Exception):
    """Django's own answer to an error in the lane (its 500, logged) as the full stack would give it: with
    the language it is in, the session's Vary: Cookie, and dressed by the middleware in front of which
    the lane answered. Not handed on: the read may already be in the audit log."""
    response = response_for_exception(request, error)
    response.headers.setdefault("Content-Language", translation.get_language())  # UserLanguageMiddleware's
    patch_vary_headers(response, ["Cookie"])
    return lane_headers.through_middleware(request, response)


def _answer(request, user, pk: str, markers):
    route = _route()
    view = route.view
    permissions = view.get_permissions()
    if not all(permission.has_permission(request, view) for permission in permissions):
        return None
    if markers is NOT_READ:
        try:
            markers = selectors.plan_markers(user, int(pk))
        except Http404:
            return None  # the DRF view's 404, from the same query
    if markers is None:
        return None  # not in the reader's scope: the DRF view's 404
    if not all(permission.has_object_permission(request, view, markers) for permission in permissions):
        return None
    activate_chosen_language(request, user)  # as the token authentication does: the key names the language
    answer = kept_answer(markers)
    if answer is None:
        return None  # the DRF view builds it and keeps it
    if not all(throttle.allow_request(request, view) for throttle in view.get_throttles()):
        return None  # DRF refuses it again (a refusal counts nothing) and answers 429
    request.resolver_match = route.match_for(pk)
    # A 304 is a read too: the reader was told that the copy they hold is the plan as it is.
    record_read(request=request, kind=AccessKind.PLAN, patient_id=markers.patient_id, object_id=markers.plan_id)
    response = answer_response(request, answer)
    # DRF's headers as its finalize_response puts them: Vary first, then the others (the order a client sees).
    patch_vary_headers(response, route.vary)
    for name, value in route.headers.items():
        response[name] = value
    # The full stack reads the session on the way to the view (Vary: Cookie) and names the language the
    # answer is in (rehab.i18n.UserLanguageMiddleware).
    patch_vary_headers(response, ["Cookie"])
    response.headers.setdefault("Content-Language", translation.get_language())
    return lane_headers.dress(request, response)


NOT_READ = object()  # the plan's markers were not read with the token (token_reader)
# The login each token key was last seen to name in this process: (id, role, clinic id), and a stand-in
# User with just those (what the scope query is built from). It only chooses which scope query is sent
# with the token's own read, saving a round trip; that query's row is used only when the login read in
# the same statement is this one (the scope depends on nothing else of it).
_READERS: dict[str, tuple[tuple, User]] = {}
MAX_READERS = 4096


def token_reader(header: str, plan_id: int):
    """(the login, the plan's markers) for an `Authorization: Token <token>` header of a live token of an
    active login; the markers are None when the plan is not in the login's scope, NOT_READ when they were
    not read with the token. None for any other header, which the DRF view's authentication answers
    (401, and an expired token deleted as knox does)."""
    token = presented_token(header)
    if token is None:
        return None
    try:
        digest = hash_token(token)
    except (TypeError, ValueError):
        return None
    key = token[: CONSTANTS.TOKEN_KEY_LENGTH]
    guessed = _READERS.get(key)
    guess = read = None
    if guessed is not None:
        guess, stand_in = guessed
        read = selectors.plan_markers_read(stand_in, plan_id)
    candidates: Sequence[tuple[Any, tuple | None]]
    if read is None:
        candidates = [(auth_token, None) for auth_token in selectors.api_tokens_for_key(key)]
    else:
        candidates = selectors.api_tokens_for_key_with(key, read)
    for auth_token, row in candidates:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            return None
        if compare_digest(digest, auth_token.digest):
            user = auth_token.user
            if not user.is_active:
                return None
            seen = remember_reader(key, user, guessed)
            if row is None or seen != guess:
                return user, NOT_READ
            return user, selectors.plan_markers_of_row(row)
    return None


def remember_reader(key: str, user, guessed: tuple | None = None) -> tuple:
    """Remember that the token key `key` names `user` (kept as it was when `guessed` says so already)."""
    seen = (user.pk, user.role, user.clinic_id)
    if guessed is None or guessed[0] != seen:
        if len(_READERS) >= MAX_READERS:
            _READERS.clear()
        _READERS[key] = (seen, User(pk=seen[0], role=seen[1], clinic_id=seen[2]))
    return seen


def remembered_reader(key: str) -> tuple | None:
    """(id, role, clinic id) of the login this process last saw the token key name, if any."""
    guessed = _READERS.get(key)
    return None if guessed is None else guessed[0]


def forget_readers() -> None:
    """Forget which login each token key named (tests: a rolled-back database reuses ids)."""
    _READERS.clear()

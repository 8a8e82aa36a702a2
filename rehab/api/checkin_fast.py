"""The check-in POST's fast path: a patient logging a plain session with their own API token.

This is the API's busiest write (every patient, after every session), and the full stack spent most
of its CPU on machinery such a request does not use: sessions, CSRF, messages, MFA, the sign-in
throttle and lock-out middleware, DRF's request wrapping and negotiation, and building the check-in
serializer's fields twice per request. `CheckInFastPath` sits in MIDDLEWARE first after the request
log and answers `POST /api/v1/checkins/` itself when all of this holds:

- the middleware in front of which it answers would let the request through (an allowed host, HTTPS
  when required), and its answer then gets every header they would put on it (rehab/api/lane_headers.py);

- `Authorization: Token <token>` of an active patient login whose token has not expired (knox's own
  check: the digest compared in constant time), JSON in UTF-8, no query string, an Accept that gets
  JSON anyway, and a well-formed Idempotency-Key (or none);
- the body passes the very CheckInSerializer the DRF view uses (one instance, built once: the fields
  are the same objects, so the same values pass and come out the same); the common well-formed body
  is read without it, into what it would make of it (rehab/api/checkin_plain_body.py);
- it is a session on the patient's own running plan (no `plan`, or that plan's id), and needs no
  follow-up and no reading of the assessment or the limits: no red flag, no pain above the red
  threshold, no pulse-oximeter or heart-rate reading (those take the full path, which queues the
  follow-up and its outbox row in the check-in's transaction, as before);
- DRF's throttles for the view allow it (the same classes, cache keys and rates).

Then it stores the check-in through the same service (checkins.checkin_record: items checked against
the plan, the unique constraints for the day and the key) and answers 201 with the serializer's own
representation, DRF's headers and the middleware's, worded in the patient's language as token auth
activates it. Whenever anything is otherwise (an invalid field, a bad or expired
token, a staff login, a retried key, a refused date, a red flag), the request goes on down the full
stack untouched, so every error and every other answer is exactly what the DRF view gives: nothing
was written before the hand-over (the service's transaction rolls back what it refuses). A hand-over
after the throttle counted the request counts it twice, which only ever happens to a retry or a refusal.
"""

import json
import math
import re
import uuid
from functools import cache
from hmac import compare_digest

from django.core.handlers.exception import response_for_exception
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpResponse
from django.urls import resolve, reverse
from django.utils import translation
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import PKOnlyObject
from rest_framework.renderers import JSONRenderer

from rehab import selectors
from rehab.api import lane_headers
from rehab.api.checkin_plain_body import plain_fields
from rehab.api.checkins import CheckInSerializer, PlanItemIdField
from rehab.api.ids import IDEMPOTENCY_KEY_PATTERN, MAX_ID
from rehab.clinical import red_pain_threshold
from rehab.i18n import activate_chosen_language
from rehab.models import CheckInKind
from rehab.services import checkins as checkin_services
from rehab.services.errors import InvalidInput, NotAllowed

JSON_ACCEPTS = ("", "*/*", "application/json")
MAX_BODY = 64 * 1024  # a session of every exercise is a few KB; anything larger takes the full path
# What would make the check-in need its follow-up or read the assessment and limits (full path).
FOLLOW_UP_FIELDS = ("red_flags", "spo2_min", "heart_rate_avg", "heart_rate_max")
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)


class CheckInFastPath:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info == _route().path:
            try:
                response = fast_checkin(request)
            except Exception as error:
                # Django's own answer to the error (its 500, logged), dressed by the middleware in front of
                # which the lane answered, as it would have been behind them. Not handed on: a check-in
                # may already be stored.
                return lane_headers.through_middleware(request, response_for_exception(request, error))
            if response is not None:
                return response
        return self.get_response(request)


class _Route:
    """The check-in list's URL, its resolver match (for the request log) and the DRF view's headers."""

    def __init__(self):
        self.path = reverse("checkin-list")
        self.match = resolve(self.path)
        view = self.match.func.cls(**self.match.func.initkwargs)
        for method, action in self.match.func.actions.items():
            setattr(view, method, getattr(view, action))
        view.head = view.get  # as DRF's as_view does for a view that answers GET
        view.action_map, view.action = self.match.func.actions, "create"
        self.view = view
        self.headers = view.default_response_headers


@cache
def _route() -> _Route:
    return _Route()


@cache
def _serializer():
    """The DRF view's CheckInSerializer, built once: validating and representing with it is stateless."""
    return CheckInSerializer()


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")  # DRF's JSON parser refuses NaN and Infinity too


def fast_checkin(request) -> HttpResponse | None:
    """The 201 for a plain session of the patient's own running plan; None hands the request on."""
    meta = request.META
    if meta.get("QUERY_STRING") or meta.get("HTTP_ACCEPT", "") not in JSON_ACCEPTS:
        return None
    if not meta.get("CONTENT_LENGTH", "").isdigit() or not 0 < int(meta["CONTENT_LENGTH"]) <= MAX_BODY:
        return None
    if request.content_type != "application/json" or request.content_params.get("charset", "utf-8").lower() not in (
        "utf-8",
        "utf8",
    ):
        return None
    token = presented_token(meta.get("HTTP_AUTHORIZATION", ""))
    if token is None:
        return None
    if knox_settings.AUTO_REFRESH:
        return None  # renewing the token on use is knox's job
    key = meta.get("HTTP_IDEMPOTENCY_KEY")
    if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
        return None
    if not lane_headers.answer_in_front(request):
        return None
    data = _session_fields(request.body)
    if data is None:
        return None
    user, plan = _token_owner_and_plan(token, data)
    if plan is None:
        return None
    request.user = user  # the request log's user id, and the throttles' key
    requested = translation.get_language()
    # The answer's advice in the patient's language, as token auth makes it on the full path.
    activate_chosen_language(request, user)
    try:
        return _stored_answer(request, user, plan, data, key)
    finally:
        translation.activate(requested)  # the thread back to the request's language, as UserLanguageMiddleware


def _stored_answer(request, user, plan, data: dict, key: str | None) -> HttpResponse | None:
    route = _route()
    if not all(throttle.allow_request(request, route.view) for throttle in route.view.get_throttles()):
        return None
    data.pop("plan_id", None)
    try:
        checkin, created = checkin_services.checkin_record(
            actor=user, plan=plan, idempotency_key=key or f"server-{uuid.uuid4()}", **data
        )
    except (InvalidInput, NotAllowed):
        return None
    if not created:
        return None  # a retried key: the full path answers with the first check-in
    request.resolver_match = route.match
    body = JSONRenderer().render(_representation(checkin))
    response = HttpResponse(body, status=201, content_type="application/json")
    for name, value in route.headers.items():
        response[name] = value
    response.headers["Content-Language"] = translation.get_language()  # as UserLanguageMiddleware names it
    return lane_headers.dress(request, response)


def _session_fields(body: bytes) -> dict | None:
    """The serializer's validated data for a plain session, or None (invalid, or not plain)."""
    try:
        payload = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except ValueError:
        return None
    if not isinstance(payload, dict) or any(payload.get(name) for name in FOLLOW_UP_FIELDS):
        return None
    items = payload.pop("items", empty)
    try:
        data = plain_fields(payload)  # the common body read directly; None: the serializer reads it
        if data is None:
            data = dict(_serializer().run_validation(payload))
        if items is not empty:
            data["items"] = _validated_items(items)
    except serializers.ValidationError:
        return None
    if data["kind"] != CheckInKind.SESSION or any(data.get(name) for name in FOLLOW_UP_FIELDS):
        return None
    threshold = red_pain_threshold()
    if any((data.get(name) or 0) > threshold for name in ("pain_during", "pain_after", "pain_next_morning")):
        return None
    return data


def _validated_items(items) -> list[dict]:
    """What the items field validates `items` into (ValidationError otherwise), the item serializer's
    work skipped for each value its field would return unchanged (plain_value)."""
    child = _serializer().fields["items"].child
    if type(items) is not list:
        return child.parent.run_validation(items)  # raises: not a list
    fields, required = _item_fields()
    validated = []
    for item in items:
        if type(item) is dict and required <= item.keys() and item.keys() <= fields.keys():
            plain = {}
            for name, value in item.items():
                field = fields[name]
                if plain_value(field, value):
                    plain[name] = value
                elif isinstance(field, serializers.DecimalField):
                    plain[name] = field.run_validation(value)
                else:
                    break
            else:
                validated.append(plain)
                continue
        validated.append(child.run_validation(item))
    return validated


@cache
def _item_fields():
    """The item serializer's writable fields by name, and the names it requires."""
    child = _serializer().fields["items"].child
    fields = {field.field_name: field for field in child._writable_fields}
    return fields, frozenset(name for name, field in fields.items() if field.required)


def plain_value(field, value) -> bool:
    """Whether DRF's `field` validates `value` into `value` itself, told without running it: None where
    null is allowed, a bool for a BooleanField, an int within an IntegerField's bounds or an item id.
    Anything else (strings, floats, an out-of-range number) is for the field itself to judge."""
    if value is None:
        return field.allow_null
    if type(value) is bool:
        return type(field) is serializers.BooleanField
    if type(value) is not int:
        return False
    if type(field) is serializers.IntegerField:
        low, high = _int_bounds(field)
        return low <= value <= high
    return isinstance(field, PlanItemIdField) and 0 <= value <= MAX_ID


@cache
def _int_bounds(field) -> tuple[float, float]:
    """An IntegerField's bounds from its own validators; (1, 0), accepting nothing, if any validator is
    not a bound, so such a field always validates by itself."""
    low, high = -math.inf, math.inf
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = min(high, validator.limit_value)
        else:
            return 1, 0
    return low, high


def _representation(checkin) -> dict:
    """CheckInSerializer's representation of a check-in just stored, its items written out directly."""
    body = {}
    for field in _serializer()._readable_fields:
        if field.field_name == "items":
            body["items"] = [_item_representation(row) for row in selectors.checkin_items(checkin)]
            continue
        attribute = field.get_attribute(checkin)
        present = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        body[field.field_name] = None if present is None else field.to_representation(attribute)
    return body


def _item_representation(row) -> dict:
    """An item as the item serializer shows it: ids, ints and bools as stored, decimals by their field."""
    body = {}
    for name, attribute, decimal in _item_shown():
        value = getattr(row, attribute)
        body[name] = value if decimal is None or value is None else decimal.to_representation(value)
    return body


@cache
def _item_shown() -> tuple:
    """(name, the row's attribute, the DecimalField that writes it out or None) of each item field shown."""
    fields, _required = _item_fields()
    return tuple(
        (
            name,
            "plan_item_id" if name == "plan_item" else name,
            field if isinstance(field, serializers.DecimalField) else None,
        )
        for name, field in fields.items()
    )


def presented_token(header: str) -> str | None:
    """The token of `Token <token>` as knox's authentication splits the header; None for anything else
    (a header that is not ASCII too: the full path reads it as knox does). The plan GET lane reads it here."""
    if not header.isascii():
        return None
    credentials = header.split()
    if len(credentials) != 2 or credentials[0].lower() != knox_settings.AUTH_HEADER_PREFIX.lower():
        return None
    return credentials[1]


def _token_owner_and_plan(token: str, data: dict):
    """(the login, its running plan) when `token` is a live token of an active patient login with a
    running plan, else (None, None). The selector leaves out expired tokens and inactive logins: knox
    deletes an expired token as it refuses it, and the full path does that."""
    items = [item["plan_item"] for item in data.get("items", [])]
    candidates = selectors.own_plans_for_token(
        token[: CONSTANTS.TOKEN_KEY_LENGTH], item_ids=items, pain_item_id=data.get("pain_item")
    )
    try:
        digest = hash_token(token)
    except (TypeError, ValueError):
        return None, None
    found = [plan for plan in candidates if compare_digest(digest, plan.token_digest)]
    if len(found) != 1:
        return None, None
    plan = found[0]
    if data.get("plan_id", empty) not in (empty, plan.pk):
        return None, None  # another plan: the full path answers 404 or 400
    return plan.patient.user, plan

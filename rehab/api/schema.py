"""The OpenAPI schema says what every operation really answers, errors included.

drf-spectacular documents the success answer a view declares; this AutoSchema adds the 4xx each
operation can give, with their real bodies and headers, unless the view already declares that code:

- 400 a message per field (`{"field": ["..."]}`, nested for nested fields) for every operation that
  takes a body or validates a query parameter;
- 401 with `WWW-Authenticate: Token` for an operation that needs a signed-in user and got none;
- 403 when the role may not do it; 404 for an id the user may not see (or that cannot exist) and for
  a page past the end of a list; 409 where the record's state refuses the change;
- 415 for a body that is not JSON, a form or multipart; 429 when throttled (`Retry-After`).

It also documents pagination as it really is: only a viewset's `list` (and the generic list views)
are paginated; extra actions such as a patient's audit trail or a plan's history answer a plain list.

The contract test (tests/rehab/test_api_contract.py, schemathesis) holds every answer to this.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

Detail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
FieldErrors = inline_serializer(
    "FieldErrors",
    {
        "non_field_errors": serializers.ListField(
            child=serializers.CharField(), required=False, help_text="Errors about the request as a whole."
        )
    },
)
Throttled = inline_serializer(
    "Throttled",
    {
        "detail": serializers.CharField(),
        "locked_until": serializers.DateTimeField(
            required=False, help_text="Sign-in only: the account is locked at this address until then."
        ),
    },
)

# Operations whose service refuses a change the record's state does not allow (rehab.services.errors.Conflict),
# keyed by (view class name, action or method).
CONFLICTS = {
    ("AlertViewSet", "acknowledge"): "This alert was already acknowledged.",
    ("PlanViewSet", "update_item"): "A stale version, or a completed or archived plan.",
    ("PlanViewSet", "limits"): "A stale version, or a completed or archived plan.",
    ("PlanViewSet", "activate"): "Not a draft, or a stale version.",
    ("PlanViewSet", "resume"): "Not paused, or a stale version.",
    ("PlanViewSet", "clearance"): "The plan's rules ask for no clearance, or the plan has finished.",
    ("PlanViewSet", "create"): "The template named is archived.",
    ("TemplateViewSet", "partial_update"): "The template is archived.",
    ("TemplateViewSet", "archive"): "The template is already archived.",
}
# Operations that answer 404 when the record named in their body is not one the user may see.
BODY_NOT_FOUND = {
    ("CheckInViewSet", "create"): "The plan named is not one this user may log against.",
    ("PlanViewSet", "create"): "The patient (or template) named is not one this user may see.",
    ("TemplateViewSet", "create"): "The plan named is not one this user may see.",
}
# Operations without a request body that still answer 400 (their service checks the record).
BODILESS_400 = {("PlanEmailView", "post"): "Only an active plan can be sent; the patient needs an email address."}


def _header(description: str) -> dict:
    return {"schema": {"type": "string"}, "description": description}


class AutoSchema(SpectacularAutoSchema):
    def _get_paginator(self):
        # Extra actions (audit, history ...) answer a plain list; only `list` pages.
        action = getattr(self.view, "action", None)
        if action is not None and action != "list":
            return None
        return super()._get_paginator()

    def _operation_key(self):
        return type(self.view).__name__, getattr(self.view, "action", None) or self.method.lower()

    def _needs_sign_in(self) -> bool:
        permissions = getattr(self.view, "permission_classes", [])
        return not any(permission is AllowAny for permission in permissions)

    def _validates_query(self) -> bool:
        declared = [p for p in self._get_parameters() if p.get("in") == "query" and p.get("name") != "page"]
        return bool(declared)

    def _is_paginated_list(self) -> bool:
        return self._get_paginator() is not None and self._is_list_view() and self.method == "GET"

    def _error_responses(self) -> dict:
        key = self._operation_key()
        errors = {}
        has_body = self.method not in SAFE_METHODS and bool(self._get_request_body())
        if has_body or self._validates_query() or key in BODILESS_400:
            errors[400] = OpenApiResponse(
                FieldErrors,
                description=BODILESS_400.get(
                    key, 'A message per field, e.g. {"note": ["This field is required."]}; nothing is stored.'
                ),
            )
        if self._needs_sign_in():
            errors[401] = OpenApiResponse(Detail, description="No valid token: sign in at auth/token/.")
            errors[403] = OpenApiResponse(Detail, description="Signed in, but this role may not do this.")
        if "{" in self.path or self._is_paginated_list() or key in BODY_NOT_FOUND:
            errors[404] = OpenApiResponse(
                Detail,
                description=BODY_NOT_FOUND.get(
                    key, "No such record for this user (or a page past the end of the list)."
                ),
            )
        if key in CONFLICTS:
            errors[409] = OpenApiResponse(Detail, description=CONFLICTS[key] + " Nothing is stored.")
        if has_body:
            errors[415] = OpenApiResponse(Detail, description="The body is not JSON, a form or multipart.")
        errors[429] = OpenApiResponse(Throttled, description="Too many requests; `Retry-After` says when to retry.")
        return errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, response in self._error_responses().items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
            elif "content" not in responses[str(code)]:
                # Declared with a description only: keep it, add the real body.
                body = self._get_response_for_code(response, str(code), direction=direction)
                responses[str(code)]["content"] = body["content"]
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "401":
            headers.setdefault("WWW-Authenticate", _header("`Token`: send `Authorization: Token <token>`."))
        if str(status_code) == "429":
            headers.setdefault("Retry-After", _header("Seconds to wait before trying again."))
        return headers

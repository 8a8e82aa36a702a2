"""Request logging: one line per request, JSON in production, and no tracebacks for expected 4xx.

The line carries the method, the URL *template* (`/api/v1/plans/{id}/`, never the filled-in path
or query string), the status, the duration and the user's id. Nothing from a body, a query
string or a patient's record is ever logged here: names, notes and health values stay out of logs.

Django itself logs every 4xx on `django.request` (a 403 with a full traceback); those are
answers, not faults, so `DropClientErrors` keeps only 5xx records there, which carry the
traceback of a server error exactly once.
"""

import json
import logging
import re
import time
from datetime import UTC, datetime
from functools import lru_cache

logger = logging.getLogger("rehab.request")

# `(?P<pk>[^/.]+)` in a router's regex becomes `{id}`, as the OpenAPI schema names it (the API's one
# parameter convention, rehab/api/urls.py); anchors and escapes are dropped.
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def route_template(request) -> str:
    """The URL pattern that answered, e.g. `/api/v1/plans/{id}/activate/`; `-` when none matched."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.route:
        return "-"
    return _template_of(match.route)


@lru_cache(maxsize=512)  # the project's routes are a few hundred: each is rewritten once per process
def _template_of(route: str) -> str:
    route = _NAMED_GROUP.sub(r"{\1}", route)
    route = _CONVERTER.sub(r"{\1}", route)
    route = route.replace("^", "").replace("$", "").replace("\\", "").replace("{pk}", "{id}")
    return "/" + route


class RequestLogMiddleware:
    """Logs one line per request on `rehab.request`, after the response is built.

    First in MIDDLEWARE, so the duration covers the whole stack and an exception raised
    anywhere below has already been turned into a 500 response by Django.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
        if not logger.isEnabledFor(level):
            return response  # LOG_LEVEL=WARNING: the 2xx and 3xx lines are not written, so not made
        template = route_template(request)
        logger.log(
            level,
            "%s %s %s %.1fms user=%s",
            request.method,
            template,
            status,
            duration_ms,
            user_id if user_id is not None else "-",
            extra={
                "http": {
                    "method": request.method,
                    "path": template,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                }
            },
        )
        return response


class DropClientErrors(logging.Filter):
    """Keep `django.request` records of server errors (5xx) only; a 4xx is an answer, not a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        return status is None or status >= 500


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request fields, any traceback.

    Django's records carry the request object; only our own `http` fields are written, so a
    request's body, headers or query string never reach the log.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        http = getattr(record, "http", None)
        if isinstance(http, dict):
            entry.update(http)
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)

"""The compact plan answer (GET plans/{id}/ without `?include=`) kept as the JSON bytes sent, with an ETag.

Building the answer rebuilds the typed engine plan from its rows and walks every item, its dose and
its rules; the same answer is read many times between two changes (the patient's phone, the care
team's pages and apps). So the bytes are kept in Django's default cache (Redis when CACHE_URL is set),
and a read costs the reader's scope check, which fetches the plan's markers in the same query
(rehab.selectors.plan_markers), and one look-up: this process's own recent answers first, then the
shared cache.

The key names everything the answer depends on, so an entry is never stale and nothing has to be
invalidated by the code that writes:

- the plan's id, version and last save (`updated_at`: every service that changes a plan saves its
  row, a medical clearance included, which leaves the version alone), and the newest version its
  item rows were stored at;
- the week it shows: the patient's today in their own zone decides it (Plan.edit_week), and the
  answer depends on the day only through that week, so the days of one week share an entry;
- the supervised sessions done (logging one saves a check-in, not the plan);
- the words it shows from other rows: the patient's name and the author's;
- the reader's language, the API version and SHAPE, a digest of the code that builds the answer, so
  a release that changes the answer never serves an entry made by the one before.

Left out: the name of the clinician who granted a clearance (shown with it) is read when the entry
is built; a renamed user shows in it within CACHE_SECONDS. The answer is the same for every reader
who may see the plan; who may is checked before the cache is asked, so a plan the reader may not see
is a 404 however warm its entry.

The ETag is a digest of the bytes; a client that sends it back in If-None-Match gets a 304 without a
body while the answer is unchanged. The answer stays `Cache-Control: no-store` (rehab.headers): the
client keeps its copy in its own storage, no browser cache or proxy does.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import orjson
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.functional import Promise
from django.utils.http import parse_etags
from django.utils.translation import get_language

from rehab.api.plan_representation import plan_representation
from rehab.models import Plan
from rehab.selectors.plan_markers import PlanMarkers

# An entry's key changes whenever its answer would; this bounds the memory old entries hold, and how
# long a renamed clearance grantor shows under their old name.
CACHE_SECONDS = 60 * 60
API_VERSION = "v1"

_ROOT = Path(__file__).resolve().parents[2]
# The code an answer is made by: the representation, the engine's types and their serialisation, how
# a plan is read back from rows, and the clearance members.
_SHAPE_SOURCES = (
    "rehab/api/plan_cache.py",
    "rehab/api/plan_representation.py",
    "rehab/api/clearance.py",
    "rehab/clearance.py",
    "rehab/services/plan_store.py",
    "planner/serialize.py",
    "planner/storage.py",
    "planner/types.py",
)


def _shape() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for name in _SHAPE_SOURCES:
        path = _ROOT / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


SHAPE = _shape()


@dataclass(frozen=True)
class Answer:
    etag: str  # quoted, as the header carries it
    body: bytes


def _json_default(value):
    # orjson knows dates, datetimes, dataclasses and enums; these two are what DRF's encoder adds.
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(data) -> bytes:
    """JSON as DRF's renderer writes it (compact, UTF-8, a UTC datetime ending in Z), about ten times
    faster: orjson."""
    return orjson.dumps(data, default=_json_default, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


def cache_key(markers: PlanMarkers, *, api_version: str | None = None) -> str:
    """The key of the plan's compact answer, from the markers the reader's scope check read."""
    words = hashlib.blake2b(repr((markers.patient_name, markers.author_name)).encode(), digest_size=8)
    return ":".join(
        str(part)
        for part in (
            "plan-get",
            api_version or API_VERSION,
            SHAPE,
            get_language() or "",
            markers.plan_id,
            markers.version,
            markers.updated_at,
            markers.items_written,
            markers.shown_week(),
            markers.supervised_done,
            words.hexdigest(),
        )
    )


def compact_answer(markers: PlanMarkers, load: Callable[[], Plan], *, api_version: str | None = None) -> Answer:
    """The plan's compact answer: kept by this process, else from the shared cache, else built from the
    plan `load` reads, kept in both and returned."""
    key = cache_key(markers, api_version=api_version)
    answer = _kept(key)
    if answer is None:
        body = to_json(plan_representation(load()))
        answer = Answer(f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"', body)
        cache.set(key, (answer.etag, answer.body), CACHE_SECONDS)
        _keep_here(key, answer)
    return answer


def kept_answer(markers: PlanMarkers, *, api_version: str | None = None) -> Answer | None:
    """The plan's compact answer if this process or the shared cache holds it, else None (nothing is
    built): the GET fast lane (rehab.api.plan_get_fast) hands a miss to the DRF view, which builds it."""
    return _kept(cache_key(markers, api_version=api_version))


def _kept(key: str) -> Answer | None:
    answer = _kept_here(key)
    if answer is not None:
        return answer
    shared = cache.get(key)
    if shared is None:
        return None
    answer = Answer(*shared)
    _keep_here(key, answer)
    return answer


# Answers this process served lately, in front of the shared cache: its client costs about a
# millisecond of CPU a read (a client object and a round trip). The key says everything an answer
# depends on, so an entry here is as current as the shared one; it lives no longer (CACHE_SECONDS).
_HERE: OrderedDict[str, tuple[float, Answer]] = OrderedDict()
KEPT_HERE = 256  # about 4 MB of demo-sized answers per process
_here_lock = threading.Lock()


def _kept_here(key: str) -> Answer | None:
    with _here_lock:
        entry = _HERE.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del _HERE[key]
            return None
        _HERE.move_to_end(key)
        return entry[1]


def _keep_here(key: str, answer: Answer) -> None:
    with _here_lock:
        _HERE[key] = (time.monotonic() + CACHE_SECONDS, answer)
        _HERE.move_to_end(key)
        while len(_HERE) > KEPT_HERE:
            _HERE.popitem(last=False)


def forget_kept_answers() -> None:
    """Drop the answers this process keeps (tests: a rolled-back database hands out the same plan ids
    and, under a frozen clock, the same times again)."""
    with _here_lock:
        _HERE.clear()


def answer_response(request: HttpRequest, answer: Answer) -> HttpResponse:
    """200 with the bytes and their ETag, or 304 (no body, the same ETag) when If-None-Match names it
    (or is "*"). Weak comparison, as RFC 9110 asks of If-None-Match."""
    held = {tag.removeprefix("W/") for tag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))}
    if answer.etag in held or "*" in held:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(answer.body, content_type="application/json")
    response["ETag"] = answer.etag
    return response

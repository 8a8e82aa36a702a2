"""The Redis cache backend: one Redis client per connection pool, and an unreachable Redis read as empty.

One client per pool: Django's RedisCache makes a new `redis.Redis` object for every get, set or
delete; building one fills its table of several hundred reply callbacks, which cost about half a
millisecond of CPU per call: more than the round trip itself. The API's throttles read and write the
cache on every request, so the check-in POST paid it twice. A redis-py client holds no connection of
its own (it borrows one from its pool for each command) and may be shared between threads, so one
client per pool answers exactly as a fresh one would. Django keeps one backend object per thread
anyway (`django.core.cache.caches`).

Unreachable read as empty: everything we keep in the cache can be made again (a plan's rendered
answer, a PDF's bytes, the clinical library's version) or is a limit on abuse (the API's throttles,
the sign-in address counter; the per-account lock-out is in the database). Django's backend raises
when Redis is down or stops answering, which made every API request a 500 and lost the patient's
check-in with it. So a command that fails to reach Redis answers as an empty cache that keeps nothing
would (a miss, a write that is not kept, an `incr` of a missing key), logged; and for
`CACHE_RETRY_AFTER` seconds after such a failure this process does not try Redis again, so a Redis
that stops answering costs one socket timeout (CACHE_SOCKET_TIMEOUT) now and then, not one per call.
/health/ still reports the cache (its probe reads back what it wrote).
"""

import logging
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What a command raises when Redis is away or silent (redis-py's TimeoutError is not a ConnectionError).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _Outage:
    """Until when this process leaves Redis alone after a failed command (monotonic seconds)."""

    def __init__(self):
        self._until = 0.0
        self._lock = threading.Lock()

    def ongoing(self) -> bool:
        return time.monotonic() < self._until

    def began(self, error: Exception) -> None:
        with self._lock:
            first = not self.ongoing()
            self._until = time.monotonic() + settings.CACHE_RETRY_AFTER
        if first:
            logger.error("Cache unreachable, served as empty for %ss: %r", settings.CACHE_RETRY_AFTER, error)


outage = _Outage()


def _as_empty(empty):
    """The client method, answering `empty(args)` (what an empty cache would) when Redis is unreachable."""

    def decorate(method):
        @wraps(method)
        def answer(self, *args, **kwargs):
            if outage.ongoing():
                return empty(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                outage.began(error)
                return empty(*args, **kwargs)

        return answer

    return decorate


def _missing_key(key, delta):
    raise ValueError(f"Key {key!r} not found.")  # what Django's incr says of a missing key


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict = {}
        self._scripts: dict = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def run_script(self, text: str, keys: list, args: list, *, unreachable):
        """`text` run as a Lua script on the writing client (by its hash, EVALSHA: the text sent once);
        `unreachable` when Redis cannot be reached."""
        if outage.ongoing():
            return unreachable
        script = self._scripts.get(text)
        if script is None:
            script = self._scripts[text] = self.get_client(write=True).register_script(text)
        try:
            return script(keys=keys, args=args)
        except UNREACHABLE as error:
            outage.began(error)
            return unreachable

    # An empty cache that keeps nothing: every read misses, every write is accepted and forgotten.
    get = _as_empty(lambda key, default: default)(RedisCacheClient.get)
    get_many = _as_empty(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _as_empty(lambda key: False)(RedisCacheClient.has_key)
    add = _as_empty(lambda key, value, timeout: True)(RedisCacheClient.add)
    set = _as_empty(lambda key, value, timeout: None)(RedisCacheClient.set)
    set_many = _as_empty(lambda data, timeout: [])(RedisCacheClient.set_many)
    touch = _as_empty(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _as_empty(lambda key: False)(RedisCacheClient.delete)
    delete_many = _as_empty(lambda keys: None)(RedisCacheClient.delete_many)
    incr = _as_empty(_missing_key)(RedisCacheClient.incr)
    clear = _as_empty(lambda: False)(RedisCacheClient.clear)


class SharedClientRedisCache(RedisCache):
    """settings.CACHES' backend when CACHE_URL is set: Django's RedisCache, one client per pool, and
    an unreachable Redis answered as an empty cache."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient

"""DRF's sliding-window throttles, each request decided in one Redis round trip.

DRF's SimpleRateThrottle keeps a request's history (the timestamps within the window, newest first)
as one cache value: it reads it, drops the timestamps older than the window, refuses at the limit or
else adds this request's timestamp and writes the list back. That is two round trips per API request
(the check-in POST's busiest cost after PostgreSQL), and two concurrent requests can both read the
same history and both pass at the limit. With the Redis cache (CACHE_URL) the same steps run inside
Redis as one script on a Redis list: one round trip, atomic. The window stays DRF's sliding one
(a fixed INCR window would let twice the rate through at a window's edge); the rates, scopes, keys'
identities and the Retry-After (`wait()`) are DRF's. Any other cache (LocMem in development and
tests on the embedded defaults) keeps DRF's own get-and-set.

The DRF views and the check-in fast path (rehab/api/checkin_fast.py) take their throttles from
REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES, so both count against one budget per user.
"""

from django.core.cache import caches
from rest_framework import throttling

from rehab.cache import SharedClientRedisCache

# KEYS[1]: the window's list, newest first. ARGV: now, the window in seconds, the limit.
# Returns {allowed, requests in the window (this one included when allowed), the oldest timestamp}.
_SLIDE = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local oldest = redis.call('LINDEX', key, -1)
while oldest and tonumber(oldest) <= now - window do
  redis.call('RPOP', key)
  oldest = redis.call('LINDEX', key, -1)
end
local count = redis.call('LLEN', key)
if count >= limit then
  return {0, count, oldest or false}
end
redis.call('LPUSH', key, ARGV[1])
redis.call('EXPIRE', key, ARGV[2])
return {1, count + 1, oldest or ARGV[1]}
"""


class OneRoundTripThrottle(throttling.SimpleRateThrottle):
    """SimpleRateThrottle's decision in one Redis script when the cache is Redis."""

    # Not DRF's key: the value is a Redis list, not a pickled Python list (no WRONGTYPE while both run).
    cache_format = "throttle-window_%(scope)s_%(ident)s"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        backend = caches["default"]
        if not isinstance(backend, SharedClientRedisCache):
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        # Redis unreachable: the request passes (a throttle limits abuse; refusing every patient's
        # check-in while Redis is away would lose them). rehab/cache.py logs the outage.
        allowed, count, oldest = backend._cache.run_script(
            _SLIDE,
            keys=[backend.make_and_validate_key(self.key)],
            args=[repr(self.now), self.duration, self.num_requests],
            unreachable=(1, 0, None),
        )
        if allowed:
            return True
        # What wait() reads of DRF's history: how many requests are in the window and the oldest one's time.
        self.history = [float(oldest)] * count if oldest is not None else []
        return False


class AnonRateThrottle(throttling.AnonRateThrottle, OneRoundTripThrottle):
    pass


class UserRateThrottle(throttling.UserRateThrottle, OneRoundTripThrottle):
    pass


class ScopedRateThrottle(throttling.ScopedRateThrottle, OneRoundTripThrottle):
    pass

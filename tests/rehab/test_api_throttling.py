"""The API's throttles decide in one Redis round trip exactly as DRF's own sliding window decides."""

import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle

from rehab.api.throttling import OneRoundTripThrottle
from rehab.cache import SharedClientRedisCache


@pytest.fixture
def redis_cache():
    if not isinstance(caches["default"], SharedClientRedisCache):
        pytest.skip("needs the Redis cache (CACHE_URL)")
    return caches["default"]


def _throttles(rate: str):
    ident = uuid.uuid4().hex  # hypothesis reuses the fixture: each example its own window

    class Ours(OneRoundTripThrottle):
        def get_cache_key(self, request, view):
            return self.cache_format % {"scope": "test", "ident": ident}

    class Drfs(SimpleRateThrottle):
        cache = LocMemCache(f"drf-{ident}", {})

        def get_cache_key(self, request, view):
            return f"throttle_test_{ident}"

    Ours.rate = Drfs.rate = rate
    return Ours(), Drfs()


def _at(throttle, moment: float) -> bool:
    throttle.timer = lambda: moment
    return throttle.allow_request(None, None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rate=st.sampled_from(["1/s", "3/s", "2/m", "5/m", "0/m"]),
    gaps=st.lists(st.sampled_from([0.0, 0.001, 0.25, 0.5, 1.0, 1.5, 20.0, 59.999, 60.0, 61.0]), max_size=14),
)
def test_the_script_allows_refuses_and_advises_waiting_as_drfs_own_throttle(redis_cache, rate, gaps):
    ours, drfs = _throttles(rate)
    moment = 1_764_547_200.123456
    for gap in gaps:
        moment += gap
        allowed = _at(ours, moment)

        assert allowed == _at(drfs, moment)
        if not allowed:
            assert ours.wait() == pytest.approx(drfs.wait())


def test_the_window_is_one_redis_list_that_expires_with_the_window(redis_cache):
    ours, _drfs = _throttles("3/m")
    for moment in (100.0, 101.0, 102.0):
        assert _at(ours, moment)
    assert not _at(ours, 159.0)

    client = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_and_validate_key(ours.key)
    assert [float(value) for value in client.lrange(key, 0, -1)] == [102.0, 101.0, 100.0]
    assert 0 < client.ttl(key) <= 60
    assert _at(ours, 160.0)  # the first request left the window
    assert [float(value) for value in client.lrange(key, 0, -1)] == [160.0, 102.0, 101.0]


def test_without_redis_the_throttle_is_drfs_own(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ours, _drfs = _throttles("2/m")

    assert [_at(ours, moment) for moment in (10.0, 11.0, 12.0, 71.0)] == [True, True, False, True]
    assert ours.history == [71.0]  # DRF's history: 10 and 11 left the window (at or before 71 - 60)

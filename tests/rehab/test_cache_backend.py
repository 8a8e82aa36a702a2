"""The Redis cache backend shares one client per connection pool instead of making one per call."""

import redis

from rehab.cache import SharedClientRedisCache


def test_every_call_gets_the_same_client_of_the_same_pool_and_no_connection_is_opened():
    backend = SharedClientRedisCache("redis://127.0.0.1:6379/0", {})

    first, second = backend._cache.get_client("a"), backend._cache.get_client("b", write=True)

    assert first is second
    assert isinstance(first, redis.Redis)
    assert first.connection_pool is backend._cache._get_connection_pool(write=False)
    assert first.connection_pool._created_connections == 0  # making the client opened nothing


def test_each_server_keeps_its_own_client():
    backend = SharedClientRedisCache("redis://127.0.0.1:6379/0,redis://127.0.0.1:6379/1", {})

    writer = backend._cache.get_client(write=True)
    reader = backend._cache.get_client(write=False)  # the second server: the only one to read from

    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["db"] == 0
    assert reader.connection_pool.connection_kwargs["db"] == 1
    assert backend._cache.get_client(write=False) is reader

"""The Redis cache backend with one Redis client per connection pool instead of one per call.

Django's RedisCache makes a new `redis.Redis` object for every get, set or delete; building one fills
its table of several hundred reply callbacks, which cost about half a millisecond of CPU per call: more
than the round trip itself. The API's throttles read and write the cache on every request, so the
check-in POST paid it twice. A redis-py client holds no connection of its own (it borrows one from its
pool for each command) and may be shared between threads, so one client per pool answers exactly as a
fresh one would. Django keeps one backend object per thread anyway (`django.core.cache.caches`).
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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

    def script(self, text: str):
        """`text` as a Lua script on the writing client: run by its hash (EVALSHA), the text sent once."""
        script = self._scripts.get(text)
        if script is None:
            script = self._scripts[text] = self.get_client(write=True).register_script(text)
        return script


class SharedClientRedisCache(RedisCache):
    """settings.CACHES' backend when CACHE_URL is set: Django's RedisCache, one client per pool."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient

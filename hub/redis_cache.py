"""Django's Redis cache backend, with one client per connection pool.

Also ``raw_client()``: one plain client for the rest of Siar.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call
(about 65 µs with redis-py 8); the client is thread-safe, so one per pool serves them all.
"""

import functools
import threading

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._clients_lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            with self._clients_lock:
                client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class SiarRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient


@functools.cache
def _raw_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def raw_client() -> redis.Redis:
    """A plain client of ``REDIS_URL`` for what the cache API cannot do (lists, hashes, scripts, PING).
    Namespace keys with ``cache.make_key``."""
    return _raw_client(settings.REDIS_URL)

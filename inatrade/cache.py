"""A Redis cache that fails soft (REL-07).

The cache only holds what can be lost: API throttling counters and the verify pages' rate
counter. When Redis is down, a read is a miss and a write is dropped (logged), so pages and
the API keep answering instead of raising 500; the health check still reports the cache as
down because what it stores does not come back.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def _fail_soft(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _DOWN as exc:
                logger.warning("Cache unavailable during %s (%s); carrying on without it", method.__name__, exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _missing_counter(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (cache unavailable)")


class FailSoftRedisCache(RedisCache):
    add = _fail_soft(lambda *a, **k: False)(RedisCache.add)
    get = _fail_soft(lambda key, default=None, version=None: default)(RedisCache.get)
    set = _fail_soft(lambda *a, **k: None)(RedisCache.set)
    touch = _fail_soft(lambda *a, **k: False)(RedisCache.touch)
    delete = _fail_soft(lambda *a, **k: False)(RedisCache.delete)
    get_many = _fail_soft(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _fail_soft(lambda *a, **k: False)(RedisCache.has_key)
    incr = _fail_soft(_missing_counter)(RedisCache.incr)
    set_many = _fail_soft(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _fail_soft(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _fail_soft(lambda *a, **k: False)(RedisCache.clear)

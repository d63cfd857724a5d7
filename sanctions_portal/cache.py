"""Django's Redis cache, tolerant of a Redis outage.

The portal caches only what may be lost: allauth's rate-limit counters (sessions are in the
database). While Redis is away this backend logs and answers as an empty cache (a read finds
nothing, a write is dropped), so sign-in and pages keep working instead of answering 500.
The price, for the outage only: allauth's per-address throttle of failed logins counts nothing
(django-axes, which locks an account after repeated failures, keeps its counts in the database
and still applies), and a TOTP code is not remembered as used, so it could be replayed within
its 30 seconds.

Why not django-redis with IGNORE_EXCEPTIONS: it would replace a backend Django ships with a new
dependency for the sake of the same try/except.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
# After a failure, the cache is not asked again for this long: one slow connect per few
# seconds per process, not one per cache call.
RETRY_AFTER_SECONDS = 5.0


class TolerantRedisCache(RedisCache):
    _down_until = 0.0

    def _guarded(self, default: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("cache unavailable, answering as empty for %.0f s: %r", RETRY_AFTER_SECONDS, exc)
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded(default, "get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = ..., version: int | None = None) -> None:  # type: ignore[override]
        args = (key, value) if timeout is ... else (key, value, timeout)
        self._guarded(None, "set", *args, version=version)

    def add(self, key: Any, value: Any, timeout: Any = ..., version: int | None = None) -> bool:  # type: ignore[override]
        args = (key, value) if timeout is ... else (key, value, timeout)
        # True while Redis is away: callers use add() as a lock or a once-only mark (allauth's
        # rate-limit lock, its TOTP "code already used"); False would shut every MFA user out.
        return bool(self._guarded(True, "add", *args, version=version))

    def touch(self, key: Any, timeout: Any = ..., version: int | None = None) -> bool:  # type: ignore[override]
        args = (key,) if timeout is ... else (key, timeout)
        return bool(self._guarded(False, "touch", *args, version=version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return bool(self._guarded(False, "delete", key, version=version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return bool(self._guarded(False, "has_key", key, version=version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return int(self._guarded(delta, "incr", key, delta, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return dict(self._guarded({}, "get_many", keys, version=version))

    def set_many(self, data: Any, timeout: Any = ..., version: int | None = None) -> list[Any]:  # type: ignore[override]
        args = (data,) if timeout is ... else (data, timeout)
        return list(self._guarded([], "set_many", *args, version=version) or [])

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guarded(None, "delete_many", keys, version=version)

    def clear(self) -> None:
        self._guarded(None, "clear")

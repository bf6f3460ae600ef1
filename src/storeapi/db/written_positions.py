"""Where each caller's latest write ended in the primary's WAL, shared by every instance (Redis).

After a write, a caller's reads may only go to a replica that has replayed this position
(read-your-writes, db/replicas.py). The entry expires after `bound_seconds`: by then every
replica still in use (lag under REPLICA_MAX_LAG_SECONDS, checked every half second) holds the
write, so the entry could only send reads to the primary for nothing.

Positions are kept as 16 hex digits, so Redis compares them as strings in the script below
(its numbers are doubles) and a late writer never lowers a caller's position.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 0.25

# KEYS[1] the caller's entry; ARGV[1] the position (16 hex digits), ARGV[2] the lifetime in ms
KEEP_THE_LATER = """
local held = redis.call('GET', KEYS[1])
if held and held >= ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
"""

UNKNOWN = -1  # position() when the store could not answer: read the primary


class WrittenPositions:
    """Callers' latest write positions, by caller key (the user id), in Redis."""

    def __init__(self, redis_url: str, prefix: str, bound_seconds: float) -> None:
        self.bound_seconds = bound_seconds
        self._ttl_ms = int(bound_seconds * 1000) + 1
        self._prefix = f"{prefix}:written:"
        # Imported here, only with replicas: redis-py loads OpenTelemetry whenever it is
        # installed, and a worker with tracing off should not hold it.
        import redis

        self._error = redis.RedisError
        self._redis = redis.Redis.from_url(
            redis_url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        self._keep_the_later = self._redis.register_script(KEEP_THE_LATER)
        # Until `bound_seconds` after Redis last failed, entries may be missing (a write noted
        # meanwhile was lost): positions are unknown, and callers read the primary.
        self._failed_at = float("-inf")
        self._lock = threading.Lock()

    def note(self, caller: str, position: int) -> None:
        try:
            key, value = self._prefix + caller, f"{position:016X}"
            self._keep_the_later(keys=[key], args=[value, self._ttl_ms])
        except self._error as exc:
            self._failed(exc)

    def position(self, caller: str) -> int | None:
        """The caller's latest write position while it may still matter, None when there is
        none, UNKNOWN when the store cannot tell."""
        if time.monotonic() - self._failed_at < self.bound_seconds:
            return UNKNOWN
        try:
            held = self._redis.get(self._prefix + caller)
        except self._error as exc:
            self._failed(exc)
            return UNKNOWN
        return None if held is None else int(held, 16)

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            if time.monotonic() - self._failed_at >= self.bound_seconds:
                log.warning("written positions: Redis failed (%s); callers read the primary", exc)
            self._failed_at = time.monotonic()

    def close(self) -> None:
        self._redis.close()

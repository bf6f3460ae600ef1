"""How far behind the primary each read replica is: one thread per process polls them all.

Lag is measured against the primary's own WAL positions, not the replica's clock: every
`CHECK_SECONDS` the thread records `pg_current_wal_lsn()` on the primary, then asks each
replica for `pg_last_wal_replay_lsn()`. A replica's lag is how long ago the primary was at a
position the replica has since replayed: with lag L it holds every commit older than L seconds.
So an idle primary does not make a replica look late (as `now() - pg_last_xact_replay_timestamp()`
does), and a replica whose WAL stream is cut looks late as soon as the primary moves on.
Requests only read the states (no round trip of their own).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

CHECK_SECONDS = 0.5
CONNECT_TIMEOUT_SECONDS = 2
# A state older than this (the thread is stuck on a replica that stopped answering, say) no
# longer vouches for the replica.
STALE_AFTER_SECONDS = 3.0

PRIMARY_POSITION = "SELECT pg_current_wal_lsn()"
REPLICA_POSITION = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()"


def parse_lsn(text: str) -> int:
    """A `pg_lsn` ('16/B374D848') as the integer PostgreSQL compares."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


@dataclass
class ReplicaState:
    """What the last check found; `usable` decides whether reads may go there."""

    name: str  # host:port/database, no credentials: shown by /readyz
    state: str = "unknown"  # ok, lagging, down, or not-a-replica (promoted)
    replay_lsn: int = 0
    lag_seconds: float | None = None
    checked_at: float = 0.0  # time.monotonic()
    error: str | None = None

    def usable(self, now: float) -> bool:
        return self.state == "ok" and now - self.checked_at < STALE_AFTER_SECONDS

    def mark_down(self, error: str) -> None:
        """A request found it gone: skip it until a check reaches it again."""
        self.state, self.error = "down", error

    def report(self) -> dict[str, Any]:
        lag = None if self.lag_seconds is None else round(self.lag_seconds, 3)
        found: dict[str, Any] = {"name": self.name, "state": self.state, "lag_seconds": lag}
        if self.error:
            found["error"] = self.error
        return found


def describe(engine: Engine) -> str:
    """host:port/database, where the host is a Unix socket's directory for `?host=/path` URLs."""
    url = engine.url
    host = url.host or url.query.get("host") or "localhost"
    if isinstance(host, tuple):  # (several `host=` in the query: libpq tries them in turn)
        host = ",".join(host)
    return f"{host}:{url.port or 5432}/{url.database or ''}"


class _Target:
    """One server the thread polls, on a connection of its own (autocommit)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.driver: Any = None

    def query(self, sql: str) -> tuple[Any, ...]:
        dialect = self.engine.dialect
        try:
            if self.driver is None or self.driver.closed:
                args, params = dialect.create_connect_args(self.engine.url)
                params.update(connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True)
                self.driver = dialect.loaded_dbapi.connect(*args, **params)
            return self.driver.execute(sql).fetchone()
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.driver is not None:
            with contextlib.suppress(Exception):
                self.driver.close()
            self.driver = None


class ReplicaMonitor:
    """Polls the primary and the replicas from a daemon thread, started on first use (so a
    process that forks its workers starts one in each)."""

    def __init__(self, primary: Engine, replicas: list[Engine], max_lag_seconds: float) -> None:
        self.max_lag = max_lag_seconds
        self.states = [ReplicaState(describe(engine)) for engine in replicas]
        self._primary = _Target(primary)
        self._replicas = [_Target(engine) for engine in replicas]
        # (monotonic time, primary position), oldest first, covering a little over max_lag
        self._samples: deque[tuple[float, int]] = deque()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def ensure_started(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self.check()  # the first request already sees real states
                thread = threading.Thread(target=self._run, name="replica-monitor", daemon=True)
                thread.start()
                self._thread = thread

    def _run(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            self.check()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(CONNECT_TIMEOUT_SECONDS + 1)
        for target in (self._primary, *self._replicas):
            target.close()

    def check(self) -> None:
        """One round: the primary's position, then each replica's."""
        now = time.monotonic()
        try:
            (position,) = self._primary.query(PRIMARY_POSITION)
            self._samples.append((now, parse_lsn(position)))
        except Exception:
            pass  # no sample: lags grow until the primary answers again (reads then fail anyway)
        while len(self._samples) > 1 and self._samples[1][0] < now - self.max_lag - 1:
            self._samples.popleft()
        for target, state in zip(self._replicas, self.states, strict=True):
            self._check_replica(target, state)

    def _check_replica(self, target: _Target, state: ReplicaState) -> None:
        try:
            in_recovery, replayed = target.query(REPLICA_POSITION)
        except Exception as exc:
            state.state, state.lag_seconds = "down", None
            state.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:200]}"
            state.checked_at = time.monotonic()
            return
        now = time.monotonic()
        state.checked_at, state.error = now, None
        if not in_recovery or replayed is None:
            # Promoted (a primary now, on a timeline of its own) or not replaying yet.
            state.state, state.lag_seconds = ("not-a-replica" if not in_recovery else "down"), None
            return
        state.replay_lsn = parse_lsn(replayed)
        state.lag_seconds = self._lag(state.replay_lsn, now)
        late = state.lag_seconds is None or state.lag_seconds > self.max_lag
        state.state = "lagging" if late else "ok"

    def _lag(self, replayed: int, now: float) -> float | None:
        """Seconds since the primary was at a position the replica has replayed; None when no
        sample is that old yet and the samples do not reach back `max_lag` (unknown)."""
        for taken, position in reversed(self._samples):
            if position <= replayed:
                return now - taken
        if self._samples and now - self._samples[0][0] > self.max_lag:
            return now - self._samples[0][0]
        return None

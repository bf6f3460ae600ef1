"""Read replicas: which server a request reads from (`DATABASE_REPLICA_URLS`).

- A request whose method writes (anything but GET, HEAD, OPTIONS) reads and writes on the
  primary, so reads inside a write see it.
- A read goes to a replica that the monitor (db/replica_monitor.py) found answering and no
  further behind than REPLICA_MAX_LAG_SECONDS; with none, to the primary. The choice is made
  once per request, so all its reads see one server.
- Read-your-writes: a caller is the user id of the request's bearer token. After a caller's
  write commits, its WAL position (`pg_current_wal_lsn()`) is kept (db/written_positions.py,
  in Redis, shared by every instance); that caller's reads go only to replicas whose replayed
  position has reached it, so to the primary until one has. Without Redis the positions could
  not be shared, and authenticated reads always go to the primary; anonymous ones cannot have
  written anything they could read back.
- A read that fails on a replica (it went away, or cancelled a query to replay WAL) is run
  again on the primary (`fail_over`), and a replica that went away is skipped until a check
  reaches it again.

`Replicas` stands where `ThreadConnections` does (the app's `thread_connections`), so the
hot read path (`unit_of_work.reader`) costs nothing more without replicas.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, g, has_request_context, request
from sqlalchemy import Connection, Engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import PoolProxiedConnection

from storeapi.db.engine import READ_METHODS, make_engine
from storeapi.db.errors import is_unavailable
from storeapi.db.pooled import ThreadConnections
from storeapi.db.replica_monitor import ReplicaMonitor, ReplicaState, parse_lsn
from storeapi.db.written_positions import UNKNOWN, WrittenPositions

log = logging.getLogger(__name__)
NOWHERE = 2**64 - 1  # a position no replica reaches: the caller reads the primary until the bound


class Replica:
    """One replica: its engine, each thread's connection to it, and its last known state."""

    def __init__(self, engine: Engine, state: ReplicaState) -> None:
        self.engine, self.state = engine, state
        self.connections = ThreadConnections(engine, writes=False, ping=True)


class Replicas:
    """The read routing of one app: the primary's thread connections and the replicas'."""

    writes = False  # as ThreadConnections on PostgreSQL: writes take a pooled connection

    def __init__(
        self,
        primary: ThreadConnections,
        urls: tuple[str, ...],
        *,
        max_lag_seconds: float,
        statement_timeout_ms: int | None,
        written: WrittenPositions | None,
    ) -> None:
        self.primary, self.written = primary, written
        engines = [make_engine(url, statement_timeout_ms) for url in urls]
        self.monitor = ReplicaMonitor(primary.engine, engines, max_lag_seconds)
        self.replicas = [Replica(e, s) for e, s in zip(engines, self.monitor.states, strict=True)]
        self._turn = itertools.count()
        # Set by the app (auth/guards.py): the bearer token's user, and the writing caller.
        self.reader_id: Callable[[], str | None] = lambda: None
        self.writer_id: Callable[[], str | None] = lambda: None
        event.listen(primary.engine, "engine_disposed", lambda _engine: self.close())

    # -- ThreadConnections' interface ------------------------------------------------------

    @property
    def engine(self) -> Engine:
        return self.primary.engine

    def get(self) -> PoolProxiedConnection:
        """This thread's connection to where the request reads (autocommit)."""
        replica = self.read_from()
        return (self.primary if replica is None else replica.connections).get()

    def engine_for_request(self) -> Engine:
        replica = self.read_from()
        return self.primary.engine if replica is None else replica.engine

    def close_all(self) -> None:
        self.close()

    # -- routing ---------------------------------------------------------------------------

    def read_from(self) -> Replica | None:
        """The replica the request reads from, None for the primary (chosen on first use)."""
        if not has_request_context() or request.method not in READ_METHODS:
            return None
        here = g._get_current_object()
        try:
            return here.read_from  # type: ignore[no-any-return]
        except AttributeError:
            chosen = here.read_from = self._choose()
            return chosen

    def _choose(self) -> Replica | None:
        self.monitor.ensure_started()
        now = time.monotonic()
        usable = [r for r in self.replicas if r.state.usable(now)]
        if usable and request.environ.get("HTTP_AUTHORIZATION"):
            position = self._readers_position()
            if position == UNKNOWN:
                return None
            if position is not None:
                usable = [r for r in usable if r.state.replay_lsn >= position]
        if not usable:
            return None
        return usable[next(self._turn) % len(usable)]

    def _readers_position(self) -> int | None:
        caller = self.reader_id()
        if caller is None:
            return None  # no valid token: nothing of its own to read back
        if self.written is None:
            return UNKNOWN
        return self.written.position(caller)

    def committed(self, connection: Connection | PoolProxiedConnection) -> None:
        """After a write request's commit on the primary: keep the caller's position.

        `connection` is the request's, or the thread's own that a one-statement write ran on
        in autocommit (db/unit_of_work.py `writer`)."""
        if self.written is None or request.method in READ_METHODS:
            return
        caller = self.writer_id()
        if caller is None:
            return
        # On the driver, in autocommit for this one statement: one round trip, where a
        # SQLAlchemy execute would add a BEGIN and a ROLLBACK.
        try:
            pooled = connection.connection if isinstance(connection, Connection) else connection
            driver = pooled.dbapi_connection
            was_autocommit = driver.autocommit
            driver.autocommit = True
            try:
                (text,) = driver.execute("SELECT pg_current_wal_lsn()").fetchone()
            finally:
                driver.autocommit = was_autocommit
            position = parse_lsn(text)
        except Exception as exc:  # never fail a write that has committed
            # The write is committed; only its position is unknown, so the caller reads the
            # primary until the bound passes.
            log.warning("could not read the write's WAL position: %s", exc)
            position = NOWHERE
        self.written.note(caller, position)

    def fail_over(self, exc: sa_exc.DBAPIError) -> bool:
        """A read on a replica failed: read from the primary from now on in this request (the
        caller runs the request again, True); False when it was not reading a replica."""
        here = g._get_current_object()
        replica = getattr(here, "read_from", None)
        if replica is None:
            return False
        if is_unavailable(exc):
            replica.state.mark_down(f"{type(exc.orig).__name__}: a read failed")
        log.warning("read on replica %s failed, reading the primary: %s", replica.state.name, exc)
        here.read_from = None
        work = here.pop("unit_of_work", None)
        if work is not None:
            work.end(failed=True)
        return True

    def health(self) -> list[dict[str, Any]]:
        self.monitor.ensure_started()
        return [r.state.report() for r in self.replicas]

    def close(self) -> None:
        self.monitor.stop()
        for replica in self.replicas:
            replica.engine.dispose()
        if self.written is not None:
            self.written.close()


def replicas_of(app: Any = None) -> Replicas | None:
    found = (app or current_app).extensions.get("thread_connections")
    return found if isinstance(found, Replicas) else None

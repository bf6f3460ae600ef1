"""Pooled connections used directly, without a SQLAlchemy `Connection` per use.

Each thread's own (`ThreadConnections`), and one lent to a request for its reads
(`lend_reader`) where threads have none. A check-out and check-in per request were a large
share of a hot read (bench/README.md, "PostgreSQL reads use each thread's own connection"),
hence a connection per thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import Connection, Engine, event
from sqlalchemy.pool import PoolProxiedConnection

from storeapi.db.errors import as_sqlalchemy_error
from storeapi.db.liveness import needs_ping, note_disconnect


def check_out(engine: Engine) -> PoolProxiedConnection:
    """A connection from the pool, its driver's errors reported as `Engine.connect` does."""
    try:
        return engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error as exc:
        raise as_sqlalchemy_error(exc, engine.dialect) from exc


def lend_reader(engine: Engine) -> PoolProxiedConnection:
    """A pooled connection in autocommit for one request's reads; `return_reader` ends it."""
    pooled = check_out(engine)
    pooled.dbapi_connection.autocommit = True  # (SQLite's always is: we send BEGIN)
    return pooled


def return_reader(engine: Engine, pooled: PoolProxiedConnection) -> None:
    """Back to the pool out of autocommit, as the pool hands connections out."""
    driver = pooled.dbapi_connection
    if driver is not None and getattr(driver, "autocommit", None) is True:
        try:
            driver.autocommit = False
        except engine.dialect.loaded_dbapi.Error as exc:
            pooled.invalidate(exc)  # a broken connection: the pool replaces it
    pooled.close()


class ThreadConnections:
    """Each thread's own connection, taken from the pool once and detached from it.

    - On a SQLite file it serves the thread's reads (autocommit: we send BEGIN ourselves) and
      its writes too (`writes`, through `connection()`): an autocommit read leaves nothing open
      on it between statements.
    - On PostgreSQL it serves reads outside a write, in autocommit, and writes of a single
      statement (db/unit_of_work.py `writer`); a write of several takes a pooled connection.
      It follows the pool's liveness rule (`ping`, db/liveness.py): pinged before use after a
      second idle or across a disconnect seen elsewhere, replaced when dead.

    Closed when the engine is disposed. `on_count_change`, when set (telemetry/database.py),
    hears how many more (or fewer) connections are open after each change."""

    def __init__(self, engine: Engine, *, writes: bool, ping: bool) -> None:
        self.engine, self.writes, self._ping = engine, writes, ping
        self._local = threading.local()
        self._open: list[PoolProxiedConnection] = []
        self._lock = threading.Lock()
        self.on_count_change: Callable[[int], None] | None = None
        event.listen(engine, "engine_disposed", lambda _engine: self.close_all())

    def get(self) -> PoolProxiedConnection:
        """This thread's connection (detached from the pool: it is never checked in)."""
        local, engine = self._local, self.engine
        pooled = getattr(local, "pooled", None)
        if self._ping and pooled is not None and pooled.is_valid and needs_ping(engine, local.used):
            try:
                engine.dialect.do_ping(pooled.dbapi_connection)
            except engine.dialect.loaded_dbapi.Error as exc:
                pooled.invalidate(exc)
                note_disconnect(engine)
        if pooled is None or not pooled.is_valid:
            pooled = check_out(engine)
            pooled.detach()
            if not self.writes:  # reads only: autocommit (SQLite's is, as we send BEGIN)
                pooled.dbapi_connection.autocommit = True
            with self._lock:
                before = len(self._open)
                self._open = [p for p in self._open if p.is_valid] + [pooled]
                change = len(self._open) - before
            if self.on_count_change is not None:
                self.on_count_change(change)
            local.pooled = pooled
        local.used = time.monotonic()
        return pooled

    def engine_for_request(self) -> Engine:
        """The engine the request's `Connection` comes from (a replica's: db/replicas.py)."""
        return self.engine

    def connection(self) -> Connection:
        """The same connection as SQLAlchemy's `Connection`, kept with it."""
        pooled = self.get()
        c: Connection | None = getattr(self._local, "connection", None)
        if c is None or c.invalidated or c.closed or c.connection is not pooled:
            c = self._local.connection = Connection(self.engine, connection=pooled)
        return c

    def close_all(self) -> None:
        with self._lock:
            pooled, self._open = self._open, []
        if self.on_count_change is not None and pooled:
            self.on_count_change(-len(pooled))
        for p in pooled:
            if p.is_valid:
                p.close()  # detached: the connection itself is closed

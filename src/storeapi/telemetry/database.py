"""The database's gauges: the pool's connections in use and its waiters, the connections
request threads keep, and the SQLite writers waiting for the write lock.

The pool and the writers' queue are subclasses that count around their public entry points
(`Pool.connect`, `WriterQueue.enter`); `make_engine(..., metered=True)` uses them only when
metrics are on, so with metrics off the engine is exactly what it was.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import Engine, event
from sqlalchemy.pool import PoolProxiedConnection, QueuePool

from storeapi.db.pooled import ThreadConnections
from storeapi.db.writer_queue import WriterQueue
from storeapi.telemetry.instruments import instruments


class MeteredQueuePool(QueuePool):
    """SQLAlchemy's QueuePool, counting the threads in `connect` (waiting for a connection
    when the pool is exhausted) and the connections it has handed out."""

    def __init__(
        self, creator: Any, pool_size: int = 5, max_overflow: int = 10, **kwargs: Any
    ) -> None:
        super().__init__(creator, pool_size=pool_size, max_overflow=max_overflow, **kwargs)
        self.capacity = pool_size + max(max_overflow, 0)
        m = instruments()
        self._waiting, self._in_use = m.pool_waiting, m.pool_in_use

    def connect(self) -> PoolProxiedConnection:
        self._waiting.inc()
        try:
            connection = super().connect()
        finally:
            self._waiting.dec()
        self._in_use.inc()  # given back at check-in, or when it leaves the pool (detach)
        return connection


class MeteredWriterQueue(WriterQueue):
    """The SQLite writers' queue, counting the writers waiting for their turn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._waiting = instruments().sqlite_writers_waiting

    def enter(self) -> bool:
        self._waiting.inc()
        try:
            return super().enter()
        finally:
            self._waiting.dec()


def meter_database(app: Flask) -> None:
    """Gauges for the app's engine (made with `metered=True`) and its threads' connections."""
    engine: Engine = app.extensions["engine"]
    m = instruments()
    pool = engine.pool
    if isinstance(pool, MeteredQueuePool):
        m.pool_capacity.inc(pool.capacity)
        in_use = m.pool_in_use

        @event.listens_for(engine, "checkin")
        def _checked_in(_dbapi_conn: Any, _record: Any) -> None:
            in_use.dec()

        @event.listens_for(engine, "detach")
        def _detached(_dbapi_conn: Any, _record: Any) -> None:
            in_use.dec()  # a thread's own connection: out of the pool for good

    own: ThreadConnections | None = app.extensions.get("thread_connections")
    if own is not None:
        own.on_count_change = m.thread_connections.inc

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
from storeapi.telemetry.instruments import gauge_key
from storeapi.telemetry.store import Store, process_store


def _gauge(name: str) -> tuple[Store, int]:
    store = process_store()
    return store, store.slot(gauge_key(name))


class MeteredQueuePool(QueuePool):
    """SQLAlchemy's QueuePool, counting the threads in `connect` (waiting for a connection
    when the pool is exhausted) and the connections it has handed out."""

    def __init__(
        self, creator: Any, pool_size: int = 5, max_overflow: int = 10, **kwargs: Any
    ) -> None:
        super().__init__(creator, pool_size=pool_size, max_overflow=max_overflow, **kwargs)
        self.capacity = pool_size + max(max_overflow, 0)
        self._store, self._waiting = _gauge("storeapi_db_pool_waiting")
        self._in_use = self._store.slot(gauge_key("storeapi_db_pool_connections_in_use"))

    def connect(self) -> PoolProxiedConnection:
        self._store.add(self._waiting, 1.0)
        try:
            connection = super().connect()
        finally:
            self._store.add(self._waiting, -1.0)
        self._store.add(self._in_use, 1.0)  # given back at check-in, or when it leaves (detach)
        return connection


class MeteredWriterQueue(WriterQueue):
    """The SQLite writers' queue, counting the writers waiting for their turn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._store, self._waiting = _gauge("storeapi_sqlite_writers_waiting")

    def enter(self) -> bool:
        self._store.add(self._waiting, 1.0)
        try:
            return super().enter()
        finally:
            self._store.add(self._waiting, -1.0)


def meter_database(app: Flask) -> None:
    """Gauges for the app's engine (made with `metered=True`) and its threads' connections."""
    engine: Engine = app.extensions["engine"]
    pool = engine.pool
    if isinstance(pool, MeteredQueuePool):
        store, capacity = _gauge("storeapi_db_pool_capacity")
        store.add(capacity, pool.capacity)
        in_use = store.slot(gauge_key("storeapi_db_pool_connections_in_use"))

        @event.listens_for(engine, "checkin")
        def _checked_in(_dbapi_conn: Any, _record: Any) -> None:
            store.add(in_use, -1.0)

        @event.listens_for(engine, "detach")
        def _detached(_dbapi_conn: Any, _record: Any) -> None:
            store.add(in_use, -1.0)  # a thread's own connection: out of the pool for good

    own: ThreadConnections | None = app.extensions.get("thread_connections")
    if own is not None:
        store, connections = _gauge("storeapi_db_thread_connections")
        own.on_count_change = lambda change: store.add(connections, change)

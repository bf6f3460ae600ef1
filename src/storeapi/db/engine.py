"""Creating the engine: each database's connection settings and how its transactions begin."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import Engine, create_engine, event, make_url

from storeapi.db.liveness import ping_pooled_when_idle
from storeapi.db.writer_queue import WriterQueue

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def normalize_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL; None for an in-memory database."""
    database = make_url(normalize_url(url)).database
    return None if database in (None, "", ":memory:") else database


def make_engine(
    url: str, statement_timeout_ms: int | None = None, *, metered: bool = False
) -> Engine:
    """An engine for `url`; on PostgreSQL no statement outlives `statement_timeout_ms`.

    `metered`: the pool and the SQLite writers' queue count their waiters for /metrics
    (telemetry/database.py); without it the engine holds nothing of that."""
    url = normalize_url(url)
    in_memory = ":memory:" in url
    pool: dict[str, Any] = {}
    writers = WriterQueue
    if metered:
        from storeapi.telemetry.database import MeteredQueuePool, MeteredWriterQueue

        writers = MeteredWriterQueue
        if not in_memory:  # (an in-memory database has one connection per thread, no queue)
            pool["poolclass"] = MeteredQueuePool
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **pool
        )
        _configure_sqlite(engine, in_memory=in_memory)
        _queue_sqlite_writers(engine, writers(sqlite_file(url)))
        return engine
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_timeout=5,
        connect_args={"connect_timeout": 3},
        **pool,
    )
    ping_pooled_when_idle(engine)
    if statement_timeout_ms and engine.dialect.name == "postgresql":
        _limit_statements(engine, statement_timeout_ms)
    return engine


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    """Foreign keys on, a long busy timeout, a small page cache, and WAL for a file."""

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (_queue_sqlite_writers)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        # 512 KiB of page cache per connection (SQLite's default is 2 MiB): a worker holds
        # up to four, and the operating system caches the file for all of them anyway.
        cur.execute("PRAGMA cache_size=-512")
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()


def _queue_sqlite_writers(engine: Engine, writers: WriterQueue) -> None:
    """A read begins a plain transaction; a write waits its turn in `writers`, then takes the
    write lock up front (BEGIN IMMEDIATE), so concurrent writers queue instead of failing when
    they upgrade a stale read snapshot. The turn passes on when the transaction ends."""

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
        # Sent on the driver's connection: a statement through SQLAlchemy would cost a
        # whole execution context on every request.
        if has_request_context() and request.method in READ_METHODS:
            conn.connection.dbapi_connection.execute("BEGIN")
            return
        info = conn.connection.info
        if "release_writer" not in info and writers.enter():
            info["release_writer"] = writers.leave
        try:
            conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            release_writer(info)
            raise

    @event.listens_for(engine, "checkin")
    def _sqlite_checkin(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        release_writer(record.info)


def release_writer(info: dict[str, Any]) -> None:
    """Let the next SQLite writer of this process in (a no-op on PostgreSQL).

    `info` is the pooled connection's: the turn is kept there from BEGIN IMMEDIATE until the
    transaction ends (commit, rollback, or the connection's return to the pool)."""
    release = info.pop("release_writer", None)
    if release is not None:
        release()


def _limit_statements(engine: Engine, milliseconds: int) -> None:
    """No statement runs longer than this: a stuck query is cancelled (503), not waited on."""

    @event.listens_for(engine, "connect")
    def _statement_timeout(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET statement_timeout = {int(milliseconds)}")
        dbapi_conn.commit()

"""The database layer as the rest of the app uses it (`from storeapi import db`).

Where each part lives:
- engine.py        engines: URLs, SQLite pragmas and writers' turns, statement timeout
- writer_queue.py  SQLite writers wait in a queue for the write lock
- liveness.py      which connections are pinged before use
- pooled.py        pooled connections used directly: each thread's own, a request's reader
- replicas.py      read replicas: where a request reads, read-your-writes, failing over
- replica_monitor.py  how far behind each replica is (a thread per process)
- written_positions.py  each caller's latest write position, in Redis
- unit_of_work.py  the request's connection, session and transaction (`g.unit_of_work`)
- prepared.py      `Prepared`, hot reads on the driver's cursor
- errors.py        what a database error means: unavailable (503), transient conflict
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import sessionmaker

from storeapi.db.engine import make_engine, normalize_url, sqlite_file
from storeapi.db.errors import is_transient_conflict, is_unavailable
from storeapi.db.pooled import ThreadConnections
from storeapi.db.prepared import Prepared
from storeapi.db.replica_monitor import CHECK_SECONDS
from storeapi.db.replicas import Replicas, replicas_of
from storeapi.db.unit_of_work import (
    begin,
    commit,
    connection,
    end_unit_of_work,
    execute,
    retrying_conflicts,
    rollback,
    session,
    standalone_session,
)

__all__ = [
    "Prepared",
    "begin",
    "commit",
    "connection",
    "enable_replicas",
    "execute",
    "init_db",
    "is_transient_conflict",
    "is_unavailable",
    "make_engine",
    "normalize_url",
    "read_on_primary_after",
    "replica_health",
    "retrying_conflicts",
    "rollback",
    "session",
    "sqlite_file",
    "standalone_session",
    "use_primary",
]


def init_db(
    app: Flask, url: str, statement_timeout_ms: int | None = None, *, metered: bool = False
) -> None:
    """The app's engine, session factory and threads' connections; each request's unit of
    work ends at teardown. `metered`: see `make_engine`."""
    engine = make_engine(url, statement_timeout_ms, metered=metered)
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite" and sqlite_file(url):
        app.extensions["thread_connections"] = ThreadConnections(engine, writes=True, ping=False)
    elif engine.dialect.name == "postgresql":
        app.extensions["thread_connections"] = ThreadConnections(engine, writes=False, ping=True)
    app.teardown_appcontext(end_unit_of_work)


def enable_replicas(
    app: Flask,
    urls: tuple[str, ...],
    *,
    max_lag_seconds: int,
    statement_timeout_ms: int | None,
    redis_url: str | None,
    key_prefix: str,
) -> Replicas:
    """Reads outside writes go to these replicas (db/replicas.py); the caller of `init_db`
    sets the returned object's `reader_id` and `writer_id`."""
    from storeapi.db.written_positions import WrittenPositions

    # A caller's position matters until every usable replica must hold its write: one lag
    # bound, plus the checks' age (db/written_positions.py).
    bound = max_lag_seconds + 2 * CHECK_SECONDS
    written = WrittenPositions(redis_url, key_prefix, bound) if redis_url else None
    replicas = Replicas(
        app.extensions["thread_connections"],
        urls,
        max_lag_seconds=max_lag_seconds,
        statement_timeout_ms=statement_timeout_ms,
        written=written,
    )
    app.extensions["thread_connections"] = app.extensions["replicas"] = replicas
    return replicas


def use_primary() -> None:
    """This request reads from the primary (health checks, the admin panel)."""
    g.read_from = None


def read_on_primary_after(exc: sa_exc.DBAPIError) -> bool:
    """True when `exc` came from a read on a replica and the request, run again, now reads
    the primary (db/replicas.py)."""
    replicas = replicas_of()
    return replicas is not None and replicas.fail_over(exc)


def replica_health() -> list[dict[str, Any]] | None:
    """Each replica's state for /readyz; None without replicas."""
    replicas = replicas_of()
    return None if replicas is None else replicas.health()

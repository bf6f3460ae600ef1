"""The database layer as the rest of the app uses it (`from storeapi import db`).

Where each part lives:
- engine.py        engines: URLs, SQLite pragmas and writers' turns, statement timeout
- writer_queue.py  SQLite writers wait in a queue for the write lock
- liveness.py      which connections are pinged before use
- pooled.py        pooled connections used directly: each thread's own, a request's reader
- unit_of_work.py  the request's connection, session and transaction (`g.unit_of_work`)
- prepared.py      `Prepared`, hot reads on the driver's cursor
- errors.py        what a database error means: unavailable (503), transient conflict
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import sessionmaker

from storeapi.db.engine import make_engine, normalize_url, sqlite_file
from storeapi.db.errors import is_transient_conflict, is_unavailable
from storeapi.db.pooled import ThreadConnections
from storeapi.db.prepared import Prepared
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
    "execute",
    "init_db",
    "is_transient_conflict",
    "is_unavailable",
    "make_engine",
    "normalize_url",
    "retrying_conflicts",
    "rollback",
    "session",
    "sqlite_file",
    "standalone_session",
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

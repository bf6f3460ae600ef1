"""Engine and per-request session: one unit of work per request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from storeapi.http.problems import Problem

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def normalize_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # A writer takes the write lock up front, so concurrent writers queue on
            # busy_timeout instead of failing when they upgrade a stale read snapshot.
            reading = has_request_context() and request.method in READ_METHODS
            conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

        return engine
    return create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        pool_timeout=5,
        connect_args={"connect_timeout": 3},
    )


def init_db(app: Flask, url: str) -> None:
    engine = make_engine(url)
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()


def session() -> Session:
    """The request's session, opened on first use."""
    s = g.get("db_session")
    if s is None:
        s = g.db_session = current_app.extensions["sessionmaker"]()
    return s


@contextmanager
def standalone_session(app: Flask) -> Iterator[Session]:
    """A session outside a request (CLI, seeding): commits on success."""
    with app.extensions["sessionmaker"]() as s, s.begin():
        yield s


def commit() -> None:
    """Commit the request's unit of work; a constraint it breaks is a 409, not a 500."""
    s: Session | None = g.get("db_session")
    if s is None:
        return
    try:
        s.commit()
    except sa_exc.IntegrityError:
        s.rollback()
        raise Problem(409, "The request conflicts with the current state of the resource") from None


def rollback() -> None:
    s: Session | None = g.get("db_session")
    if s is not None:
        s.rollback()


SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o error")


def is_unavailable(exc: BaseException) -> bool:
    """True for errors that mean the database cannot be reached or is busy, not a bug."""
    if isinstance(exc, sa_exc.TimeoutError):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated or isinstance(exc, sa_exc.InterfaceError):
            return True
        if isinstance(exc, sa_exc.OperationalError):
            # SQLite raises OperationalError for a bad statement ("no such table") as well as
            # for a busy or unreachable file; only the latter are worth a retry (503).
            if type(exc.orig).__module__ == "sqlite3":
                return any(s in str(exc.orig).lower() for s in SQLITE_UNAVAILABLE)
            return True
    return False

"""Engine and per-request session: one unit of work per request."""

from __future__ import annotations

import random
import threading
import time
import weakref
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Executable,
    Select,
    create_engine,
    event,
    make_url,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase

from storeapi.http.problems import Problem
from storeapi.writer_queue import WriterQueue

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")


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
            # 512 KiB of page cache per connection (SQLite's default is 2 MiB): a worker holds
            # up to four, and the operating system caches the file for all of them anyway.
            cur.execute("PRAGMA cache_size=-512")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        writers = WriterQueue(sqlite_file(url))

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # A writer takes the write lock up front, so concurrent writers queue on
            # busy_timeout instead of failing when they upgrade a stale read snapshot.
            # Sent on the driver's connection: a statement through SQLAlchemy would cost a
            # whole execution context on every request.
            if has_request_context() and request.method in READ_METHODS:
                conn.connection.dbapi_connection.execute("BEGIN")
                return
            # Writers queue (WriterQueue) rather than sleep in SQLite's busy handler; the
            # turn passes on when the transaction ends (`release_writer`).
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

        return engine
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_timeout=5,
        connect_args={"connect_timeout": 3},
    )
    _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use when it sat idle for a second or more.

    SQLAlchemy's `pool_pre_ping` pings at every check-out: a round trip to the server per
    request, a sixth of GET /item/{id}'s throughput on PostgreSQL. A connection used less than
    a second ago was alive then; if the server went away since, its statement fails as a
    disconnect, the connection is invalidated and the request is a 503, as a failed ping's
    retry would have been while the server is down. An idle connection (the server may have
    restarted, or closed it, meanwhile) is pinged, and replaced when the ping fails; so is
    every connection that sat idle across a disconnect found on another one (a restarted
    server closed them all), as SQLAlchemy invalidates a whole pool on a disconnect."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "invalidate")
    def _disconnected(_dbapi_conn, _record, _exc):  # type: ignore[no-untyped-def]
        note_disconnect(engine)

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):  # type: ignore[no-untyped-def]
        idle_since = record.info.get("idle_since")
        if idle_since is None or not _needs_ping(engine, idle_since):
            return  # just connected, or used a moment ago and no disconnect seen since
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise sa_exc.DisconnectionError("the idle connection is gone") from exc


_LAST_DISCONNECT: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def note_disconnect(engine: Engine) -> None:
    """A connection of this engine was found dead: ping the others before their next use."""
    _LAST_DISCONNECT[engine] = time.monotonic()


def _needs_ping(engine: Engine, last_used: float) -> bool:
    idle = time.monotonic() - last_used >= PING_AFTER_IDLE_SECONDS
    return idle or last_used <= _LAST_DISCONNECT.get(engine, 0.0)


class ThreadConnections:
    """Each thread's own connection, taken from the pool once and detached from it.

    A check-out and check-in per request were a tenth of a 304 on SQLite and a fifth of a
    GET /item/{id} on PostgreSQL (with the autocommit switched on and off again).

    - On a SQLite file it serves the thread's reads (autocommit: we send BEGIN ourselves) and
      its writes too (`writes`, through `connection()`): an autocommit read leaves nothing open
      on it between statements.
    - On PostgreSQL it serves reads outside a write, in autocommit; writes take a pooled
      connection. It follows the pool's liveness rule (`ping`): pinged before use after a
      second idle or across a disconnect seen elsewhere, replaced when dead.

    Closed when the engine is disposed."""

    def __init__(self, engine: Engine, *, writes: bool, ping: bool) -> None:
        self.engine, self.writes, self._ping = engine, writes, ping
        self._local = threading.local()
        self._open: list[Any] = []
        self._lock = threading.Lock()
        event.listen(engine, "engine_disposed", lambda _engine: self.close_all())

    def get(self) -> Any:
        """This thread's connection (a detached pool fairy)."""
        local, engine = self._local, self.engine
        fairy = getattr(local, "fairy", None)
        if self._ping and fairy is not None and fairy.is_valid and _needs_ping(engine, local.used):
            try:
                engine.dialect.do_ping(fairy.dbapi_connection)
            except engine.dialect.loaded_dbapi.Error as exc:
                fairy.invalidate(exc)
                note_disconnect(engine)
        if fairy is None or not fairy.is_valid:
            fairy = _check_out()
            fairy.detach()
            if not self.writes:  # reads only: autocommit (SQLite's is, as we send BEGIN)
                fairy.dbapi_connection.autocommit = True
            with self._lock:
                self._open = [f for f in self._open if f.is_valid] + [fairy]
            local.fairy = fairy
        local.used = time.monotonic()
        return fairy

    def connection(self) -> Connection:
        """The same connection as SQLAlchemy's `Connection`, kept with it."""
        fairy = self.get()
        c: Connection | None = getattr(self._local, "connection", None)
        if c is None or c.invalidated or c.closed or c.connection is not fairy:
            c = self._local.connection = Connection(self.engine, connection=fairy)
        return c

    def close_all(self) -> None:
        with self._lock:
            fairies, self._open = self._open, []
        for fairy in fairies:
            if fairy.is_valid:
                fairy.close()  # detached: the connection itself is closed


def sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL; None for an in-memory database."""
    database = make_url(normalize_url(url)).database
    return None if database in (None, "", ":memory:") else database


def release_writer(info: dict[str, Any]) -> None:
    """Let the next SQLite writer of this process in (a no-op on PostgreSQL)."""
    release = info.pop("release_writer", None)
    if release is not None:
        release()


def init_db(app: Flask, url: str, statement_timeout_ms: int | None = None) -> None:
    engine = make_engine(url)
    if statement_timeout_ms and engine.dialect.name == "postgresql":
        _limit_statements(engine, statement_timeout_ms)
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite" and sqlite_file(url):
        app.extensions["thread_connections"] = ThreadConnections(engine, writes=True, ping=False)
    elif engine.dialect.name == "postgresql":
        app.extensions["thread_connections"] = ThreadConnections(engine, writes=False, ping=True)

    @app.teardown_appcontext
    def _close_session(exc: BaseException | None) -> None:
        request_globals = vars(g._get_current_object())
        reader = request_globals.pop("db_reader", None)
        if reader is not None:
            _return_reader(reader)
        session: Session | None = request_globals.pop("db_session", None)
        connection: Connection | None = request_globals.pop("db_connection", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()
        if connection is None:
            return
        fairy = request_globals.pop("db_thread_fairy", None)
        if fairy is not None:  # the thread's own connection: kept for its next request
            if not connection.invalidated and connection.in_transaction():
                connection.rollback()
            release_writer(fairy.info)
        else:
            connection.close()  # rolls back whatever was not committed


def connection() -> Connection:
    """The request's connection, opened on first use: the session, when there is one, runs
    on it too. Hot anonymous reads use it without a session (`execute`).

    On a SQLite file it is the thread's own (`ThreadConnections`, the one its prepared reads
    use), kept between requests. Teardown ends whatever the request left open."""
    c = g.get("db_connection")
    if c is None:
        own: ThreadConnections | None = current_app.extensions.get("thread_connections")
        if own is None or not own.writes:
            c = g.db_connection = current_app.extensions["engine"].connect()
        else:
            c = g.db_connection = own.connection()
            g.db_thread_fairy = c.connection
    return c


def begin() -> None:
    """Begin the request's transaction now (on SQLite a writer's: it takes the write lock), so
    that prepared reads which follow run inside it, not in autocommit before it."""
    c = connection()
    if not c.in_transaction():
        c.begin()


def session() -> Session:
    """The request's session, opened on first use; from then on it owns the transaction."""
    s = g.get("db_session")
    if s is None:
        c = connection()
        if c.in_transaction():
            c.commit()  # only `execute`d reads so far: end their snapshot, the session begins anew
        s = g.db_session = current_app.extensions["sessionmaker"](bind=c)
    return s


def execute(statement: Executable, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
    """Run a Core statement in the request's unit of work, without ORM bookkeeping.

    Without a session (an anonymous read) it runs on the request's connection alone; with
    one, inside the session's transaction, after a flush. Prebuild hot statements at import
    with `bindparam`s: SQLAlchemy then reuses their cache key and compiled form.
    """
    s: Session | None = g.get("db_session")
    if s is not None:
        s.flush()
        return s.connection().execute(statement, params)
    return connection().execute(statement, params)


class Prepared:
    """A hot read: a SQLAlchemy select compiled once per dialect and run on the driver's cursor.

    SQLAlchemy's execution path (connection, autobegin, execution context, result metadata)
    costs 25-45 µs a statement, where the query itself takes 2-6 µs on SQLite: on a
    GET /item/{id} that was a fifth of the request. The statement is still written with
    SQLAlchemy; parameters and values still go through the column types' own bind and result
    processors (so rows equal those of `execute`); driver errors still arrive as SQLAlchemy's
    `DBAPIError` (a lost connection is invalidated, 503); and `before_cursor_execute`
    listeners still see every statement (with `conn` and `context` None). Expanding
    parameters (`IN` a list) are refused when it compiles: give each value its own bindparam.
    """

    def __init__(self, stmt: Select[Any] | UpdateBase) -> None:
        self.stmt = stmt
        # A select's columns, or an INSERT's or UPDATE's RETURNING columns
        self.columns = list(
            stmt.selected_columns if isinstance(stmt, Select) else stmt.exported_columns
        )
        self.row = namedtuple("Row", [c.key for c in self.columns], rename=True)  # type: ignore[misc]
        self._compiled: dict[str, _Compiled] = {}
        self._processors: dict[str, list[Callable[[Any], Any] | None]] = {}

    def _compile(self, dialect: Any) -> _Compiled:
        compiled = self.stmt.compile(dialect=dialect)
        binds: dict[str, Callable[[Any], Any]] = {}
        defaults: dict[str, Any] = {}
        for bind, name in compiled.bind_names.items():
            if bind.expanding:
                raise TypeError(f"Prepared cannot expand {name}: use one bindparam per value")
            if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None:
                binds[name] = process
            if not bind.required:
                defaults[name] = bind.effective_value
        order = tuple(compiled.positiontup) if compiled.positional else None  # type: ignore[arg-type]
        found = _Compiled(compiled.string, order, defaults, binds)
        self._compiled[dialect.name] = found
        return found

    def _processors_for(self, dialect: Any, description: Any) -> list[Any]:
        types = [c.type.dialect_impl(dialect) for c in self.columns]
        found = [t.result_processor(dialect, d[1]) for t, d in zip(types, description, strict=True)]
        self._processors[dialect.name] = found
        return found

    def rows(self, params: Mapping[str, Any]) -> list[Any]:
        """Every row, as named tuples, in the request's unit of work."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        engine = app.extensions["engine"]
        fairy = _reader(app)
        dialect = engine.dialect
        c = self._compiled.get(dialect.name) or self._compile(dialect)
        values = {**c.defaults, **params} if c.defaults else params
        if c.binds:
            values = {k: (c.binds[k](v) if k in c.binds else v) for k, v in values.items()}
        sql = c.sql
        args = tuple(values[name] for name in c.order) if c.order is not None else values
        driver = fairy.dbapi_connection  # (the driver's own: only sync drivers are used)
        # One cursor per connection, kept in its `info` (cleared when the connection is
        # replaced): a new psycopg cursor per statement was a quarter of its client cost.
        cursor = fairy.info.get("prepared_cursor")
        if cursor is None:
            cursor = fairy.info["prepared_cursor"] = driver.cursor()
        try:
            if engine.dispatch.before_cursor_execute:  # listeners (tests, tracing) see it
                engine.dispatch.before_cursor_execute(None, cursor, sql, args, None, False)
            cursor.execute(sql, args)
            raw = cursor.fetchall()
            procs = self._processors.get(dialect.name) or self._processors_for(
                dialect, cursor.description
            )
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, driver, cursor):
                fairy.invalidate(exc)
                note_disconnect(engine)
            raise _as_sqlalchemys(exc, dialect, sql, args) from exc
        make = self.row._make
        active = [(i, p) for i, p in enumerate(procs) if p is not None]
        if not active:
            return [make(r) for r in raw]
        rows = []
        for r in raw:
            values = list(r)
            for i, process in active:
                values[i] = process(values[i])
            rows.append(make(values))
        return rows

    def first(self, params: Mapping[str, Any]) -> Any:
        found = self.rows(params)
        return found[0] if found else None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # positional drivers (SQLite): the parameters' order
    defaults: dict[str, Any]  # values written into the statement itself (`col == 5`)
    binds: dict[str, Callable[[Any], Any]]  # bind processors of the parameters that have one


def _as_sqlalchemys(exc: Exception, dialect: Any, sql: str | None = None, args: Any = None) -> Any:
    """A driver's error as SQLAlchemy reports it (IntegrityError -> 409, unavailable -> 503)."""
    return sa_exc.DBAPIError.instance(sql, args, exc, dialect.loaded_dbapi.Error, dialect=dialect)


def _reader(app: Flask) -> Any:
    """The connection hot reads run on: the request's own, inside its transaction, when it has
    one; else one in autocommit (each statement sees the latest commit, as PostgreSQL's READ
    COMMITTED does anyway), so a read takes no lock and no round trip for BEGIN or ROLLBACK.

    That one is the thread's own (`ThreadConnections`); an in-memory SQLite database lends its
    pooled connection per request instead, returned at teardown."""
    request_globals = vars(g._get_current_object())
    s: Session | None = request_globals.get("db_session")
    if s is not None:
        s.flush()  # the read sees the session's pending changes, as `execute` does
        return s.connection().connection
    if request_globals.get("db_connection") is not None:
        begin()
        return connection().connection
    own: ThreadConnections | None = app.extensions.get("thread_connections")
    if own is not None:
        return own.get()
    fairy = g.get("db_reader")
    if fairy is None:
        fairy = g.db_reader = _check_out()
        fairy.dbapi_connection.autocommit = True  # (SQLite's always is: we send BEGIN)
    return fairy


def _check_out() -> Any:
    engine = current_app.extensions["engine"]
    try:
        return engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error as exc:  # reported as `Engine.connect` does
        raise _as_sqlalchemys(exc, engine.dialect) from exc


def _return_reader(fairy: Any) -> None:
    driver = fairy.dbapi_connection
    if driver is not None and getattr(driver, "autocommit", None) is True:
        try:
            driver.autocommit = False  # as the pool hands connections out
        except current_app.extensions["engine"].dialect.loaded_dbapi.Error as exc:
            fairy.invalidate(exc)  # a broken connection: the pool replaces it
    fairy.close()


@contextmanager
def standalone_session(app: Flask) -> Iterator[Session]:
    """A session outside a request (CLI, seeding): commits on success."""
    with app.extensions["sessionmaker"]() as s, s.begin():
        yield s


def commit() -> None:
    """Commit the request's unit of work; a constraint it breaks is a 409, not a 500."""
    request_globals = vars(g._get_current_object())
    s: Session | None = request_globals.get("db_session")
    c: Connection | None = request_globals.get("db_connection")
    try:
        if s is not None:
            s.commit()
        elif c is not None and c.in_transaction():
            c.commit()
        if c is not None and not c.closed and not c.in_transaction():
            release_writer(c.connection.info)
    except sa_exc.IntegrityError:
        rollback()
        raise Problem(409, "The request conflicts with the current state of the resource") from None


TRANSIENT_CONFLICTS = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure
CONFLICT_RETRIES = 3


def is_transient_conflict(exc: BaseException) -> bool:
    """Two transactions collided and the database chose this one to fail: worth a retry."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in TRANSIENT_CONFLICTS


def retrying_conflicts(unit_of_work: Callable[[], T]) -> T:
    """Run the request's unit of work (it commits); rerun it, from a rolled-back session, when
    the database aborted it to break a deadlock. Any other error goes through unchanged."""
    for attempt in range(CONFLICT_RETRIES + 1):
        try:
            return unit_of_work()
        except sa_exc.DBAPIError as exc:
            if attempt == CONFLICT_RETRIES or not is_transient_conflict(exc):
                raise
            rollback()
            time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))
    raise AssertionError("unreachable")


def rollback() -> None:
    s: Session | None = g.get("db_session")
    c: Connection | None = g.get("db_connection")
    if s is not None:
        s.rollback()
    elif c is not None and c.in_transaction():
        c.rollback()


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


def _limit_statements(engine: Engine, milliseconds: int) -> None:
    """No statement runs longer than this: a stuck query is cancelled (503), not waited on."""

    @event.listens_for(engine, "connect")
    def _statement_timeout(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET statement_timeout = {int(milliseconds)}")
        dbapi_conn.commit()

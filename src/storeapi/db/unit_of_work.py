"""The request's unit of work: its connection, session and transaction (`g.unit_of_work`).

Opened on first use and ended at teardown, as one object with named attributes.

A request that only runs prepared reads on its thread's own connection (the hot anonymous
GET) makes no unit of work at all: it would have nothing to end.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask, current_app, g
from sqlalchemy import Connection, CursorResult, Executable
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection

from storeapi.db.engine import release_writer
from storeapi.db.errors import is_transient_conflict
from storeapi.db.pooled import ThreadConnections, lend_reader, return_reader

T = TypeVar("T")
CONFLICT_RETRIES = 3


class UnitOfWork:
    """What the request opened; each attribute None until first used."""

    __slots__ = ("autocommitted", "connection", "reader", "session", "thread_connection")

    def __init__(self) -> None:
        # The request's Connection (`connection()`); the session, when there is one, runs on it.
        self.connection: Connection | None = None
        self.session: Session | None = None
        # The pooled connection under `connection` when it is the thread's own (SQLite file):
        # kept for the thread's next request, so the end only closes its transaction.
        self.thread_connection: PoolProxiedConnection | None = None
        # A connection lent for autocommit reads when threads have none of their own
        # (in-memory SQLite): given back to the pool at the end.
        self.reader: PoolProxiedConnection | None = None
        # The thread's connection when a one-statement write ran on it in autocommit
        # (`writer`): already committed, `commit` only tells the replicas its position.
        self.autocommitted: PoolProxiedConnection | None = None

    def end(self, failed: bool) -> None:
        """Give back what the request opened; whatever it did not commit is rolled back."""
        if self.reader is not None:
            return_reader(current_app.extensions["engine"], self.reader)
        if self.session is not None:
            if failed:
                self.session.rollback()
            self.session.close()
        c = self.connection
        if c is None:
            return
        if self.thread_connection is not None:  # kept for the thread's next request
            if not c.invalidated and c.in_transaction():
                c.rollback()
            release_writer(self.thread_connection.info)
        else:
            c.close()


def _this_request() -> UnitOfWork | None:
    """The request's unit of work, None until something opened it.

    Read on the object behind Flask's `g` proxy (werkzeug's `_get_current_object`): `g.get`
    resolves the proxy by a generic attribute lookup each time, several times the cost of this
    dictionary read, on the path that every read takes."""
    return g._get_current_object().get("unit_of_work")


def _this_request_or_new() -> UnitOfWork:
    work = _this_request()
    if work is None:
        work = g.unit_of_work = UnitOfWork()
    return work


def end_unit_of_work(exc: BaseException | None) -> None:
    """Teardown: end the request's unit of work, if it made one."""
    work: UnitOfWork | None = g._get_current_object().pop("unit_of_work", None)
    if work is not None:
        work.end(failed=exc is not None)


def connection() -> Connection:
    """The request's connection, opened on first use: the session, when there is one, runs
    on it too. Hot anonymous reads use it without a session (`execute`).

    On a SQLite file it is the thread's own (`ThreadConnections`, the one its prepared reads
    use), kept between requests. Teardown ends whatever the request left open."""
    work = _this_request_or_new()
    c = work.connection
    if c is None:
        own: ThreadConnections | None = current_app.extensions.get("thread_connections")
        if own is None:
            c = work.connection = current_app.extensions["engine"].connect()
        elif not own.writes:  # PostgreSQL: the primary, or a replica for a read (db/replicas.py)
            c = work.connection = own.engine_for_request().connect()
        else:
            c = work.connection = own.connection()
            work.thread_connection = c.connection
    return c


def begin() -> None:
    """Begin the request's transaction now (on SQLite a writer's: it takes the write lock), so
    that prepared reads which follow run inside it, not in autocommit before it."""
    c = connection()
    if not c.in_transaction():
        c.begin()


def session() -> Session:
    """The request's session, opened on first use; from then on it owns the transaction."""
    work = _this_request_or_new()
    s = work.session
    if s is None:
        c = connection()
        if c.in_transaction():
            c.commit()  # only `execute`d reads so far: end their snapshot, the session begins anew
        s = work.session = current_app.extensions["sessionmaker"](bind=c)
    return s


def execute(statement: Executable, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
    """Run a Core statement in the request's unit of work, without ORM bookkeeping.

    Without a session (an anonymous read) it runs on the request's connection alone; with
    one, inside the session's transaction, after a flush. Prebuild hot statements at import
    with `bindparam`s: SQLAlchemy then reuses their cache key and compiled form.
    """
    work = _this_request()
    s = work.session if work is not None else None
    if s is not None:
        s.flush()
        return s.connection().execute(statement, params)
    return connection().execute(statement, params)


def reader(app: Flask) -> PoolProxiedConnection:
    """The connection hot reads (`Prepared`) run on: the request's own, inside its transaction,
    when it has one; else one in autocommit (each statement sees the latest commit, as
    PostgreSQL's READ COMMITTED does anyway), so a read takes no lock and no round trip for
    BEGIN or ROLLBACK.

    That one is the thread's own (`ThreadConnections`); an in-memory SQLite database lends its
    pooled connection per request instead, returned at teardown."""
    work = _this_request()
    if work is not None:
        if work.session is not None:
            work.session.flush()  # the read sees the session's pending changes, as `execute` does
            return work.session.connection().connection
        if work.connection is not None:
            begin()
            return work.connection.connection
        if work.reader is not None:
            return work.reader
    own: ThreadConnections | None = app.extensions.get("thread_connections")
    if own is not None:
        return own.get()
    work = _this_request_or_new()
    work.reader = lend_reader(app.extensions["engine"])
    return work.reader


def writer(app: Flask) -> PoolProxiedConnection:
    """The connection a write of one statement (`Prepared.write`) runs on.

    On PostgreSQL, when the request has opened no transaction, the thread's own in autocommit:
    a statement is a transaction of its own there, so the write needs no BEGIN and no COMMIT,
    two of its round trips. It is noted for `commit` (a replica's readers learn its position).
    Otherwise, inside the request's transaction, begun now if need be: on SQLite that takes a
    writer's turn (BEGIN IMMEDIATE), and what else the request writes (an Idempotency-Key's
    answer) commits with it."""
    own: ThreadConnections | None = app.extensions.get("thread_connections")
    work = _this_request()
    if (
        own is not None
        and not own.writes  # PostgreSQL: the thread's connection serves reads, in autocommit
        and (work is None or (work.session is None and work.connection is None))
    ):
        pooled = own.get()
        _this_request_or_new().autocommitted = pooled
        return pooled
    if work is None or work.session is None:  # (a session begins its own transaction)
        begin()
    return reader(app)


def commit() -> None:
    """Commit the request's unit of work. A constraint it breaks rolls it back and goes on as
    the IntegrityError it is, which http/problems.py answers with a 409, not a 500."""
    work = _this_request()
    if work is None:
        return  # nothing opened, nothing to commit
    s, c = work.session, work.connection
    try:
        if s is not None:
            s.commit()
        elif c is not None and c.in_transaction():
            c.commit()
        if c is not None and not c.closed and not c.in_transaction():
            release_writer(c.connection.info)
    except sa_exc.IntegrityError:
        rollback()
        raise
    written = c if c is not None else work.autocommitted
    if written is not None and (replicas := current_app.extensions.get("replicas")) is not None:
        replicas.committed(written)  # a write's position, for its caller's reads (read-your-writes)


def rollback() -> None:
    """Roll back what the request's unit of work has not committed."""
    work = _this_request()
    if work is None:
        return
    if work.session is not None:
        work.session.rollback()
    elif work.connection is not None and work.connection.in_transaction():
        work.connection.rollback()


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


@contextmanager
def standalone_session(app: Flask) -> Iterator[Session]:
    """A session outside a request (CLI, seeding): commits on success."""
    with app.extensions["sessionmaker"]() as s, s.begin():
        yield s

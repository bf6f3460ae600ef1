"""PostgreSQL's connections: pooled ones (writes) and each thread's own (reads outside a write,
`db.ThreadConnections`) are pinged before use only after they sat idle or across a disconnect seen
on another one (db/liveness.py), and a connection whose server side is gone never
turns into a 500."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from storeapi import db
from storeapi.db import liveness
from tests.conftest import create_item, create_store


@pytest.fixture
def pg_app(app, database_url):  # type: ignore[no-untyped-def]
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no pool of server connections")
    return app


@pytest.fixture
def pings(pg_app, monkeypatch):  # type: ignore[no-untyped-def]
    """Every ping sent, counted."""
    sent: list[object] = []
    dialect = pg_app.extensions["engine"].dialect
    ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: sent.append(conn) or ping(conn))
    return sent


def _pid(dbapi_connection) -> int:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
    cursor.close()
    return pid


def _server_side(database_url: str, statement: str, pids: list[int]) -> int:
    """Run a statement over `pids` from a connection of its own (never another test's)."""
    outside = create_engine(db.normalize_url(database_url), poolclass=NullPool)
    with outside.connect() as conn:
        found = conn.execute(text(statement), {"pids": pids}).scalar_one()
    outside.dispose()
    return found


def _kill_app_connections(app, database_url: str, pooled: int = 2) -> int:  # type: ignore[no-untyped-def]
    """End the server side of this thread's reader and of the pool's connections, as a
    restart would; returns how many were ended."""
    engine = app.extensions["engine"]
    with app.app_context():
        pids = [_pid(app.extensions["thread_connections"].get().dbapi_connection)]
    held = [engine.raw_connection() for _ in range(pooled)]  # the pooled ones, and new ones
    for conn in held:
        pids.append(_pid(conn))
        conn.rollback()
    for conn in held:
        conn.close()  # back to the pool, alive as far as the pool knows
    return _server_side(
        database_url,
        "SELECT count(*) FROM unnest(CAST(:pids AS int[])) AS p WHERE pg_terminate_backend(p)",
        pids,
    )


def test_a_connection_used_a_moment_ago_is_not_pinged(pg_app, client, user, pings):
    item = create_item(client, user, create_store(client, user)["id"])
    pings.clear()
    for _ in range(5):
        assert client.get(f"/item/{item['id']}").status_code == 200
    assert client.put(f"/item/{item['id']}", json={"price": "2.00"}, headers=user.headers)
    assert pings == []


def test_reads_outside_a_write_share_the_threads_own_connection(pg_app, client, user):
    item = create_item(client, user, create_store(client, user)["id"])
    readers = pg_app.extensions["thread_connections"]
    with pg_app.app_context():
        first = readers.get()
    for _ in range(3):
        assert client.get(f"/item/{item['id']}").status_code == 200
    with pg_app.app_context():
        assert readers.get() is first and first.dbapi_connection.autocommit is True


def test_an_idle_connection_is_pinged_and_replaced_when_its_server_side_is_gone(
    pg_app, client, user, pings, monkeypatch, database_url
):  # type: ignore[no-untyped-def]
    item = create_item(client, user, create_store(client, user)["id"])
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE_SECONDS", 0.0)  # every connection counts as idle
    assert _kill_app_connections(pg_app, database_url) == 3
    pings.clear()
    assert client.get(f"/item/{item['id']}").status_code == 200  # no 503: replaced first
    created = client.post("/store", json={"name": "After the outage"}, headers=user.headers)
    assert created.status_code == 201  # no 503 either: a write through the pool
    assert len(pings) >= 2  # the reader's, and the pool's for the write


def test_a_recently_used_connection_that_is_gone_is_one_503_and_the_rest_heal(
    pg_app, client, user, pings, database_url
):  # type: ignore[no-untyped-def]
    item = create_item(client, user, create_store(client, user)["id"])
    assert client.get(f"/item/{item['id']}").status_code == 200
    assert _kill_app_connections(pg_app, database_url) == 3
    answers = [client.get(f"/item/{item['id']}").status_code for _ in range(3)]
    # The reader used a moment ago fails its statement (a 503, never a 500) and is replaced;
    # the disconnect makes the pool ping its connections before their next use.
    assert answers == [503, 200, 200]
    pings.clear()
    # A write through the pool (a PUT of an item runs on the thread's connection, in autocommit)
    created = client.post("/store", json={"name": "After the outage"}, headers=user.headers)
    assert created.status_code == 201 and len(pings) >= 1


def test_the_threads_connections_are_closed_with_the_engine(pg_app, database_url):
    readers = pg_app.extensions["thread_connections"]
    with pg_app.app_context():
        pid = _pid(readers.get().dbapi_connection)
    alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(CAST(:pids AS int[]))"
    assert _server_side(database_url, alive, [pid]) == 1
    pg_app.extensions["engine"].dispose()
    deadline = time.monotonic() + 5  # the server ends the backend a moment after the close
    while _server_side(database_url, alive, [pid]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _server_side(database_url, alive, [pid]) == 0

"""PostgreSQL's pool: a connection is pinged before use only after it sat idle (db.py,
`_ping_when_idle`), and a connection whose server side is gone never turns into a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from storeapi import db
from tests.conftest import create_item, create_store


@pytest.fixture
def pg_app(app, database_url):  # type: ignore[no-untyped-def]
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no pool of server connections")
    return app


@pytest.fixture
def pings(pg_app, monkeypatch):  # type: ignore[no-untyped-def]
    """Every ping the pool sends, counted."""
    sent: list[object] = []
    dialect = pg_app.extensions["engine"].dialect
    ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: sent.append(conn) or ping(conn))
    return sent


def _kill_pooled_connections(app, database_url: str, count: int = 2) -> int:  # type: ignore[no-untyped-def]
    """End the server side of the connections the app's pool holds (as a restart would), from
    a connection of its own: this test's connections only, never another test's."""
    engine = app.extensions["engine"]
    held = [engine.raw_connection() for _ in range(count)]  # the pooled ones, and new ones
    pids = []
    for conn in held:
        cursor = conn.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        pids.append(cursor.fetchone()[0])
        cursor.close()
        conn.rollback()
    for conn in held:
        conn.close()  # back to the pool, alive as far as the pool knows
    outside = create_engine(db.normalize_url(database_url), poolclass=NullPool)
    with outside.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(*) FROM unnest(CAST(:pids AS int[])) AS p"
                " WHERE pg_terminate_backend(p)"
            ),
            {"pids": pids},
        ).scalar_one()
    outside.dispose()
    return killed


def test_a_connection_used_a_moment_ago_is_not_pinged(pg_app, client, user, pings):
    item = create_item(client, user, create_store(client, user)["id"])
    pings.clear()
    for _ in range(5):
        assert client.get(f"/item/{item['id']}").status_code == 200
    assert pings == []


def test_an_idle_connection_is_pinged_and_replaced_when_its_server_side_is_gone(
    pg_app, client, user, pings, monkeypatch, database_url
):  # type: ignore[no-untyped-def]
    item = create_item(client, user, create_store(client, user)["id"])
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # every connection counts as idle
    assert _kill_pooled_connections(pg_app, database_url) == 2
    pings.clear()
    assert client.get(f"/item/{item['id']}").status_code == 200  # no 503: replaced first
    assert len(pings) >= 1


def test_a_recently_used_connection_that_is_gone_is_one_503_and_the_pool_heals(
    pg_app, client, user, pings, database_url
):  # type: ignore[no-untyped-def]
    item = create_item(client, user, create_store(client, user)["id"])
    assert client.get(f"/item/{item['id']}").status_code == 200
    killed = _kill_pooled_connections(pg_app, database_url)
    assert killed == 2
    answers = [client.get(f"/item/{item['id']}").status_code for _ in range(3)]
    # The one used a moment ago fails its statement (a 503, never a 500); the disconnect makes
    # the pool ping the other before its use, and replace it.
    assert answers == [503, 200, 200]
    assert len(pings) >= 1

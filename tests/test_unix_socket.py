"""PostgreSQL through its Unix socket (`postgresql:///db?host=/var/run/postgresql`): migrated,
checked, served and written to, with no TCP connection anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, make_url, text

from bench.build_db import through_local_socket
from storeapi.app import create_app
from storeapi.db import normalize_url
from tests.conftest import PASSWORD, migrated_schema, test_settings
from tests.live import live_server

SOCKET_DIR = "/var/run/postgresql"
APPLICATION = f"storeapi-socket-{uuid.uuid4().hex[:8]}"

needs_socket = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") and Path(SOCKET_DIR, ".s.PGSQL.5432").exists()),
    reason="needs TEST_DATABASE_URL and PostgreSQL's socket in /var/run/postgresql",
)


@pytest.fixture(scope="module", params=["postgresql:///{db}", "postgresql://{user}@/{db}"])
def socket_url(request) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """TEST_DATABASE_URL's database through the socket, in a schema of its own (migrated)."""
    tcp = make_url(normalize_url(os.environ["TEST_DATABASE_URL"]))
    user = tcp.username or "postgres"
    base = request.param.format(user=user, db=tcp.database) + f"?host={SOCKET_DIR}"
    if "{user}" not in request.param:
        base += f"&user={user}"  # (libpq's default user is the OS user's name)
    with migrated_schema(base, f"application_name={APPLICATION}&") as url:
        yield url


@needs_socket
def test_the_app_reads_and_writes_through_the_socket(socket_url):
    app = create_app(test_settings(socket_url))
    try:
        client = app.test_client()
        assert client.post("/register", json={"email": "s@example.com", "password": PASSWORD})
        token = client.post("/login", json={"email": "s@example.com", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.get_json()['access_token']}"}
        store = client.post("/store", json={"name": "Socket"}, headers=headers).get_json()
        body = {"name": "Plug", "price": "2.00", "store_id": store["id"]}
        created = client.post("/item", json=body, headers=headers)
        assert created.status_code == 201
        changed = client.put(created.headers["Location"], json={"price": "3"}, headers=headers)
        assert changed.status_code == 200 and changed.get_json()["price"] == 3.0
        with app.app_context():  # the connection that served them: a socket's has no address
            own = app.extensions["thread_connections"].get()
            (address,) = own.dbapi_connection.execute("SELECT inet_server_addr()").fetchone()
        assert address is None
    finally:
        app.extensions["engine"].dispose()


@needs_socket
def test_storeapi_checks_and_serves_it(socket_url):
    env = {**os.environ, "DATABASE_URL": socket_url}
    check = subprocess.run(
        [sys.executable, "-m", "storeapi.cli", "db", "check"], env=env, capture_output=True
    )
    assert check.returncode == 0, check.stderr
    with live_server(socket_url, workers=1) as base, httpx.Client(base_url=base) as http:
        assert http.get("/readyz").status_code == 200
        assert http.get("/item").status_code == 200
        engine = create_engine(normalize_url(socket_url))
        try:
            with engine.connect() as conn:
                found = conn.execute(
                    text(
                        "SELECT client_addr IS NULL FROM pg_stat_activity "
                        "WHERE application_name = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": APPLICATION},
                ).scalars()
                backends = list(found)
        finally:
            engine.dispose()
    assert backends and all(backends)  # the server's connections, every one through the socket


def test_the_bench_takes_the_socket_for_this_host_only(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_PG_SOCKET_DIR", str(tmp_path))
    tcp = "postgresql://postgres:pw@127.0.0.1:5433/bench?sslmode=disable"
    assert through_local_socket(tcp) == tcp  # no socket for port 5433 there
    (tmp_path / ".s.PGSQL.5433").touch()
    local = make_url(through_local_socket(tcp))
    assert (local.host, local.port, local.database) == (None, 5433, "bench")
    assert dict(local.query) == {"host": str(tmp_path), "sslmode": "disable"}
    assert (local.username, local.password) == ("postgres", "pw")
    other = "postgresql://postgres@db.internal:5433/bench"
    assert through_local_socket(other) == other  # another host: TCP
    monkeypatch.setenv("BENCH_PG_TCP", "1")
    assert through_local_socket(tcp) == tcp

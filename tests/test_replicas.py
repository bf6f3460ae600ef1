"""Read replicas against a real primary and a real streaming replica (docs/deployment.md).

The tests make their own PostgreSQL cluster and a hot standby of it (`initdb`, `pg_basebackup
-R`, free ports, temporary directories), once per session. Which server answered a read is
asked of the very connection that ran it: every statement the app sends is preceded, by a
listener on every engine, with `pg_is_in_recovery()` on the statement's own connection (True on
the replica). Read-your-writes needs Redis (TEST_REDIS_URL): without it, a caller's writes
could not be known to other instances, so authenticated reads stay on the primary.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
from flask import Flask
from sqlalchemy import event

from storeapi.app import create_app
from storeapi.db.replicas import Replicas
from storeapi.migrate import upgrade
from storeapi.settings import Settings, SettingsError
from tests.conftest import Account, create_item, create_store, make_account, reset_database
from tests.conftest import test_settings as settings_for
from tests.live import live_server
from tests.pgserver import (
    Cluster,
    cluster_unavailable_reason,
    throwaway_cluster,
    throwaway_replica,
)

REDIS_URL = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="read-your-writes needs TEST_REDIS_URL")


@dataclass
class Replication:
    primary: Cluster
    replica: Cluster

    def replica_sql(self, sql: str) -> Any:
        with psycopg.connect(self.replica.url, autocommit=True) as conn:
            return conn.execute(sql).fetchone()

    def delay_replay(self, delay: str) -> None:
        """Hold each commit back on the replica (`recovery_min_apply_delay`), or stop doing so."""
        with psycopg.connect(self.replica.url, autocommit=True) as conn:
            conn.execute(f"ALTER SYSTEM SET recovery_min_apply_delay = '{delay}'")
            conn.execute("SELECT pg_reload_conf()")

    def caught_up(self, timeout: float = 20) -> None:
        with psycopg.connect(self.primary.url, autocommit=True) as conn:
            (target,) = conn.execute("SELECT pg_current_wal_lsn()").fetchone()
        wait_for(
            lambda: self.replica_sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'")[0],
            timeout,
            "the replica to replay the primary's WAL",
        )


@pytest.fixture(scope="session")
def replication() -> Iterator[Replication]:
    reason = cluster_unavailable_reason()
    if reason:
        pytest.skip(reason)
    with throwaway_cluster() as primary:
        upgrade(primary.url)
        with throwaway_replica(primary) as replica:
            pair = Replication(primary, replica)
            pair.caught_up()
            yield pair


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Served:
    """Records, for every statement the app sends, whether its connection is a replica's."""

    def __init__(self, app: Flask) -> None:
        self.seen: list[bool] = []
        self._lock = threading.Lock()
        replicas: Replicas = app.extensions["replicas"]
        for engine in [replicas.engine, *(r.engine for r in replicas.replicas)]:
            event.listen(engine, "before_cursor_execute", self._note)

    def _note(self, _conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "pg_is_in_recovery" in statement or "pg_current_wal_lsn" in statement:
            return
        (in_recovery,) = cursor.connection.execute("SELECT pg_is_in_recovery()").fetchone()
        with self._lock:
            self.seen.append(in_recovery)

    def by(self, action: Callable[[], Any]) -> tuple[Any, set[bool]]:
        """Run `action`; its result, and {True} (replica), {False} (primary) or both."""
        with self._lock:
            self.seen.clear()
        result = action()
        with self._lock:
            return result, set(self.seen)


@pytest.fixture
def make_app(replication: Replication) -> Iterator[Callable[..., Flask]]:
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        values: dict[str, Any] = {
            "database_replica_urls": (replication.replica.url,),
            "replica_max_lag_seconds": 10,
            "redis_url": REDIS_URL,
            "rate_limit_prefix": f"replicas-{uuid.uuid4().hex[:12]}",
        }
        values.update(overrides)
        app = create_app(settings_for(replication.primary.url, **values))
        app.config["TESTING"] = True
        apps.append(app)
        return app

    yield make
    replication.delay_replay("0")
    for app in apps:
        reset_database(app)
        app.extensions["engine"].dispose()


def replica_usable(app: Flask) -> bool:
    with app.test_client() as client:
        found = client.get("/readyz").get_json()["replicas"]
    return found[0]["state"] == "ok"


def seeded(app: Flask, replication: Replication) -> tuple[Account, dict[str, Any]]:
    client = app.test_client()
    owner = make_account(client, f"{uuid.uuid4().hex[:8]}@example.com")
    store = create_store(client, owner)
    item = create_item(client, owner, store["id"])
    replication.caught_up()
    wait_for(lambda: replica_usable(app), 10, "the replica to be usable")
    return owner, item


def test_reads_outside_writes_go_to_the_replica(make_app, replication):
    app = make_app()
    _, item = seeded(app, replication)
    served, client = Served(app), app.test_client()

    # The hot read (prepared, on the thread's own connection) and a list through a session.
    r, where = served.by(lambda: client.get(f"/item/{item['id']}"))
    assert r.status_code == 200 and where == {True}
    r, where = served.by(lambda: client.get("/store"))
    assert r.status_code == 200 and r.get_json()["stores"] and where == {True}
    r, where = served.by(
        lambda: client.get(f"/item/{item['id']}", headers={"If-None-Match": r.headers["ETag"]})
    )
    assert where == {True}


def test_writes_and_the_reads_inside_them_use_the_primary(make_app, replication):
    app = make_app()
    owner, item = seeded(app, replication)
    served, client = Served(app), app.test_client()
    r, where = served.by(
        lambda: client.put(f"/item/{item['id']}", json={"price": "9.50"}, headers=owner.headers)
    )
    assert r.status_code == 200 and where == {False}
    # /readyz checks the primary and reports the replica without depending on it.
    r, where = served.by(lambda: client.get("/readyz"))
    assert r.status_code == 200 and where == {False}
    assert r.get_json()["replicas"][0]["name"].endswith(f":{replication.replica.port}/postgres")


@needs_redis
def test_a_caller_reads_its_own_writes_from_a_delayed_replica(make_app, replication):
    app = make_app()
    owner, item = seeded(app, replication)
    served, client = Served(app), app.test_client()
    url = f"/item/{item['id']}"
    replication.delay_replay("3s")
    try:
        changed = client.put(url, json={"price": "7.25"}, headers=owner.headers)
        assert changed.status_code == 200
        written_at = time.monotonic()

        # The writer reads its write, from the primary, while the replica still lacks it.
        mine, where = served.by(lambda: client.get(url, headers=owner.headers))
        assert mine.get_json()["price"] == 7.25 and where == {False}
        anyone, where = served.by(lambda: client.get(url))
        assert anyone.get_json()["price"] == 15.99 and where == {True}  # the delay is real

        # Once the replica has replayed the write, the writer's reads go back to it.
        def on_replica_again() -> bool:
            r, where = served.by(lambda: client.get(url, headers=owner.headers))
            assert r.get_json()["price"] == 7.25
            return where == {True}

        wait_for(on_replica_again, 15, "the writer's reads to return to the replica")
        assert time.monotonic() - written_at >= 2.5  # not before the replica had the write (3 s)
    finally:
        replication.delay_replay("0")


@needs_redis
def test_a_write_under_an_idempotency_key_is_read_back(make_app, replication):
    app = make_app()
    owner, item = seeded(app, replication)
    served, client = Served(app), app.test_client()
    replication.delay_replay("3s")
    try:
        body = {"name": "Lamp", "price": "5.00", "store_id": item["store_id"]}
        headers = {**owner.headers, "Idempotency-Key": uuid.uuid4().hex}
        created = client.post("/item", json=body, headers=headers)
        assert created.status_code == 201
        r, where = served.by(lambda: client.get(created.headers["Location"], headers=owner.headers))
        assert r.status_code == 200 and where == {False}
        assert client.get(created.headers["Location"]).status_code == 404  # not replayed yet
    finally:
        replication.delay_replay("0")


@needs_redis
def test_a_new_login_is_read_back_at_once(make_app, replication):
    """A token is checked against its login's row: right after /login that row may only be on
    the primary, and the first authenticated read must not be refused."""
    app = make_app()
    seeded(app, replication)
    client = app.test_client()
    replication.delay_replay("3s")
    try:
        account = make_account(client, f"{uuid.uuid4().hex[:8]}@example.com")
        r = client.get("/user/me", headers=account.headers)
        assert r.status_code == 200, r.get_json()
        assert client.post("/logout", headers=account.headers).status_code == 204
        assert client.get("/user/me", headers=account.headers).status_code == 401
    finally:
        replication.delay_replay("0")


@needs_redis
def test_instances_share_their_callers_write_positions(make_app, replication):
    """Two `storeapi serve` processes: a write through one is read back through the other while
    the replica still lacks it, because the position went through Redis."""
    app = make_app()
    owner, item = seeded(app, replication)
    env = {
        "DATABASE_REPLICA_URLS": replication.replica.url,
        "REPLICA_MAX_LAG_SECONDS": "10",
        "REDIS_URL": REDIS_URL,
        "RATE_LIMIT_PREFIX": app.extensions["settings"].rate_limit_prefix,
    }
    url = f"/item/{item['id']}"
    with (
        live_server(replication.primary.url, **env) as a,
        live_server(replication.primary.url, **env) as b,
    ):
        wait_for(
            lambda: httpx.get(f"{b}/readyz").json()["replicas"][0]["state"] == "ok",
            10,
            "instance B to find the replica usable",
        )
        replication.delay_replay("3s")
        try:
            changed = httpx.put(f"{a}{url}", json={"price": "4.40"}, headers=owner.headers)
            assert changed.status_code == 200
            mine = httpx.get(f"{b}{url}", headers=owner.headers)
            assert mine.json()["price"] == 4.4  # B read the primary for this caller
            anyone = httpx.get(f"{b}{url}")
            assert anyone.json()["price"] == 15.99  # and the replica for anyone else
        finally:
            replication.delay_replay("0")


def test_without_redis_authenticated_reads_use_the_primary(make_app, replication):
    app = make_app(redis_url=None)
    owner, item = seeded(app, replication)
    served, client = Served(app), app.test_client()
    _, where = served.by(lambda: client.get(f"/item/{item['id']}", headers=owner.headers))
    assert where == {False}
    _, where = served.by(lambda: client.get(f"/item/{item['id']}"))
    assert where == {True}


def test_a_replica_lagging_beyond_the_bound_is_skipped(make_app, replication):
    app = make_app(replica_max_lag_seconds=1)
    owner, item = seeded(app, replication)
    served, client = Served(app), app.test_client()
    replication.delay_replay("4s")
    try:
        client.put(f"/item/{item['id']}", json={"price": "3.00"}, headers=owner.headers)
        found = wait_for(
            lambda: (
                (r := client.get("/readyz")).status_code == 200
                and r.get_json()["replicas"][0]["state"] == "lagging"
                and r.get_json()
            ),
            5,
            "the replica to be reported lagging",
        )
        assert found["status"] == "ready" and found["replicas"][0]["lag_seconds"] > 1
        r, where = served.by(lambda: client.get(f"/item/{item['id']}"))
        assert r.get_json()["price"] == 3.0 and where == {False}
        wait_for(lambda: replica_usable(app), 10, "the replica to catch up")
        _, where = served.by(lambda: client.get(f"/item/{item['id']}"))
        assert where == {True}
    finally:
        replication.delay_replay("0")


@dataclass
class ReadLoad:
    """Threads reading through the app until stopped; every status is counted."""

    app: Flask
    paths: list[str]
    statuses: Counter[int] = field(default_factory=Counter)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _run(self) -> None:
        client = self.app.test_client()
        n = 0
        while not self._stop.is_set():
            status = client.get(self.paths[n % len(self.paths)]).status_code
            n += 1
            with self._lock:
                self.statuses[status] += 1

    def __enter__(self) -> ReadLoad:
        self._threads = [threading.Thread(target=self._run) for _ in range(4)]
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(30)


def test_a_replica_stopped_under_load_costs_no_request(make_app, replication):
    app = make_app()
    _, item = seeded(app, replication)
    served, client = Served(app), app.test_client()
    paths = [f"/item/{item['id']}", "/store", "/item?limit=5"]
    with ReadLoad(app, paths) as load:
        time.sleep(1)
        replication.replica.stop("fast")
        try:
            time.sleep(1.5)
            ready = client.get("/readyz")
            assert ready.status_code == 200
            assert ready.get_json()["replicas"][0]["state"] == "down"
            _, where = served.by(lambda: client.get(paths[0]))
            assert where == {False}  # reads went back to the primary
        finally:
            replication.replica.start()
        wait_for(lambda: replica_usable(app), 15, "the replica to be usable again")
        time.sleep(1)
    assert set(load.statuses) == {200}, load.statuses
    assert load.statuses[200] > 50
    _, where = served.by(lambda: client.get(paths[0]))
    assert where == {True}  # back on the replica


def test_replicas_need_postgresql():
    with pytest.raises(SettingsError, match="DATABASE_REPLICA_URLS needs PostgreSQL"):
        Settings(
            database_url="sqlite:///x.db", database_replica_urls=("postgresql://r/db",)
        ).validated()
    with pytest.raises(SettingsError):
        Settings(
            database_url="postgresql://p/db", database_replica_urls=("sqlite:///r.db",)
        ).validated()

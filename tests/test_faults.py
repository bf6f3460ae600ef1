"""Failures under load, against real server processes: the database stops and comes back, a
worker is killed, Redis goes away. Acknowledged writes (2xx) must all be in the database
afterwards; failures must be quick 503 problems, never 500s or hangs.

The database that is stopped is a throwaway PostgreSQL cluster of the test's own (never the
shared server); Redis is a private `redis-server` on a free port. Each test prints its figures
(requests sent, acknowledged, found afterwards).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from storeapi.db import normalize_url
from storeapi.migrate import upgrade
from tests.conftest import PASSWORD
from tests.live import LiveServer, free_port, live_server
from tests.pgserver import cluster_unavailable_reason, fresh_database, throwaway_cluster

PG_URL = os.environ.get("TEST_DATABASE_URL")
REQUEST_TIMEOUT = 20.0  # a request that takes longer than this counts as a hang
QUICK_FAILURE = 10.0  # an answer while the database is down must come within this


@dataclass
class Outcome:
    title: str
    status: int | str  # HTTP status, or the name of the transport error
    seconds: float
    content_type: str = ""
    at: float = 0.0


@dataclass
class Load:
    """Threads that create books (unique titles) until stopped, recording every outcome."""

    base: str
    auth: dict[str, str]
    threads: int = 4
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _run(self, n: int) -> None:
        with httpx.Client(base_url=self.base, timeout=REQUEST_TIMEOUT) as http:
            i = 0
            while not self._stop.is_set():
                title = f"load-{n}-{i}-{uuid.uuid4().hex[:6]}"
                i += 1
                started = time.monotonic()
                try:
                    r = http.post(
                        "/books", json={"title": title, "author": "Load"}, headers=self.auth
                    )
                    outcome = Outcome(
                        title,
                        r.status_code,
                        time.monotonic() - started,
                        r.headers.get("content-type", ""),
                    )
                except httpx.HTTPError as exc:
                    outcome = Outcome(title, type(exc).__name__, time.monotonic() - started)
                outcome.at = started
                with self._lock:
                    self.outcomes.append(outcome)
                if outcome.status != 201:
                    time.sleep(0.05)  # no busy loop while the service is down

    def __enter__(self) -> Load:
        self._workers = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.threads)
        ]
        for w in self._workers:
            w.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for w in self._workers:
            w.join(REQUEST_TIMEOUT + 5)

    def between(self, start: float, end: float) -> list[Outcome]:
        with self._lock:
            return [o for o in self.outcomes if start <= o.at < end]

    def acknowledged(self) -> set[str]:
        return {o.title for o in self.outcomes if o.status == 201}


def stored_titles(database_url: str) -> set[str]:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(text("SELECT title FROM books"))}
    finally:
        engine.dispose()


def login(base: str, email: str | None = None) -> dict[str, str]:
    email = email or f"{uuid.uuid4().hex[:10]}@example.com"
    with httpx.Client(base_url=base, timeout=10) as http:
        r = http.post("/register", json={"email": email, "password": PASSWORD})
        assert r.status_code == 201, r.text
        r = http.post("/login", json={"email": email, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return r.json()


def report(name: str, load: Load, found: set[str]) -> None:
    statuses = Counter(str(o.status) for o in load.outcomes)
    acknowledged = load.acknowledged()
    print(
        f"\n[{name}] requests sent: {len(load.outcomes)}, "
        f"acknowledged (201): {len(acknowledged)}, "
        f"acknowledged and found afterwards: {len(acknowledged & found)}, "
        f"statuses: {dict(statuses)}"
    )


def wait_until(predicate, timeout: float, interval: float = 0.2) -> float | None:  # type: ignore[no-untyped-def]
    """Seconds until predicate() was true, or None after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    return None


def is_ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def own_cluster() -> Iterator:  # type: ignore[type-arg]
    if not PG_URL:
        pytest.skip("needs TEST_DATABASE_URL: the database outage is tested on PostgreSQL")
    if reason := cluster_unavailable_reason():
        pytest.skip(reason)
    with throwaway_cluster() as cluster:
        engine = create_engine(normalize_url(cluster.url))
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        engine.dispose()
        upgrade(cluster.url)
        yield cluster


@pytest.mark.parametrize(
    "outage, mode",
    [
        pytest.param(4, "fast", id="4s-shutdown"),
        pytest.param(4, "immediate", id="4s-crash", marks=pytest.mark.slow),
        pytest.param(30, "fast", id="30s-shutdown", marks=pytest.mark.slow),
    ],
)
def test_database_outage_gives_quick_503s_and_the_service_heals_itself(
    own_cluster, outage: float, mode: str
) -> None:  # type: ignore[no-untyped-def]
    """`fast`: PostgreSQL shuts down cleanly, closing connections; `immediate`: it crashes."""
    with live_server(own_cluster.url, workers=2) as base:
        auth = {"Authorization": f"Bearer {login(base)['access_token']}"}
        with Load(base, auth) as load:
            time.sleep(2)
            down_at = time.monotonic()
            own_cluster.stop(mode)
            time.sleep(1)
            ready = httpx.get(f"{base}/readyz", timeout=REQUEST_TIMEOUT)
            assert ready.status_code == 503, ready.text
            assert ready.headers["content-type"] == "application/problem+json"
            time.sleep(outage - 1)
            up_at = time.monotonic()
            own_cluster.start()
            healed = wait_until(lambda: is_ready(base), timeout=20)
            assert healed is not None, "not ready again 20 s after the database came back"
            time.sleep(2)
        after = time.monotonic()
        found = stored_titles(own_cluster.url)
        report(f"database outage {outage}s {mode}", load, found)
        print(f"[database outage] ready again {healed:.1f} s after the database came back")

        # Every write that was acknowledged is in the database.
        assert load.acknowledged() <= found
        # No 500 and no hang: while the database was down the answers were quick 503 problems.
        assert all(o.status in (201, 503) for o in load.outcomes), Counter(
            o.status for o in load.outcomes
        )
        outage = load.between(down_at + 0.5, up_at)
        assert outage and all(o.status == 503 for o in outage)
        assert all(o.content_type == "application/problem+json" for o in outage)
        assert max(o.seconds for o in load.outcomes) < QUICK_FAILURE
        # Writes were acknowledged before, and again after the database returned (no restart).
        assert any(o.status == 201 for o in load.between(0, down_at))
        assert any(o.status == 201 for o in load.between(up_at + healed, after))


def database_for_kill_test(tmp_path: Path) -> Iterator[str]:
    return fresh_database(PG_URL, tmp_path)  # PostgreSQL when the run has it, else SQLite


def test_a_killed_worker_is_replaced_and_no_acknowledged_write_is_lost(tmp_path: Path) -> None:
    with database_for_kill_test(tmp_path) as url, live_server(url, workers=2) as base:
        server: LiveServer = base
        assert wait_until(lambda: len(server.worker_pids()) == 2, timeout=20) is not None
        victim = server.worker_pids()[0]
        auth = {"Authorization": f"Bearer {login(base)['access_token']}"}
        with Load(base, auth, threads=6) as load:
            time.sleep(1.5)
            killed_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            replaced = wait_until(
                lambda: victim not in server.worker_pids() and len(server.worker_pids()) == 2,
                timeout=20,
            )
            assert replaced is not None, f"worker not replaced: {server.worker_pids()}"
            time.sleep(2)
        after = time.monotonic()
        found = stored_titles(url)
        report("worker SIGKILL", load, found)
        print(f"[worker SIGKILL] replacement worker up {replaced:.1f} s after the kill")

        assert load.acknowledged() <= found
        # Only the requests in flight on the killed worker may fail, and only at the transport.
        failed = [o for o in load.outcomes if o.status != 201]
        assert all(isinstance(o.status, str) for o in failed), Counter(o.status for o in failed)
        assert len(failed) <= 2 * load.threads
        assert any(o.status == 201 for o in load.between(killed_at + replaced, after))
        assert server.process.poll() is None  # the server itself kept running


@pytest.fixture
def private_redis() -> Iterator[tuple[str, subprocess.Popen]]:  # type: ignore[type-arg]
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"redis://127.0.0.1:{port}/0"
        import redis

        assert wait_until(lambda: _pings(redis, url), timeout=10) is not None
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(5)


def _pings(redis_module, url: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        return bool(redis_module.Redis.from_url(url, socket_timeout=0.5).ping())
    except Exception:
        return False


LIMIT = 20


def test_without_redis_the_api_serves_limits_and_revokes(private_redis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    redis_url, redis_process = private_redis
    env = {
        "REDIS_URL": redis_url,
        "RATE_LIMITS_ENABLED": "true",
        "RATE_LIMIT_PREFIX": f"faults-{uuid.uuid4().hex[:8]}",
        "DEFAULT_RATE_LIMIT": f"{LIMIT} per minute",
        "LOGIN_RATE_LIMIT": "50 per minute",
        "REGISTER_RATE_LIMIT": "50 per minute",
    }
    with fresh_database(PG_URL, tmp_path) as url, live_server(url, workers=1, **env) as base:
        http = httpx.Client(base_url=base, timeout=10)

        def burst(token: str) -> list[int]:
            auth = {"Authorization": f"Bearer {token}"}
            return [http.get("/store", headers=auth).status_code for _ in range(LIMIT + 1)]

        # With Redis: the general limit holds, counted in Redis.
        assert burst(login(base)["access_token"]) == [200] * LIMIT + [429]

        redis_process.kill()
        redis_process.wait(5)

        # Without Redis: it keeps serving, quickly...
        tokens = login(base)
        started = time.monotonic()
        statuses = burst(tokens["access_token"])
        assert time.monotonic() - started < 10
        assert http.get("/healthz").status_code == 200 and http.get("/readyz").status_code == 200
        # ...the limit still holds (counted in the process's memory until Redis is back)...
        assert statuses[0] == 200 and statuses[-1] == 429 and set(statuses) <= {200, 429}
        assert statuses.count(200) <= LIMIT
        # ...and revocation is enforced through the database: after logout, the token and its
        # refresh token are refused.
        fresh = login(base)
        auth = {"Authorization": f"Bearer {fresh['access_token']}"}
        assert http.post("/store", json={"name": "No Redis Shop"}, headers=auth).status_code == 201
        assert http.post("/logout", headers=auth).status_code == 204
        refused = http.post("/store", json={"name": "After Logout"}, headers=auth)
        assert (
            refused.status_code == 401
            and refused.headers["content-type"] == "application/problem+json"
        )
        refresh = http.post(
            "/refresh", headers={"Authorization": f"Bearer {fresh['refresh_token']}"}
        )
        assert refresh.status_code == 401
        assert "unhandled error" not in base.log() and "Traceback" not in base.log()

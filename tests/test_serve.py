"""`storeapi db upgrade` and `storeapi serve` as real processes: the commands the Docker
image runs. Start-up checks, real requests over TCP, graceful shutdown on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, make_url, text

from storeapi.db import normalize_url
from tests.conftest import BACKENDS, PASSWORD, SECRET

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STOREAPI = str(BIN / "storeapi")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables: a new SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
        return
    base = make_url(normalize_url(os.environ["TEST_DATABASE_URL"]))
    name = f"storeapi_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        engine.dispose()


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "STOREAPI_ENV": "test",
        "DATABASE_URL": database_url,
        "JWT_SECRET_KEY": SECRET,
        "RATE_LIMITS_ENABLED": "false",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "1024",
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def storeapi(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [STOREAPI, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


class Server:
    """A running `storeapi serve` process, its address and its stderr."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [STOREAPI, "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            env=env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited {self.proc.returncode}: {self.log()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200 and (
                    self.all_workers_started()
                ):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"server not ready after {timeout}s: {self.log()}")

    def all_workers_started(self) -> bool:
        """Every worker is up (a SIGTERM while one still boots waits for the kill timeout)."""
        log = self.log()
        wanted = re.search(r"with (\d+) worker\(s\)", log)
        return wanted is not None and log.count("Started worker-") >= int(wanted[1])

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode


@contextmanager
def running(args: list[str], env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    server = Server(args, env, tmp_path / f"server-{uuid.uuid4().hex[:6]}.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def migrated(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new database brought up to date by `storeapi db upgrade`, as the compose file does."""
    with empty_database(backend, tmp_path) as url:
        done = storeapi("db", "upgrade", env=server_env(url))
        assert done.returncode == 0, done.stderr
        assert "upgraded to head" in done.stderr
        yield url


def test_serve_refuses_an_unmigrated_database_and_says_what_to_run(backend, tmp_path):
    with empty_database(backend, tmp_path) as url:
        done = storeapi("serve", "--port", str(free_port()), env=server_env(url), timeout=30)
        assert done.returncode == 1
        assert "migration none" in done.stderr
        assert "run `storeapi db upgrade` first" in done.stderr
        assert "Traceback" not in done.stderr


def test_serve_refuses_a_database_behind_the_code(backend, tmp_path):
    with empty_database(backend, tmp_path) as url:
        assert storeapi("db", "upgrade", "--revision", "base", env=server_env(url)).returncode == 0
        done = storeapi("serve", "--port", str(free_port()), env=server_env(url), timeout=30)
        assert done.returncode == 1
        assert "run `storeapi db upgrade` first" in done.stderr


def test_serve_refuses_an_unreachable_database_without_a_traceback(tmp_path):
    url = f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}"
    done = storeapi("serve", "--port", str(free_port()), env=server_env(url), timeout=30)
    assert done.returncode == 1
    assert "cannot reach the database" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_production_without_a_secret(migrated):
    env = server_env(migrated, STOREAPI_ENV="production")
    env.pop("JWT_SECRET_KEY")
    done = storeapi("serve", "--port", str(free_port()), env=env, timeout=30)
    assert done.returncode == 1
    assert "JWT_SECRET_KEY is required" in done.stderr


def test_served_api_works_over_tcp_with_several_workers(migrated, tmp_path):
    with running(["--workers", "2", "--access-log", "json"], server_env(migrated), tmp_path) as srv:
        with httpx.Client(base_url=srv.url, timeout=10) as http:
            assert http.get("/readyz").json() == {"status": "ready"}
            creds = {"email": "ann@example.com", "password": PASSWORD}
            assert http.post("/register", json=creds).status_code == 201
            token = http.post("/login", json=creds).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            r = http.post("/store", json={"name": "Corner"}, headers=auth)
            assert r.status_code == 201
            r = http.post(
                "/item",
                json={"name": "Chair", "price": "15.99", "store_id": r.json()["id"]},
                headers=auth,
            )
            assert r.status_code == 201
            # Whichever worker answers, the data is the same.
            for _ in range(6):
                items = http.get("/item").json()["items"]
                assert [(i["name"], str(i["price"])) for i in items] == [("Chair", "15.99")]
            r = http.get("/no/such/path")
            assert r.status_code == 404
            assert r.headers["content-type"] == "application/problem+json"
        log = srv.log()
    assert "with 2 worker(s)" in log
    assert log.count("Spawning worker") == 2
    assert "Websockets" not in log  # no warning about what a WSGI app never had
    lines = [json.loads(line) for line in log.splitlines() if line.startswith('{"event"')]
    assert {"method": "POST", "path": "/store", "status": 201} in [
        {k: entry[k] for k in ("method", "path", "status")} for entry in lines
    ]


def test_access_log_can_be_switched_off(migrated, tmp_path):
    with running(["--workers", "1", "--access-log", "off"], server_env(migrated), tmp_path) as srv:
        assert httpx.get(srv.url + "/store").status_code == 200
        log = srv.log()
    assert "access log off" in log
    assert '"event":"request"' not in log


def test_default_workers_are_one_per_core(migrated, tmp_path):
    env = server_env(migrated)
    env.pop("WEB_CONCURRENCY", None)
    with running([], env, tmp_path) as srv:
        log = srv.log()
    assert f"with {os.cpu_count()} worker(s)" in log


def test_sigterm_lets_an_in_flight_request_finish_then_exits_0(migrated, tmp_path):
    args = ["--app", "tests.slow_app:app", "--workers", "2", "--graceful-timeout", "20"]
    srv = Server(args, server_env(migrated), tmp_path / "slow.log")
    try:
        srv.wait_ready()
        results: list[httpx.Response | Exception] = []

        def call_slow() -> None:
            try:
                results.append(httpx.get(srv.url + "/slow?seconds=3", timeout=20))
            except Exception as exc:  # recorded and asserted below
                results.append(exc)

        callers = [threading.Thread(target=call_slow) for _ in range(2)]
        for t in callers:
            t.start()
        time.sleep(1.0)  # both requests are now sleeping inside the workers
        started = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        code = srv.proc.wait(timeout=30)
        elapsed = time.monotonic() - started
        for t in callers:
            t.join(timeout=20)
    finally:
        srv.stop()
    assert code == 0, srv.log()
    assert elapsed >= 1.0  # it waited for the requests instead of dropping them
    assert len(results) == 2
    for r in results:
        assert isinstance(r, httpx.Response), r
        assert r.status_code == 200 and r.json() == {"slept": 3.0}
    with pytest.raises(httpx.TransportError):
        httpx.get(srv.url + "/healthz", timeout=2)


def test_sigterm_before_the_server_is_up_is_a_clean_exit(tmp_path):
    """Stopped while it still checks the database (a server that never answers), serve exits 0."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"postgresql://nobody@127.0.0.1:{silent.getsockname()[1]}/none"
        log = (tmp_path / "early.log").open("w")
        proc = subprocess.Popen(
            [STOREAPI, "serve", "--port", str(free_port())],
            env=server_env(url),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        silent.settimeout(30)
        connection, _ = silent.accept()  # serve is checking migrations: it waits for an answer
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        connection.close()
        log.close()

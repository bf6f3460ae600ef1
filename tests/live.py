"""`live_server`: the API as a real `storeapi serve` process on a free port, for tests that need
real concurrency, several instances, or a browser.

    with live_server(database_url, workers=2, REDIS_URL=url) as base:
        httpx.get(f"{base}/healthz")

The yielded value is the base URL (a `str`); it also carries `.process` and `.log()`, the
server's stderr so far. The database must already be migrated (the `database_url` fixture is).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import MEDIA_ROOT, SECRET

ROOT = Path(__file__).resolve().parent.parent
STOREAPI = str(Path(sys.executable).parent / "storeapi")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
# Configuration a developer's shell may hold; a test server starts without it unless asked.
INHERITED_SETTINGS = (
    "REDIS_URL",
    "CORS_ORIGINS",
    "LOGIN_RATE_LIMIT",
    "REGISTER_RATE_LIMIT",
    "REFRESH_RATE_LIMIT",
    "DEFAULT_RATE_LIMIT",
    "RATE_LIMIT_PREFIX",
    "RATE_LIMIT_FILE",
    "IDEMPOTENCY_HOURS",
    "MAX_BODY_BYTES",
    "MAX_URL_BYTES",
    "MAX_HEADER_BYTES",
    "WEB_CONCURRENCY",
    "HOST",
    "PORT",
    "STORAGE_URL",
    "MEDIA_REDIRECT",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "METRICS_ENABLED",
    "METRICS_TOKEN",
    "METRICS_DIR",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
)


class LiveServer(str):
    """The base URL of a running server, with the process and its log."""

    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def worker_pids(self) -> list[int]:
        """The PIDs of the server's worker processes (its children), from /proc."""
        pids: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
        return sorted(pids)


# Servers running now: a failing test's report shows their logs (tests/conftest.py), also
# for a server that a fixture holds, which the test's exception does not pass through.
RUNNING: list[LiveServer] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, **env: object) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in INHERITED_SETTINGS}
    base.update(
        DATABASE_URL=database_url,
        JWT_SECRET_KEY=SECRET,
        STOREAPI_ENV="test",
        RATE_LIMITS_ENABLED="false",
        LOG_REQUESTS="false",
        ARGON2_TIME_COST="1",
        ARGON2_MEMORY_KIB="1024",
        PYTHONPATH=str(ROOT),
        STORAGE_URL=f"file://{MEDIA_ROOT}",  # never the working tree's ./media
    )
    base.update({k: str(v) for k, v in env.items()})
    return base


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the server and its workers: its own group
        process.wait(5)


def _start(
    database_url: str, port: int, workers: int, app: str | None, env: dict[str, object]
) -> LiveServer:
    log_path = Path(tempfile.mkstemp(prefix="storeapi-live-", suffix=".log")[1])
    command = [STOREAPI, "serve", "--host", "127.0.0.1", f"--port={port}", f"--workers={workers}"]
    if app:
        command.append(f"--app={app}")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            env=server_env(database_url, **env),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(f"http://127.0.0.1:{port}")
    server.process, server.log_path = process, log_path
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"storeapi serve exited with {process.returncode} before answering:\n"
                + server.log_tail()
            )
        if _answers(f"{server}/healthz"):
            return server
        time.sleep(0.1)
    _stop(process)
    raise RuntimeError(
        f"storeapi serve did not answer /healthz within {START_TIMEOUT:.0f}s:\n" + server.log_tail()
    )


@contextmanager
def live_server(
    database_url: str,
    port: int | None = None,
    workers: int = 1,
    app: str | None = None,
    **env: object,
) -> Iterator[LiveServer]:
    """Start `storeapi serve`, wait until /healthz answers, yield its base URL; then SIGTERM.
    `app` serves another WSGI target (`tests.slow_app:app`) with the same server."""
    attempts = 3 if port is None else 1
    for attempt in range(attempts):
        try:
            server = _start(database_url, port or free_port(), workers, app, env)
            break
        except RuntimeError as exc:
            if attempt + 1 == attempts or "in use" not in str(exc).lower():
                raise
    RUNNING.append(server)
    try:
        yield server
    except BaseException:
        print(f"--- {server} log (tail) ---\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        RUNNING.remove(server)
        _stop(server.process)
        server.log_path.unlink(missing_ok=True)
